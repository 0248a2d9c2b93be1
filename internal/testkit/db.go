// Package testkit gives tests a fresh migrated database per test, on SQLite
// and on PostgreSQL, and an HTTP client that checks every response against
// api/openapi.yaml.
//
// HABEAS_TEST_DATABASES selects the databases (default "sqlite,postgres").
// PostgreSQL needs HABEAS_TEST_POSTGRES_URL, a URL of a role allowed to create
// databases; when it is missing the test fails, it is never skipped.
package testkit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/db"
)

// Dialects returns the databases the suite runs on.
func Dialects(t testing.TB) []db.Dialect {
	t.Helper()
	raw := os.Getenv("HABEAS_TEST_DATABASES")
	if raw == "" {
		raw = "sqlite,postgres"
	}
	var out []db.Dialect
	for _, p := range strings.Split(raw, ",") {
		switch d := db.Dialect(strings.TrimSpace(p)); d {
		case db.SQLite, db.Postgres:
			out = append(out, d)
		case "":
		default:
			t.Fatalf("HABEAS_TEST_DATABASES: unknown database %q (use sqlite, postgres)", p)
		}
	}
	return out
}

// EachDB runs fn as a subtest named after each dialect, with a fresh migrated database.
func EachDB(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, dialect := range Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			fn(t, NewDB(t, dialect))
		})
	}
}

// NewDB returns a fresh, migrated, empty database, removed when the test ends.
func NewDB(t testing.TB, dialect db.Dialect) *db.DB {
	t.Helper()
	ctx := context.Background()
	var (
		d   *db.DB
		err error
	)
	switch dialect {
	case db.SQLite:
		path := filepath.Join(t.TempDir(), "habeas.db")
		if err := copyFile(sqliteTemplate(t), path); err != nil {
			t.Fatalf("sqlite database from template: %v", err)
		}
		d, err = db.Open(ctx, db.Options{SQLitePath: path, ConnectTimeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("open sqlite: %v", err)
		}
		// The copy is already migrated: this finds nothing to apply, and fails
		// the test if the template were somehow behind the migrations.
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatalf("migrate sqlite: %v", err)
		}
	case db.Postgres:
		d = newPostgres(t)
	default:
		t.Fatalf("unknown dialect %q", dialect)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// NewEmptyDB returns a fresh database with no migration applied.
func NewEmptyDB(t testing.TB, dialect db.Dialect) *db.DB {
	t.Helper()
	ctx := context.Background()
	var (
		d   *db.DB
		err error
	)
	switch dialect {
	case db.SQLite:
		d, err = db.Open(ctx, db.Options{SQLitePath: filepath.Join(t.TempDir(), "habeas.db"), ConnectTimeout: 5 * time.Second})
	case db.Postgres:
		d, err = db.Open(ctx, db.Options{PostgresURL: NewEmptyPostgresURL(t), ConnectTimeout: 10 * time.Second})
	default:
		t.Fatalf("unknown dialect %q", dialect)
	}
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// NewEmptyPostgresURL creates an empty PostgreSQL database, dropped when the
// test ends, and returns its URL.
func NewEmptyPostgresURL(t testing.TB) string {
	t.Helper()
	return createPostgres(t, "")
}

// PostgresURL returns the admin URL of the test PostgreSQL or fails the test.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("HABEAS_TEST_POSTGRES_URL")
	if u == "" {
		t.Fatal("PostgreSQL tests need HABEAS_TEST_POSTGRES_URL (a role that may CREATE DATABASE). " +
			"`make test` starts PostgreSQL and sets it; to run on SQLite only, set HABEAS_TEST_DATABASES=sqlite.")
	}
	return u
}

var (
	templateMu   sync.Mutex
	templateName string
)

// newPostgres clones a migrated template database (made once per migration
// set and shared across test processes) into a database of its own.
func newPostgres(t testing.TB) *db.DB {
	t.Helper()
	ctx := context.Background()
	admin := PostgresURL(t)
	adb, err := db.Open(ctx, db.Options{PostgresURL: admin, ConnectTimeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("connect to test PostgreSQL: %v", err)
	}
	defer adb.Close()

	tpl := ensureTemplate(t, adb, admin)
	d, err := db.Open(ctx, db.Options{PostgresURL: createPostgres(t, tpl), ConnectTimeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	return d
}

// createPostgres creates a database (a copy of template when given), dropped
// when the test ends, and returns its URL.
func createPostgres(t testing.TB, template string) string {
	t.Helper()
	admin := PostgresURL(t)
	adb, err := db.Open(context.Background(), db.Options{PostgresURL: admin, ConnectTimeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("connect to test PostgreSQL: %v", err)
	}
	defer adb.Close()
	name := "habeas_t_" + randomHex(8)
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	var lastErr error
	for range 20 { // a template being cloned by another process refuses a second clone briefly
		if lastErr = adb.Exec(stmt).Error; lastErr == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if lastErr != nil {
		t.Fatalf("create test database: %v", lastErr)
	}
	t.Cleanup(func() {
		c, err := db.Open(context.Background(), db.Options{PostgresURL: admin, ConnectTimeout: 10 * time.Second})
		if err != nil {
			t.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close()
		// FORCE ends our own lingering connections; a backend of another role
		// (an autovacuum worker starting on the new database) cannot be ended
		// by this role, so retry briefly. A leftover test database is not a
		// failure of the code under test: it is reported, not failed.
		var err2 error
		for range 20 {
			if err2 = c.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)).Error; err2 == nil {
				return
			}
			time.Sleep(150 * time.Millisecond)
		}
		t.Logf("warning: test database %s left behind: %v", name, err2)
	})
	return withDatabase(t, admin, name)
}

func ensureTemplate(t testing.TB, adb *db.DB, admin string) string {
	t.Helper()
	templateMu.Lock()
	defer templateMu.Unlock()
	if templateName != "" {
		return templateName
	}
	name := "habeas_tpl_" + migrationsHash(t, db.Postgres)
	ctx := context.Background()
	conn, err := adb.SQL().Conn(ctx)
	if err != nil {
		t.Fatalf("template: %v", err)
	}
	defer conn.Close()
	// One process at a time creates the template; the others wait, then find it.
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(4242)"); err != nil {
		t.Fatalf("template lock: %v", err)
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(4242)") //nolint:errcheck
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatalf("template lookup: %v", err)
	}
	if !exists {
		build := name + "_build"
		_, _ = conn.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", build))
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+build); err != nil {
			t.Fatalf("create template: %v", err)
		}
		td, err := db.Open(ctx, db.Options{PostgresURL: withDatabase(t, admin, build), ConnectTimeout: 10 * time.Second})
		if err != nil {
			t.Fatalf("open template: %v", err)
		}
		if _, err := td.Migrate(ctx); err != nil {
			t.Fatalf("migrate template: %v", err)
		}
		_ = td.Close()
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", build, name)); err != nil {
			t.Fatalf("publish template: %v", err)
		}
	}
	templateName = name
	return name
}

// migrationsHash names a template after the dialect's migrations, so a
// changed migration gets a new template.
func migrationsHash(t testing.TB, dialect db.Dialect) string {
	t.Helper()
	fsys, err := db.MigrationsFS(dialect)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	err = fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func withDatabase(t testing.TB, raw, name string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("HABEAS_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
