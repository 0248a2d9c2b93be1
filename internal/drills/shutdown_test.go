//go:build drills

package drills

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
)

// TestDrillTermMidTransfer: SIGTERM while an upload streams slowly past the
// shutdown grace (2s). The server exits, its log never says "database is
// closed", and after the restart the cut-off upload left nothing (no
// pending row, no temp file, no incomplete multipart upload) and is
// audited as failed.
func TestDrillTermMidTransfer(t *testing.T) {
	matrix(t, bothDBs, bothStorages, func(t *testing.T, dialect, storage string) {
		in := newInstance(t, dialect, storage, options{env: map[string]string{"HABEAS_SHUTDOWN_GRACE": "2s"}})
		caseID := in.newCase()
		body := faultkit.NewSlowReader(256<<20, 1<<20, 16<<10, 100*time.Millisecond)
		answered := make(chan string, 1)
		go func() {
			r, err := in.c.Upload(in.ctx(5*time.Minute), caseID, "drill-term", "cut off by shutdown", "big.bin", body)
			answered <- fmt.Sprintf("%s %v", r, err)
		}()
		eventually(t, 30*time.Second, "upload in progress", func() (bool, string) {
			n := in.pending()
			return n > 0, fmt.Sprintf("%d pending rows", n)
		})
		<-body.Reached()
		start := time.Now()
		if err := in.srv.Term(30 * time.Second); err != nil {
			t.Fatalf("SIGTERM with a 2s grace: %v", err)
		}
		t.Logf("exited %s after SIGTERM (%v); the upload got: %s", time.Since(start).Round(time.Millisecond), in.srv.ExitErr(), <-answered)
		if log := in.srv.LastRunLog(); strings.Contains(log, "database is closed") {
			t.Errorf("the shutdown logged \"database is closed\":\n%s", grepLines(log, "database is closed"))
		}
		in.start()
		eventually(t, 60*time.Second, "the cut-off upload left nothing after the restart", func() (bool, string) {
			l := in.leftovers()
			return l == "", l
		})
		eventually(t, 30*time.Second, "the cut-off upload audited as failed", func() (bool, string) {
			n := in.count("SELECT count(*) FROM audit_log WHERE action = 'evidence.upload' AND outcome = 'error'")
			return n > 0, fmt.Sprintf("%d failed-upload audit entries", n)
		})
	})
}

// grepLines returns the lines of s holding sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
