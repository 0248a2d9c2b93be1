package caseexport

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/campaigns"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// EventBatch is how many events (with their revisions) the export reads
// and holds at a time: the events are the one section of a case that grows
// without bound, so they are streamed.
const EventBatch = 200

// Service exports and imports cases.
type Service struct {
	*record.Kit
	deadlines *deadlines.Service
}

// NewService returns the export service; dl computes the time limits the
// export carries (nil leaves the section empty).
func NewService(d *db.DB, rec audit.Recorder, dl *deadlines.Service) *Service {
	return &Service{Kit: record.NewKit("caseexport", d, rec), deadlines: dl}
}

// Export writes the JSON document of case caseID as p may see it (404 when
// p may not see the case) to the writer start returns, with its file name.
// Every section but the events is read in one read transaction that also
// records the audit entry (case.json_export), durable before start is
// called; the events are then read and written EventBatch at a time, each
// batch by a query scoped to what p may see.
func (s *Service) Export(ctx context.Context, p *actor.Principal, caseID string, start func(filename string) io.Writer) error {
	doc, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (*Document, error) {
		doc, err := s.load(ctx, tx, p, caseID)
		if err != nil {
			return nil, err
		}
		return doc, s.Record(ctx, tx, p, audit.Entry{Action: "case.json_export", ObjectType: "case", ObjectID: caseID, CaseID: caseID,
			Details: map[string]any{"format": "json", "schema": Schema, "confidential_included": doc.ConfidentialIncluded,
				"evidence_items": len(doc.Evidence), "support_actions": len(doc.SupportActions), "relatives": len(doc.Relatives)}})
	})
	if err != nil {
		return err
	}
	w := &jsonWriter{w: start("habeas-case-" + caseID + ".json")}
	w.raw("{")
	w.field("schema", doc.Schema, true)
	w.field("exported_at", doc.ExportedAt, false)
	w.field("exported_by_role", doc.ExportedByRole, false)
	w.field("confidential_included", doc.ConfidentialIncluded, false)
	w.field("detainee", doc.Detainee, false)
	w.field("case", doc.Case, false)
	w.field("campaigns", doc.Campaigns, false)
	w.field("relatives", doc.Relatives, false)
	w.field("detainees", doc.Detainees, false)
	w.field("lawyers", doc.Lawyers, false)
	w.field("assignments", doc.Assignments, false)
	w.field("custody_periods", doc.CustodyPeriods, false)
	w.field("un_communications", doc.UNCommunications, false)
	w.field("links", doc.Links, false)
	w.field("hearings", doc.Hearings, false)
	w.field("support_actions", doc.SupportActions, false)
	w.field("evidence", doc.Evidence, false)
	w.field("time_limits", doc.TimeLimits, false)
	w.raw(`,"events":[`)
	if w.err != nil {
		return w.err
	}
	// Every event's relative_id is one of the document's relatives or null
	// (a deleted relative is not exported).
	relatives := map[string]bool{}
	for i := range doc.Relatives {
		relatives[doc.Relatives[i].ID] = true
	}
	n := 0
	err = s.events(ctx, p, caseID, func(ev *timeline.EventView) error {
		if ev.RelativeID != nil && !relatives[*ev.RelativeID] {
			ev.RelativeID = nil
		}
		if n > 0 {
			w.raw(",")
		}
		n++
		w.value(ev)
		return w.err
	})
	if err != nil {
		return fmt.Errorf("caseexport: events of %s: %w", caseID, err)
	}
	w.raw("]}\n")
	return w.err
}

// load reads every section but the events inside tx.
func (s *Service) load(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string) (*Document, error) {
	rec, err := cases.LoadCaseRecords(tx, p, caseID)
	if err != nil {
		return nil, err
	}
	secrets := access.SeesConfidential(p)
	doc := &Document{Header: Header{Schema: Schema, ExportedAt: s.Now().Truncate(time.Second), ExportedByRole: string(p.Role),
		ConfidentialIncluded: secrets}}
	doc.Detainee = rec.Detainee.View(p)
	doc.Case = rec.Case.View(p, rec.Detainee.Name)
	ms, err := campaigns.MembershipsTx(tx, caseID)
	if err != nil {
		return nil, fmt.Errorf("caseexport: %w", err)
	}
	doc.Campaigns = make([]CampaignRef, 0, len(ms))
	for _, m := range ms {
		doc.Campaigns = append(doc.Campaigns, CampaignRef{ID: m.ID, Name: m.Name})
	}
	if doc.Relatives, err = cases.RelativeRecords(tx, p, rec.Detainee.ID); err != nil {
		return nil, fmt.Errorf("caseexport: relatives: %w", err)
	}
	doc.Detainees = rec.Detainees
	if doc.Detainees == nil {
		doc.Detainees = []cases.CaseDetaineeView{}
	}
	seen := map[string]bool{}
	doc.Lawyers, doc.Assignments = []cases.LawyerView{}, []cases.AssignmentView{}
	for i := range rec.Lawyers {
		l, a := &rec.Lawyers[i].Lawyer, &rec.Lawyers[i].Assignment
		if !seen[l.ID] {
			seen[l.ID] = true
			doc.Lawyers = append(doc.Lawyers, l.View(p))
		}
		doc.Assignments = append(doc.Assignments, a.View(cases.LawyerRef{Name: l.Name, Confidential: l.Confidential}))
	}
	// Lawyers named by the case's events but never assigned to it, so that
	// every event's lawyer_id is one of the document's lawyers.
	var named []cases.Lawyer
	err = record.Where(tx, access.LawyerIDVisible(p, "lawyers")).
		Where("lawyers.id IN (SELECT e.lawyer_id FROM case_events e WHERE e.case_id = ? AND e.deleted_at IS NULL AND e.lawyer_id IS NOT NULL)", caseID).
		Order("lawyers.id").Find(&named).Error
	if err != nil {
		return nil, fmt.Errorf("caseexport: lawyers of events: %w", err)
	}
	for i := range named {
		if !seen[named[i].ID] {
			seen[named[i].ID] = true
			doc.Lawyers = append(doc.Lawyers, named[i].View(p))
		}
	}
	if err := cases.LawyerDetainees(tx, p, doc.Lawyers); err != nil {
		return nil, fmt.Errorf("caseexport: lawyers' detainee records: %w", err)
	}
	if err := cases.DetaineeLawyer(tx, p, &doc.Detainee); err != nil {
		return nil, fmt.Errorf("caseexport: detainee's lawyer record: %w", err)
	}
	doc.CustodyPeriods = []cases.CustodyPeriodView{}
	for i := range rec.Custody {
		doc.CustodyPeriods = append(doc.CustodyPeriods, rec.Custody[i].View())
	}
	doc.UNCommunications = []cases.UNCommunicationView{}
	for i := range rec.UN {
		doc.UNCommunications = append(doc.UNCommunications, rec.UN[i].View())
	}
	links, err := cases.CaseLinkRecords(tx, p, caseID)
	if err != nil {
		return nil, fmt.Errorf("caseexport: links: %w", err)
	}
	doc.Links = make([]ExportLink, 0, len(links))
	for _, l := range links {
		doc.Links = append(doc.Links, ExportLink{CaseID: l.CaseID, Kind: l.Kind, Direction: l.Direction, Note: l.Note})
	}
	var hearings []timeline.Hearing
	err = record.Where(tx, access.TimelineRowVisible(p, "hearings")).Where("hearings.case_id = ?", caseID).
		Order("hearings.scheduled_at, hearings.id").Find(&hearings).Error
	if err != nil {
		return nil, fmt.Errorf("caseexport: hearings: %w", err)
	}
	doc.Hearings = make([]timeline.HearingView, 0, len(hearings))
	for i := range hearings {
		doc.Hearings = append(doc.Hearings, hearings[i].View())
	}
	actions, err := support.CaseActions(tx, p, caseID)
	if err != nil {
		return nil, fmt.Errorf("caseexport: support actions: %w", err)
	}
	doc.SupportActions = make([]SupportAction, 0, len(actions))
	for i := range actions {
		doc.SupportActions = append(doc.SupportActions, supportView(&actions[i]))
	}
	items, err := evidence.Index(tx, p, caseID, secrets)
	if err != nil {
		return nil, fmt.Errorf("caseexport: evidence: %w", err)
	}
	doc.Evidence = make([]evidence.View, 0, len(items))
	for i := range items {
		doc.Evidence = append(doc.Evidence, items[i].View())
	}
	doc.TimeLimits = []deadlines.Item{}
	if s.deadlines != nil {
		if doc.TimeLimits, err = s.deadlines.ForCaseTx(ctx, tx, p, caseID); err != nil {
			return nil, fmt.Errorf("caseexport: time limits: %w", err)
		}
	}
	return doc, nil
}

// supportView is the exported form of a support action.
func supportView(a *support.Action) SupportAction {
	v := SupportAction{ID: a.ID, Type: a.Type, Status: a.Status, Priority: a.Priority, Addressee: a.Addressee,
		Description: a.Description, RequestedAt: optional(a.RequestedAt), DueAt: optional(a.DueAt), Response: a.Response,
		Impact: a.Impact, Notes: a.Notes, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
	if a.AmountMinor != nil {
		amt, cur := support.FormatAmount(*a.AmountMinor, a.Currency), a.Currency
		v.Amount, v.Currency = &amt, &cur
	}
	return v
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// events calls fn with each live event of the case p may see, in timeline
// order, with its revisions, reading EventBatch events per query.
func (s *Service) events(ctx context.Context, p *actor.Principal, caseID string, fn func(*timeline.EventView) error) error {
	tx := s.DB.WithContext(ctx)
	cond := access.TimelineRowVisible(p, "case_events")
	afterKey, afterID := "", ""
	for {
		q := record.Where(tx, cond).Where("case_events.case_id = ? AND case_events.deleted_at IS NULL", caseID)
		if afterID != "" {
			q = q.Where("(case_events.sort_key > ? OR (case_events.sort_key = ? AND case_events.id > ?))", afterKey, afterKey, afterID)
		}
		var rows []timeline.Event
		if err := q.Order("case_events.sort_key, case_events.id").Limit(EventBatch).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]string, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
		}
		var revs []timeline.Revision
		if err := tx.Where("event_id IN ?", ids).Order("event_id, version, id").Find(&revs).Error; err != nil {
			return err
		}
		// As GET of an event shows them: without the revisions whose state
		// was confidential, and without the links the caller may not see
		// (confidential evidence, relative, lawyer) in the event and states.
		secrets := access.SeesConfidential(p)
		byEvent := map[string][]timeline.RevisionView{}
		for i := range revs {
			if v, ok := revs[i].View(); ok && (secrets || !v.State.Confidential) {
				byEvent[revs[i].EventID] = append(byEvent[revs[i].EventID], v)
			}
		}
		views := make([]timeline.EventView, len(rows))
		var shown []*timeline.EventView
		states := map[*timeline.EventView]*timeline.EventState{}
		for i := range rows {
			views[i] = rows[i].View()
			views[i].Revisions = byEvent[rows[i].ID]
			if views[i].Revisions == nil {
				views[i].Revisions = []timeline.RevisionView{}
			}
			shown = append(shown, &views[i])
			for j := range views[i].Revisions {
				st := &timeline.EventView{EventState: views[i].Revisions[j].State}
				states[st] = &views[i].Revisions[j].State
				shown = append(shown, st)
			}
		}
		if err := timeline.HideLinks(tx, p, shown); err != nil {
			return err
		}
		for st, dst := range states {
			*dst = st.EventState
		}
		for i := range views {
			if err := fn(&views[i]); err != nil {
				return err
			}
		}
		if len(rows) < EventBatch {
			return nil
		}
		afterKey, afterID = rows[len(rows)-1].SortKey, rows[len(rows)-1].ID
	}
}

// jsonWriter writes a JSON document piece by piece, keeping the first error.
type jsonWriter struct {
	w   io.Writer
	err error
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = io.WriteString(j.w, s)
	}
}

func (j *jsonWriter) value(v any) {
	if j.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		j.err = fmt.Errorf("caseexport: encode: %w", err)
		return
	}
	_, j.err = j.w.Write(b)
}

func (j *jsonWriter) field(name string, v any, first bool) {
	if !first {
		j.raw(",")
	}
	j.value(name)
	j.raw(":")
	j.value(v)
}

// today is the current day in China Standard Time (YYYY-MM-DD).
func today() string { return civil.Today() }
