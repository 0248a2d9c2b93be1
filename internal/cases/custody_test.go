package cases_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

// fieldErr returns the message of field in err's field errors ("" when none).
func fieldErr(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func countPeriods(t *testing.T, d *db.DB, caseID string) int64 {
	t.Helper()
	var n int64
	if err := d.Table("custody_periods").Where("case_id = ?", caseID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Wang Quanzhang's chronology (public reports, e.g. China Change and
// Amnesty International): taken on 2015-08-03, RSDL from 2015-08-04, formal
// arrest 2016-01-08, released 2020-04-05. Key dates follow the periods.
func TestCustodyPeriodsKeepKeyDatesInStep(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		c := must(w.svc.CreateCase(ctx, w.coord, cases.CaseCreate{DetaineeID: w.ownDetainee.ID, CaseFields: cases.CaseFields{
			DetainedAt: ptr("2015-07"), ReleaseAt: ptr("2019")}}))
		add := func(measure, start, end string, confidential bool) cases.CustodyPeriodView {
			t.Helper()
			return must(w.svc.CreateCustodyPeriod(ctx, w.coord, c.ID, cases.CustodyPeriodFields{Measure: &measure, StartedAt: &start,
				EndedAt: &end, Confidential: &confidential}))
		}
		get := func() cases.CaseView { return must(w.svc.GetCase(ctx, w.admin, c.ID)) }
		str := func(s *string) string {
			if s == nil {
				return ""
			}
			return *s
		}

		// A confidential period changes no key date.
		add("criminal_detention", "2015-08-01", "", true)
		if k := get(); str(k.DetainedAt) != "2015-07" || k.Version != 1 {
			t.Fatalf("a confidential period changed the key dates: detained_at %s, version %d", str(k.DetainedAt), k.Version)
		}
		// The earliest criminal detention gives detained_at.
		cd := add("criminal_detention", "2015-08-03", "2015-08-04", false)
		k := get()
		if str(k.DetainedAt) != "2015-08-03" || k.Version != 2 {
			t.Fatalf("detained_at %q version %d, want 2015-08-03 and 2", str(k.DetainedAt), k.Version)
		}
		// Periods entered one by one, in order: while every custodial
		// period has ended, release_at is the last end (the client's "2019"
		// is replaced) ...
		add("rsdl", "2015-08-04", "2016-01-08", false)
		if k = get(); str(k.ReleaseAt) != "2016-01-08" {
			t.Fatalf("release_at %q, want 2016-01-08", str(k.ReleaseAt))
		}
		// ... and a later custodial period, ongoing, takes that derived value back.
		arrest := add("arrest", "2016-01-08", "", false)
		k = get()
		if str(k.RSDLStartAt) != "2015-08-04" || str(k.RSDLEndAt) != "2016-01-08" || str(k.ArrestApprovedAt) != "2016-01-08" || k.ReleaseAt != nil {
			t.Fatalf("key dates: rsdl %s..%s arrest %s release %s", str(k.RSDLStartAt), str(k.RSDLEndAt), str(k.ArrestApprovedAt), str(k.ReleaseAt))
		}
		// A release_at the client writes while custody is ongoing stays.
		k = must(w.svc.UpdateCase(ctx, w.coord, c.ID, k.Version, cases.CaseFields{ReleaseAt: ptr("2020-04~")}))
		// Bail is not custodial: it stays open without holding release_at back.
		add("bail", "2020-04-05", "", false)
		serving := add("serving_sentence", "2019-01-28", "", false)
		if k = get(); str(k.ReleaseAt) != "2020-04~" {
			t.Fatalf("release_at changed while custody ongoing: %s", str(k.ReleaseAt))
		}
		// Ending every custodial period gives release_at: the end of the last one.
		must(w.svc.UpdateCustodyPeriod(ctx, w.coord, c.ID, arrest.ID, arrest.Version, cases.CustodyPeriodFields{EndedAt: ptr("2019-01-28")}))
		must(w.svc.UpdateCustodyPeriod(ctx, w.coord, c.ID, serving.ID, serving.Version, cases.CustodyPeriodFields{EndedAt: ptr("2020-04-05")}))
		if k = get(); str(k.ReleaseAt) != "2020-04-05" {
			t.Fatalf("release_at %q, want 2020-04-05", str(k.ReleaseAt))
		}
		// Deleting the criminal detention leaves detained_at as it was
		// (the confidential period does not give it either).
		if err := w.svc.DeleteCustodyPeriod(ctx, w.coord, c.ID, cd.ID, cd.Version); err != nil {
			t.Fatal(err)
		}
		if k = get(); str(k.DetainedAt) != "2015-08-03" {
			t.Fatalf("detained_at after delete: %q", str(k.DetainedAt))
		}
		// The key dates stay writable; the sync was audited as a case update.
		k = must(w.svc.UpdateCase(ctx, w.coord, c.ID, k.Version, cases.CaseFields{DetainedAt: ptr("2015-08-03~")}))
		if str(k.DetainedAt) != "2015-08-03~" {
			t.Fatalf("PATCH detained_at: %q", str(k.DetainedAt))
		}
		var derived int64
		if err := d.Table("audit_log").Where("action = ? AND object_id = ? AND details LIKE ?", "case.update", c.ID, "%custody_periods%").Count(&derived).Error; err != nil {
			t.Fatal(err)
		}
		if derived != 4 {
			t.Errorf("%d case.update entries derived from custody periods, want 4", derived)
		}
		var acts []string
		if err := d.Table("audit_log").Where("object_type = ?", "custody_period").Order("seq").Pluck("action", &acts).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Join(acts, " ") != strings.Repeat("custody_period.create ", 6)+"custody_period.update custody_period.update custody_period.delete" {
			t.Errorf("audit: %v", acts)
		}
	})
}

func TestCustodyPeriodValidationAndAccess(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		bad := []struct {
			field string
			in    cases.CustodyPeriodFields
		}{
			{"measure", cases.CustodyPeriodFields{StartedAt: ptr("2015")}},
			{"measure", cases.CustodyPeriodFields{Measure: ptr("house_party"), StartedAt: ptr("2015")}},
			{"started_at", cases.CustodyPeriodFields{Measure: ptr("rsdl")}},
			{"started_at", cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("")}},
			{"started_at", cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("2015-13")}},
			{"ended_at", cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("2015-08-04"), EndedAt: ptr("2015-08-03")}},
			{"ended_at", cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("2015-08"), EndedAt: ptr("2015-07")}},
			{"facility.kind", cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("2015"), Facility: &cases.FacilityFields{Kind: ptr("hotel")}}},
			{"facility.name", cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("2015"), Facility: &cases.FacilityFields{Name: ptr(strings.Repeat("x", record.MaxShort+1))}}},
			{"source_reliability", cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("2015"), SourceReliability: ptr("Z")}},
		}
		for _, b := range bad {
			_, err := w.svc.CreateCustodyPeriod(ctx, w.coord, w.own.ID, b.in)
			if !errors.Is(err, apperr.ErrInvalid) || fieldErr(err)[b.field] == "" {
				t.Errorf("%s: %v (%v), want a 400 naming it", b.field, err, fieldErr(err))
			}
		}
		if n := countPeriods(t, d, w.own.ID); n != 0 {
			t.Fatalf("%d periods stored by refused requests", n)
		}
		// Month precision: ending within the start month is fine.
		ok := must(w.svc.CreateCustodyPeriod(ctx, w.lawyer, w.own.ID, cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("2015-08"),
			EndedAt: ptr("2015-08-02"), Facility: &cases.FacilityFields{Kind: ptr("home")}}))
		secret := must(w.svc.CreateCustodyPeriod(ctx, w.coord, w.own.ID, cases.CustodyPeriodFields{Measure: ptr("no_procedure"), StartedAt: ptr("2015-07"),
			Confidential: ptr(true), Notes: ptr("from a source at risk")}))
		// Who writes: as for timeline events.
		for _, p := range []*actor.Principal{w.obs, w.obs2, w.lawyer2} {
			_, err := w.svc.CreateCustodyPeriod(ctx, p, w.own.ID, cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("2015")})
			if err == nil {
				t.Errorf("%s created a period", p.Role)
			}
		}
		if _, err := w.svc.CreateCustodyPeriod(ctx, w.lawyer, w.foreign.ID, cases.CustodyPeriodFields{Measure: ptr("rsdl"), StartedAt: ptr("2015")}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("lawyer on a foreign case: %v", err)
		}
		// The observer reads the non-confidential period only.
		if _, err := w.svc.GetCustodyPeriod(ctx, w.obs, w.own.ID, secret.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("observer reads a confidential period: %v", err)
		}
		page := must(w.svc.ListCustodyPeriods(ctx, w.obs, w.own.ID, record.ListOptions{}))
		if len(page.Items) != 1 || page.Items[0].ID != ok.ID || page.Total != 1 {
			t.Errorf("observer list: %+v", page)
		}
		page = must(w.svc.ListCustodyPeriods(ctx, w.lawyer, w.own.ID, record.ListOptions{}))
		if len(page.Items) != 2 || page.Items[0].ID != secret.ID {
			t.Errorf("lawyer list (by start, the 2015-07 period first): %+v", page)
		}
		// Stale versions change nothing.
		if _, err := w.svc.UpdateCustodyPeriod(ctx, w.coord, w.own.ID, ok.ID, ok.Version+1, cases.CustodyPeriodFields{Notes: ptr("x")}); !errors.Is(err, record.ErrStale) {
			t.Errorf("stale update: %v", err)
		}
		if err := w.svc.DeleteCustodyPeriod(ctx, w.coord, w.own.ID, ok.ID, ok.Version+1); !errors.Is(err, record.ErrStale) {
			t.Errorf("stale delete: %v", err)
		}
		// A PATCH that would end the period before it started is refused.
		if _, err := w.svc.UpdateCustodyPeriod(ctx, w.coord, w.own.ID, ok.ID, ok.Version, cases.CustodyPeriodFields{StartedAt: ptr("2016")}); fieldErr(err)["ended_at"] == "" {
			t.Errorf("start after end: %v", err)
		}
		got := must(w.svc.GetCustodyPeriod(ctx, w.coord, w.own.ID, ok.ID))
		if got.Version != 1 || *got.StartedAt != "2015-08" || got.Notes != "" {
			t.Errorf("refused changes were stored: %+v", got)
		}
		// An id of another case is not found.
		if _, err := w.svc.GetCustodyPeriod(ctx, w.admin, w.foreign.ID, ok.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("period under another case: %v", err)
		}
		// The periods go with their case when it is deleted.
		if err := w.svc.DeleteCase(ctx, w.admin, w.own.ID); err != nil {
			t.Fatal(err)
		}
		if n := countPeriods(t, d, w.own.ID); n != 0 {
			t.Errorf("%d periods left after the case was deleted", n)
		}
	})
}

func TestSentenceAndConsentFields(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		bad := map[string]cases.CaseFields{
			"sentence_kind":           {SentenceKind: ptr("eternity")},
			"sentence_term_months":    {SentenceKind: ptr("fixed_term"), SentenceTermMonths: cases.Int(0)},
			"political_rights_months": {PoliticalRightsMonths: cases.Int(601)},
			"un_consent_method":       {UNConsentMethod: ptr("telepathy")},
			"un_consent_at":           {UNConsentAt: ptr("2020-02-30")},
			"sentence_in_force_at":    {SentenceInForceAt: ptr("soon")},
		}
		for field, in := range bad {
			if _, err := w.svc.UpdateCase(ctx, w.coord, w.own.ID, w.own.Version, in); fieldErr(err)[field] == "" {
				t.Errorf("%s: %v, want a 400 naming it", field, err)
			}
		}
		// A term only with a kind that has one; the error names what was sent.
		if _, err := w.svc.UpdateCase(ctx, w.coord, w.own.ID, w.own.Version, cases.CaseFields{SentenceKind: ptr("life"), SentenceTermMonths: cases.Int(120)}); fieldErr(err)["sentence_term_months"] == "" {
			t.Errorf("term with life: %v", err)
		}
		if got := must(w.svc.GetCase(ctx, w.coord, w.own.ID)); got.Version != w.own.Version || got.SentenceKind != "" {
			t.Fatalf("refused changes were stored: %+v", got)
		}
		k := must(w.svc.UpdateCase(ctx, w.lawyer, w.own.ID, w.own.Version, cases.CaseFields{SentenceKind: ptr("fixed_term"),
			SentenceTermMonths: cases.Int(144), PoliticalRightsMonths: cases.Int(36), SentenceInForceAt: ptr("2023-04-10"),
			UNConsentBy: ptr("his wife, Luo Shengchun"), UNConsentAt: ptr("2023-05"), UNConsentMethod: ptr("written")}))
		if *k.SentenceTermMonths != 144 || *k.PoliticalRightsMonths != 36 || *k.SentenceInForceAt != "2023-04-10" || *k.UNConsentBy != "his wife, Luo Shengchun" {
			t.Fatalf("sentence fields: %+v", k)
		}
		if _, err := w.svc.UpdateCase(ctx, w.coord, w.own.ID, k.Version, cases.CaseFields{SentenceKind: ptr("life")}); fieldErr(err)["sentence_kind"] == "" {
			t.Errorf("kind without a term while the term is set: %v", err)
		}
		// The observer does not see who consented.
		o := must(w.svc.GetCase(ctx, w.obs, w.own.ID))
		if o.UNConsentBy != nil || o.UNConsentMethod != "written" {
			t.Errorf("observer view: %+v", o)
		}
		// null clears a number; the confidential field is named, not copied, in the audit entry.
		k = must(w.svc.UpdateCase(ctx, w.coord, w.own.ID, k.Version, cases.CaseFields{PoliticalRightsMonths: cases.NullInt{Set: true}}))
		if k.PoliticalRightsMonths != nil || *k.SentenceTermMonths != 144 {
			t.Errorf("null: %+v", k)
		}
		var leaked int64
		if err := d.Table("audit_log").Where("details LIKE ?", "%Luo Shengchun%").Count(&leaked).Error; err != nil {
			t.Fatal(err)
		}
		if leaked != 0 {
			t.Errorf("un_consent_by copied into the audit log")
		}
		// Nationality on the detainee.
		det := must(w.svc.UpdateDetainee(ctx, w.coord, w.ownDetainee.ID, w.ownDetainee.Version, cases.DetaineeFields{Nationality: ptr(" China ")}))
		if det.Nationality != "China" {
			t.Errorf("nationality %q", det.Nationality)
		}
	})
}

// fakeReleases answers a fixed release for every case it is asked about
// and counts its calls.
type fakeReleases struct {
	calls int
	asked []string
}

func (f *fakeReleases) ExpectedReleases(_ context.Context, tx *gorm.DB, _ *actor.Principal, ids []string) (map[string]cases.CaseRelease, error) {
	if tx == nil {
		return nil, errors.New("no transaction")
	}
	f.calls++
	f.asked = append(f.asked, ids...)
	out := map[string]cases.CaseRelease{}
	for _, id := range ids {
		out[id] = cases.CaseRelease{At: "2031-12-25", Basis: []string{"fixed term 12 years", "custody credited from 2019-12-26"}}
	}
	return out, nil
}

func TestExpectedReleaseFromItsSource(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		// Without a source: null and [].
		k := must(w.svc.GetCase(ctx, w.admin, w.own.ID))
		if k.ExpectedReleaseAt != nil || k.ExpectedReleaseBasis == nil || len(k.ExpectedReleaseBasis) != 0 {
			t.Fatalf("no source: %v %v", k.ExpectedReleaseAt, k.ExpectedReleaseBasis)
		}
		f := &fakeReleases{}
		w.svc.SetReleaseSource(f)
		k = must(w.svc.GetCase(ctx, w.admin, w.own.ID))
		if k.ExpectedReleaseAt == nil || *k.ExpectedReleaseAt != "2031-12-25" || len(k.ExpectedReleaseBasis) != 2 {
			t.Fatalf("GET: %v %v", k.ExpectedReleaseAt, k.ExpectedReleaseBasis)
		}
		// The list asks once per page, for the page's cases.
		f.calls, f.asked = 0, nil
		page := must(w.svc.ListCases(ctx, w.admin, cases.CaseFilter{}))
		want := []string{}
		for _, it := range page.Items {
			want = append(want, it.ID)
			if it.ExpectedReleaseAt == nil {
				t.Errorf("list item %s without its release", it.ID)
			}
		}
		sort.Strings(want)
		sort.Strings(f.asked)
		if f.calls != 1 || strings.Join(f.asked, ",") != strings.Join(want, ",") {
			t.Errorf("list: %d calls for %v, want 1 for %v", f.calls, f.asked, want)
		}
	})
}
