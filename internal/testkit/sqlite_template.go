package testkit

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/db"
)

var (
	sqliteTplOnce sync.Once
	sqliteTplPath string
	sqliteTplErr  error
)

// sqliteTemplate returns the path of a migrated, empty SQLite database file
// that NewDB copies for each test: migrating a fresh file per test costs a
// large share of the suite's time. The file is named after the SQLite
// migrations (a changed migration gets a new template) and shared by the
// test processes of a run, like the PostgreSQL template database: it is
// built under a temporary name and renamed into place, so no process ever
// sees a half-built one.
func sqliteTemplate(t testing.TB) string {
	t.Helper()
	sqliteTplOnce.Do(func() {
		sqliteTplPath, sqliteTplErr = buildSQLiteTemplate(migrationsHash(t, db.SQLite))
	})
	if sqliteTplErr != nil {
		t.Fatalf("sqlite template: %v", sqliteTplErr)
	}
	return sqliteTplPath
}

func buildSQLiteTemplate(hash string) (string, error) {
	dir := filepath.Join(os.TempDir(), "habeas-test-sqlite-templates")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("template directory: %w", err)
	}
	final := filepath.Join(dir, "habeas-"+hash+".db")
	if _, err := os.Stat(final); err == nil {
		return final, nil
	}
	build, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", fmt.Errorf("template build directory: %w", err)
	}
	defer os.RemoveAll(build)
	path := filepath.Join(build, "habeas.db")
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{SQLitePath: path, ConnectTimeout: 5 * time.Second})
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		_ = d.Close()
		return "", fmt.Errorf("migrate: %w", err)
	}
	// The last connection's close checkpoints the write-ahead log into the
	// main file, which is then the whole database.
	if err := d.Close(); err != nil {
		return "", fmt.Errorf("close: %w", err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		return "", fmt.Errorf("template %s kept a write-ahead log after close", path)
	}
	if err := os.Rename(path, final); err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	return final, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", dst, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return fmt.Errorf("copy to %s: %w", dst, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("close %s: %w", dst, err)
	}
	return nil
}
