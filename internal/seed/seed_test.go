package seed_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/seed"
	"github.com/habeas-org/habeas/internal/testkit"
)

func small() seed.Options {
	o := seed.Defaults
	o.Detainees, o.Seed = 30, 7
	return o
}

func count(t *testing.T, d *db.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := d.Table(table).Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// A load writes what the options say (30 detainees x 1.5 = 45 cases, x 10
// = 450 events, each with its first revision, 45 hearings, 22 support
// actions), each table's count equals the rows in the database, the audit
// chain holds one more entry and verifies, and a second load is refused.
func TestSeedCountsAuditAndRefusal(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		log := audit.NewLog(d)
		before := count(t, d, "audit_log")
		res, err := seed.Run(ctx, d, log, small())
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{"detainees": 30, "cases": 45, "case_events": 450, "case_event_revisions": 450,
			"hearings": 45, "support_actions": 22, "lawyers": 10, "partners": 15}
		for table, n := range want {
			if res.Counts[table] != n {
				t.Errorf("%s: reported %d, want %d", table, res.Counts[table], n)
			}
		}
		for _, table := range seed.Tables {
			if got := count(t, d, table); got != res.Counts[table] {
				t.Errorf("%s: %d rows, reported %d", table, got, res.Counts[table])
			}
		}
		if res.Counts["support_action_changes"] < res.Counts["support_actions"] || res.Counts["assignments"] < 45 || res.Counts["case_charges"] < 45 {
			t.Errorf("counts %v", res.Counts)
		}
		if got := count(t, d, "audit_log"); got != before+1 {
			t.Errorf("audit entries: %d, want %d", got, before+1)
		}
		rep, err := log.Verify(ctx, nil)
		if err != nil || !rep.OK() {
			t.Fatalf("audit verify: %+v %v", rep, err)
		}
		if _, err := seed.Run(ctx, d, log, small()); !errors.Is(err, seed.ErrNotEmpty) {
			t.Fatalf("second load: %v, want ErrNotEmpty", err)
		}
		o := small()
		o.Append, o.Detainees = true, 4
		if _, err := seed.Run(ctx, d, log, o); err != nil {
			t.Fatalf("append with the same seed: %v", err)
		}
		if got := count(t, d, "detainees"); got != 34 {
			t.Errorf("after append: %d detainees", got)
		}
	})
}

// dump returns every row of the seeded tables, in id order, as JSON.
func dump(t *testing.T, d *db.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range seed.Tables {
		var rows []map[string]any
		if err := d.Table(table).Order("id").Find(&rows).Error; err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		raw, _ := json.Marshal(rows)
		b.WriteString(table + string(raw) + "\n")
	}
	return b.String()
}

// The same seed and options give the same rows (ids included) in a fresh
// database; another seed gives other people.
func TestSeedReproducible(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := seed.Run(ctx, d, audit.NewLog(d), small()); err != nil {
			t.Fatal(err)
		}
		d2 := testkit.NewDB(t, d.Dialect)
		if _, err := seed.Run(ctx, d2, audit.NewLog(d2), small()); err != nil {
			t.Fatal(err)
		}
		if a, b := dump(t, d), dump(t, d2); a != b {
			t.Fatalf("two loads with seed 7 differ (%d and %d bytes)", len(a), len(b))
		}
		// another seed, appended: other people
		o := small()
		o.Seed, o.Append = 8, true
		if _, err := seed.Run(ctx, d2, audit.NewLog(d2), o); err != nil {
			t.Fatal(err)
		}
		var names []string
		if err := d2.Table("detainees").Order("created_at, id").Pluck("name", &names).Error; err != nil {
			t.Fatal(err)
		}
		if len(names) != 60 || strings.Join(names[:30], ",") == strings.Join(names[30:], ",") {
			t.Fatalf("seeds 7 and 8 gave the same names: %v", names)
		}
	})
}
