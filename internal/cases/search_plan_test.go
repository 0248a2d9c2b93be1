package cases_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// TestSearchIndexQueryPlan asserts that a search reads the index: on SQLite
// EXPLAIN QUERY PLAN shows the posting list of a gram read by the primary
// key of search_grams, and never a SCAN of detainees, search_keys or
// search_grams nor a read of every key of a type; on PostgreSQL
// (sequential scans disabled, as the tables here are tiny) no Seq Scan, and
// a Latin query reads the trigram index of the keys where it exists.
func TestSearchIndexQueryPlan(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		// Migration 0013 adds the trigram index where pg_trgm exists.
		var trigrams bool
		if d.Dialect == db.Postgres {
			var n int64
			if err := d.Raw(`SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'search_keys_folded_trgm_idx'`).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			trigrams = n > 0
			t.Logf("trigram index of the keys: %v", trigrams)
			// Statistics of a table that is not tiny (5,000 more keys of no
			// record), as the planner sees a real database: on a few rows
			// any index looks as good as another.
			for _, sql := range []string{
				`INSERT INTO search_keys (owner_type, owner_id, folded, field, source) SELECT 'detainee', 'zz-' || g, md5(g::text), 'name', 'x' FROM generate_series(1, 5000) g`,
				`ANALYZE search_keys`,
			} {
				if err := d.Exec(sql).Error; err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, q := range []string{"家喜", "丁家喜", "ding jiaxi", "jiaxi"} {
			for _, p := range []*actor.Principal{w.admin, w.lawyer} {
				sql, args, err := cases.DetaineeSearchSQLForTest(d.DB, p, q)
				if err != nil {
					t.Fatal(err)
				}
				var plan []string
				if d.Dialect == db.SQLite {
					rows, err := d.Raw("EXPLAIN QUERY PLAN "+sql, args...).Rows()
					if err != nil {
						t.Fatal(err)
					}
					for rows.Next() {
						var id, parent, notused int
						var detail string
						if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
							t.Fatal(err)
						}
						plan = append(plan, detail)
					}
					rows.Close()
				} else {
					err := d.WithTx(ctx, func(tx *gorm.DB) error {
						if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
							return err
						}
						return tx.Raw("EXPLAIN "+sql, args...).Pluck("QUERY PLAN", &plan).Error
					})
					if err != nil {
						t.Fatal(err)
					}
				}
				text := strings.Join(plan, "\n")
				if strings.Contains(text, "search_keys_folded_idx (owner_type=?)") {
					t.Errorf("q=%q (%s): plan reads every key of a type:\n%s", q, p.Role, text)
				}
				want := "search_grams"
				if d.Dialect == db.SQLite {
					want = "g0 USING PRIMARY KEY (owner_type=? AND gram=?)" // the posting list of the rarest gram
				} else if trigrams && !strings.ContainsFunc(q, func(r rune) bool { return r > 0x7f }) {
					want = "search_keys_folded_trgm_idx" // a Latin query on PostgreSQL with pg_trgm
				}
				if !strings.Contains(text, want) {
					t.Errorf("q=%q (%s): plan does not read %s:\n%s", q, p.Role, want, text)
				}
				for _, bad := range []string{"SCAN detainees", "SCAN search_keys", "SCAN search_grams", "Seq Scan on detainees", "Seq Scan on search_"} {
					for _, line := range plan {
						if strings.Contains(line, bad) && !strings.Contains(line, "USING") {
							t.Errorf("q=%q (%s): %q in the plan:\n%s", q, p.Role, bad, text)
						}
					}
				}
				t.Logf("q=%q (%s):\n%s", q, p.Role, text)
			}
		}
	})
}
