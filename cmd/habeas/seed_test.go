package main

import (
	"strings"
	"testing"
)

// `habeas seed` loads an empty database, prints the summary and the bench
// accounts, leaves an audit chain that verifies, and refuses a second load
// (exit 2) and bad flags.
func TestSeedCommand(t *testing.T) {
	dir := t.TempDir()
	envm := map[string]string{"HABEAS_DATA_DIR": dir, "HABEAS_LOG_LEVEL": "error"}
	code, out, stderr := runCLI(t, envm, "seed", "--detainees", "20", "--bench-users", "1", "--bench-password", "Bench-Harbour-Lights-2026")
	if code != 0 {
		t.Fatalf("seed: exit %d %q", code, stderr)
	}
	for _, want := range []string{"\nseed: detainees                      20\n", "\nseed: cases                          30\n",
		"\nseed: case_events                   300\n", "bench-lawyer-001@habeas.test", "bench-observer-001@habeas.test", "rows/s"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if code, out, stderr := runCLI(t, envm, "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify after seed: exit %d %q %q", code, out, stderr)
	}
	for _, args := range [][]string{
		{"seed", "--detainees", "5"},
		{"seed", "--detainees", "-1"},
		{"seed", "--append", "--bench-users", "1"},
		{"seed", "--append", "--events-per-case", "100000"},
	} {
		if code, _, stderr := runCLI(t, envm, args...); code != exitUsage || stderr == "" {
			t.Errorf("%v: exit %d %q, want 2", args, code, stderr)
		}
	}
	if _, _, stderr := runCLI(t, envm, "seed"); !strings.Contains(stderr, "already holds detainees") {
		t.Errorf("second load: %q", stderr)
	}
}
