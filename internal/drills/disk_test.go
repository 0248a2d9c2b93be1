//go:build drills

package drills

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
)

// TestDrillFullDisk: the data directory (the SQLite database and the local
// objects) is a 64 MiB tmpfs, filled to the last byte. /readyz answers 503,
// a write (SQLite; PostgreSQL's own disk is not full, so its writes still
// work) and an upload answer 507 insufficient_storage and store nothing;
// once the space is freed the server is ready again, writes work, the
// SQLite WAL is checkpointed (it shrinks) and the audit chain verifies.
func TestDrillFullDisk(t *testing.T) {
	matrix(t, bothDBs, []string{"local"}, func(t *testing.T, dialect, _ string) {
		mnt := filepath.Join(t.TempDir(), "disk")
		if err := faultkit.MountTmpfs(mnt, 64<<20); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := faultkit.Unmount(mnt); err != nil {
				t.Error(err)
			}
		})
		in := newInstance(t, dialect, "local", options{dataDir: filepath.Join(mnt, "data"),
			env: map[string]string{"HABEAS_MIN_FREE_SPACE": "8MiB"}})
		caseID := in.newCase()
		// Grow the SQLite WAL with some writes.
		for i := range 60 {
			if r, err := in.c.AddEvent(in.ctx(30*time.Second), caseID, fmt.Sprintf("before the disk filled %d", i)); err != nil || r.Status != http.StatusCreated {
				t.Fatalf("write before the disk filled: %s %v", r, err)
			}
		}
		wal := filepath.Join(in.dataDir, "habeas.db-wal")
		walFull := fileSize(wal)
		if dialect == "sqlite" && walFull == 0 {
			t.Fatalf("no SQLite WAL at %s before the disk filled: the WAL check would prove nothing", wal)
		}
		objects := in.objectFiles()

		filler, err := faultkit.Fill(mnt, "filler")
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, 20*time.Second, "/readyz answers 503 on a full disk", func() (bool, string) {
			st, body, err := in.srv.Readyz(in.ctx(10 * time.Second))
			return err == nil && st == http.StatusServiceUnavailable, fmt.Sprintf("%d %s %v", st, body, err)
		})
		const marker = "written on a full disk"
		r, err := in.c.AddEvent(in.ctx(time.Minute), caseID, marker)
		wantRows := int64(0)
		if dialect == "sqlite" {
			wantError(t, "write on a full disk", r, err, http.StatusInsufficientStorage, "insufficient_storage")
		} else {
			// PostgreSQL keeps its data on its own disk, which is not full:
			// record writes still work; only the local objects are short.
			if err != nil || r.Status != http.StatusCreated {
				t.Errorf("write to PostgreSQL with the data dir full: %s %v, want 201", r, err)
			}
			wantRows = 1
		}
		r, err = in.c.Upload(in.ctx(time.Minute), caseID, "drill-full-disk", "on a full disk", "f.bin", small(1<<20))
		wantError(t, "upload on a full disk", r, err, http.StatusInsufficientStorage, "insufficient_storage")

		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		if err := in.srv.WaitReady(in.ctx(30 * time.Second)); err != nil {
			t.Fatalf("not ready again after the space was freed: %v", err)
		}
		if dialect == "sqlite" {
			eventually(t, 20*time.Second, "the SQLite WAL checkpointed after the full-disk episode", func() (bool, string) {
				n := fileSize(wal)
				return n < walFull, fmt.Sprintf("WAL %d bytes, %d when the disk filled", n, walFull)
			})
		}
		if r, err := in.c.AddEvent(in.ctx(30*time.Second), caseID, "after the space was freed"); err != nil || r.Status != http.StatusCreated {
			t.Errorf("write after the space was freed: %s %v", r, err)
		}
		if n := in.count("SELECT count(*) FROM case_events WHERE description = ?", marker); n != wantRows {
			t.Errorf("the write on a full disk: %d rows stored, want %d", n, wantRows)
		}
		if n, err := in.c.EvidenceCount(in.ctx(30*time.Second), caseID); err != nil || n != 0 {
			t.Errorf("evidence items after the refused upload: %d %v, want 0", n, err)
		}
		eventually(t, 30*time.Second, "nothing stored by the refused upload", func() (bool, string) {
			l, n := in.leftovers(), in.objectFiles()
			return l == "" && n == objects, fmt.Sprintf("%s; %d object files, %d before", l, n, objects)
		})
		if r, err := in.c.Upload(in.ctx(time.Minute), caseID, "drill-full-disk", "after", "f.bin", small(1<<20)); err != nil || r.Status != http.StatusCreated {
			t.Errorf("upload (same Idempotency-Key) after the space was freed: %s %v", r, err)
		}
		in.cliOK("audit chain intact", "audit", "verify")
	})
}
