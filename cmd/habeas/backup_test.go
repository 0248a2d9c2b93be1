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
)

// seedEvidence makes an instance in dir with one evidence item.
func seedEvidence(t *testing.T, dir string) {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return map[string]string{"HABEAS_DATA_DIR": dir}[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	now := time.Now().UTC()
	did, cid := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	a.DB.Exec("INSERT INTO detainees (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)", did, "D", now, now)
	a.DB.Exec("INSERT INTO cases (id, detainee_id, created_at, updated_at) VALUES (?, ?, ?, ?)", cid, did, now, now)
	p := &actor.Principal{UserID: uuid.Must(uuid.NewV7()).String(), Role: actor.Admin}
	if _, err := uploadFile(ctx, a.Evidence, p, cid, "a.txt", "text/plain", bytes.NewReader(bytes.Repeat([]byte("evidence"), 10000)), "t"); err != nil {
		t.Fatal(err)
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	src := t.TempDir()
	seedEvidence(t, src)
	srcEnv := map[string]string{"HABEAS_DATA_DIR": src}
	b := filepath.Join(t.TempDir(), "b")

	code, out, stderr := runCLI(t, srcEnv, "backup", "--out", b)
	if code != 0 || !strings.Contains(out, "evidence objects: 1") || !strings.Contains(out, "private keys: not included") ||
		strings.Contains(stderr, "WARNING") {
		t.Fatalf("backup: exit %d %q %q", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, srcEnv, "backup", "--out", b); code != exitFailure || !strings.Contains(stderr, "not empty") {
		t.Errorf("backup over an existing backup: exit %d %q", code, stderr)
	}
	if code, _, _ := runCLI(t, srcEnv, "backup"); code != exitUsage {
		t.Errorf("backup without --out: exit %d, want 2", code)
	}
	withKeys := filepath.Join(t.TempDir(), "k")
	code, out, stderr = runCLI(t, srcEnv, "backup", "--out", withKeys, "--include-keys")
	if code != 0 || !strings.Contains(stderr, "WARNING: --include-keys") || !strings.Contains(out, "PRIVATE KEYS INCLUDED") {
		t.Fatalf("backup --include-keys: exit %d %q %q", code, out, stderr)
	}
	identity, err := os.ReadFile(filepath.Join(src, "evidence-age-identity.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(withKeys, "keys", "evidence-age-identity.txt")); err != nil || !bytes.Equal(got, identity) {
		t.Errorf("identity in the backup: %v", err)
	}
	if _, err := os.Stat(filepath.Join(withKeys, "keys", "jwt-ed25519.pem")); err != nil {
		t.Errorf("token signing key not in the backup: %v", err)
	}

	// Without the backup signing key of the source, restore refuses.
	signingKey, err := os.ReadFile(filepath.Join(src, "backup-signing-key.pem"))
	if err != nil {
		t.Fatalf("backup signing key not generated into the data dir: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(src, "backup-signing-key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup signing key mode: %v %v", fi.Mode(), err)
	}
	if _, err := os.Stat(filepath.Join(withKeys, "keys", "backup-signing-key.pem")); err == nil {
		t.Errorf("--include-keys copied the backup signing key: whoever alters the backup could re-sign it")
	}
	nokey := t.TempDir()
	if code, _, stderr := runCLI(t, map[string]string{"HABEAS_DATA_DIR": nokey}, "restore", "--from", b); code != exitFailure ||
		!strings.Contains(stderr, "no backup signing key") {
		t.Errorf("restore without the backup signing key: exit %d %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(nokey, "backup-signing-key.pem")); err == nil {
		t.Errorf("restore generated a backup signing key")
	}

	// Restore into an empty data dir with no identity: restored, with a warning.
	dst := t.TempDir()
	dstEnv := map[string]string{"HABEAS_DATA_DIR": dst}
	if err := os.WriteFile(filepath.Join(dst, "backup-signing-key.pem"), signingKey, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCLI(t, dstEnv, "restore", "--from", b)
	if code != 0 || !strings.Contains(out, "audit chain intact") || !strings.Contains(out, "no evidence age identity is installed") {
		t.Fatalf("restore: exit %d %q %q", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, dstEnv, "restore", "--from", b); code != exitFailure || !strings.Contains(stderr, "not empty") {
		t.Errorf("second restore: exit %d %q", code, stderr)
	}
	// With the identity installed from the key backup, the objects verify.
	if err := os.WriteFile(filepath.Join(dst, "evidence-age-identity.txt"), identity, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := runCLI(t, dstEnv, "storage", "verify"); code != 0 || !strings.Contains(out, "all 1 evidence objects verified") {
		t.Errorf("storage verify after restore: exit %d %q %q", code, out, stderr)
	}
	if code, out, _ := runCLI(t, dstEnv, "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify after restore: exit %d %q", code, out)
	}

	// Another instance's identity is detected before restoring.
	other := t.TempDir()
	seedEvidence(t, other) // generates its own identity
	wrong := t.TempDir()
	otherID, _ := os.ReadFile(filepath.Join(other, "evidence-age-identity.txt"))
	_ = os.WriteFile(filepath.Join(wrong, "evidence-age-identity.txt"), otherID, 0o600)
	_ = os.WriteFile(filepath.Join(wrong, "backup-signing-key.pem"), signingKey, 0o600)
	code, out, _ = runCLI(t, map[string]string{"HABEAS_DATA_DIR": wrong}, "restore", "--from", b)
	if code != 0 || !strings.Contains(out, "does not decrypt") {
		t.Errorf("restore with another identity installed: exit %d %q", code, out)
	}
	if code, _, _ := runCLI(t, dstEnv, "restore"); code != exitUsage {
		t.Errorf("restore without --from: exit %d, want 2", code)
	}
	if code, _, stderr := runCLI(t, dstEnv, "restore", "--from", src); code != exitFailure ||
		!strings.Contains(stderr, "manifest.json") {
		t.Errorf("restore from a folder that is no backup: exit %d %q", code, stderr)
	}
}
