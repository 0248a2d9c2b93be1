package cases_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/names"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

// indexSnapshot is every row of the name index, sorted.
func indexSnapshot(t *testing.T, d *db.DB) (keys, grams []string) {
	t.Helper()
	rows, err := d.Raw(`SELECT owner_type || '|' || owner_id || '|' || folded || '|' || field || '|' || source FROM search_keys`).Rows()
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, s)
	}
	rows.Close()
	if err := d.Raw(`SELECT owner_type || '|' || gram || '|' || owner_id FROM search_grams`).Pluck("1", &grams).Error; err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	slices.Sort(grams)
	return keys, grams
}

// TestSearchBackfill empties or damages the name index of records written
// by the service and checks that the start-up backfill (in batches of 7
// records, so several batches and, on PostgreSQL, several writers) writes
// back exactly the rows the service wrote: from nothing (a database from
// before the index), after a folding version change, and for records that
// lost their rows while the version is current.
func TestSearchBackfill(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		defer cases.SetBackfillBatchForTest(7)()
		w := newWorld(t, d)
		forms := []string{"刘贤斌", "劉曉波", "欧阳修", "ئىلھام توختى", "Liu Xiaobo", "བཀྲ་ཤིས་དབང་ཕྱུག", "王全璋", "江天勇", "李和平", "Ｌｉ Ｈｅｐｉｎｇ"}
		for i := range 40 {
			name := fmt.Sprintf("%s%d", forms[i%len(forms)], i)
			det := must(w.svc.CreateDetainee(ctx, w.coord, cases.DetaineeFields{Name: ptr(name),
				OtherNames: &[]cases.OtherName{{Name: fmt.Sprintf("Backfill Person %d", i), Kind: "latin"}}}))
			if i%4 == 0 {
				must(w.svc.CreateCase(ctx, w.coord, cases.CaseCreate{DetaineeID: det.ID, CaseFields: cases.CaseFields{
					Title: ptr(fmt.Sprintf("Inciting subversion %d", i)), CaseNumbers: &[]string{fmt.Sprintf("(2020)京01刑初%d号", i)}}}))
			}
		}
		wantKeys, wantGrams := indexSnapshot(t, d)
		if len(wantKeys) < 100 || len(wantGrams) < 1000 {
			t.Fatalf("the service wrote only %d keys and %d grams", len(wantKeys), len(wantGrams))
		}
		check := func(when string) {
			t.Helper()
			keys, grams := indexSnapshot(t, d)
			if !slices.Equal(keys, wantKeys) || !slices.Equal(grams, wantGrams) {
				t.Fatalf("%s: the backfill wrote %d keys and %d grams, the service %d and %d", when, len(keys), len(grams), len(wantKeys), len(wantGrams))
			}
			page, err := w.svc.ListDetainees(ctx, w.admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: "liu xianbin"}})
			if err != nil || len(page.Items) == 0 {
				t.Fatalf("%s: liu xianbin finds %d (%v)", when, len(page.Items), err)
			}
		}
		exec := func(sql string, args ...any) {
			t.Helper()
			if err := d.Exec(sql, args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		log := slog.New(slog.DiscardHandler)

		// A database from before the index: nothing in it, no state.
		exec(`DELETE FROM search_grams`)
		exec(`DELETE FROM search_keys`)
		exec(`DELETE FROM search_index_state`)
		if err := cases.BackfillSearch(ctx, d, log); err != nil {
			t.Fatal(err)
		}
		check("from an empty index")

		// A folding version change: every record is re-indexed, stale rows
		// (here a gram no record has) go.
		exec(`UPDATE search_index_state SET version = 0`)
		exec(`INSERT INTO search_grams (owner_type, gram, owner_id) VALUES ('detainee', 'zzz', ?)`, w.ownDetainee.ID)
		if err := cases.BackfillSearch(ctx, d, log); err != nil {
			t.Fatal(err)
		}
		check("after a version change")

		// The version is current, but some records have no rows (written by
		// a tool that bypassed the service).
		exec(`DELETE FROM search_grams WHERE owner_type = 'detainee' AND owner_id = ?`, w.foreignDetainee.ID)
		exec(`DELETE FROM search_keys WHERE owner_type = 'detainee' AND owner_id = ?`, w.foreignDetainee.ID)
		exec(`DELETE FROM search_keys WHERE owner_type = 'case' AND owner_id = ?`, w.own.ID)
		exec(`DELETE FROM search_grams WHERE owner_type = 'case' AND owner_id = ?`, w.own.ID)
		if err := cases.BackfillSearch(ctx, d, log); err != nil {
			t.Fatal(err)
		}
		check("for records without rows")
	})
}

// MarkSearchIndexCurrent records every kind as indexed with the current
// folding (what `habeas seed` calls), so the start-up backfill then finds
// nothing to re-index; on PostgreSQL it also vacuums the index tables.
func TestMarkSearchIndexCurrent(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Exec("DELETE FROM search_index_state").Error; err != nil {
			t.Fatal(err)
		}
		if err := cases.MarkSearchIndexCurrent(ctx, d); err != nil {
			t.Fatal(err)
		}
		var owners []string
		if err := d.Table("search_index_state").Where("version = ?", names.Version).Order("owner_type").Pluck("owner_type", &owners).Error; err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(owners, []string{"case", "detainee", "lawyer"}) {
			t.Fatalf("search_index_state at version %d: %v, want case, detainee, lawyer", names.Version, owners)
		}
	})
}
