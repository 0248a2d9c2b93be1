package dossier

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
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/partialdate"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// The service reads each part of a document from a source: a small
// interface per feature, called inside the export's transaction with the
// caller and whether confidential material may be included. A source that
// is not wired (nil) marks its section "not available" in the document.
// Each source must scope its queries to what p may see.

// CaseSource gives the detainee, the case and its lawyers, and the case's
// key dates for the time-limit rules. A case p may not see is an
// apperr not-found error.
type CaseSource interface {
	CaseData(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) (*CaseData, error)
}

// CaseData is what a CaseSource gives.
type CaseData struct {
	Detainee Detainee
	Case     Case
	Lawyers  []Lawyer
	// Facts are the case's key dates for internal/deadlines (events are
	// added from the timeline source).
	Facts deadlines.Facts
}

// TimelineSource gives the chronology (events and hearings) and the dated
// events the time-limit rules read (meeting requested, family notified...).
type TimelineSource interface {
	Timeline(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) (*Timeline, error)
}

// Timeline is what a TimelineSource gives.
type Timeline struct {
	Items  []ChronologyItem
	Events []deadlines.Event
}

// SupportSource gives the international support actions of the case.
type SupportSource interface {
	Support(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) ([]SupportAction, error)
}

// EvidenceSource gives the evidence index of the case.
type EvidenceSource interface {
	Evidence(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) ([]EvidenceItem, error)
}

// Sources are the data sources of the documents. Case is required.
type Sources struct {
	Case     CaseSource
	Timeline TimelineSource
	Support  SupportSource
	Evidence EvidenceSource
}

// CasesSource reads the case records of internal/cases.
type CasesSource struct{}

// CaseData implements CaseSource.
func (CasesSource) CaseData(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) (*CaseData, error) {
	rec, err := cases.LoadCaseRecords(tx, p, caseID)
	if err != nil {
		return nil, err
	}
	d, c := rec.Detainee, rec.Case
	out := &CaseData{
		Detainee: Detainee{
			Name: d.Name, Sex: Term{"sexes", d.Sex}, BornAt: d.BornAt, EthnicGroup: d.EthnicGroup, Religion: d.Religion,
			Occupation: join(d.OccupationCategory, d.Occupation), HomeProvince: d.HomeProvince,
			HomePlace: d.HomePlace, Issue: Term{"issue_categories", d.Issue}, DetentionStatus: Term{"detention_statuses", d.DetentionStatus},
			DetentionPlace: d.DetentionPlace, FacilityType: Term{"facility_types", d.FacilityType}, HealthConcerns: d.HealthConcerns,
			Summary: d.Summary,
		},
		Case: Case{
			Title: c.Title, CaseNumbers: c.CaseNumbers, Status: Term{"case_statuses", c.Status}, Stage: Term{"stages", c.Stage},
			DetainingAuthority: c.DetainingAuthority, InvestigatingAuthority: c.InvestigatingAuthority,
			Procuratorate: c.Procuratorate, Court: c.Court, DetentionPlace: c.DetentionPlace, Sentence: c.Sentence, Summary: c.Summary,
			Dates: []KeyDate{{"date.detained", c.DetainedAt}, {"date.rsdl_start", c.RSDLStartAt}, {"date.rsdl_end", c.RSDLEndAt},
				{"date.arrest_approved", c.ArrestApprovedAt}, {"date.indicted", c.IndictedAt}, {"date.trial", c.TrialAt},
				{"date.verdict", c.VerdictAt}, {"date.appeal", c.AppealAt}, {"date.sentence_start", c.SentenceStartAt},
				{"date.sentence_end", c.SentenceEndAt}, {"date.release", c.ReleaseAt}},
		},
	}
	for _, n := range d.OtherNames {
		out.Detainee.OtherNames = append(out.Detainee.OtherNames, Name{Text: n.Name, Kind: n.Kind})
	}
	for _, x := range d.CrossReferences {
		out.Detainee.CrossReferences = append(out.Detainee.CrossReferences, x.Database+" "+x.RecordID)
	}
	stateSecurity := false
	for _, ch := range c.Charges {
		t, _ := cases.Charges.Lookup(ch.Charge)
		out.Case.Charges = append(out.Case.Charges, Charge{Charge: Term{"charges", ch.Charge}, Article: t.Article, Detail: ch.Detail})
		stateSecurity = stateSecurity || stateSecurityCharge(ch.Charge)
	}
	for _, al := range rec.Lawyers {
		l, a := al.Lawyer, al.Assignment
		lw := Lawyer{Name: l.Name, LawFirm: l.LawFirm, LicenceStatus: Term{"licence_statuses", l.LicenceStatus},
			Role: Term{"assignment_roles", a.Role}, Status: Term{"assignment_statuses", a.Status}, StartedAt: a.StartedAt, EndedAt: a.EndedAt}
		for _, n := range l.OtherNames {
			lw.OtherNames = append(lw.OtherNames, Name{Text: n.Name, Kind: n.Kind})
		}
		for _, r := range l.RiskStatus {
			lw.RiskStatus = append(lw.RiskStatus, Term{"risk_statuses", r})
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
	pd := func(s string) partialdate.Date {
		v, err := partialdate.Parse(s, time.UTC)
		if err != nil {
			return partialdate.Date{}
		}
		return v
	}
	out.Facts = deadlines.Facts{Detained: pd(c.DetainedAt), RSDLStart: pd(c.RSDLStartAt), RSDLEnd: pd(c.RSDLEndAt),
		ArrestApproved: pd(c.ArrestApprovedAt), Indicted: pd(c.IndictedAt), Verdict: pd(c.VerdictAt), Appeal: pd(c.AppealAt),
		Release: pd(c.ReleaseAt), StateSecurityOrTerrorism: stateSecurity}
	return out, nil
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

// SupportActions reads the international support actions of internal/support.
// Actions carry no confidential flag: type, addressee, status and due day
// are shown in both versions; descriptions, responses and notes never are.
type SupportActions struct{}

// Support implements SupportSource.
func (SupportActions) Support(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, _ bool) ([]SupportAction, error) {
	rows, err := support.CaseActions(tx, p, caseID)
	if err != nil {
		return nil, err
	}
	today := time.Now().In(civil.CST).Format(time.DateOnly)
	out := make([]SupportAction, 0, len(rows))
	for i := range rows {
		a := &rows[i]
		out = append(out, SupportAction{Type: Term{"support_action_types", a.Type}, Addressee: a.Addressee,
			Status: Term{"support_action_statuses", a.Status}, Due: a.DueAt, Overdue: a.Overdue(today)})
	}
	return out, nil
}

// EvidenceIndex reads the evidence index of internal/evidence.
type EvidenceIndex struct{}

// Evidence implements EvidenceSource.
func (EvidenceIndex) Evidence(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) ([]EvidenceItem, error) {
	items, err := evidence.Index(tx, p, caseID, withConfidential)
	if err != nil {
		return nil, err
	}
	out := make([]EvidenceItem, 0, len(items))
	for _, it := range items {
		out = append(out, EvidenceItem{Title: it.Title, Kind: it.Kind, At: it.CapturedAt, Size: it.Size, SHA256: it.SHA256, Confidential: it.Confidential})
	}
	return out, nil
}

// TimelineEvents reads the chronology of internal/timeline: live events and
// hearings merged in timeline order, and the dated events the time-limit
// rules read (only those the document may hold).
type TimelineEvents struct{}

// Timeline implements TimelineSource.
func (TimelineEvents) Timeline(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) (*Timeline, error) {
	ch, err := timeline.ChronologyTx(tx, p, caseID, withConfidential)
	if err != nil {
		return nil, err
	}
	type keyed struct {
		key  string
		item ChronologyItem
	}
	var all []keyed
	out := &Timeline{}
	for i := range ch.Events {
		e := &ch.Events[i]
		it := ChronologyItem{At: e.View().OccurredAt, Kind: "event", Type: Term{"event_types", e.Type}, Description: e.Description,
			Place: e.Place, Obstacle: e.Obstacle, Confidential: e.Confidential}
		if e.Obstacle {
			it.ObstacleType = it.Type
		}
		all = append(all, keyed{e.SortKey, it})
		if ev, ok := e.DeadlineEvent(); ok {
			out.Events = append(out.Events, ev)
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
		it := ChronologyItem{At: v.LocalTime, Kind: "hearing", Type: Term{"hearing_types", h.Type}, Description: desc,
			Place: h.Court, Obstacle: st.Obstacle, Confidential: h.Confidential}
		if st.Obstacle {
			it.ObstacleType = Term{"hearing_statuses", h.Status}
		}
		all = append(all, keyed{h.SortKey, it})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].key < all[j].key })
	for _, k := range all {
		out.Items = append(out.Items, k.item)
	}
	return out, nil
}
