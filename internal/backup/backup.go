package backup

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/storage"
)

// Key is a private key to include in a backup (only on explicit request).
type Key struct {
	// Name is the file name under keys/ (e.g. "evidence-age-identity.txt").
	Name    string
	Content []byte
}

// Options configures Create.
type Options struct {
	// DB is the live database.
	DB *db.DB
	// DatabaseURL is the PostgreSQL URL handed to pg_dump (password passed
	// in its environment, never on its command line); empty for SQLite.
	DatabaseURL string
	// Storage holds the evidence objects.
	Storage storage.Storage
	// Out is the backup directory to create; it must not exist or be empty.
	Out string
	// PGBinDir is the folder of pg_dump and pg_restore; empty: PATH.
	PGBinDir string
	// Version is the habeas version recorded in the manifest.
	Version string
	// Keys are private keys to copy into keys/. Leave empty unless the
	// operator asked for it explicitly.
	Keys []Key
	// Progress, when set, is called as files and bytes are copied.
	Progress func(Progress)
	// Audit, when set, records the backup in the audit trail (after the
	// snapshot, so the entry is not in the backup itself).
	Audit audit.Recorder
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// SigningKey signs the manifest (required): restore refuses a backup
	// whose manifest signature does not verify with it.
	SigningKey ed25519.PrivateKey
}

// ErrProblems is returned (wrapped) by Create when the backup was written
// completely but some evidence objects the database refers to were missing
// from storage or of the wrong size: Manifest.Problems lists them.
var ErrProblems = errors.New("backup written, but some evidence objects were missing or damaged in storage")

// Create writes a backup into o.Out: first into a hidden temporary folder
// next to it, renamed to o.Out only when every file and the manifest are
// written and synced, so an interrupted backup never looks complete.
func Create(ctx context.Context, o Options) (*Manifest, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if len(o.SigningKey) != ed25519.PrivateKeySize {
		return nil, errors.New("backup: no signing key for the manifest")
	}
	out := filepath.Clean(o.Out)
	if err := checkOut(out); err != nil {
		return nil, err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".partial-")
	if err != nil {
		return nil, fmt.Errorf("create temporary backup folder: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = os.RemoveAll(tmp)
		}
	}()

	m := &Manifest{Format: Format, HabeasVersion: o.Version, CreatedAt: o.Now().UTC().Format(time.RFC3339),
		Dialect: string(o.DB.Dialect), IncludesKeys: len(o.Keys) > 0, Files: []File{}}
	report := func(p Progress) {
		if o.Progress != nil {
			o.Progress(p)
		}
	}

	// 1. The database snapshot, and what the manifest needs from it.
	report(Progress{Phase: "database"})
	var (
		info   snapshotInfo
		dbName string
	)
	switch o.DB.Dialect {
	case db.Postgres:
		dbName = PostgresDumpName
		info, m.PGDumpVersion, err = dumpPostgres(ctx, o.DB, o.DatabaseURL, o.PGBinDir, filepath.Join(tmp, dbName))
	case db.SQLite:
		dbName = SQLiteName
		info, err = snapshotSQLite(ctx, o.DB, filepath.Join(tmp, dbName))
	default:
		err = fmt.Errorf("unknown database dialect %q", o.DB.Dialect)
	}
	if err != nil {
		return nil, fmt.Errorf("database snapshot: %w", err)
	}
	size, sum, err := hashFile(ctx, filepath.Join(tmp, dbName), nil)
	if err != nil {
		return nil, fmt.Errorf("hash database snapshot: %w", err)
	}
	m.Files = append(m.Files, File{Path: dbName, Kind: KindDatabase, Size: size, SHA256: sum})
	m.SchemaVersion, m.AuditHead = info.SchemaVersion, info.Head
	report(Progress{Phase: "database", Files: 1, TotalFiles: 1, Bytes: size, TotalBytes: size})

	// 2. The evidence objects the snapshot refers to, copied as stored.
	if err := copyObjects(ctx, o, tmp, info.Objects, m); err != nil {
		return nil, err
	}

	// 3. Private keys, only when asked for.
	for _, k := range o.Keys {
		rel := KeysDir + "/" + k.Name
		if !safePath(rel) {
			return nil, fmt.Errorf("bad key file name %q", k.Name)
		}
		n, sum, err := writeFile(ctx, tmp, rel, bytesReader(k.Content), nil)
		if err != nil {
			return nil, err
		}
		m.Files = append(m.Files, File{Path: rel, Kind: KindKey, Size: n, SHA256: sum})
	}

	// 4. The manifest, last; then make it all durable and visible at once.
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	raw = append(raw, '\n')
	if _, _, err := writeFile(ctx, tmp, ManifestName, bytesReader(raw), nil); err != nil {
		return nil, err
	}
	sig, err := signManifest(o.SigningKey, raw)
	if err != nil {
		return nil, err
	}
	if _, _, err := writeFile(ctx, tmp, SignatureName, bytesReader(sig), nil); err != nil {
		return nil, err
	}
	if err := syncTree(tmp); err != nil {
		return nil, fmt.Errorf("sync backup: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := os.Remove(out); err != nil && !errors.Is(err, os.ErrNotExist) { // an empty folder given as --out
		return nil, fmt.Errorf("replace empty %s: %w", out, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return nil, fmt.Errorf("move the finished backup to %s: %w", out, err)
	}
	done = true
	if err := syncDir(parent); err != nil {
		return m, fmt.Errorf("sync %s: %w", parent, err)
	}

	if o.Audit != nil {
		err := o.Audit.Record(ctx, nil, audit.Entry{Action: "backup.create", ObjectType: "backup", ActorRole: "system",
			Details: map[string]any{"audit_head_seq": m.AuditHead.Seq, "objects": m.Objects, "object_bytes": m.ObjectBytes,
				"includes_keys": m.IncludesKeys, "problems": len(m.Problems), "schema_version": m.SchemaVersion}})
		if err != nil {
			return m, fmt.Errorf("backup written to %s, but recording it in the audit trail failed: %w", out, err)
		}
	}
	if len(m.Problems) > 0 {
		return m, fmt.Errorf("%w (%d; listed in %s)", ErrProblems, len(m.Problems), filepath.Join(out, ManifestName))
	}
	return m, nil
}

// checkOut accepts a path that does not exist or is an empty folder.
func checkOut(out string) error {
	fi, err := os.Stat(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("--out %s exists and is not a folder", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("--out %s is not empty: a backup never overwrites anything; choose a new folder", out)
	}
	return nil
}

// copyObjects streams every object into objects/<key>, hashing as it goes.
func copyObjects(ctx context.Context, o Options, tmp string, objs []objectRef, m *Manifest) error {
	mt := &meter{p: Progress{Phase: "objects", TotalFiles: int64(len(objs))}, fn: o.Progress}
	for _, obj := range objs {
		mt.p.TotalBytes += obj.StoredSize
	}
	mt.emit()
	for _, obj := range objs {
		if err := storage.CheckKey(obj.Key); err != nil {
			return fmt.Errorf("evidence object key: %w", err)
		}
		rc, err := o.Storage.Open(ctx, obj.Key)
		if errors.Is(err, os.ErrNotExist) {
			m.Problems = append(m.Problems, Problem{StorageKey: obj.Key, Reason: "missing from storage"})
			mt.fileDone()
			continue
		}
		if err != nil {
			return fmt.Errorf("read evidence object %s: %w", obj.Key, err)
		}
		rel := ObjectsDir + "/" + obj.Key
		n, sum, err := writeFile(ctx, tmp, rel, rc, mt)
		_ = rc.Close()
		if err != nil {
			return fmt.Errorf("copy evidence object %s: %w", obj.Key, err)
		}
		if n != obj.StoredSize {
			m.Problems = append(m.Problems, Problem{StorageKey: obj.Key,
				Reason: fmt.Sprintf("%d bytes in storage, %d recorded (copied as found)", n, obj.StoredSize)})
		}
		m.Files = append(m.Files, File{Path: rel, Kind: KindObject, Size: n, SHA256: sum, StorageKey: obj.Key})
		m.Objects++
		m.ObjectBytes += n
		mt.fileDone()
	}
	return nil
}

// syncTree fsyncs every folder under root (files are synced as written).
func syncTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return syncDir(p)
	})
}
