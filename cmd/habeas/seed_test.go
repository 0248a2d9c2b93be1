package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/db"
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
	// The name index is recorded as current: a server started on the
	// seeded database does not index every record again before it is ready.
	d, err := db.Open(context.Background(), db.Options{SQLitePath: filepath.Join(dir, "habeas.db")})
	if err != nil {
		t.Fatal(err)
	}
	var states int64
	err = d.Table("search_index_state").Count(&states).Error
	d.Close()
	if err != nil || states != 3 {
		t.Errorf("search_index_state after seed: %d rows (%v), want 3 (detainee, case, lawyer)", states, err)
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
