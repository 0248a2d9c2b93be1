//go:build drills

package drills

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
)

// TestDrillKillMidUpload: SIGKILL while an upload streams in. After the
// restart nothing of it is left (no pending row, no temp file, no
// incomplete multipart upload), the client's retry with the same
// Idempotency-Key is accepted (201, not 409 upload_in_progress), and
// storage verify passes.
func TestDrillKillMidUpload(t *testing.T) {
	matrix(t, bothDBs, bothStorages, func(t *testing.T, dialect, storage string) {
		in := newInstance(t, dialect, storage, options{})
		caseID := in.newCase()
		// On S3 the first 8 MiB part must be sent for a multipart upload to exist.
		fast := int64(1 << 20)
		if storage == "s3" {
			fast = 9 << 20
		}
		body := faultkit.NewSlowReader(256<<20, fast, 32<<10, 100*time.Millisecond)
		const key = "drill-kill-mid-upload"
		answered := make(chan string, 1)
		go func() {
			r, err := in.c.Upload(in.ctx(5*time.Minute), caseID, key, "cut off", "big.bin", body)
			answered <- fmt.Sprintf("%s %v", r, err)
		}()
		eventually(t, 60*time.Second, "upload mid-body", func() (bool, string) {
			select {
			case a := <-answered:
				t.Fatalf("the upload ended before the kill: %s", a)
			default:
			}
			if storage == "s3" {
				n := in.multipart()
				return n > 0, fmt.Sprintf("%d multipart uploads", n)
			}
			tf := in.tempFiles()
			return len(tf) > 0, fmt.Sprintf("temp files %v", tf)
		})
		if err := in.srv.Kill(); err != nil {
			t.Fatal(err)
		}
		t.Logf("killed mid-upload; left behind: %s", in.leftovers())
		in.start()
		eventually(t, 60*time.Second, "crash leftovers cleaned after restart", func() (bool, string) {
			l := in.leftovers()
			return l == "", l
		})
		r, err := in.c.Upload(in.ctx(time.Minute), caseID, key, "retried", "small.txt", small(100<<10))
		if err != nil || r.Status != http.StatusCreated {
			t.Fatalf("retry with the same Idempotency-Key after the crash: %s %v (want 201)", r, err)
		}
		in.cliOK("all 1 evidence objects verified", "storage", "verify")
	})
}
