package backup_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/habeas-org/habeas/internal/backup"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// forge rewrites the file rel of the backup in dir with edit and puts its
// new size and SHA-256 into the manifest, as an attacker with write access
// to the backups would: every file then matches the manifest again.
func forge(t *testing.T, dir, rel string, edit func(path string)) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	edit(p)
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	mp := filepath.Join(dir, backup.ManifestName)
	mraw, err := os.ReadFile(mp)
	if err != nil {
		t.Fatal(err)
	}
	var m backup.Manifest
	if err := json.Unmarshal(mraw, &m); err != nil {
		t.Fatal(err)
	}
	for i := range m.Files {
		if m.Files[i].Path == rel {
			m.Files[i].SHA256, m.Files[i].Size = hex.EncodeToString(sum[:]), int64(len(raw))
		}
	}
	out, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mp, append(out, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
}

// mustPEM encodes key as the PKCS#8 PEM of a key file.
func mustPEM(t *testing.T, key ed25519.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// copyBackup copies the backup folder src to a new folder.
func copyBackup(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// Issue 22, finding 8: a backup whose files were edited together with the
// hashes in its manifest is refused by restore (the manifest's signature no
// longer verifies), and nothing is written. On SQLite a detainee's name is
// edited in the snapshot; on both databases an evidence object is altered.
func TestRestoreRefusesForgedManifest(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			src := newSite(t, dialect, "")
			srcSrv := testkit.NewServer(t, nil, src.configure)
			seed(t, srcSrv)
			out := filepath.Join(t.TempDir(), "b1")
			m, err := backup.Create(ctx, backup.Options{DB: srcSrv.App.DB, DatabaseURL: src.dbURL, Storage: srcSrv.App.Storage,
				Out: out, PGBinDir: pgBinDir(t, dialect), Version: "test", SigningKey: src.signingKey(t)})
			if err != nil {
				t.Fatalf("backup: %v", err)
			}

			forgeries := map[string]string{}
			if dialect == db.SQLite {
				dir := copyBackup(t, out)
				forge(t, dir, backup.SQLiteName, func(p string) {
					d, err := db.Open(ctx, db.Options{SQLitePath: p})
					if err != nil {
						t.Fatal(err)
					}
					if err := d.Exec(`UPDATE detainees SET name = 'someone else'`).Error; err != nil {
						t.Fatal(err)
					}
					_ = d.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
					_ = d.Close()
					_ = os.Remove(p + "-wal")
					_ = os.Remove(p + "-shm")
				})
				forgeries["detainee row edited"] = dir
			}
			for _, f := range m.Files {
				if f.Kind == backup.KindObject {
					dir := copyBackup(t, out)
					forge(t, dir, f.Path, func(p string) {
						raw, err := os.ReadFile(p)
						if err != nil {
							t.Fatal(err)
						}
						raw[len(raw)-1] ^= 1
						if err := os.WriteFile(p, raw, 0o600); err != nil {
							t.Fatal(err)
						}
					})
					forgeries["object altered"] = dir
					break
				}
			}
			// The manifest alone re-signed with another key, or unsigned.
			other := copyBackup(t, out)
			stranger := newSite(t, dialect, "")
			forgeries["unsigned"] = other
			if err := os.Remove(filepath.Join(other, backup.SignatureName)); err != nil {
				t.Fatal(err)
			}
			// The untouched backup restored by a site holding another key.
			tgt := newSite(t, dialect, "")
			installIdentity(t, src, tgt)
			if err := os.WriteFile(tgt.config(t).BackupKeyPath(), mustPEM(t, stranger.signingKey(t)), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := tgt.restore(t, out, dialect); !errors.Is(err, backup.ErrSignature) {
				t.Errorf("restore with another backup key installed: %v; want ErrSignature", err)
			}
			tgt.assertUntouched(t, dialect)

			for name, dir := range forgeries {
				tgt := newSite(t, dialect, "")
				installIdentity(t, src, tgt)
				if _, err := tgt.restore(t, dir, dialect); !errors.Is(err, backup.ErrSignature) {
					t.Errorf("%s, manifest hashes updated: %v; want ErrSignature", name, err)
				}
				tgt.assertUntouched(t, dialect)
			}
		})
	}
}
