package backup

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/storage"
)

// RestoreOptions configures Restore.
type RestoreOptions struct {
	// From is the backup directory.
	From string
	// DatabaseURL is the PostgreSQL target; empty means SQLite at SQLitePath.
	DatabaseURL string
	SQLitePath  string
	// Storage is the (empty) target object storage.
	Storage storage.Storage
	// PGBinDir is the folder of pg_restore; empty: PATH.
	PGBinDir string
	// PublicKey is the backup signing key's public half (required): a
	// backup whose manifest signature does not verify with it is refused
	// before anything is read from it.
	PublicKey ed25519.PublicKey
	// ConnectTimeout bounds the connection retries to the target database.
	ConnectTimeout time.Duration
	Logger         *slog.Logger
	// Progress, when set, is called as files are verified and restored.
	Progress func(Progress)
}

// RestoreResult is what a successful restore restored.
type RestoreResult struct {
	Manifest *Manifest
	// Audit is the verification of the restored chain (before the entry
	// recording the restore itself was appended).
	Audit audit.Report
}

// ErrNotEmpty is returned (wrapped) when the target database or storage
// already holds data: a restore never merges or overwrites.
var ErrNotEmpty = errors.New("restore target is not empty")

// ErrCorrupt is returned (wrapped) when a file of the backup is missing or
// differs from the manifest.
var ErrCorrupt = errors.New("backup does not match its manifest")

// Restore restores the backup in o.From into an empty database and empty
// storage. Nothing is written until the manifest's signature verifies with
// o.PublicKey, the target is known to be empty and
// every file of the backup matches the manifest; a failure while writing
// removes the objects already written (the database is restored last, in
// one transaction on PostgreSQL, by an atomic rename on SQLite). Finally the
// restored audit chain is verified against the manifest's head, and the
// restore is recorded in it.
func Restore(ctx context.Context, o RestoreOptions) (*RestoreResult, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	report := func(p Progress) {
		if o.Progress != nil {
			o.Progress(p)
		}
	}
	m, err := VerifyManifest(o.From, o.PublicKey)
	if err != nil {
		return nil, err
	}
	dialect := db.SQLite
	if o.DatabaseURL != "" {
		dialect = db.Postgres
	}
	if string(dialect) != m.Dialect {
		return nil, fmt.Errorf("the backup is of a %s database but the target is %s: restore into the same kind of database", m.Dialect, dialect)
	}
	latest, err := latestMigration(dialect)
	if err != nil {
		return nil, err
	}
	if m.SchemaVersion > latest {
		return nil, fmt.Errorf("the backup has schema version %d but this habeas knows migrations up to %d: restore with the habeas version that made it (%s) or a newer one",
			m.SchemaVersion, latest, m.HabeasVersion)
	}

	// 1. The target must be empty (nothing is written before this is known).
	var tool string
	if dialect == db.Postgres {
		if tool, err = pgTool(o.PGBinDir, "pg_restore"); err != nil {
			return nil, err
		}
	}
	if err := checkTargetEmpty(ctx, o, dialect, tool); err != nil {
		return nil, err
	}

	// 2. Every file of the backup must match the manifest.
	if err := verifyFiles(ctx, o.From, m, o.Progress); err != nil {
		return nil, err
	}

	// 3. Objects, then the database.
	root, err := os.OpenRoot(o.From)
	if err != nil {
		return nil, fmt.Errorf("open backup: %w", err)
	}
	defer root.Close()
	var written []string
	undo := func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		defer cancel()
		for _, k := range written {
			if err := o.Storage.Delete(cctx, k); err != nil {
				o.Logger.Error("restore failed and an object it wrote could not be removed", "key", k, "error", err.Error())
			}
		}
	}
	mt := &meter{p: Progress{Phase: "objects", TotalFiles: m.Objects, TotalBytes: m.ObjectBytes}, fn: o.Progress}
	for _, f := range m.Files {
		if f.Kind != KindObject {
			continue
		}
		if err := putObject(ctx, o.Storage, root, f, mt); err != nil {
			undo()
			return nil, err
		}
		written = append(written, f.StorageKey)
		mt.fileDone()
	}
	report(Progress{Phase: "database"})
	dbFile := filepath.Join(o.From, filepath.FromSlash(m.Database().Path))
	if dialect == db.Postgres {
		err = restorePostgres(ctx, o.DatabaseURL, tool, dbFile)
	} else {
		err = restoreSQLite(ctx, dbFile, o.SQLitePath)
	}
	if err != nil {
		undo()
		return nil, fmt.Errorf("restore database (nothing of it was kept; the objects written were removed): %w", err)
	}

	// 4. The restored database must be the one of the manifest.
	rep, err := checkRestored(ctx, o, m)
	if err != nil {
		return nil, err
	}
	return &RestoreResult{Manifest: m, Audit: rep}, nil
}

// checkTargetEmpty refuses a target database with tables or storage with objects.
func checkTargetEmpty(ctx context.Context, o RestoreOptions, dialect db.Dialect, tool string) error {
	if dialect == db.Postgres {
		d, err := db.Open(ctx, db.Options{PostgresURL: o.DatabaseURL, ConnectTimeout: o.ConnectTimeout, Logger: o.Logger})
		if err != nil {
			return err
		}
		defer d.Close()
		n, err := postgresTables(ctx, d.SQL())
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: the target database has %d tables; restore only into a new, empty database "+
				"(CREATE DATABASE ...; do not run habeas serve or migrate on it first)", ErrNotEmpty, n)
		}
		if _, err := checkTool(ctx, tool, d.SQL()); err != nil {
			return err
		}
	} else {
		n, err := sqliteTables(ctx, o.SQLitePath)
		if err != nil {
			return fmt.Errorf("target database %s: %w", o.SQLitePath, err)
		}
		if n > 0 {
			return fmt.Errorf("%w: the target database %s has %d tables; restore only into a data folder without a database",
				ErrNotEmpty, o.SQLitePath, n)
		}
	}
	var first string
	errFound := errors.New("found")
	err := o.Storage.Walk(ctx, "", func(ob storage.Object) error { first = ob.Key; return errFound })
	if err != nil && !errors.Is(err, errFound) {
		return fmt.Errorf("list the target storage: %w", err)
	}
	if first != "" {
		return fmt.Errorf("%w: the target %s storage holds objects (e.g. %s); restore only into empty storage (a new bucket or folder)",
			ErrNotEmpty, o.Storage.Name(), first)
	}
	return nil
}

// verifyFiles re-hashes every file of the backup against the manifest.
func verifyFiles(ctx context.Context, dir string, m *Manifest, fn func(Progress)) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("open backup: %w", err)
	}
	defer root.Close()
	mt := &meter{p: Progress{Phase: "verify", TotalFiles: int64(len(m.Files))}, fn: fn}
	for _, f := range m.Files {
		mt.p.TotalBytes += f.Size
	}
	mt.emit()
	var bad []string
	for _, f := range m.Files {
		size, sum, err := hashRootFile(ctx, root, f.Path, mt)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, os.ErrNotExist):
			bad = append(bad, f.Path+": missing")
		case err != nil:
			bad = append(bad, fmt.Sprintf("%s: %v", f.Path, err))
		case size != f.Size:
			bad = append(bad, fmt.Sprintf("%s: %d bytes, manifest says %d", f.Path, size, f.Size))
		case sum != f.SHA256:
			bad = append(bad, f.Path+": SHA-256 differs from the manifest")
		}
		mt.fileDone()
	}
	if len(bad) > 0 {
		const show = 20
		list := bad
		if len(list) > show {
			list = append(list[:show:show], fmt.Sprintf("... and %d more", len(bad)-show))
		}
		return fmt.Errorf("%w: %d of %d files fail; nothing was restored:\n  %s", ErrCorrupt, len(bad), len(m.Files),
			joinLines(list))
	}
	return nil
}

// putObject streams one object file into storage.
func putObject(ctx context.Context, s storage.Storage, root *os.Root, f File, mt *meter) error {
	in, err := root.Open(filepath.FromSlash(f.Path))
	if err != nil {
		return fmt.Errorf("open %s: %w", f.Path, err)
	}
	defer in.Close()
	r := &meterReader{r: in, m: mt}
	if _, err := s.Put(ctx, f.StorageKey, r, f.Size); err != nil {
		return fmt.Errorf("write object %s to storage: %w", f.StorageKey, err)
	}
	return nil
}

// checkRestored opens the restored database, checks its schema version and
// verifies its audit chain against the manifest's head, then records the
// restore in the chain.
func checkRestored(ctx context.Context, o RestoreOptions, m *Manifest) (audit.Report, error) {
	d, err := db.Open(ctx, db.Options{PostgresURL: o.DatabaseURL, SQLitePath: o.SQLitePath, ConnectTimeout: o.ConnectTimeout, Logger: o.Logger})
	if err != nil {
		return audit.Report{}, fmt.Errorf("open the restored database: %w", err)
	}
	defer d.Close()
	var version int64
	if err := d.WithContext(ctx).Raw("SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version").Scan(&version).Error; err != nil {
		return audit.Report{}, fmt.Errorf("restored database: read schema version: %w", err)
	}
	if version != m.SchemaVersion {
		return audit.Report{}, fmt.Errorf("restored database has schema version %d, the manifest says %d", version, m.SchemaVersion)
	}
	l := audit.NewLog(d)
	rep, err := l.Verify(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("verify the restored audit chain: %w", err)
	}
	if !rep.OK() {
		return rep, fmt.Errorf("the restored audit chain is BROKEN at entry %d: %s; do not use this database", rep.Problem.Seq, rep.Problem.Reason)
	}
	if rep.HeadSeq != m.AuditHead.Seq || rep.HeadHash != m.AuditHead.Hash {
		return rep, fmt.Errorf("the restored audit chain ends at entry %d (%s) but the manifest recorded %d (%s); do not use this database",
			rep.HeadSeq, rep.HeadHash, m.AuditHead.Seq, m.AuditHead.Hash)
	}
	err = l.Record(ctx, nil, audit.Entry{Action: "backup.restore", ObjectType: "backup", ActorRole: "system",
		Details: map[string]any{"backup_created_at": m.CreatedAt, "backup_habeas_version": m.HabeasVersion,
			"audit_head_seq": m.AuditHead.Seq, "objects": m.Objects, "manifest_key_id": audit.KeyID(o.PublicKey)}})
	if err != nil {
		return rep, fmt.Errorf("restored and verified, but recording the restore in the audit trail failed: %w", err)
	}
	return rep, nil
}
