package seed_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/seed"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

func p[T any](v T) *T { return &v }

func same(t *testing.T, what string, seeded, api any) {
	t.Helper()
	if !reflect.DeepEqual(seeded, api) {
		t.Errorf("%s: seeded row differs from the row the service writes\nseeded: %+v\nservice: %+v", what, seeded, api)
	}
}

// Each kind of seeded row, given back to its service as input, comes out
// as the same row: same normalised text, search column, partial-date sort
// keys, obstacle flag, event sort key and precision, first revision and
// support-action history, up to ids, creators and timestamps.
func TestSeededRowsAreServiceRows(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		log := audit.NewLog(d)
		if _, err := seed.Run(ctx, d, log, small()); err != nil {
			t.Fatal(err)
		}
		admin := &actor.Principal{UserID: "0190a0a0-0000-7000-8000-000000000001", Role: actor.Admin}
		cs, ts, ss := cases.NewService(d, log), timeline.NewService(d, log, nil), support.NewService(d, log)
		blank := func(id *string, by *string, at ...*time.Time) {
			*id, *by = "", ""
			for _, t := range at {
				*t = time.Time{}
			}
		}

		var ds []cases.Detainee
		if err := d.Order("id").Limit(8).Find(&ds).Error; err != nil {
			t.Fatal(err)
		}
		for _, x := range ds {
			on, cr := []cases.OtherName(x.OtherNames), []cases.CrossReference(x.CrossReferences)
			v, err := cs.CreateDetainee(ctx, admin, cases.DetaineeFields{Name: &x.Name, OtherNames: &on, Sex: &x.Sex, BornAt: &x.BornAt,
				EthnicGroup: &x.EthnicGroup, Religion: &x.Religion, OccupationCategory: &x.OccupationCategory, Occupation: &x.Occupation,
				HomeProvince: &x.HomeProvince, HomePlace: &x.HomePlace, Issue: &x.Issue, DetentionStatus: &x.DetentionStatus,
				DetentionPlace: &x.DetentionPlace, FacilityType: &x.FacilityType, HealthConcerns: &x.HealthConcerns,
				FamilyContacts: &x.FamilyContacts, HomeAddress: &x.HomeAddress, ConfidentialNotes: &x.ConfidentialNotes,
				CrossReferences: &cr, Summary: &x.Summary, Source: &x.Source, SourceReliability: &x.SourceReliability,
				InformationCredibility: &x.InformationCredibility})
			if err != nil {
				t.Fatalf("create detainee %q: %v", x.Name, err)
			}
			var y cases.Detainee
			d.Take(&y, "id = ?", v.ID)
			blank(&x.ID, &x.CreatedBy, &x.CreatedAt, &x.UpdatedAt)
			blank(&y.ID, &y.CreatedBy, &y.CreatedAt, &y.UpdatedAt)
			same(t, "detainee", x, y)
		}

		var ks []cases.Case
		if err := d.Order("id").Limit(8).Find(&ks).Error; err != nil {
			t.Fatal(err)
		}
		for _, x := range ks {
			var ch []cases.Charge
			d.Where("case_id = ?", x.ID).Order("position").Find(&ch)
			in := []cases.ChargeInput{}
			for _, c := range ch {
				in = append(in, cases.ChargeInput{Charge: c.Charge, Detail: c.Detail})
			}
			nums := []string(x.CaseNumbers)
			v, err := cs.CreateCase(ctx, admin, cases.CaseCreate{DetaineeID: x.DetaineeID, CaseFields: cases.CaseFields{
				CaseNumbers: &nums, Title: &x.Title, Status: &x.Status, Stage: &x.Stage, Charges: &in,
				DetainingAuthority: &x.DetainingAuthority, InvestigatingAuthority: &x.InvestigatingAuthority,
				Procuratorate: &x.Procuratorate, Court: &x.Court, DetentionPlace: &x.DetentionPlace, DetainedAt: &x.DetainedAt,
				RSDLStartAt: &x.RSDLStartAt, RSDLEndAt: &x.RSDLEndAt, ArrestApprovedAt: &x.ArrestApprovedAt, IndictedAt: &x.IndictedAt,
				TrialAt: &x.TrialAt, VerdictAt: &x.VerdictAt, AppealAt: &x.AppealAt, SentenceStartAt: &x.SentenceStartAt,
				SentenceEndAt: &x.SentenceEndAt, ReleaseAt: &x.ReleaseAt, Sentence: &x.Sentence, Summary: &x.Summary,
				ConfidentialNotes: &x.ConfidentialNotes, Source: &x.Source, SourceReliability: &x.SourceReliability,
				InformationCredibility: &x.InformationCredibility}})
			if err != nil {
				t.Fatalf("create case %q: %v", x.Title, err)
			}
			var y cases.Case
			d.Take(&y, "id = ?", v.ID)
			var ych []cases.Charge
			d.Where("case_id = ?", y.ID).Order("position").Find(&ych)
			if len(ch) != len(ych) {
				t.Errorf("case %q: %d charges seeded, %d through the service", x.Title, len(ch), len(ych))
			}
			for i := range min(len(ch), len(ych)) {
				same(t, "charge", [3]any{ch[i].Charge, ch[i].Detail, ch[i].Position}, [3]any{ych[i].Charge, ych[i].Detail, ych[i].Position})
			}
			blank(&x.ID, &x.CreatedBy, &x.CreatedAt, &x.UpdatedAt)
			blank(&y.ID, &y.CreatedBy, &y.CreatedAt, &y.UpdatedAt)
			same(t, "case", x, y)
		}

		var evs []timeline.Event
		if err := d.Order("id").Limit(30).Find(&evs).Error; err != nil {
			t.Fatal(err)
		}
		for _, x := range evs {
			f := timeline.EventFields{Type: &x.Type, OccurredAt: &x.OccurredAt, Approximate: &x.Approximate, Place: &x.Place,
				Description: &x.Description, Source: &x.Source, SourceReliability: &x.SourceReliability,
				InformationCredibility: &x.InformationCredibility, Confidential: &x.Confidential, LawyerID: x.LawyerID,
				EvidenceIDs: p([]string(x.EvidenceIDs)), ExtensionMonths: &x.ExtensionMonths}
			v, err := ts.CreateEvent(ctx, admin, x.CaseID, f)
			if err != nil {
				t.Fatalf("create event %s %s: %v", x.Type, x.OccurredAt, err)
			}
			var y timeline.Event
			d.Take(&y, "id = ?", v.ID)
			var xr, yr timeline.Revision
			d.Take(&xr, "event_id = ?", x.ID)
			d.Take(&yr, "event_id = ?", y.ID)
			same(t, "first revision", [3]any{xr.Version, xr.Change, xr.State}, [3]any{yr.Version, yr.Change, yr.State})
			for _, e := range []*timeline.Event{&x, &y} {
				blank(&e.ID, &e.CreatedBy, &e.CreatedAt, &e.UpdatedAt)
				e.UpdatedBy = ""
			}
			same(t, "event", x, y)
		}

		var hs []timeline.Hearing
		if err := d.Order("id").Limit(8).Find(&hs).Error; err != nil {
			t.Fatal(err)
		}
		for _, x := range hs {
			ob := func(b *bool) timeline.OptBool { return timeline.OptBool{Set: true, Value: b} }
			v, err := ts.CreateHearing(ctx, admin, x.CaseID, timeline.HearingFields{ScheduledAt: p(x.ScheduledAt.Format(time.RFC3339)),
				TimeZone: &x.TimeZone, Court: &x.Court, Type: &x.Type, Status: &x.Status, Outcome: &x.Outcome,
				DefenseLawyerAdmitted: ob(x.DefenseLawyerAdmitted), FamilyAdmitted: ob(x.FamilyAdmitted),
				DiplomatsAdmitted: ob(x.DiplomatsAdmitted), OtherObserversAdmitted: ob(x.OtherObserversAdmitted),
				Observers: &x.Observers, Notes: &x.Notes, Confidential: &x.Confidential})
			if err != nil {
				t.Fatalf("create hearing: %v", err)
			}
			var y timeline.Hearing
			d.Take(&y, "id = ?", v.ID)
			x.ScheduledAt, y.ScheduledAt = x.ScheduledAt.UTC(), y.ScheduledAt.UTC()
			blank(&x.ID, &x.CreatedBy, &x.CreatedAt, &x.UpdatedAt)
			blank(&y.ID, &y.CreatedBy, &y.CreatedAt, &y.UpdatedAt)
			same(t, "hearing", x, y)
		}

		var as []support.Action
		if err := d.Where("version = 1").Order("id").Limit(6).Find(&as).Error; err != nil {
			t.Fatal(err)
		}
		if len(as) == 0 {
			t.Fatal("no support action still at version 1")
		}
		for _, x := range as {
			f := support.ActionFields{Type: &x.Type, Priority: &x.Priority, Addressee: &x.Addressee, Description: &x.Description,
				AssigneePartnerID: x.AssigneePartnerID, RequestedAt: &x.RequestedAt, DueAt: &x.DueAt, Response: &x.Response,
				Impact: &x.Impact, Notes: &x.Notes, EvidenceIDs: p([]string(x.EvidenceIDs))}
			if x.AmountMinor != nil {
				f.Amount, f.Currency = p(support.FormatAmount(*x.AmountMinor, x.Currency)), &x.Currency
			}
			v, err := ss.CreateAction(ctx, admin, x.CaseID, f)
			if err != nil {
				t.Fatalf("create support action: %v", err)
			}
			var y support.Action
			d.Take(&y, "id = ?", v.ID)
			var xc, yc support.Change
			d.Take(&xc, "action_id = ?", x.ID)
			d.Take(&yc, "action_id = ?", y.ID)
			same(t, "status history", [2]string{xc.FromStatus, xc.ToStatus}, [2]string{yc.FromStatus, yc.ToStatus})
			blank(&x.ID, &x.CreatedBy, &x.CreatedAt, &x.UpdatedAt)
			blank(&y.ID, &y.CreatedBy, &y.CreatedAt, &y.UpdatedAt)
			same(t, "support action", x, y)
		}
	})
}
