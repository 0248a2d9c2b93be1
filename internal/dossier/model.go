// Package dossier renders a case as a PDF: the case dossier handed to
// diplomats, UN staff and journalists, and a draft individual communication
// to the UN Working Group on Arbitrary Detention (WGAD). The renderers take a
// plain Document (this file) and write the PDF to an io.Writer; the service
// (service.go) assembles the Document from the data sources a caller may
// see, audits the export and only then renders.
//
// Text is drawn run by run with the font that covers each rune: a Latin font
// (DejaVu Sans or Noto Sans) and a CJK font (Droid Sans Fallback), so Latin
// letters never become boxes and Chinese is never dropped. Scripts that need
// shaping (Arabic script for Uyghur, Tibetan) are not drawn: the
// transliteration is printed instead, and the document says so.
package dossier

import (
	"time"
)

// Lang is the language of a document's labels: en, zh or bilingual.
type Lang string

// Languages.
const (
	English   Lang = "en"
	Chinese   Lang = "zh"
	Bilingual Lang = "bilingual"
)

// Audience says who a document is for. External documents leave out
// confidential fields, events, support actions and evidence entirely.
type Audience string

// Audiences.
const (
	Internal Audience = "internal"
	External Audience = "external"
)

// Kind is the kind of a document.
type Kind string

// Kinds.
const (
	KindDossier Kind = "dossier"
	KindWGAD    Kind = "wgad_draft"
)

// Term is a controlled-vocabulary value, translated by the label tables
// (Vocab names a vocabulary of a feature, e.g. "stages" of internal/cases;
// its English label comes from Sources.Terms).
type Term struct {
	Vocab string
	Value string
}

// Name is one form of a person's name; Kind is a value of the name_kinds
// vocabulary (simplified, traditional, pinyin, uyghur_arabic, ...).
type Name struct {
	Text string
	Kind string
}

// Document is everything a dossier or WGAD draft shows. Dates are partial
// dates as EDTF text ("2019-03~"); empty means unknown.
type Document struct {
	// ID is the document id printed on the cover; it matches an audit entry.
	ID          string
	Kind        Kind
	Lang        Lang
	Audience    Audience
	GeneratedAt time.Time
	// GeneratedBy is the exporting user (e-mail and role), printed on the
	// cover of the internal dossier only.
	GeneratedBy string
	// Organisation names the organisation that produced the document: the
	// PDF metadata (author, creator, subject, keywords) and the cover of
	// every document that leaves the team show it, never a person.
	Organisation string

	Detainee Detainee
	Case     Case
	Lawyers  []Lawyer
	// Chronology is the events and hearings of the case, in date order.
	Chronology []ChronologyItem
	TimeLimits []TimeLimit
	Support    []SupportAction
	Evidence   []EvidenceItem

	// Unavailable lists sections no data source provided (a Sources field
	// left nil); they are marked so, never shown as empty.
	Unavailable []Section
}

// Section names a part of the dossier.
type Section string

// Sections of the dossier, in order.
const (
	SecProfile    Section = "profile"
	SecCase       Section = "case"
	SecCustody    Section = "custody"
	SecLawyers    Section = "lawyers"
	SecChronology Section = "chronology"
	SecObstacles  Section = "obstacles"
	SecTimeLimits Section = "time_limits"
	SecSupport    Section = "support"
	SecEvidence   Section = "evidence"
	SecNotes      Section = "notes"
)

// Detainee is the detainee's profile. The confidential fields are printed in
// internal documents only.
type Detainee struct {
	Name            string
	OtherNames      []Name
	Nationality     string // free text, e.g. "China"
	Sex             Term
	BornAt          string
	EthnicGroup     string
	Religion        string
	Occupation      string
	HomeProvince    string
	HomePlace       string
	Issue           Term
	DetentionStatus Term
	DetentionPlace  string
	FacilityType    Term
	HealthConcerns  string
	Summary         string
	CrossReferences []string

	// Relatives are the detainee's relatives and contacts (issue 25). An
	// external document holds no confidential relative and no contact or
	// address of any.
	Relatives []Relative
	// UNConsentWithdrawn counts the relatives, confidential ones included
	// (never named), whose consent to a UN submission is withdrawn: the WGAD
	// draft asks to check it before filing.
	UNConsentWithdrawn int

	// Confidential.
	FamilyContacts    string
	HomeAddress       string
	ConfidentialNotes string
}

// Relative is a relative or contact of the detainee (docs/relatives.md).
type Relative struct {
	Relation   Term // vocab "relations"
	Name       string
	OtherNames []Name
	Place      string
	// Consent is the current state of each consent kind, in the order of
	// the vocabulary: kind and "given", "withdrawn" or "unknown".
	Consent []ConsentState
	// Confidential: the whole relative, and always its contact and address.
	Contact      string
	Address      string
	Confidential bool
}

// ConsentState is the current state of one kind of consent of a relative.
type ConsentState struct {
	Kind  Term // vocab "relative_consent_kinds"
	State string
}

// Charge is one charge with its PRC Criminal Law article.
type Charge struct {
	Charge  Term
	Article string
	Detail  string
}

// KeyDate is one of the case's key dates; Label is a label-table key
// (e.g. "date.detained").
type KeyDate struct {
	Label string
	At    string
}

// Case is the case summary.
type Case struct {
	Title                  string
	CaseNumbers            []string
	Status                 Term
	Stage                  Term
	Charges                []Charge
	DetainingAuthority     string
	InvestigatingAuthority string
	Procuratorate          string
	Court                  string
	DetentionPlace         string
	Dates                  []KeyDate
	// Sentence is the free-text sentence as recorded ("14 years").
	Sentence string
	// SentenceInfo is the structured sentence (kind, term, date in force).
	SentenceInfo Sentence
	// Custody is the custody history: the periods of deprivation of liberty
	// (and of control after release) in start order. An external document
	// holds no confidential period.
	Custody []CustodyPeriod
	// ExpectedRelease is the expected release date and its derivation; nil
	// when none was computed (no source, or nothing to compute from).
	ExpectedRelease *ExpectedRelease
	// UN is the case's UN history: the communications UN bodies sent to the
	// government, by date transmitted. An external document holds no
	// confidential one.
	UN []UNCommunication
	// CoDetainees are the other detainees of the case (co-defendants,
	// issue 25) with their role; the case's own detainee is the profile.
	CoDetainees []CoDetainee
	// UNConsent is the consent to a submission to a UN mechanism; nil
	// when none is recorded (the WGAD draft then keeps its consent gap).
	UNConsent *Consent
	Summary   string
	// Confidential.
	ConfidentialNotes string
}

// CustodyPeriod is one period of the custody history: a measure (a value
// of the custody_measures vocabulary: criminal_detention, rsdl, arrest,
// serving_sentence, no_procedure...) at a place, from StartAt to EndAt
// (EDTF partial dates; EndAt empty while ongoing).
type CustodyPeriod struct {
	// ID is the period's id; TimeLimit.PeriodID refers to it.
	ID           string
	Measure      Term // vocab "custody_measures"
	StartAt      string
	EndAt        string
	FacilityName string
	FacilityKind Term // vocab "facility_types"
	City         string
	Province     string
	Authority    string
	Confidential bool
}

// UNCommunication is a communication a UN body sent to the government
// about the case (docs/un.md): days are "YYYY-MM-DD" ("" unknown).
type UNCommunication struct {
	Kind          Term // vocab "un_communication_kinds"
	Reference     string
	Body          string
	SubmittedAt   string
	TransmittedAt string
	ReplyDueAt    string
	RepliedAt     string
	ReplySummary  string
	OpinionNumber string
	OpinionDate   string
	FollowUp      string
	Confidential  bool
}

// Sentence is the structured sentence of the case.
type Sentence struct {
	Kind                  Term // vocab "sentence_kinds"; empty Value: not recorded
	TermMonths            int  // fixed term in months; 0 unknown
	PoliticalRightsMonths int  // deprivation of political rights, months; 0 none or unknown
	InForceAt             string
}

// ExpectedRelease is the expected release date computed from the sentence
// and the custody credited against it, with the derivation line by line.
// Basis is in English and BasisZh in Chinese (the renderer picks the
// document's language; a bilingual document shows both).
type ExpectedRelease struct {
	At      string // EDTF; empty when there is no date (life, unknown term...)
	Status  string // expected, released, not_applicable, unknown (as the engine says)
	Basis   []string
	BasisZh []string
}

// Consent is the record of who consented to a submission to a UN
// mechanism, when and how. By is confidential: an external document (the
// WGAD draft) never holds it.
type Consent struct {
	By     string
	At     string
	Method Term // vocab "consent_methods"
}

// Lawyer is a lawyer on the case and the state of their assignment.
type Lawyer struct {
	Name          string
	OtherNames    []Name
	LawFirm       string
	LicenceStatus Term
	RiskStatus    []Term
	Role          Term
	Status        Term
	StartedAt     string
	EndedAt       string
	// Confidential.
	Contact string
	// Confidential: the lawyer must not be named outside; the external
	// version leaves the lawyer out.
	Confidential bool
}

// ChronologyItem is an event or a hearing.
type ChronologyItem struct {
	At          string
	Kind        string // "event" or "hearing"
	Type        Term
	Description string
	Place       string
	// Obstacle marks an obstruction of the defence (meeting denied, lawyer
	// pressured...); ObstacleType is its kind, counted in the obstacles summary.
	Obstacle     bool
	ObstacleType Term
	Confidential bool
}

// Statuses of a time limit (internal/deadlines).
const (
	StatusPending               = "pending"
	StatusMet                   = "met"
	StatusOverdue               = "overdue"
	StatusOverdueUnlessExtended = "overdue_unless_extended"
	StatusUnknown               = "unknown"
	StatusNotApplicable         = "not_applicable"
)

// TimeLimit is one legal time limit computed for the case. Its texts come
// from the engine in both languages: Title, Basis, Missing and Notes in
// English, TitleZh, BasisZh, MissingZh and NotesZh in Chinese (the
// citation as 《中华人民共和国刑事诉讼法》第九十一条). A Chinese document prints
// only the Chinese texts, an English one only the English, a bilingual one
// both.
type TimeLimit struct {
	Rule     string
	PeriodID string // the custody period the limit governs ("" none)
	Title    string
	TitleZh  string
	Basis    string
	BasisZh  string
	StartAt  string
	Due      time.Time // zero: unknown
	// DueLatest is the day the limit passes even with every lawful
	// extension (zero: unknown or none).
	DueLatest   time.Time
	Status      string // pending, met, overdue, overdue_unless_extended, unknown, not_applicable
	DaysOverdue int
	// Missing names the missing fact of an unknown or
	// overdue_unless_extended limit ("date of the arrest approval").
	Missing   string
	MissingZh string
	Notes     []string
	NotesZh   []string
}

// Overdue reports whether the limit passed without the next step, proven
// by the record (the strict sense: never overdue_unless_extended).
func (t TimeLimit) Overdue() bool { return t.Status == StatusOverdue }

// ToVerify reports whether the limit may have passed but the record does
// not prove it: a fact is missing, or lawful extensions may exist unrecorded.
func (t TimeLimit) ToVerify() bool {
	return t.Status == StatusOverdueUnlessExtended || t.Status == StatusUnknown
}

// SupportAction is an international support action (UN petition, embassy
// trial observation, letter...).
type SupportAction struct {
	Type         Term
	Addressee    string
	Status       Term
	Due          string
	Overdue      bool
	Confidential bool
}

// EvidenceItem is one line of the evidence index: never the file itself.
type EvidenceItem struct {
	Title        string
	Kind         string
	At           string
	Size         int64
	SHA256       string
	Confidential bool
}

// ObstacleCount is how many obstacles of one type the chronology holds.
type ObstacleCount struct {
	Type  Term
	Count int
}

// Obstacles counts the chronology's obstacles by type, most frequent first.
func (d *Document) Obstacles() []ObstacleCount {
	idx := map[Term]int{}
	var out []ObstacleCount
	for _, it := range d.Chronology {
		if !it.Obstacle || (d.Audience == External && it.Confidential) {
			continue
		}
		t := it.ObstacleType
		if t.Value == "" {
			t = it.Type
		}
		i, ok := idx[t]
		if !ok {
			i = len(out)
			idx[t] = i
			out = append(out, ObstacleCount{Type: t})
		}
		out[i].Count++
	}
	// stable order: count desc, then first seen
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Count > out[j-1].Count; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// available reports whether a data source provided section s.
func (d *Document) available(s Section) bool {
	for _, u := range d.Unavailable {
		if u == s {
			return false
		}
	}
	return true
}

// CoDetainee is another detainee of the case (not the principal) and its
// role (vocabulary case_detainee_roles).
type CoDetainee struct {
	Name       string
	OtherNames []Name
	Role       Term
}
