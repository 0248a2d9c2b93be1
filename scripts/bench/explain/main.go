// Command explain prints the query plans of Habeas's main read queries,
// exactly as the services issue them: it calls the services on a seeded
// database (as an admin, and as a lawyer when one has a user account),
// captures every SELECT gorm runs, and asks the database to EXPLAIN it
// (PostgreSQL: EXPLAIN (ANALYZE, BUFFERS); SQLite: EXPLAIN QUERY PLAN plus
// the statement's run time). With -docs it rewrites the "Query plans"
// section of docs/benchmarks.md between its markers.
//
// The reads it makes are audited like any other: a few audit entries by
// the actor "explain" are added to the database.
//
//	go run ./scripts/bench/explain -db 'postgres://...' [-docs docs/benchmarks.md]
//	go run ./scripts/bench/explain -db /path/to/habeas.db
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

const (
	startMarker = "<!-- explain:start -->"
	endMarker   = "<!-- explain:end -->"
)

// stmt is one captured statement with its bound values.
type stmt struct {
	sql  string
	vars []any
}

type recorder struct {
	mu    sync.Mutex
	on    bool
	stmts []stmt
}

func (r *recorder) after(tx *gorm.DB) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := strings.TrimSpace(tx.Statement.SQL.String())
	if r.on && !tx.DryRun && strings.HasPrefix(strings.ToUpper(s), "SELECT") && !strings.Contains(s, "pg_advisory") &&
		!strings.Contains(s, `FROM "audit_log" ORDER BY seq DESC LIMIT`) { // the audit chain's head, read to append
		r.stmts = append(r.stmts, stmt{sql: s, vars: append([]any(nil), tx.Statement.Vars...)})
	}
}

// scenario is one request's service call and what a reader should know of its plan.
type scenario struct {
	title string
	note  string
	run   func(ctx context.Context) error
}

func main() {
	var dsns []string
	flag.Func("db", "PostgreSQL URL or SQLite file of a seeded Habeas database (repeatable)", func(s string) error {
		dsns = append(dsns, s)
		return nil
	})
	docs := flag.String("docs", "", "rewrite the query-plans section of this file (docs/benchmarks.md)")
	flag.Parse()
	if len(dsns) == 0 {
		log.Fatal("explain: -db is required")
	}
	ctx := context.Background()
	var out string
	for _, dsn := range dsns {
		o := db.Options{SQLitePath: dsn, ConnectTimeout: 10 * time.Second}
		if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
			o = db.Options{PostgresURL: dsn, ConnectTimeout: 10 * time.Second}
		}
		d, err := db.Open(ctx, o)
		if err != nil {
			log.Fatalf("explain: %v", err)
		}
		section, err := explainAll(ctx, d)
		_ = d.Close()
		if err != nil {
			log.Fatalf("explain: %v", err)
		}
		out += section + "\n"
	}
	fmt.Print(out)
	if *docs != "" {
		if err := rewrite(*docs, out); err != nil {
			log.Fatalf("explain: %v", err)
		}
	}
}

func explainAll(ctx context.Context, d *db.DB) (string, error) {
	rec := &recorder{}
	for _, err := range []error{
		d.Callback().Query().After("*").Register("explain:capture", rec.after),
		d.Callback().Row().After("*").Register("explain:capture", rec.after),
		d.Callback().Raw().After("*").Register("explain:capture", rec.after),
	} {
		if err != nil {
			return "", err
		}
	}
	scens, sizes, err := scenarios(ctx, d)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Query plans (%s)\n\n", d.Dialect)
	fmt.Fprintf(&b, "Made by `scripts/bench/explain.sh` on %s (%d CPUs, Go %s) on a database of %s.\n",
		time.Now().UTC().Format(time.DateOnly), runtime.NumCPU(), runtime.Version(), sizes)
	b.WriteString("Each statement is the one the service issues (captured from gorm), with its values bound; ")
	if d.Dialect == db.Postgres {
		b.WriteString("the plan is `EXPLAIN (ANALYZE, BUFFERS)`.\n")
	} else {
		b.WriteString("the plan is `EXPLAIN QUERY PLAN`, the time the best of 3 runs of the statement.\n")
	}
	for _, sc := range scens {
		rec.mu.Lock()
		rec.on, rec.stmts = true, nil
		rec.mu.Unlock()
		err := sc.run(ctx)
		rec.mu.Lock()
		rec.on = false
		stmts := rec.stmts
		rec.mu.Unlock()
		if err != nil {
			return "", fmt.Errorf("%s: %w", sc.title, err)
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s\n", sc.title, sc.note)
		for _, s := range stmts {
			plan, err := explain(ctx, d, s)
			if err != nil {
				return "", fmt.Errorf("%s: explain %s: %w", sc.title, s.sql, err)
			}
			fmt.Fprintf(&b, "\n```sql\n%s\n```\n```text\n%s\n```\n", s.sql, plan)
		}
	}
	return b.String(), nil
}

func explain(ctx context.Context, d *db.DB, s stmt) (string, error) {
	conn := d.SQL()
	if d.Dialect == db.Postgres {
		rows, err := conn.QueryContext(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+s.sql, s.vars...)
		if err != nil {
			return "", err
		}
		defer rows.Close()
		var lines []string
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				return "", err
			}
			lines = append(lines, l)
		}
		return strings.Join(lines, "\n"), rows.Err()
	}
	rows, err := conn.QueryContext(ctx, "EXPLAIN QUERY PLAN "+s.sql, s.vars...)
	if err != nil {
		return "", err
	}
	var lines []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			rows.Close()
			return "", err
		}
		lines = append(lines, detail)
	}
	rows.Close()
	best := time.Duration(1 << 62)
	for range 3 {
		start := time.Now()
		r, err := conn.QueryContext(ctx, s.sql, s.vars...)
		if err != nil {
			return "", err
		}
		for r.Next() {
		}
		r.Close()
		best = min(best, time.Since(start))
	}
	lines = append(lines, fmt.Sprintf("-- run time: %.2f ms", float64(best.Microseconds())/1000))
	return strings.Join(lines, "\n"), nil
}

// intro heads the generated section: what it is and how to remake it.
const intro = `Regenerate with ` + "`scripts/bench/explain.sh <postgres-url> <sqlite-file>`" + ` on seeded databases
(` + "`habeas seed`" + `, or the SQL generators in scripts/bench/testdata/). The paragraph above each query says which
index it uses and what would limit it at scale; the plans below it are the databases' own words.

`

// rewrite replaces the text between the markers of file (appending the
// section when the markers are missing).
func rewrite(file, section string) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	text := string(raw)
	block := startMarker + "\n" + intro + section + endMarker
	i, j := strings.Index(text, startMarker), strings.Index(text, endMarker)
	if i >= 0 && j > i {
		text = text[:i] + block + text[j+len(endMarker):]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + block + "\n"
	}
	return os.WriteFile(file, []byte(text), 0o644)
}

// principals picks an admin (a synthetic one: admins see everything) and
// the lawyer user holding the most active assignments, if any.
func principals(d *db.DB) (admin, lawyer *actor.Principal, err error) {
	admin = &actor.Principal{UserID: "explain", Role: actor.Admin}
	var ids []string
	err = d.Raw(`SELECT l.user_id FROM lawyers l JOIN assignments a ON a.lawyer_id = l.id AND a.status = 'active'
		WHERE l.user_id IS NOT NULL GROUP BY l.user_id ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return admin, nil, err
	}
	return admin, &actor.Principal{UserID: ids[0], Role: actor.Lawyer}, nil
}

func scenarios(ctx context.Context, d *db.DB) ([]scenario, string, error) {
	admin, lawyer, err := principals(d)
	if err != nil {
		return nil, "", err
	}
	var counts struct{ Detainees, Cases, Events int64 }
	if err := d.Raw(`SELECT (SELECT COUNT(*) FROM detainees) AS detainees, (SELECT COUNT(*) FROM cases) AS cases,
		(SELECT COUNT(*) FROM case_events) AS events`).Scan(&counts).Error; err != nil {
		return nil, "", err
	}
	sizes := fmt.Sprintf("%d detainees, %d cases, %d timeline events", counts.Detainees, counts.Cases, counts.Events)
	// The case with the most events (of the newest 1,000) and a detainee name to search for.
	var caseID, name, lawyerID string
	if err := d.Raw(`SELECT case_id FROM case_events WHERE case_id IN (SELECT id FROM cases ORDER BY id DESC LIMIT 1000)
		GROUP BY case_id ORDER BY COUNT(*) DESC, case_id LIMIT 1`).Scan(&caseID).Error; err != nil {
		return nil, "", err
	}
	if caseID == "" {
		if err := d.Raw(`SELECT id FROM cases ORDER BY id DESC LIMIT 1`).Scan(&caseID).Error; err != nil {
			return nil, "", err
		}
	}
	if err := d.Raw(`SELECT name FROM detainees ORDER BY id LIMIT 1`).Scan(&name).Error; err != nil {
		return nil, "", err
	}
	if err := d.Raw(`SELECT lawyer_id FROM assignments ORDER BY id LIMIT 1`).Scan(&lawyerID).Error; err != nil {
		return nil, "", err
	}
	runes := []rune(name)
	two, three := string(runes[:min(2, len(runes))]), string(runes[:min(3, len(runes))])

	rec := audit.NewLog(d)
	cs := cases.NewService(d, rec)
	tl := timeline.NewService(d, rec, app.SupportTimeline{})
	sup := support.NewService(d, rec)
	dl := deadlines.NewService(d, app.TimelineEvents{}, rec)

	out := []scenario{
		{"GET /cases (admin, first page)", "Reads the newest cases backwards on the primary key and stops after 51 rows; the `total` counts at most 1,001 rows the same way.",
			func(ctx context.Context) error { _, err := cs.ListCases(ctx, admin, cases.CaseFilter{}); return err }},
		{"GET /cases?status=open&stage=indicted (admin)", "`cases_status_idx (status, id)` or `cases_stage_idx (stage, id)` (0008) give the rows of one value in keyset order, so the page and the capped count read about as many index entries as they return. Limit: a rare combination of two filters walks one index far before finding 51 rows.",
			func(ctx context.Context) error {
				_, err := cs.ListCases(ctx, admin, cases.CaseFilter{Status: "open", Stage: "indicted"})
				return err
			}},
		{"GET /cases?issue=expression&charge=art105_inciting_subversion (admin)", "The issue is a detainee column (`detainees_issue_idx`, 0008); the charge an EXISTS on `case_charges_charge_idx (charge, case_id)`. PostgreSQL walks cases backwards and probes both (a few ms); SQLite starts from every detainee of the issue and sorts their cases (about 140 ms at 150,000 cases): its planner does not know the page stops at 51. Limit: SQLite with broad detainee-side filters.",
			func(ctx context.Context) error {
				_, err := cs.ListCases(ctx, admin, cases.CaseFilter{Issue: "expression", Charge: "art105_inciting_subversion"})
				return err
			}},
		{"GET /cases?sort=detained_at&detained_from=2019 (admin)", "`cases_detained_idx (detained_at_sort, id)` serves the range and the order: a page reads 51 index entries wherever the cursor is.",
			func(ctx context.Context) error {
				_, err := cs.ListCases(ctx, admin, cases.CaseFilter{ListOptions: record.ListOptions{Sort: "detained_at"}, DetainedFrom: "2019"})
				return err
			}},
		{"GET /cases?lawyer_id=... (admin)", "An IN subquery on `assignments_lawyer_idx (lawyer_id, status, case_id)`: the lawyer's cases are found first, then sorted (as EXISTS, SQLite probed every case: 300 ms). Limit: a lawyer with tens of thousands of cases sorts them all.",
			func(ctx context.Context) error {
				_, err := cs.ListCases(ctx, admin, cases.CaseFilter{LawyerID: lawyerID})
				return err
			}},
		{"GET /cases?q=<2 Chinese characters> (admin)", "Substring search: LIKE '%..%' on the lower-cased `search` columns of cases and detainees. Two characters give pg_trgm no trigram, so both databases scan: the page walks cases backwards until 51 match (fast for a common name, a full scan for a rare one), the capped count likewise up to 1,001. This is the slowest list query at scale (hundreds of ms for a rare two-character name on 150,000 cases); see \"Two-character search\" for what would index it.",
			func(ctx context.Context) error {
				_, err := cs.ListCases(ctx, admin, cases.CaseFilter{ListOptions: record.ListOptions{Q: two}})
				return err
			}},
		{"GET /detainees?q=<3 Chinese characters> (admin)", "Three characters or more: pg_trgm's `cases_search_trgm_idx` (GIN) answers the cases subquery, but the OR with it keeps PostgreSQL from using `detainees_search_trgm_idx`: it walks detainees backwards and filters (tens of ms; a UNION of two indexed lookups would use both indexes, at the price of always computing the whole match set, which on SQLite is slower for common names). SQLite scans.",
			func(ctx context.Context) error {
				_, err := cs.ListDetainees(ctx, admin, cases.DetaineeFilter{ListOptions: record.ListOptions{Q: three}})
				return err
			}},
		{"GET /detainees?issue=expression&status=detained (admin)", "`detainees_status_idx (detention_status, id)` or `detainees_issue_idx (issue, id)` (0008): rows in keyset order, the other filter checked on them.",
			func(ctx context.Context) error {
				_, err := cs.ListDetainees(ctx, admin, cases.DetaineeFilter{Issue: "expression", Status: "detained"})
				return err
			}},
		{"GET /cases/{id} (admin)", "Primary-key lookups; the read is audited (the audit append takes the chain lock: one writer at a time).",
			func(ctx context.Context) error { _, err := cs.GetCase(ctx, admin, caseID); return err }},
		{"GET /cases/{id}/timeline (admin)", "`case_events_timeline_idx (case_id, sort_key, id)` and `hearings_case_idx`: one case's rows, already ordered; independent of the table size.",
			func(ctx context.Context) error {
				_, err := tl.Timeline(ctx, admin, caseID, timeline.TimelineQuery{})
				return err
			}},
		{"GET /hearings (admin calendar)", "`hearings_calendar_idx (sort_key, id)` (0008) gives the order; a from/to range filters on scheduled_at (`hearings_scheduled_idx`). Limit: a range far in the past walks the index from its start.",
			func(ctx context.Context) error {
				_, err := tl.Calendar(ctx, admin, timeline.HearingRange{From: time.Now().AddDate(0, -1, 0)})
				return err
			}},
		{"GET /support-actions (admin board)", "The page reads support_actions backwards on the primary key; the summary reads the counters of migration 0015 (about 80 rows by status and type, and the open actions due today or later), whatever the number of actions (docs/support.md, \"How the board counts\"). Limit: none from the summary; a lawyer's or observer's board still aggregates the actions they see.",
			func(ctx context.Context) error {
				_, err := sup.ListActions(ctx, admin, support.ActionFilter{})
				return err
			}},
		{"GET /cases/{id}/deadlines (admin)", "One case: primary key and `case_events_timeline_idx`.",
			func(ctx context.Context) error { _, err := dl.ForCase(ctx, admin, caseID); return err }},
	}
	if lawyer != nil {
		out = append(out,
			scenario{"GET /cases (lawyer, first page)", "The access rule is `cases.id IN (SELECT case_id FROM assignments JOIN lawyers ... WHERE user_id = ? AND status = 'active')`: `lawyers_user_key` then `assignments_lawyer_idx`; the lawyer's few cases are then joined and sorted.",
				func(ctx context.Context) error { _, err := cs.ListCases(ctx, lawyer, cases.CaseFilter{}); return err }},
			scenario{"GET /detainees (lawyer, first page)", "Detainees of the visible cases: the same subquery through `cases_detainee_idx`.",
				func(ctx context.Context) error {
					_, err := cs.ListDetainees(ctx, lawyer, cases.DetaineeFilter{})
					return err
				}},
		)
	}
	return out, sizes, nil
}
