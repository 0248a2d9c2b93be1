// Package backup writes and restores complete backups of a Habeas instance:
// a consistent database snapshot (pg_dump custom format for PostgreSQL,
// VACUUM INTO for SQLite), the evidence objects exactly as stored
// (encrypted; never decrypted here), and a manifest with the SHA-256 and
// size of every file, the schema version and the audit chain head. Private
// keys are left out unless explicitly included.
package backup

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"
)

// Format identifies the layout of a backup directory.
const Format = "habeas-backup/1"

// ManifestName is the manifest's file name inside a backup directory.
const ManifestName = "manifest.json"

// Names of the files and folders inside a backup directory.
const (
	PostgresDumpName = "database.pgdump"
	SQLiteName       = "database.sqlite"
	ObjectsDir       = "objects"
	KeysDir          = "keys"
)

// File kinds listed in a manifest.
const (
	KindDatabase = "database"
	KindObject   = "object"
	KindKey      = "key"
)

// File is one file of a backup.
type File struct {
	// Path is relative to the backup directory, with '/' separators.
	Path string `json:"path"`
	Kind string `json:"kind"`
	Size int64  `json:"size"`
	// SHA256 is the lowercase hex SHA-256 of the file as written (for an
	// object: of the ciphertext, as stored).
	SHA256 string `json:"sha256"`
	// StorageKey is the object's key in storage (objects only).
	StorageKey string `json:"storage_key,omitempty"`
}

// Head is the audit chain head at the moment of the snapshot.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// Problem is an evidence object the database snapshot refers to that could
// not be copied as it should (missing from storage, or of another size than
// recorded). The backup is still a faithful copy of the instance.
type Problem struct {
	StorageKey string `json:"storage_key"`
	Reason     string `json:"reason"`
}

// Manifest describes a backup directory.
type Manifest struct {
	Format        string `json:"format"`
	HabeasVersion string `json:"habeas_version"`
	CreatedAt     string `json:"created_at"`
	// Dialect is the database the snapshot is of: "sqlite" or "postgres".
	Dialect string `json:"dialect"`
	// SchemaVersion is the last migration applied to the snapshot.
	SchemaVersion int64 `json:"schema_version"`
	AuditHead     Head  `json:"audit_head"`
	// PGDumpVersion is `pg_dump --version` of the tool that wrote the dump
	// (PostgreSQL only): pg_restore must be at least as new.
	PGDumpVersion string `json:"pg_dump_version,omitempty"`
	// Objects and ObjectBytes count the evidence objects copied.
	Objects     int64 `json:"objects"`
	ObjectBytes int64 `json:"object_bytes"`
	// IncludesKeys is true when private keys were copied (--include-keys).
	IncludesKeys bool      `json:"includes_keys"`
	Problems     []Problem `json:"problems,omitempty"`
	Files        []File    `json:"files"`
}

// ReadManifest reads and checks the manifest of the backup in dir, without
// its signature (for messages before a restore; Restore uses
// VerifyManifest).
func ReadManifest(dir string) (*Manifest, error) {
	raw, err := readManifestBytes(dir)
	if err != nil {
		return nil, err
	}
	return parseManifest(dir, raw)
}

// readManifestBytes reads the manifest file of the backup in dir.
func readManifestBytes(dir string) ([]byte, error) {
	raw, err := os.ReadFile(dir + string(os.PathSeparator) + ManifestName)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: not a Habeas backup, or an unfinished one", dir, ManifestName)
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	return raw, nil
}

// parseManifest decodes and checks the manifest bytes of the backup in dir.
func parseManifest(dir string, raw []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("manifest %s/%s is not valid JSON: %w", dir, ManifestName, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("manifest %s/%s: %w", dir, ManifestName, err)
	}
	return &m, nil
}

// check rejects a manifest this version cannot restore safely: unknown
// format, unknown dialect, unsafe paths, no database file.
func (m *Manifest) check() error {
	if m.Format != Format {
		return fmt.Errorf("format %q is not %q", m.Format, Format)
	}
	if m.Dialect != "sqlite" && m.Dialect != "postgres" {
		return fmt.Errorf("unknown dialect %q", m.Dialect)
	}
	seen := map[string]bool{}
	dbFiles := 0
	for _, f := range m.Files {
		if !safePath(f.Path) {
			return fmt.Errorf("unsafe file path %q", f.Path)
		}
		if seen[f.Path] {
			return fmt.Errorf("file %q listed twice", f.Path)
		}
		seen[f.Path] = true
		if len(f.SHA256) != 64 || f.Size < 0 {
			return fmt.Errorf("file %q: bad size or sha256", f.Path)
		}
		switch f.Kind {
		case KindDatabase:
			dbFiles++
		case KindObject:
			if f.Path != ObjectsDir+"/"+f.StorageKey {
				return fmt.Errorf("object file %q does not match its storage key %q", f.Path, f.StorageKey)
			}
		case KindKey:
		default:
			return fmt.Errorf("file %q: unknown kind %q", f.Path, f.Kind)
		}
	}
	if dbFiles != 1 {
		return fmt.Errorf("%d database files listed, want 1", dbFiles)
	}
	return nil
}

// Database returns the manifest's database file.
func (m *Manifest) Database() File {
	for _, f := range m.Files {
		if f.Kind == KindDatabase {
			return f
		}
	}
	return File{}
}

// safePath accepts relative, clean, slash-separated paths that stay inside
// the backup directory.
func safePath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || path.Clean(p) != p {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." || seg == "" {
			return false
		}
	}
	return p != ManifestName && p != SignatureName
}
