package backup

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/glebarez/go-sqlite" // the "sqlite" database/sql driver (pure Go), as used by internal/db

	"github.com/habeas-org/habeas/internal/db"
)

// openSQLite opens a SQLite file with URI parameters query (no pragma, no
// journal mode change).
func openSQLite(path, query string) (*sql.DB, error) {
	u := url.URL{Scheme: "file", Opaque: path, RawQuery: query}
	sdb, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	sdb.SetMaxOpenConns(1)
	return sdb, nil
}

// snapshotSQLite writes a consistent copy of the live database to file with
// VACUUM INTO (an online backup: writers are not stopped, the copy is one
// read transaction) and reads the snapshot information from the copy.
func snapshotSQLite(ctx context.Context, d *db.DB, file string) (snapshotInfo, error) {
	if err := d.WithContext(ctx).Exec("VACUUM INTO ?", file).Error; err != nil {
		return snapshotInfo{}, fmt.Errorf("sqlite snapshot (VACUUM INTO): %w", err)
	}
	if err := os.Chmod(file, 0o600); err != nil {
		return snapshotInfo{}, fmt.Errorf("restrict snapshot: %w", err)
	}
	sdb, err := openSQLite(file, "mode=ro&immutable=1") // a private file nobody else writes
	if err != nil {
		return snapshotInfo{}, fmt.Errorf("open snapshot: %w", err)
	}
	defer sdb.Close()
	return readSnapshot(ctx, sdb)
}

// sqliteTables counts the tables of the SQLite file at path (0 when the
// file does not exist).
func sqliteTables(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	sdb, err := openSQLite(path, "mode=rw") // read-write: a WAL database may need its -shm created
	if err != nil {
		return 0, err
	}
	defer sdb.Close()
	var n int
	if err := sdb.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view')`).Scan(&n); err != nil {
		return 0, fmt.Errorf("read the target database %s: %w", path, err)
	}
	return n, nil
}

// restoreSQLite copies the snapshot to a temporary file next to path, syncs
// it and renames it into place (atomic: the database appears whole or not
// at all). path holds no table (checked before): its leftovers go.
func restoreSQLite(ctx context.Context, src, path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create database folder: %w", err)
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmpName := "." + filepath.Base(path) + ".restore-" + hex.EncodeToString(rnd[:])
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open database copy: %w", err)
	}
	defer in.Close()
	if _, _, err := writeFile(ctx, dir, tmpName, in, nil); err != nil {
		_ = os.Remove(filepath.Join(dir, tmpName))
		return err
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			_ = os.Remove(filepath.Join(dir, tmpName))
			return fmt.Errorf("remove %s%s: %w", path, suffix, err)
		}
	}
	if err := os.Rename(filepath.Join(dir, tmpName), path); err != nil {
		_ = os.Remove(filepath.Join(dir, tmpName))
		return fmt.Errorf("move the database into place: %w", err)
	}
	return syncDir(dir)
}
