package app

import (
	"context"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/dossier"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/lang"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// The dossier reads each feature through a source interface of its own
// (internal/dossier/sources.go); the adapters below translate the features'
// records into the dossier's plain document model, so that internal/dossier
// imports no feature. Each adapter scopes its reads to what p may see
// through the feature's own scoped queries.

// dossierSources are every source of the dossier export.
func dossierSources() dossier.Sources {
	return dossier.Sources{
		Case: caseRecords{}, Timeline: timelineEvents{}, Support: supportActions{}, Evidence: evidenceIndex{},
		TimeLimits: timeLimits, Release: expectedRelease, Terms: dossierTerms,
	}
}

// caseRecords reads the case records of internal/cases.
type caseRecords struct{}

// CaseData implements dossier.CaseSource.
func (caseRecords) CaseData(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) (*dossier.CaseData, error) {
	rec, err := cases.LoadCaseRecords(tx, p, caseID)
	if err != nil {
		return nil, err
	}
	d, c := rec.Detainee, rec.Case
	out := &dossier.CaseData{
		Detainee: dossier.Detainee{
			Name: d.Name, Sex: term("sexes", d.Sex), BornAt: d.BornAt, EthnicGroup: d.EthnicGroup, Religion: d.Religion,
			Occupation: joinNonEmpty(d.OccupationCategory, d.Occupation), HomeProvince: d.HomeProvince,
			HomePlace: d.HomePlace, Issue: term("issue_categories", d.Issue), DetentionStatus: term("detention_statuses", d.DetentionStatus),
			DetentionPlace: d.DetentionPlace, FacilityType: term("facility_types", d.FacilityType), HealthConcerns: d.HealthConcerns,
			Summary: d.Summary, Nationality: d.Nationality,
		},
		Case: dossier.Case{
			Title: c.Title, CaseNumbers: c.CaseNumbers, Status: term("case_statuses", c.Status), Stage: term("stages", c.Stage),
			DetainingAuthority: c.DetainingAuthority, InvestigatingAuthority: c.InvestigatingAuthority,
			Procuratorate: c.Procuratorate, Court: c.Court, DetentionPlace: c.DetentionPlace, Sentence: c.Sentence, Summary: c.Summary,
			Dates: []dossier.KeyDate{{Label: "date.detained", At: c.DetainedAt}, {Label: "date.rsdl_start", At: c.RSDLStartAt}, {Label: "date.rsdl_end", At: c.RSDLEndAt},
				{Label: "date.arrest_approved", At: c.ArrestApprovedAt}, {Label: "date.indicted", At: c.IndictedAt}, {Label: "date.trial", At: c.TrialAt},
				{Label: "date.verdict", At: c.VerdictAt}, {Label: "date.appeal", At: c.AppealAt}, {Label: "date.sentence_start", At: c.SentenceStartAt},
				{Label: "date.sentence_end", At: c.SentenceEndAt}, {Label: "date.release", At: c.ReleaseAt}},
		},
	}
	fillCustody(out, rec, withConfidential)
	for _, u := range rec.UN {
		if u.Confidential && !withConfidential {
			continue
		}
		out.Case.UN = append(out.Case.UN, dossier.UNCommunication{Kind: term("un_communication_kinds", u.Kind), Reference: u.Reference,
			Body: u.Body, SubmittedAt: u.SubmittedAt, TransmittedAt: u.TransmittedAt, ReplyDueAt: u.ReplyDueAt, RepliedAt: u.RepliedAt,
			ReplySummary: u.ReplySummary, OpinionNumber: u.OpinionNumber, OpinionDate: u.OpinionDate, FollowUp: u.FollowUp,
			Confidential: u.Confidential})
	}
	for _, cd := range rec.Detainees {
		co := dossier.CoDetainee{Name: cd.Detainee.Name, Role: term("case_detainee_roles", cd.Role)}
		for _, n := range cd.Detainee.OtherNames {
			co.OtherNames = append(co.OtherNames, dossier.Name{Text: n.Name, Kind: n.Kind})
		}
		out.Case.CoDetainees = append(out.Case.CoDetainees, co)
	}
	for _, n := range d.OtherNames {
		out.Detainee.OtherNames = append(out.Detainee.OtherNames, dossier.Name{Text: n.Name, Kind: n.Kind})
	}
	if err := fillRelatives(tx, p, out, d.ID, withConfidential); err != nil {
		return nil, err
	}
	for _, x := range d.CrossReferences {
		out.Detainee.CrossReferences = append(out.Detainee.CrossReferences, x.Database+" "+x.RecordID)
	}
	for _, ch := range c.Charges {
		t, _ := cases.Charges.Lookup(ch.Charge)
		out.Case.Charges = append(out.Case.Charges, dossier.Charge{Charge: term("charges", ch.Charge), Article: t.Article, Detail: ch.Detail})
	}
	for _, al := range rec.Lawyers {
		l, a := al.Lawyer, al.Assignment
		if l.Confidential && !withConfidential {
			continue // must not be named outside
		}
		lw := dossier.Lawyer{Name: l.Name, LawFirm: l.LawFirm, LicenceStatus: term("licence_statuses", l.LicenceStatus),
			Role: term("assignment_roles", a.Role), Status: term("assignment_statuses", a.Status), StartedAt: a.StartedAt, EndedAt: a.EndedAt,
			Confidential: l.Confidential}
		for _, n := range l.OtherNames {
			lw.OtherNames = append(lw.OtherNames, dossier.Name{Text: n.Name, Kind: n.Kind})
		}
		for _, r := range l.RiskStatus {
			lw.RiskStatus = append(lw.RiskStatus, term("risk_statuses", r))
		}
		if withConfidential {
			lw.Contact = l.Contact
		}
		out.Lawyers = append(out.Lawyers, lw)
	}
	if withConfidential {
		out.Detainee.FamilyContacts, out.Detainee.HomeAddress = d.FamilyContacts, d.HomeAddress
		out.Detainee.ConfidentialNotes, out.Case.ConfidentialNotes = d.ConfidentialNotes, c.ConfidentialNotes
	}
	return out, nil
}

// term is a value of the named vocabulary.
func term(vocab, value string) dossier.Term { return dossier.Term{Vocab: vocab, Value: value} }

// joinNonEmpty joins the parts that are not blank with ", ".
func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// fillCustody copies the custody history, the structured sentence and the
// UN consent record of rec into the document (confidential periods and the
// consenting person only when withConfidential).
func fillCustody(out *dossier.CaseData, rec *cases.CaseRecords, withConfidential bool) {
	c := rec.Case
	for _, cp := range rec.Custody {
		if cp.Confidential && !withConfidential {
			continue
		}
		out.Case.Custody = append(out.Case.Custody, dossier.CustodyPeriod{ID: cp.ID, Measure: term("custody_measures", cp.Measure),
			StartAt: cp.StartedAt, EndAt: cp.EndedAt, FacilityName: cp.FacilityName, FacilityKind: term("facility_types", cp.FacilityKind),
			City: cp.FacilityCity, Province: cp.FacilityProvince, Authority: cp.Authority, Confidential: cp.Confidential})
	}
	out.Case.SentenceInfo = dossier.Sentence{Kind: term("sentence_kinds", c.SentenceKind), InForceAt: c.SentenceInForceAt}
	if c.SentenceTermMonths != nil {
		out.Case.SentenceInfo.TermMonths = *c.SentenceTermMonths
	}
	if c.PoliticalRightsMonths != nil {
		out.Case.SentenceInfo.PoliticalRightsMonths = *c.PoliticalRightsMonths
	}
	if c.UNConsentBy != "" || c.UNConsentAt != "" || c.UNConsentMethod != "" {
		out.Case.UNConsent = &dossier.Consent{At: c.UNConsentAt, Method: term("consent_methods", c.UNConsentMethod)}
		if withConfidential {
			out.Case.UNConsent.By = c.UNConsentBy
		}
	}
}

// ruleFacts are the facts internal/deadlines reads, from the document's
// case data (key dates, charges, custody periods, sentence) and the dated
// events the document may hold.
func ruleFacts(cd *dossier.CaseData, events []dossier.RuleEvent) deadlines.Facts {
	dates := map[string]partialdate.Date{}
	for _, k := range cd.Case.Dates {
		dates[k.Label] = deadlines.StoredDate(k.At)
	}
	facts := deadlines.Facts{Detained: dates["date.detained"], RSDLStart: dates["date.rsdl_start"], RSDLEnd: dates["date.rsdl_end"],
		ArrestApproved: dates["date.arrest_approved"], Indicted: dates["date.indicted"], Verdict: dates["date.verdict"],
		Appeal: dates["date.appeal"], Release: dates["date.release"]}
	for _, ch := range cd.Case.Charges {
		facts.StateSecurityOrTerrorism = facts.StateSecurityOrTerrorism || stateSecurityCharge(ch.Charge.Value)
	}
	for _, cp := range cd.Case.Custody {
		facts.Periods = append(facts.Periods, deadlines.Period{ID: cp.ID, Measure: cp.Measure.Value, Start: deadlines.StoredDate(cp.StartAt),
			End: deadlines.StoredDate(cp.EndAt), Place: joinNonEmpty(cp.FacilityName, cp.City)})
	}
	si := cd.Case.SentenceInfo
	facts.Sentence = deadlines.Sentence{Kind: si.Kind.Value, TermMonths: si.TermMonths, InForce: deadlines.StoredDate(si.InForceAt)}
	for _, e := range events {
		facts.Events = append(facts.Events, deadlines.Event{Type: e.Type, At: e.At, Months: e.Months})
	}
	return facts
}

// timeLimits evaluates the rules of internal/deadlines on the case's facts,
// in English and in Chinese (the rules are the same; their texts are paired
// by position).
func timeLimits(cd *dossier.CaseData, events []dossier.RuleEvent, at time.Time) []dossier.TimeLimit {
	facts := ruleFacts(cd, events)
	en, zh := deadlines.Evaluate(facts, at, lang.English), deadlines.Evaluate(facts, at, lang.Chinese)
	out := make([]dossier.TimeLimit, 0, len(en))
	for i, r := range en {
		tl := dossier.TimeLimit{Rule: r.Rule, PeriodID: r.PeriodID, Title: r.Title, Basis: r.Basis, StartAt: r.StartAt, Due: r.DueAt,
			DueLatest: r.DueAtLatest, Status: string(r.Status), Missing: r.Missing, Notes: r.Notes}
		if i < len(zh) && zh[i].Rule == r.Rule && zh[i].PeriodID == r.PeriodID {
			tl.TitleZh, tl.BasisZh, tl.MissingZh, tl.NotesZh = zh[i].Title, zh[i].Basis, zh[i].Missing, zh[i].Notes
		}
		if r.DaysOverdue != nil {
			tl.DaysOverdue = *r.DaysOverdue
		}
		out = append(out, tl)
	}
	return out
}

// expectedRelease computes the expected release date and its derivation
// in both languages (nil when the engine has nothing to say).
func expectedRelease(cd *dossier.CaseData, events []dossier.RuleEvent) *dossier.ExpectedRelease {
	facts := ruleFacts(cd, events)
	en, zh := deadlines.ExpectedRelease(facts, lang.English), deadlines.ExpectedRelease(facts, lang.Chinese)
	if en.At.IsZero() && len(en.Basis) == 0 {
		return nil
	}
	return &dossier.ExpectedRelease{At: en.At.String(), Status: en.Status, Basis: en.Basis, BasisZh: zh.Basis}
}

// stateSecurityCharge: a charge of the endangering-state-security chapter
// (Criminal Law Arts. 102-113) or of terrorism (Art. 120 and following),
// for which CPL Arts. 39 and 85 allow exceptions.
func stateSecurityCharge(v string) bool {
	for _, p := range []string{"art102_", "art103_", "art104_", "art105_", "art106_", "art107_", "art108_", "art109_",
		"art110_", "art111_", "art112_", "art113_", "art120"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// supportActions reads the international support actions of internal/support.
// Type, addressee, status and due day are shown; descriptions, responses
// and notes never are. A confidential action (issue 25) is marked in the
// internal version and left out of every other document.
type supportActions struct{}

// Support implements dossier.SupportSource.
func (supportActions) Support(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) ([]dossier.SupportAction, error) {
	rows, err := support.CaseActions(tx, p, caseID)
	if err != nil {
		return nil, err
	}
	today := civil.Today()
	out := make([]dossier.SupportAction, 0, len(rows))
	for i := range rows {
		a := &rows[i]
		if a.Confidential && !withConfidential {
			continue
		}
		out = append(out, dossier.SupportAction{Type: term("support_action_types", a.Type), Addressee: a.Addressee,
			Status: term("support_action_statuses", a.Status), Due: a.DueAt, Overdue: a.Overdue(today), Confidential: a.Confidential})
	}
	return out, nil
}

// evidenceIndex reads the evidence index of internal/evidence.
type evidenceIndex struct{}

// Evidence implements dossier.EvidenceSource.
func (evidenceIndex) Evidence(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) ([]dossier.EvidenceItem, error) {
	items, err := evidence.Index(tx, p, caseID, withConfidential)
	if err != nil {
		return nil, err
	}
	out := make([]dossier.EvidenceItem, 0, len(items))
	for _, it := range items {
		out = append(out, dossier.EvidenceItem{Title: it.Title, Kind: it.Kind, At: it.CapturedAt, Size: it.Size, SHA256: it.SHA256, Confidential: it.Confidential})
	}
	return out, nil
}

// timelineEvents reads the chronology of internal/timeline: live events and
// hearings merged in timeline order, and the dated events the time-limit
// rules read (only those the document may hold).
type timelineEvents struct{}

// Timeline implements dossier.TimelineSource.
func (timelineEvents) Timeline(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) (*dossier.Timeline, error) {
	ch, err := timeline.ChronologyTx(tx, p, caseID, withConfidential)
	if err != nil {
		return nil, err
	}
	type keyed struct {
		key  string
		item dossier.ChronologyItem
	}
	var all []keyed
	out := &dossier.Timeline{}
	for i := range ch.Events {
		e := &ch.Events[i]
		it := dossier.ChronologyItem{At: e.View().OccurredAt, Kind: "event", Type: term("event_types", e.Type), Description: e.Description,
			Place: e.Place, Obstacle: e.Obstacle, Confidential: e.Confidential}
		if e.Obstacle {
			it.ObstacleType = it.Type
		}
		all = append(all, keyed{e.SortKey, it})
		if ev, ok := e.DeadlineEvent(); ok {
			out.Events = append(out.Events, dossier.RuleEvent{Type: ev.Type, At: ev.At, Months: ev.Months})
		}
	}
	for i := range ch.Hearings {
		h := &ch.Hearings[i]
		v := h.View()
		desc := h.Court
		if h.Outcome != "" {
			desc += " — " + h.Outcome
		}
		st, _ := timeline.HearingStatuses.Lookup(h.Status)
		it := dossier.ChronologyItem{At: v.LocalTime, Kind: "hearing", Type: term("hearing_types", h.Type), Description: desc,
			Place: h.Court, Obstacle: st.Obstacle, Confidential: h.Confidential}
		if st.Obstacle {
			it.ObstacleType = term("hearing_statuses", h.Status)
		}
		all = append(all, keyed{h.SortKey, it})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].key < all[j].key })
	for _, k := range all {
		out.Items = append(out.Items, k.item)
	}
	return out, nil
}

// dossierTerms gives the English label of a term of the vocabularies of
// internal/cases, support and timeline (the last that knows the term wins,
// as one table holding them all would).
func dossierTerms(vocab, value string) (string, bool) {
	label, found := "", false
	if t, ok := cases.Vocabularies[vocab].Lookup(value); ok {
		label, found = t.Label, true
	}
	if t, ok := support.Vocabularies[vocab].Lookup(value); ok {
		label, found = t.Label, true
	}
	if t, ok := timeline.Vocabularies[vocab].Lookup(value); ok {
		label, found = t.Label, true
	}
	return label, found
}

// fillRelatives adds the detainee's relatives that p sees (issue 25): for
// an external document no confidential relative and no contact or address.
func fillRelatives(tx *gorm.DB, p *actor.Principal, out *dossier.CaseData, detaineeID string, withConfidential bool) error {
	rels, consent, err := cases.LoadRelatives(tx, p, detaineeID)
	if err != nil {
		return err
	}
	for _, r := range rels {
		if consent[r.ID]["un_submission"] == "withdrawn" {
			out.Detainee.UNConsentWithdrawn++ // counted, confidential or not: the draft must not be filed unchecked
		}
		if r.Confidential && !withConfidential {
			continue
		}
		v := dossier.Relative{Relation: term("relations", r.Relation), Name: r.Name, Place: r.Place, Confidential: r.Confidential}
		if withConfidential {
			v.Contact, v.Address = r.Contact, r.Address
		}
		for _, n := range r.OtherNames {
			v.OtherNames = append(v.OtherNames, dossier.Name{Text: n.Name, Kind: n.Kind})
		}
		for _, k := range cases.RelativeConsentKinds {
			state := consent[r.ID][k.Value]
			if state == "" {
				state = cases.ConsentUnknown
			}
			v.Consent = append(v.Consent, dossier.ConsentState{Kind: term("relative_consent_kinds", k.Value), State: state})
		}
		out.Detainee.Relatives = append(out.Detainee.Relatives, v)
	}
	return nil
}
