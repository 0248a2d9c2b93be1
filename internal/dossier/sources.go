package dossier

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/partialdate"
)

// The service reads each part of a document from a source: a small
// interface per feature, called inside the export's transaction with the
// caller and whether confidential material may be included. A source that
// is not wired (nil) marks its section "not available" in the document.
// Each source must scope its queries to what p may see. The sources are
// adapters of the features (internal/cases, timeline, support, evidence,
// deadlines) written in internal/app: this package imports no feature.

// CaseSource gives the detainee, the case and its lawyers, and the case's
// key dates for the time-limit rules. A case p may not see is an
// apperr not-found error.
type CaseSource interface {
	CaseData(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) (*CaseData, error)
}

// CaseData is what a CaseSource gives. The time-limit rules read the
// case's key dates (Case.Dates) and charges from it.
type CaseData struct {
	Detainee Detainee
	Case     Case
	Lawyers  []Lawyer
}

// TimelineSource gives the chronology (events and hearings) and the dated
// events the time-limit rules read (meeting requested, family notified...).
type TimelineSource interface {
	Timeline(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) (*Timeline, error)
}

// Timeline is what a TimelineSource gives.
type Timeline struct {
	Items []ChronologyItem
	// Events are the dated events the time-limit rules read, only those
	// the document may hold.
	Events []RuleEvent
}

// RuleEvent is a dated event as the time-limit rules read it: a value of
// the event_types vocabulary ("meeting_requested"), its day, and the length
// of an extension event (custody_extended).
type RuleEvent struct {
	Type   string
	At     partialdate.Date
	Months int
}

// TimeLimitRules evaluates the legal time limits of a case at a time, from
// the case data (key dates, custody periods, sentence, charges) and the
// dated events its sources gave (internal/deadlines, wired by
// internal/app). Each limit carries its texts in English and in Chinese
// (see TimeLimit): the renderer picks the document's language.
type TimeLimitRules func(c *CaseData, events []RuleEvent, at time.Time) []TimeLimit

// ReleaseRule computes the expected release date of a case and its
// derivation (in English and Chinese) from the case data (sentence, custody
// periods, key dates) and the dated events the document may hold
// (commutations); nil when there is nothing to show. Wired by internal/app
// with internal/deadlines.ExpectedRelease. When Sources.Release is nil, the
// document shows Case.ExpectedRelease as the CaseSource gave it.
type ReleaseRule func(c *CaseData, events []RuleEvent) *ExpectedRelease

// TermLabels gives the English label of a vocabulary term (vocab
// "charges", value "art105_subversion"); ok is false for an unknown term.
// The features own their vocabularies; internal/app passes their lookup.
type TermLabels func(vocab, value string) (label string, ok bool)

// SupportSource gives the international support actions of the case.
type SupportSource interface {
	Support(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) ([]SupportAction, error)
}

// EvidenceSource gives the evidence index of the case.
type EvidenceSource interface {
	Evidence(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) ([]EvidenceItem, error)
}

// Sources are the data sources of the documents, and the rules and
// vocabularies that read them. Case is required; a section whose source is
// nil is marked not available, and terms without labels are shown as
// their values made readable.
type Sources struct {
	Case       CaseSource
	Timeline   TimelineSource
	Support    SupportSource
	Evidence   EvidenceSource
	TimeLimits TimeLimitRules
	Release    ReleaseRule
	Terms      TermLabels
}
