//go:build drills

package drills

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
	"github.com/habeas-org/habeas/internal/testkit"
)

// TestDrillBackupTamperRestore: a backup altered after it was made (a
// database row, the manifest, an evidence object) is refused by restore,
// which changes nothing in the target; the untouched backup restores.
func TestDrillBackupTamperRestore(t *testing.T) {
	matrix(t, bothDBs, []string{"local"}, func(t *testing.T, dialect, _ string) {
		in := newInstance(t, dialect, "local", options{})
		caseID := in.newCase()
		if r, err := in.c.AddEvent(in.ctx(30*time.Second), caseID, "backed up"); err != nil || r.Status != http.StatusCreated {
			t.Fatalf("event: %s %v", r, err)
		}
		if r, err := in.c.Upload(in.ctx(time.Minute), caseID, "", "backed up", "a.txt", small(200<<10)); err != nil || r.Status != http.StatusCreated {
			t.Fatalf("upload: %s %v", r, err)
		}
		in.srv.Stop()
		backup := filepath.Join(t.TempDir(), "backup")
		in.cliOK("backup written", "backup", "--out", backup)
		signingKey, err := os.ReadFile(filepath.Join(in.dataDir, "backup-signing-key.pem"))
		if err != nil {
			t.Fatal(err)
		}

		tampers := []struct {
			name string
			fn   func(dir string) error
		}{
			{"database row", func(dir string) error {
				if dialect == "sqlite" {
					d, err := faultkit.OpenDB(in.ctx(time.Minute), "", filepath.Join(dir, "database.sqlite"))
					if err != nil {
						return err
					}
					defer d.Close()
					res := d.Exec("UPDATE case_events SET description = 'altered in the backup'")
					if res.Error == nil && res.RowsAffected == 0 {
						return fmt.Errorf("no row to alter")
					}
					return res.Error
				}
				return flipByte(filepath.Join(dir, "database.pgdump"))
			}},
			{"manifest", func(dir string) error {
				p := filepath.Join(dir, "manifest.json")
				raw, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				var m map[string]any
				if err := json.Unmarshal(raw, &m); err != nil {
					return err
				}
				m["habeas_version"] = "altered"
				raw, _ = json.MarshalIndent(m, "", "  ")
				return os.WriteFile(p, raw, 0o600)
			}},
			{"evidence object", func(dir string) error {
				var obj string
				_ = filepath.WalkDir(filepath.Join(dir, "objects"), func(p string, e fs.DirEntry, err error) error {
					if err == nil && !e.IsDir() && obj == "" {
						obj = p
					}
					return nil
				})
				if obj == "" {
					return fmt.Errorf("no object in the backup")
				}
				return flipByte(obj)
			}},
		}
		for _, tc := range tampers {
			dir := filepath.Join(t.TempDir(), "b")
			if out, err := exec.Command("cp", "-a", backup, dir).CombinedOutput(); err != nil {
				t.Fatalf("copy the backup: %v %s", err, out)
			}
			if err := tc.fn(dir); err != nil {
				t.Fatalf("tamper with the %s: %v", tc.name, err)
			}
			env, target, before := restoreTarget(t, in, dialect, signingKey)
			r, err := faultkit.RunCLI(in.ctx(2*time.Minute), in.srv.Bin, env, "restore", "--from", dir)
			if err != nil {
				t.Fatal(err)
			}
			if r.Code == 0 {
				t.Errorf("restore of a backup with an altered %s: exit 0, want a refusal\n%s", tc.name, r.Stdout)
			}
			if after := target(); !slices.Equal(after, before) {
				t.Errorf("refused restore (altered %s) changed the target: before %v, after %v", tc.name, before, after)
			}
			t.Logf("altered %s: exit %d: %s", tc.name, r.Code, strings.TrimSpace(lastLine(r.Stderr)))
		}
		// The same backup, untouched, restores: the refusals above came from the tampering.
		env, _, _ := restoreTarget(t, in, dialect, signingKey)
		r, err := faultkit.RunCLI(in.ctx(2*time.Minute), in.srv.Bin, env, "restore", "--from", backup)
		if err != nil || r.Code != 0 || !strings.Contains(r.Stdout, "audit chain intact") {
			t.Errorf("restore of the untouched backup: exit %d %v\n%s\n%s", r.Code, err, r.Stdout, r.Stderr)
		}
	})
}

// restoreTarget makes an empty instance to restore into (a data dir with
// the backup signing key, and a fresh database) and returns its
// environment and a function describing its content (files with their
// sizes, PostgreSQL tables).
func restoreTarget(t *testing.T, in *instance, dialect string, signingKey []byte) ([]string, func() []string, []string) {
	dir := filepath.Join(t.TempDir(), "target")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "backup-signing-key.pem"), signingKey, 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range in.srv.Environ() {
		if !strings.HasPrefix(kv, "HABEAS_DATA_DIR=") && !strings.HasPrefix(kv, "HABEAS_DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	env = append(env, "HABEAS_DATA_DIR="+dir)
	pgURL := ""
	if dialect == "postgres" {
		pgURL = testkit.NewEmptyPostgresURL(t)
		env = append(env, "HABEAS_DATABASE_URL="+pgURL)
	}
	state := func() []string {
		var out []string
		_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			// Files only: an empty directory (the local storage root the
			// restore command opens) holds nothing.
			if err == nil && !e.IsDir() {
				fi, _ := e.Info()
				out = append(out, fmt.Sprintf("%s %d", strings.TrimPrefix(p, dir), fi.Size()))
			}
			return nil
		})
		if pgURL != "" {
			d, err := faultkit.OpenDB(in.ctx(time.Minute), pgURL, "")
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			n, err := faultkit.Count(in.ctx(time.Minute), d, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("postgres tables: %d", n))
		}
		return out
	}
	return env, state, state()
}

// flipByte alters one byte in the middle of a file.
func flipByte(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(b) == 0 {
		return fmt.Errorf("%s is empty", path)
	}
	b[len(b)/2] ^= 0xff
	return os.WriteFile(path, b, 0o600)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
