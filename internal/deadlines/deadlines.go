// Package deadlines computes the time limits of the PRC Criminal Procedure
// Law (2018 revision) for a case: rules as data, evaluated by pure functions
// over the case's custody periods (recorded, or derived from its key dates),
// its key dates and its logged events. A limit that passes without the next
// step is what advocates cite as evidence of arbitrary detention, so every
// result carries its article; a result is never more certain than the dates
// it was computed from, and never asserts a violation the record does not
// prove (see docs/deadlines.md).
package deadlines

import (
	"sort"
	"time"

	"github.com/habeas-org/habeas/internal/lang"
	"github.com/habeas-org/habeas/internal/partialdate"
)

// Status of a time limit.
type Status string

// Statuses.
const (
	// Pending: the limit has not passed and the next step has not happened.
	Pending Status = "pending"
	// Met: the next step happened within the limit (or custody ended first).
	Met Status = "met"
	// Overdue: the limit passed without the next step even with every
	// lawful extension: what the record proves.
	Overdue Status = "overdue"
	// OverdueUnlessExtended: the base limit passed, but a lawful extension
	// or exception the record does not show may still cover it.
	OverdueUnlessExtended Status = "overdue_unless_extended"
	// Unknown: a needed date is missing or too imprecise to decide
	// (Result.Missing names it).
	Unknown Status = "unknown"
	// NotApplicable: the rule cannot apply to this case as recorded.
	NotApplicable Status = "not_applicable"
)

// Statuses lists every status, in the order the API documents them.
var Statuses = []Status{Pending, Met, Overdue, OverdueUnlessExtended, Unknown, NotApplicable}

// Event types the rules read from the case timeline.
const (
	EvFamilyNotified      = "family_notified"
	EvFamilyNotNotified   = "family_not_notified" // an obstacle: the record proves the family was not told
	EvMeetingRequested    = "meeting_requested"
	EvMeetingGranted      = "meeting_granted"
	EvCustodyExtended     = "custody_extended"       // Months: 1 (Art. 156), 2 (Art. 158), 2 (Art. 159)
	EvCustodyRecalculated = "custody_recalculated"   // Art. 160: new crimes found, clock restarts
	EvTransferredForProsc = "transferred_for_review" // case sent to the procuratorate for review for prosecution
	EvReturnedForSuppInv  = "returned_for_supplementary_investigation"
	EvReviewExtended      = "review_extended"   // +15 days (Art. 172)
	EvCourtAccepted       = "court_accepted"    // first-instance court accepts the case
	EvTrialExtended       = "trial_extended"    // higher court approval, +3 months (Art. 208)
	EvJudgmentReceived    = "judgment_received" // written first-instance judgment received
	EvAppealAccepted      = "appeal_accepted"   // second-instance court accepts the case
	EvSecondInstExtended  = "second_instance_extended"
	EvSecondInstVerdict   = "second_instance_verdict"
	EvInterrogated        = "interrogated"                    // first interrogation after arrest (Art. 94)
	EvTransferredToDC     = "transferred_to_detention_centre" // Art. 85 ¶2
	EvSentenceCommuted    = "sentence_commuted"               // Months: taken off a fixed term
	EvRelease             = "release"
)

// Event is a dated event of the case timeline. Its shape is spelled out in
// internal/timeline (DatedEvent): keep the two identical.
type Event struct {
	Type string
	At   partialdate.Date
	// Months is the length of an extension event (custody_extended) or the
	// months a commutation takes off (sentence_commuted).
	Months int
}

// Result is one rule applied to one custody period (or one request) of a case.
type Result struct {
	Rule       string `json:"rule"`
	Title      string `json:"title"`
	Basis      string `json:"basis"`
	Wording    string `json:"wording"`
	StartEvent string `json:"start_event"`
	StartAt    string `json:"start_at,omitempty"`
	// PeriodID is the recorded custody period the limit governs ("" when
	// the period is derived from key dates, or the rule has none).
	PeriodID string    `json:"period_id,omitempty"`
	DueAt    time.Time `json:"-"`
	// DueAtLatest is the end of the day the limit passes even with every
	// lawful extension (zero when unbounded or unknown).
	DueAtLatest time.Time `json:"-"`
	// ChangesAt is when the passage of time alone may next change this
	// result (zero: it cannot); the time-limit index re-evaluates then.
	ChangesAt     time.Time `json:"-"`
	Status        Status    `json:"status"`
	DaysRemaining *int      `json:"days_remaining,omitempty"`
	// DaysOverdue counts from the limit to the step, or to the end of the
	// custody (release, conviction, change of measure), or to today: never
	// past the end of custody.
	DaysOverdue *int     `json:"days_overdue,omitempty"`
	MetAt       string   `json:"met_at,omitempty"`
	Extensions  []string `json:"extensions,omitempty"`
	Notes       []string `json:"notes,omitempty"`
	// Missing names the fact whose absence (or imprecision) makes the
	// status unknown.
	Missing string `json:"missing,omitempty"`
}

// Rule is one time limit of the law. Its title, article and wording are in
// the text tables (text_en.go, text_zh.go), by ID.
type Rule struct {
	ID   string
	eval func(c *evalCtx) []draft
}

// Title is the rule's title in l.
func (r Rule) Title(l lang.Lang) string { return ruleText(r.ID, l).Title }

// Basis is the rule's article in l.
func (r Rule) Basis(l lang.Lang) string { return ruleText(r.ID, l).Basis }

// Evaluate applies every rule to f at time now, with texts in l, and returns
// the results, ordered by due date (unknown and not applicable last).
func Evaluate(f Facts, now time.Time, l lang.Lang) []Result {
	c := &evalCtx{f: f, l: l, periods: f.custody(), now: now}
	var out []Result
	for _, r := range Rules {
		for _, d := range r.eval(c) {
			out = append(out, decide(r, d, now, l))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.DueAt.IsZero() != b.DueAt.IsZero() {
			return !a.DueAt.IsZero()
		}
		return a.DueAt.Before(b.DueAt)
	})
	return out
}

// evalCtx is what a rule reads: the facts, their custody periods and the
// language notes are written in.
type evalCtx struct {
	f       Facts
	l       lang.Lang
	periods []Period
	now     time.Time // when the rules are evaluated
}

// t is the message key in the context's language.
func (c *evalCtx) t(key string, args ...any) string { return msg(c.l, key, args...) }
