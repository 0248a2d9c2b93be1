package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

func newApp(t *testing.T, d *db.DB, configure func(*config.Config)) (*app.App, error) {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	if configure != nil {
		configure(cfg)
	}
	return app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
		app.WithDB(d), app.WithPasswordParams(auth.FastTestParams))
}

// With no user and no bootstrap variables, start-up creates admin@localhost
// with a one-time password in a 0600 file, who must change it and enrol TOTP.
func TestBootstrapGeneratedAdmin(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		a, err := newApp(t, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		b := a.Bootstrap
		if !b.Created || b.Email != "admin@localhost" || b.PasswordFile != filepath.Join(a.Config.DataDir, auth.InitialPasswordFileName) {
			t.Fatalf("bootstrap %+v", b)
		}
		st, err := os.Stat(b.PasswordFile)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("password file: %v %v", st, err)
		}
		raw, _ := os.ReadFile(b.PasswordFile)
		var pw string
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "password: "); ok {
				pw = v
			}
		}
		if len(pw) < 20 {
			t.Fatalf("no password in %q", raw)
		}
		// The key file is private too.
		if st, err := os.Stat(filepath.Join(a.Config.DataDir, auth.KeyFileName)); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("signing key file: %v %v", st, err)
		}
		// A second start finds the admin and still points at the unused file.
		b2, err := a.Auth.Bootstrap(context.Background(), auth.BootstrapInput{DataDir: a.Config.DataDir})
		if err != nil || b2.Created || b2.PasswordFile == "" {
			t.Fatalf("second bootstrap %+v %v", b2, err)
		}

		// First sign-in: TOTP enrolment, then the password change; the file goes.
		s := testkit.NewServer(t, d, func(c *config.Config) { c.DataDir = a.Config.DataDir })
		u := &testkit.TestUser{Email: "admin@localhost", Password: pw}
		tk := testkit.Login(t, s, u)
		if u.TOTPSecret == "" {
			t.Fatal("generated admin signed in without enrolling TOTP")
		}
		r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users", Token: tk.Access})
		if r.StatusCode != 403 || !strings.Contains(string(r.Body), "password_change_required") {
			t.Fatalf("before the change: %d %s", r.StatusCode, r.Body)
		}
		r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/password", Token: tk.Access,
			Body: map[string]string{"current_password": pw, "new_password": "Granite-Harbour-Lights-9"}})
		if r.StatusCode != 200 {
			t.Fatalf("change: %d %s", r.StatusCode, r.Body)
		}
		var nt testkit.TokenResponse
		r.JSON(t, &nt)
		if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users", Token: nt.AccessToken}); r.StatusCode != 200 {
			t.Fatalf("after the change: %d %s", r.StatusCode, r.Body)
		}
		if _, err := os.Stat(b.PasswordFile); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("password file still there: %v", err)
		}
	})
}

func TestBootstrapFromEnvironment(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	_, err := newApp(t, d, func(c *config.Config) {
		c.BootstrapAdminEmail, c.BootstrapAdminPassword = "boss@example.org", "password123456"
	})
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Key != "HABEAS_BOOTSTRAP_ADMIN_PASSWORD" {
		t.Fatalf("weak bootstrap password: %v", err)
	}
	a, err := newApp(t, d, func(c *config.Config) {
		c.BootstrapAdminEmail, c.BootstrapAdminPassword = "Boss@Example.org", "Sturdy-Oak-Table-314"
	})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Bootstrap.Created || a.Bootstrap.Email != "boss@example.org" || a.Bootstrap.PasswordFile != "" {
		t.Fatalf("bootstrap %+v", a.Bootstrap)
	}
	if _, err := os.Stat(filepath.Join(a.Config.DataDir, auth.InitialPasswordFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Error("password file written although the password was given")
	}
	// Users exist now: a restart creates nobody.
	a2, err := newApp(t, d, func(c *config.Config) {
		c.BootstrapAdminEmail, c.BootstrapAdminPassword = "x@example.org", "Another-Sturdy-Oak-1"
	})
	if err != nil || a2.Bootstrap.Created {
		t.Fatalf("second start: %+v %v", a2.Bootstrap, err)
	}
}

func TestSigningKeyFromConfig(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	dir := t.TempDir()
	key := filepath.Join(dir, "k.pem")
	if err := os.WriteFile(key, []byte("not a key"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := newApp(t, d, func(c *config.Config) { c.JWTPrivateKey = key })
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Key != "HABEAS_JWT_PRIVATE_KEY" || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("world-readable key file: %v", err)
	}
}
