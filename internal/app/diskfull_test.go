package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/metrics"
	"github.com/habeas-org/habeas/internal/testkit"
)

// mountTmpfs mounts a tmpfs of size bytes on a fresh directory and
// unmounts it when the test ends. The full-disk tests need a real small
// filesystem: without root (mount) they fail and say so, they never skip.
func mountTmpfs(t *testing.T, size int64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tmpfs")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0700", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("mount a %d-byte tmpfs on %s: %v: %s\nthe full-disk tests need root (mount -t tmpfs): run them as root, "+
			"e.g. sudo go test ./internal/app -run FullDisk (or in the CI container, which runs as root)", size, dir, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// freeBytes is the free space of the filesystem holding dir, as statfs reports it.
func freeBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatalf("statfs %s: %v", dir, err)
	}
	return int64(st.Bavail) * st.Bsize
}

// fill writes a file into dir until at most leave bytes are free (leave 0:
// until the filesystem refuses with ENOSPC); it returns the file's path.
func fill(t *testing.T, dir string, leave int64) string {
	t.Helper()
	path := filepath.Join(dir, "fill.bin")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		free := freeBytes(t, dir)
		if free <= leave {
			return path
		}
		n := min(int64(len(buf)), free-leave)
		if _, err := f.Write(buf[:n]); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return path
			}
			t.Fatalf("fill %s: %v", path, err)
		}
	}
}

// diskEnv is a server whose data directory is on a small tmpfs, with an
// admin token and one case made while the disk had room.
type diskEnv struct {
	s      *testkit.Server
	dir    string
	admin  string
	caseID string
}

func newDiskEnv(t *testing.T, size int64, configure func(*config.Config)) *diskEnv {
	t.Helper()
	dir := mountTmpfs(t, size)
	s := testkit.NewServer(t, nil, func(c *config.Config) {
		c.DataDir = dir
		c.MinFreeSpace = 1 << 20
		if configure != nil {
			configure(c)
		}
	})
	admin, _ := testkit.UserToken(t, s, actor.Admin)
	e := &diskEnv{s: s, dir: dir, admin: admin}
	e.caseID = e.createCase(t)
	return e
}

func (e *diskEnv) createDetainee(name string) *testkit.Response {
	return e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: e.admin, Body: map[string]any{"name": name}})
}

func (e *diskEnv) createCase(t *testing.T) string {
	t.Helper()
	r := e.createDetainee("Disk Test Detainee")
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create detainee: %d %s", r.StatusCode, r.Body)
	}
	var det struct {
		ID string `json:"id"`
	}
	r.JSON(t, &det)
	r = e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases", Token: e.admin, Body: map[string]any{"detainee_id": det.ID}})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create case: %d %s", r.StatusCode, r.Body)
	}
	var c struct {
		ID string `json:"id"`
	}
	r.JSON(t, &c)
	return c.ID
}

func (e *diskEnv) upload(t *testing.T, content []byte) *testkit.Response {
	t.Helper()
	body, ct := uploadBody(t, "title", "statement.pdf", content)
	return e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + e.caseID + "/evidence", Body: body,
		Header: http.Header{"Content-Type": {ct}}, Token: e.admin})
}

// detaineeCount is how many detainees the server lists.
func (e *diskEnv) detaineeCount(t *testing.T) int {
	t.Helper()
	r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees?limit=200", Token: e.admin})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("list detainees: %d %s", r.StatusCode, r.Body)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	r.JSON(t, &page)
	return len(page.Items)
}

// evidenceCount is how many evidence rows (any status) the case has, and
// how many object files the local storage holds.
func (e *diskEnv) evidenceCount(t *testing.T, objectDir string) (rows int64, objects int) {
	t.Helper()
	if err := e.s.App.DB.Model(&evidence.Item{}).Where("case_id = ?", e.caseID).Count(&rows).Error; err != nil {
		t.Fatalf("count evidence rows: %v", err)
	}
	_ = filepath.WalkDir(objectDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			objects++
		}
		return nil
	})
	return rows, objects
}

// wantInsufficientStorage checks r is the 507 insufficient_storage answer.
func wantInsufficientStorage(t *testing.T, what string, r *testkit.Response) {
	t.Helper()
	if r.StatusCode != http.StatusInsufficientStorage || !strings.Contains(string(r.Body), `"insufficient_storage"`) {
		t.Fatalf("%s on a full disk: %d %s; want 507 insufficient_storage", what, r.StatusCode, r.Body)
	}
	if !strings.Contains(string(r.Body), "nothing was stored") {
		t.Errorf("%s on a full disk: message %s does not say nothing was stored", what, r.Body)
	}
}

func (e *diskEnv) verifyAudit(t *testing.T) {
	t.Helper()
	rep, err := e.s.App.Audit.Verify(context.Background(), nil)
	if err != nil || !rep.OK() {
		t.Fatalf("audit chain after the full disk: %+v, %v", rep, err)
	}
}

// TestFullDiskReadyzNotReady: with the data directory below
// HABEAS_MIN_FREE_SPACE, /readyz answers 503 naming disk_space (it used to
// answer 200: its storage probe writes a 0-byte file, which a full disk
// still takes), the free-space metric shows it, sign-in still works while
// the database can take it, and the server is ready again once space is
// freed.
func TestFullDiskReadyzNotReady(t *testing.T) {
	e := newDiskEnv(t, 16<<20, nil)
	lawyer := testkit.CreateUser(t, e.s, actor.Lawyer)
	if r := e.s.Do(testkit.Request{Method: "GET", Path: "/readyz"}); r.StatusCode != http.StatusOK {
		t.Fatalf("readyz with room: %d %s", r.StatusCode, r.Body)
	}
	f := fill(t, e.dir, 0)
	r := e.s.Do(testkit.Request{Method: "GET", Path: "/readyz"})
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(r.Body), "disk_space") {
		t.Fatalf("readyz on a full data directory: %d %s; want 503 naming disk_space", r.StatusCode, r.Body)
	}
	if strings.Contains(string(r.Body), e.dir) {
		t.Errorf("readyz names the data directory: %s", r.Body)
	}
	if free := diskFreeMetric(t, "database"); free >= 1<<20 {
		t.Errorf("habeas_disk_free_bytes{path=database} = %v on a full disk", free)
	}
	// Below the threshold with some room left: sign-in is not refused.
	if err := os.Truncate(f, fileSize(t, f)-(512<<10)); err != nil {
		t.Fatal(err)
	}
	if r := e.s.Do(testkit.Request{Method: "GET", Path: "/readyz"}); r.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz with 512 KiB free (threshold 1 MiB): %d %s; want 503", r.StatusCode, r.Body)
	}
	testkit.Login(t, e.s, lawyer)
	if r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/users/" + lawyer.ID + "/sessions/revoke", Token: e.admin}); r.StatusCode != http.StatusOK {
		t.Fatalf("revoking sessions with 512 KiB free: %d %s; want 200 (security actions are not refused up front)", r.StatusCode, r.Body)
	}
	if r := e.createDetainee("Refused Below The Threshold"); r.StatusCode != http.StatusInsufficientStorage {
		t.Fatalf("record write with 512 KiB free (threshold 1 MiB): %d %s; want 507", r.StatusCode, r.Body)
	}
	// A resumable upload (its encrypted partial data goes to the data directory) is refused up front too.
	tus := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/01a25100-4937-7602-bc09-4b241af11c67/evidence/uploads", Token: e.admin,
		Header: http.Header{"Tus-Resumable": {"1.0.0"}, "Upload-Length": {"10"}}})
	if tus.StatusCode != http.StatusInsufficientStorage {
		t.Fatalf("resumable upload with 512 KiB free (threshold 1 MiB): %d %s; want 507", tus.StatusCode, tus.Body)
	}
	if err := os.Remove(f); err != nil {
		t.Fatal(err)
	}
	if r := e.s.Do(testkit.Request{Method: "GET", Path: "/readyz"}); r.StatusCode != http.StatusOK {
		t.Fatalf("readyz after freeing space: %d %s", r.StatusCode, r.Body)
	}
}

// TestFullDiskWritesAnswer507: on a full disk a record write and an
// evidence upload answer 507 insufficient_storage (they used to answer 500
// internal_error), store nothing, and the audit chain verifies once space
// is freed. "refused up front" is the HABEAS_MIN_FREE_SPACE check;
// "database full" and "object directory full" turn it off (0) so the
// errors of SQLite (SQLITE_FULL) and of the local storage (ENOSPC)
// themselves are mapped.
func TestFullDiskWritesAnswer507(t *testing.T) {
	pdf := []byte("%PDF-1.4\n" + strings.Repeat("evidence ", 20000))
	// check fills fillDir; databaseFull says the database is on it too (else
	// record writes must still work).
	check := func(t *testing.T, e *diskEnv, objectDir, fillDir string, databaseFull bool) {
		t.Helper()
		detainees := e.detaineeCount(t)
		rows, objects := e.evidenceCount(t, objectDir)
		f := fill(t, fillDir, 0)
		if r := e.createDetainee("Written On A Full Disk"); databaseFull {
			wantInsufficientStorage(t, "record write", r)
		} else if r.StatusCode != http.StatusCreated {
			t.Fatalf("record write with only the object directory full: %d %s; want 201", r.StatusCode, r.Body)
		} else {
			detainees++
		}
		wantInsufficientStorage(t, "evidence upload", e.upload(t, pdf))
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
		if n := e.detaineeCount(t); n != detainees {
			t.Errorf("detainees after the refused write: %d, want %d", n, detainees)
		}
		if r, o := e.evidenceCount(t, objectDir); r != rows || o != objects {
			t.Errorf("evidence after the refused upload: %d rows, %d objects; want %d, %d", r, o, rows, objects)
		}
		e.verifyAudit(t)
		if r := e.createDetainee("Written After Freeing"); r.StatusCode != http.StatusCreated {
			t.Fatalf("record write after freeing space: %d %s", r.StatusCode, r.Body)
		}
		if r := e.upload(t, pdf); r.StatusCode != http.StatusCreated {
			t.Fatalf("upload after freeing space: %d %s", r.StatusCode, r.Body)
		}
	}
	t.Run("refused up front", func(t *testing.T) {
		e := newDiskEnv(t, 16<<20, nil)
		check(t, e, filepath.Join(e.dir, "objects"), e.dir, true)
	})
	t.Run("database full", func(t *testing.T) {
		e := newDiskEnv(t, 16<<20, func(c *config.Config) { c.MinFreeSpace = 0 })
		check(t, e, filepath.Join(e.dir, "objects"), e.dir, true)
	})
	t.Run("object directory full", func(t *testing.T) {
		objects := mountTmpfs(t, 4<<20)
		e := newDiskEnv(t, 16<<20, func(c *config.Config) { c.MinFreeSpace, c.StorageDir = 0, objects })
		check(t, e, objects, objects, false)
	})
	t.Run("object directory refused up front", func(t *testing.T) {
		objects := mountTmpfs(t, 4<<20)
		e := newDiskEnv(t, 16<<20, func(c *config.Config) { c.StorageDir = objects })
		check(t, e, objects, objects, false)
	})
}

// TestWALCheckpointAfterFullDisk: writes fail on a nearly full disk after
// the SQLite WAL has grown into the space left; once space is freed, the
// WAL is checkpointed and truncated within a few seconds (it used to keep
// its size until the last connection closed).
func TestWALCheckpointAfterFullDisk(t *testing.T) {
	e := newDiskEnv(t, 24<<20, nil)
	wal := filepath.Join(e.dir, "habeas.db-wal")
	f := fill(t, e.dir, 3<<20)
	failed := false
	for i := 0; i < 2000 && !failed; i++ {
		r := e.createDetainee(fmt.Sprintf("Detainee %d %s", i, strings.Repeat("x", 200)))
		failed = r.StatusCode >= 500
	}
	if !failed {
		t.Fatal("2000 writes on a nearly full disk all succeeded")
	}
	fi, err := os.Stat(wal)
	if err != nil {
		t.Fatalf("WAL after the failed writes: %v", err)
	}
	grown := fi.Size()
	if grown < 1<<20 {
		t.Fatalf("WAL after filling the disk is %d bytes; the test needs it to have grown (>= 1 MiB)", grown)
	}
	if err := os.Remove(f); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		// A probe (as an orchestrator sends) or any request notices the space is back.
		_ = e.s.Do(testkit.Request{Method: "GET", Path: "/readyz"})
		fi, err := os.Stat(wal)
		if err == nil && fi.Size() < grown/4 {
			t.Logf("WAL %d -> %d bytes after freeing space", grown, fi.Size())
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("WAL still %d bytes (was %d when the disk was full) 5s after space was freed; want it checkpointed and truncated", fi.Size(), grown)
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.verifyAudit(t)
}

// uploadBody is a multipart evidence upload: a title and one PDF file.
func uploadBody(t *testing.T, title, filename string, content []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("title", title); err != nil {
		t.Fatal(err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	h.Set("Content-Type", "application/pdf")
	w, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(content)
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// diskFreeMetric is habeas_disk_free_bytes{path=name} as /metrics would
// report it now.
func diskFreeMetric(t *testing.T, name string) float64 {
	t.Helper()
	mfs, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatalf("gather metrics: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "habeas_disk_free_bytes" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "path" && l.GetValue() == name {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("no habeas_disk_free_bytes{path=%q} in the metrics", name)
	return 0
}
