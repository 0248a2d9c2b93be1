package cases_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

// TestMergeDetainee: the list of the issue names one person twice; merging
// the second record into the first keeps every case, every name form and
// the audit history of both.
func TestMergeDetainee(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		dup := must(w.svc.CreateDetainee(ctx, w.coord, cases.DetaineeFields{
			Name: ptr("丁家喜"), OtherNames: &[]cases.OtherName{{Name: "Ding Jiaxi", Kind: "pinyin"}, {Name: "丁家喜律师", Kind: "alias"}},
			Sex: ptr("男"), BornAt: ptr("1967"), HomeProvince: ptr("Hubei"), Summary: ptr("Lawyer, New Citizens' Movement."),
			ConfidentialNotes: ptr("dup secret"), CrossReferences: &[]cases.CrossReference{{Database: "CECC", RecordID: "2013-00315"}},
		}))
		dup2 := must(w.svc.CreateDetainee(ctx, w.coord, cases.DetaineeFields{Name: ptr("Ding Jia-xi")}))
		dupCase := must(w.svc.CreateCase(ctx, w.coord, cases.CaseCreate{DetaineeID: dup.ID, CaseFields: cases.CaseFields{Title: ptr("2013 case"), Sentence: ptr("3 years 6 months")}}))
		into := must(w.svc.GetDetainee(ctx, w.coord, w.ownDetainee.ID))

		// The rules: managers only, If-Match, an into that exists and is another record, a reason.
		merge := func(id string, version int64, in cases.DetaineeMerge) error {
			_, err := w.svc.MergeDetainee(ctx, w.coord, id, version, in)
			return err
		}
		in := cases.DetaineeMerge{Into: into.ID, Reason: "the same person, listed twice"}
		if _, err := w.svc.MergeDetainee(ctx, w.lawyer, w.ownDetainee.ID, into.Version, cases.DetaineeMerge{Into: dup.ID, Reason: "x"}); !isKind(err, apperr.ErrForbidden) {
			t.Errorf("lawyer: %v", err)
		}
		if err := merge(dup.ID, dup.Version+1, in); !isKind(err, record.ErrStale) {
			t.Errorf("stale: %v", err)
		}
		if err := merge(dup.ID, dup.Version, cases.DetaineeMerge{Into: into.ID}); fieldErr(err)["reason"] != "required" {
			t.Errorf("no reason: %v", err)
		}
		if err := merge(dup.ID, dup.Version, cases.DetaineeMerge{Into: dup.ID, Reason: "x"}); !isKind(err, apperr.ErrConflict) {
			t.Errorf("into itself: %v", err)
		}
		if err := merge(dup.ID, dup.Version, cases.DetaineeMerge{Into: record.NewID(), Reason: "x"}); !isKind(err, apperr.ErrNotFound) {
			t.Errorf("unknown into: %v", err)
		}
		if err := merge(record.NewID(), 1, in); !isKind(err, apperr.ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}

		got, err := w.svc.MergeDetainee(ctx, w.coord, dup.ID, dup.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		wantNames := []cases.OtherName{{Name: "Ding Jiaxi", Kind: "pinyin"}, {Name: "丁家喜律师", Kind: "alias"}}
		if !reflect.DeepEqual(got.OtherNames, wantNames) {
			t.Errorf("names after merge: %v", got.OtherNames)
		}
		if got.Version != into.Version+1 || got.Sex != "male" || *got.BornAt != "1967" || got.HomeProvince != "Beijing" ||
			got.Summary != "Lawyer, New Citizens' Movement." || *got.ConfidentialNotes != "notes\n\n[merged from 丁家喜 ("+dup.ID+")]\ndup secret" ||
			len(got.CrossReferences) != 1 {
			t.Errorf("fields after merge: %+v", got)
		}
		if _, err := w.svc.GetDetainee(ctx, w.coord, dup.ID); !isKind(err, apperr.ErrNotFound) {
			t.Errorf("merged record still there: %v", err)
		}
		moved := must(w.svc.GetCase(ctx, w.coord, dupCase.ID))
		if moved.DetaineeID != into.ID || moved.DetaineeName != "丁家喜" || moved.Version != dupCase.Version+1 || moved.Sentence != "3 years 6 months" {
			t.Errorf("case after merge: %+v", moved)
		}
		list := must(w.svc.ListCases(ctx, w.coord, cases.CaseFilter{DetaineeID: into.ID}))
		if len(list.Items) != 2 {
			t.Errorf("%d cases after merge", len(list.Items))
		}
		// A second merge adds the other record's main name as an alias.
		got = must(w.svc.MergeDetainee(ctx, w.coord, dup2.ID, dup2.Version, in))
		if n := got.OtherNames[len(got.OtherNames)-1]; n != (cases.OtherName{Name: "Ding Jia-xi", Kind: "alias"}) {
			t.Errorf("main name of the merged record: %v", got.OtherNames)
		}

		// The audit: one detainee.merge on each id (the merged one's history is
		// still under its id), a case.update for the moved case.
		var rows []struct{ Action, ObjectID, Details string }
		if err := d.Table("audit_log").Select("action, object_id, details").Order("seq").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, r := range rows {
			count[r.Action+" "+r.ObjectID]++
		}
		for _, k := range []string{"detainee.merge " + dup.ID, "detainee.create " + dup.ID, "case.update " + dupCase.ID, "detainee.merge " + dup2.ID} {
			if count[k] != 1 {
				t.Errorf("%s: %d entries", k, count[k])
			}
		}
		if count["detainee.merge "+into.ID] != 2 {
			t.Errorf("detainee.merge on the record kept: %d", count["detainee.merge "+into.ID])
		}
		for _, r := range rows {
			if r.Action == "detainee.merge" && r.ObjectID == into.ID && strings.Contains(r.Details, "dup secret") {
				t.Errorf("confidential value in the audit: %s", r.Details)
			}
		}
	})
}
