//go:build drills

package drills

import (
	"net/http"
	"testing"
	"time"
)

// storageBound is how long an upload or download may take to fail on a
// dead or hung S3: the stall (2s) and call (3s) deadlines the drill servers
// run with, the connect deadline (2s), and slack for a loaded machine.
const storageBound = 15 * time.Second

// TestDrillS3Killed: the S3 server crashes (SIGKILL). An upload and a
// download answer 503 storage_unavailable with Retry-After within the
// deadlines, nothing is stored; once S3 is back, uploads work.
func TestDrillS3Killed(t *testing.T) {
	t.Parallel()
	s3Drill(t, false)
}

// TestDrillS3Hung: the S3 server hangs (SIGSTOP: connections accepted,
// nothing answered). An upload and a download answer 503
// storage_unavailable with Retry-After within the deadlines, nothing is
// stored; after SIGCONT, uploads work.
func TestDrillS3Hung(t *testing.T) {
	t.Parallel()
	s3Drill(t, true)
}

func s3Drill(t *testing.T, hang bool) {
	in := newInstance(t, "sqlite", "s3", options{})
	caseID := in.newCase()
	r, err := in.c.Upload(in.ctx(time.Minute), caseID, "", "before", "a.txt", small(64<<10))
	if err != nil || r.Status != http.StatusCreated {
		t.Fatalf("upload before the fault: %s %v", r, err)
	}
	itemID := idOf(r.Body)
	objects := in.objects()

	if hang {
		if err := in.s3.Freeze(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = in.s3.Thaw() })
	} else {
		in.s3.Kill()
	}
	// A body larger than the socket buffers: a hung server cannot have
	// received all of it.
	start := time.Now()
	r, err = in.c.Upload(in.ctx(storageBound+10*time.Second), caseID, "drill-s3-fault", "during", "b.bin", small(4<<20))
	if took := time.Since(start); took > storageBound {
		t.Errorf("upload on a failed S3 answered after %s (bound %s)", took.Round(time.Millisecond), storageBound)
	}
	wantError(t, "upload on a failed S3", r, err, http.StatusServiceUnavailable, "storage_unavailable")
	start = time.Now()
	r, err = in.c.Download(in.ctx(storageBound+10*time.Second), caseID, itemID)
	if took := time.Since(start); took > storageBound {
		t.Errorf("download on a failed S3 answered after %s (bound %s)", took.Round(time.Millisecond), storageBound)
	}
	wantError(t, "download on a failed S3", r, err, http.StatusServiceUnavailable, "storage_unavailable")

	if hang {
		if err := in.s3.Thaw(); err != nil {
			t.Fatal(err)
		}
	} else if err := in.s3.Start(in.ctx(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := in.srv.WaitReady(in.ctx(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if n, err := in.c.EvidenceCount(in.ctx(30*time.Second), caseID); err != nil || n != 1 {
		t.Errorf("evidence items after the failed upload: %d %v, want 1", n, err)
	}
	eventually(t, 30*time.Second, "nothing stored by the failed upload", func() (bool, string) {
		if l := in.leftovers(); l != "" {
			return false, l
		}
		n := in.objects()
		return n == objects, "objects in the bucket: " + itoa(n) + ", want " + itoa(objects)
	})
	r, err = in.c.Upload(in.ctx(time.Minute), caseID, "", "after", "c.txt", small(64<<10))
	if err != nil || r.Status != http.StatusCreated {
		t.Fatalf("upload after S3 is back: %s %v", r, err)
	}
	if r, err := in.c.Download(in.ctx(time.Minute), caseID, itemID); err != nil || r.Status != http.StatusOK {
		t.Errorf("download after S3 is back: %s %v", r, err)
	}
	in.cliOK("all 2 evidence objects verified", "storage", "verify")
}
