package db_test

import (
	"context"
	"io/fs"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Several server processes starting together against one PostgreSQL must
// migrate once, in order, without failing: the advisory lock serialises them.
func TestConcurrentMigrationsPostgres(t *testing.T) {
	for _, d := range testkit.Dialects(t) {
		if d != db.Postgres {
			continue
		}
		url := testkit.NewEmptyPostgresURL(t)
		const n = 4
		var wg sync.WaitGroup
		applied := make([]int, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				conn, err := db.Open(context.Background(), db.Options{PostgresURL: url, ConnectTimeout: 10 * time.Second})
				if err != nil {
					errs[i] = err
					return
				}
				defer conn.Close()
				applied[i], errs[i] = conn.Migrate(context.Background())
			}()
		}
		wg.Wait()
		total := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("migrator %d: %v", i, errs[i])
			}
			total += applied[i]
		}
		conn := testkit.NewEmptyDB(t, db.SQLite) // only to count migrations shipped
		want, err := conn.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if total != want {
			t.Fatalf("migrations applied %d times in all, want each of %d exactly once", total, want)
		}
	}
}

func TestMigrateIsIdempotentAndStatusComplete(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			d := testkit.NewEmptyDB(t, dialect)
			ctx := context.Background()
			first, err := d.Migrate(ctx)
			if err != nil || first == 0 {
				t.Fatalf("first migrate: %d, %v", first, err)
			}
			again, err := d.Migrate(ctx)
			if err != nil || again != 0 {
				t.Fatalf("second migrate: %d, %v (want 0 applied)", again, err)
			}
			st, err := d.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range st {
				if !s.Applied {
					t.Errorf("migration %d %s not applied", s.Version, s.Name)
				}
			}
		})
	}
}

// Both dialects ship the same migration files, so behaviour cannot diverge
// by a forgotten file.
func TestDialectsHaveSameMigrationFiles(t *testing.T) {
	names := map[db.Dialect][]string{}
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		fsys, err := db.MigrationsFS(d)
		if err != nil {
			t.Fatal(err)
		}
		names[d], err = fs.Glob(fsys, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(names[db.SQLite], names[db.Postgres]) {
		t.Fatalf("migration files differ:\nsqlite:   %v\npostgres: %v", names[db.SQLite], names[db.Postgres])
	}
}
