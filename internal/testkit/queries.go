package testkit

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/db"
)

// QueryCounter counts (and keeps) the SQL statements gorm runs on one
// database, for tests that check how many queries a request costs. It sees
// every statement made through gorm (queries, raw SQL, inserts, updates):
// all of Habeas's request-time SQL goes through gorm.
type QueryCounter struct {
	mu    sync.Mutex
	on    bool
	stmts []string
}

// CountQueries registers a QueryCounter on d. It counts nothing until Start.
func CountQueries(t testing.TB, d *db.DB) *QueryCounter {
	t.Helper()
	qc := &QueryCounter{}
	after := func(tx *gorm.DB) {
		qc.mu.Lock()
		defer qc.mu.Unlock()
		// A dry run only builds SQL (a subquery inside another statement).
		if qc.on && !tx.DryRun && tx.Statement != nil && tx.Statement.SQL.Len() > 0 {
			qc.stmts = append(qc.stmts, tx.Statement.SQL.String())
		}
	}
	cb := d.Callback()
	name := "testkit:count_queries"
	for _, err := range []error{
		cb.Query().After("*").Register(name, after),
		cb.Row().After("*").Register(name, after),
		cb.Raw().After("*").Register(name, after),
		cb.Create().After("*").Register(name, after),
		cb.Update().After("*").Register(name, after),
		cb.Delete().After("*").Register(name, after),
	} {
		if err != nil {
			t.Fatalf("register query counter: %v", err)
		}
	}
	return qc
}

// Start forgets the statements counted so far and starts counting.
func (qc *QueryCounter) Start() {
	qc.mu.Lock()
	defer qc.mu.Unlock()
	qc.on, qc.stmts = true, nil
}

// Stop stops counting and returns the statements run since Start.
func (qc *QueryCounter) Stop() []string {
	qc.mu.Lock()
	defer qc.mu.Unlock()
	qc.on = false
	return qc.stmts
}

// Summary is stmts one per line, for a failure message.
func Summary(stmts []string) string {
	var b strings.Builder
	for i, s := range stmts {
		if len(s) > 200 {
			s = s[:200] + "..."
		}
		fmt.Fprintf(&b, "\n  %2d. %s", i+1, s)
	}
	return b.String()
}
