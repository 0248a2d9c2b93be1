package backup_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/backup"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// A backup interrupted half-way leaves nothing that looks like a backup (no
// --out folder, no temporary folder); --out must be new or empty; keys are
// copied only when given, and flagged in the manifest.
func TestBackupInterruptedOrRefused(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			src := newSite(t, dialect, "")
			s := testkit.NewServer(t, nil, src.configure)
			tok, _ := testkit.UserToken(t, s, actor.Admin)
			r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: tok, Body: map[string]any{"name": "D"}})
			var det struct{ ID string }
			r.JSON(t, &det)
			r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases", Token: tok, Body: map[string]any{"detainee_id": det.ID}})
			var cs struct{ ID string }
			r.JSON(t, &cs)
			for i := range 3 {
				uploadEvidence(t, s, tok, cs.ID, "f"+string(rune('a'+i)), randomBytes(1000), false)
			}
			opts := func(out string) backup.Options {
				return backup.Options{DB: s.App.DB, DatabaseURL: src.dbURL, Storage: s.App.Storage, Out: out,
					PGBinDir: pgBinDir(t, dialect), Version: "test", SigningKey: src.signingKey(t)}
			}

			parent := t.TempDir()
			out := filepath.Join(parent, "b")
			ctx, cancel := context.WithCancel(context.Background())
			o := opts(out)
			o.Progress = func(p backup.Progress) {
				if p.Phase == "objects" && p.Files == 1 {
					cancel()
				}
			}
			if _, err := backup.Create(ctx, o); !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted backup: %v; want context.Canceled", err)
			}
			if entries, _ := os.ReadDir(parent); len(entries) != 0 {
				t.Fatalf("an interrupted backup left %v", entries)
			}

			// --out not empty: refused, untouched.
			if err := os.MkdirAll(out, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, "x"), []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := backup.Create(context.Background(), opts(out)); err == nil {
				t.Fatal("backup into a non-empty folder succeeded")
			}
			if entries, _ := os.ReadDir(out); len(entries) != 1 {
				t.Fatalf("refused backup changed --out: %v", entries)
			}
			// An empty --out folder is fine; keys only when given.
			empty := filepath.Join(parent, "empty")
			_ = os.Mkdir(empty, 0o700)
			o = opts(empty)
			o.Keys = []backup.Key{{Name: "evidence-age-identity.txt", Content: []byte("AGE-SECRET-KEY-1TEST\n")}}
			m, err := backup.Create(context.Background(), o)
			if err != nil {
				t.Fatalf("backup into an empty folder: %v", err)
			}
			raw, err := os.ReadFile(filepath.Join(empty, backup.KeysDir, "evidence-age-identity.txt"))
			if err != nil || string(raw) != "AGE-SECRET-KEY-1TEST\n" || !m.IncludesKeys || m.Objects != 3 {
				t.Fatalf("backup with keys: %q %v %+v", raw, err, m)
			}
			if _, err := backup.ReadManifest(empty); err != nil {
				t.Fatal(err)
			}
			if dialect == db.Postgres {
				// No pg_dump where it is looked for: a clear error, nothing written.
				o = opts(filepath.Join(parent, "nopg"))
				o.PGBinDir = t.TempDir()
				if _, err := backup.Create(context.Background(), o); err == nil || !strings.Contains(err.Error(), "pg_dump not found") {
					t.Errorf("backup without pg_dump: %v", err)
				}
				if _, err := os.Stat(filepath.Join(parent, "nopg")); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("backup without pg_dump left %s", filepath.Join(parent, "nopg"))
				}
			}
			if dialect == db.SQLite {
				if _, err := backup.ReadManifest(parent); err == nil {
					t.Error("a folder without manifest reads as a backup")
				}
			}
		})
	}
}
