package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func runCLI(t *testing.T, envm map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return envm[k] }}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestHelpListsConfiguration(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}} {
		code, out, _ := runCLI(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d", args, code)
		}
		for _, want := range []string{"HABEAS_ADDR", "127.0.0.1:8080", "HABEAS_DATA_DIR", "./data", "HABEAS_DATABASE_URL"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: help lacks %q", args, want)
			}
		}
	}
}

func TestInvalidConfigurationExits2NamingKey(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"HABEAS_ADDR": "nonsense"}, []string{"serve"}, "HABEAS_ADDR"},
		{nil, []string{"serve", "--storage", "tape"}, "HABEAS_STORAGE"},
		{map[string]string{"HABEAS_DATABASE_URL": "mysql://db"}, []string{"migrate"}, "HABEAS_DATABASE_URL"},
		{nil, []string{"serve", "--no-such-flag"}, "no-such-flag"},
		{nil, []string{"frobnicate"}, "unknown command"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, c.env, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v %v: exit %d, stderr %q; want exit 2 naming %q", c.env, c.args, code, stderr, c.want)
		}
		if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
			t.Errorf("stack trace in %q", stderr)
		}
	}
}

func TestUnreachableDatabaseFailsWithinBound(t *testing.T) {
	start := time.Now()
	code, _, stderr := runCLI(t, map[string]string{
		"HABEAS_DATABASE_URL":       "postgres://x:secret@127.0.0.1:1/x",
		"HABEAS_DB_CONNECT_TIMEOUT": "2s",
		"HABEAS_DATA_DIR":           t.TempDir(),
		"HABEAS_LOG_LEVEL":          "error",
	}, "serve")
	if code != exitFailure {
		t.Fatalf("exit %d, want 1; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "unreachable") || !strings.Contains(stderr, "127.0.0.1:1") {
		t.Errorf("message not clear: %q", stderr)
	}
	if strings.Contains(stderr, "secret") {
		t.Errorf("password leaked in %q", stderr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s with a 2s connect timeout", d)
	}
}

func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	envm := map[string]string{"HABEAS_DATA_DIR": dir}
	code, out, stderr := runCLI(t, envm, "migrate")
	if code != 0 || !strings.Contains(out, "migration(s) applied") {
		t.Fatalf("migrate: exit %d out %q err %q", code, out, stderr)
	}
	code, out, _ = runCLI(t, envm, "migrate", "--status")
	if code != 0 || !strings.Contains(out, "applied") || strings.Contains(out, "pending") {
		t.Fatalf("migrate --status: exit %d out %q", code, out)
	}
}

func TestAuditVerifyAndCheckpointCommands(t *testing.T) {
	dir := t.TempDir()
	envm := map[string]string{"HABEAS_DATA_DIR": dir}
	if code, _, stderr := runCLI(t, envm, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	code, out, stderr := runCLI(t, envm, "audit", "verify")
	if code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify empty log: exit %d %q %q", code, out, stderr)
	}
	cpPath := dir + "/cp.json"
	if code, _, stderr := runCLI(t, envm, "audit", "checkpoint", "--out", cpPath); code != 0 {
		t.Fatalf("checkpoint: %s", stderr)
	}
	code, out, stderr = runCLI(t, envm, "audit", "verify", "--checkpoint", cpPath)
	if code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify with checkpoint: exit %d %q %q", code, out, stderr)
	}
	if code, _, _ := runCLI(t, envm, "audit"); code != exitUsage {
		t.Errorf("audit without subcommand: exit %d, want 2", code)
	}
}

func TestUserCreateCommand(t *testing.T) {
	dir := t.TempDir()
	envm := map[string]string{"HABEAS_DATA_DIR": dir, "HABEAS_LOG_LEVEL": "error"}
	run1 := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return envm[k] }}
		return run(context.Background(), e, args), out.String(), errb.String()
	}
	code, out, stderr := run1("Harbour-Lights-Over-Water\n", "user", "create", "--email", "Lawyer@Example.org", "--role", "lawyer", "--name", "王律师")
	if code != 0 || !strings.Contains(out, "created lawyer lawyer@example.org") || strings.Contains(out, "Harbour") {
		t.Fatalf("create with stdin password: %d %q %q", code, out, stderr)
	}
	code, out, _ = run1("", "user", "create", "--email", "obs@example.org", "--role", "observer")
	if code != 0 || !strings.Contains(out, "password (shown once") {
		t.Fatalf("create with generated password: %d %q", code, out)
	}
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"Harbour-Lights-Over-Water\n", []string{"user", "create", "--email", "lawyer@example.org", "--role", "lawyer"}}, // taken
		{"short\n", []string{"user", "create", "--email", "n@example.org", "--role", "lawyer"}},                          // weak
		{"", []string{"user", "create", "--email", "n@example.org", "--role", "king"}},
		{"", []string{"user"}},
	} {
		if code, _, stderr := run1(c.stdin, c.args...); code != exitUsage || stderr == "" {
			t.Errorf("%v: exit %d %q, want 2", c.args, code, stderr)
		}
	}
}

func TestHealthcheckCommand(t *testing.T) {
	// Nothing listens on this port: the check must fail fast, not hang.
	start := time.Now()
	code, _, stderr := runCLI(t, map[string]string{"HABEAS_ADDR": "127.0.0.1:1"}, "healthcheck")
	if code != exitFailure || !strings.Contains(stderr, "healthcheck") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("healthcheck hung")
	}
}

func TestHealthcheckCommandAgainstServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/livez" {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	if code, out, stderr := runCLI(t, map[string]string{"HABEAS_ADDR": addr}, "healthcheck"); code != 0 || strings.TrimSpace(out) != "ok" {
		t.Fatalf("live server: exit %d %q %q", code, out, stderr)
	}
	if code, _, _ := runCLI(t, map[string]string{"HABEAS_ADDR": addr}, "healthcheck", "--ready"); code != exitFailure {
		t.Fatalf("unready server: exit %d, want 1", code)
	}
}
