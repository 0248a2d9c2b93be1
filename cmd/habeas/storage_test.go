package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/evidence"
)

func TestStorageVerifyAndReconcileCommands(t *testing.T) {
	dir := t.TempDir()
	envm := map[string]string{"HABEAS_DATA_DIR": dir}
	if code, _, stderr := runCLI(t, envm, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	cfg, err := config.Load(func(k string) string { return envm[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	did, cid := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	a.DB.Exec("INSERT INTO detainees (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)", did, "D", now, now)
	a.DB.Exec("INSERT INTO cases (id, detainee_id, created_at, updated_at) VALUES (?, ?, ?, ?)", cid, did, now, now)
	p := &actor.Principal{UserID: uuid.Must(uuid.NewV7()).String(), Role: actor.Admin}
	v, err := uploadFile(ctx, a.Evidence, p, cid, "a.txt", "text/plain", bytes.NewReader(bytes.Repeat([]byte("evidence"), 10000)), "t")
	if err != nil {
		t.Fatal(err)
	}
	var key string
	a.DB.Model(&evidence.Item{}).Where("id = ?", v.ID).Pluck("object_key", &key)
	_ = a.Close()

	code, out, stderr := runCLI(t, envm, "storage", "verify")
	if code != 0 || !strings.Contains(out, "all 1 evidence objects verified") {
		t.Fatalf("verify intact: exit %d %q %q", code, out, stderr)
	}
	path := filepath.Join(cfg.ObjectDir(), filepath.FromSlash(key))
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 1
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCLI(t, envm, "storage", "verify")
	if code != exitFailure || !strings.Contains(out, "FAILED item "+v.ID) || !strings.Contains(out, "mismatch") {
		t.Fatalf("verify altered: exit %d %q %q", code, out, stderr)
	}
	orphan := filepath.Join(cfg.ObjectDir(), "evidence", "00", "00000000000000000000000000000000")
	_ = os.MkdirAll(filepath.Dir(orphan), 0o700)
	_ = os.WriteFile(orphan, []byte("x"), 0o600)
	code, out, stderr = runCLI(t, envm, "storage", "reconcile")
	if code != 0 || !strings.Contains(out, "orphan objects deleted: 1") {
		t.Fatalf("reconcile: exit %d %q %q", code, out, stderr)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Errorf("orphan still there: %v", err)
	}
	if code, _, _ := runCLI(t, envm, "storage"); code != exitUsage {
		t.Errorf("storage without subcommand: exit %d, want 2", code)
	}
}
