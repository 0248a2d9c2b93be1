package evidence_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/instance"
	"github.com/habeas-org/habeas/internal/storage"
	"github.com/habeas-org/habeas/internal/storage/storagetest"
	"github.com/habeas-org/habeas/internal/testkit"
)

// stalledUpload is an upload whose client sends the title and the first
// bytes of its file, then stops sending without hanging up (a server
// crashing under it, or a slow client). end hangs up.
type stalledUpload struct {
	resp chan *http.Response
	end  func()
}

// startUpload posts an upload to base with idempotency key key: it sends
// title and sent bytes of its file, then sends every interval chunk more
// bytes (interval 0: nothing more) until end is called.
func startUpload(t *testing.T, base, token, caseID, key string, sent int64, interval time.Duration) *stalledUpload {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	stop := make(chan struct{})
	var once sync.Once
	u := &stalledUpload{resp: make(chan *http.Response, 1), end: func() {
		once.Do(func() { close(stop); pw.CloseWithError(errors.New("client hung up")) })
	}}
	go func() {
		_ = mw.WriteField("title", "stalled "+key)
		w, _ := mw.CreateFormFile("file", "big.bin")
		if _, err := io.Copy(w, storagetest.Gen(9, sent)); err != nil {
			return
		}
		for interval > 0 {
			select {
			case <-stop:
				return
			case <-time.After(interval):
			}
			if _, err := w.Write(make([]byte, 16<<10)); err != nil {
				return
			}
		}
	}()
	req, _ := http.NewRequest("POST", base+"/api/v1/cases/"+caseID+"/evidence", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
		u.resp <- resp
	}()
	t.Cleanup(u.end)
	return u
}

// response waits (at most 60s) for the upload's response (nil when the
// request failed).
func (u *stalledUpload) response(t *testing.T) *http.Response {
	t.Helper()
	select {
	case r := <-u.resp:
		return r
	case <-time.After(60 * time.Second):
		t.Fatal("no response to the upload within 60s")
		return nil
	}
}

// pendingWithKey returns the id of the pending row with this idempotency
// key ("" when there is none).
func pendingWithKey(t *testing.T, d *db.DB, key string) string {
	t.Helper()
	var ids []string
	if err := d.Model(&evidence.Item{}).Where("idempotency_key = ? AND status = ?", key, evidence.Pending).Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// tempFiles lists the local driver's temporary files under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasPrefix(e.Name(), ".tmp-") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

// waitUntil polls cond for up to 60s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// custodyOf lists "action:outcome" of the audit entries about item id.
func custodyOf(t *testing.T, d *db.DB, id string) []string {
	t.Helper()
	page, err := audit.NewLog(d).List(context.Background(), audit.Filter{ObjectType: "evidence", ObjectID: id, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Items {
		out = append(out, e.Action+":"+e.Outcome)
	}
	return out
}

func newApp(t *testing.T, cfg *config.Config, d *db.DB) *app.App {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), cfg, logger, app.WithDB(d), app.WithPasswordParams(auth.FastTestParams))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	return a
}

// A server dies (its heartbeat stops) in the middle of an upload, leaving
// a pending row, a local temporary file or an incomplete S3 multipart
// upload. The next start-up removes them at once, with the normal 24h
// grace, and audits the failure; the upload of a live server (another
// instance on the same database and storage) is untouched.
func TestCrashedUploadCleanedAtStart(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		for _, driver := range []string{"local", "s3"} {
			t.Run(driver, func(t *testing.T) {
				dir := t.TempDir()
				var s3 *storage.S3
				configure := func(c *config.Config) {
					c.DataDir = dir
					c.Evidence.ReconcileInterval = 0
					c.Evidence.UploadGrace = 24 * time.Hour
				}
				if driver == "s3" {
					gw := storagetest.StartVersitygw(t, storagetest.VersitygwBin(t), t.TempDir(), "")
					var err error
					if s3, err = storage.NewS3(context.Background(), gw.Opts); err != nil {
						t.Fatal(err)
					}
					local := configure
					configure = func(c *config.Config) {
						local(c)
						c.Storage = "s3"
						c.S3 = config.S3{Endpoint: gw.Opts.Endpoint, Bucket: gw.Opts.Bucket, AccessKey: gw.Opts.AccessKey,
							SecretKey: config.Secret(gw.Opts.SecretKey), Region: gw.Opts.Region}
					}
				}
				// leftovers counts the storage traces of uploads in progress.
				leftovers := func() int {
					if s3 == nil {
						return len(tempFiles(t, filepath.Join(dir, "objects")))
					}
					ups, err := s3.IncompleteUploads(context.Background(), "")
					if err != nil {
						t.Fatal(err)
					}
					return len(ups)
				}
				live := testkit.NewServer(t, d, configure)
				tok, _ := testkit.UserToken(t, live, actor.Admin)
				cid := evCase(t, d)
				cfg := live.App.Config

				crashed := newApp(t, cfg, d)
				ts := httptest.NewServer(crashed.Handler)
				t.Cleanup(ts.Close)
				startUpload(t, ts.URL, tok, cid, "crash-key", 20<<20, 0)
				waitUntil(t, "the first upload to be under way", func() bool {
					return pendingWithKey(t, d, "crash-key") != "" && leftovers() == 1
				})
				crashedID := pendingWithKey(t, d, "crash-key")
				startUpload(t, live.URL, tok, cid, "live-key", 20<<20, 0)
				waitUntil(t, "the live upload to be under way", func() bool {
					return pendingWithKey(t, d, "live-key") != "" && leftovers() == 2
				})
				// The first server stops without cleaning up: its handler is
				// still blocked on the client, its heartbeat ends.
				_ = crashed.Close()

				restarted := newApp(t, cfg, d)
				t.Cleanup(func() { _ = restarted.Close() })
				if id := pendingWithKey(t, d, "crash-key"); id != "" {
					t.Fatalf("the crashed server's upload %s is still pending after the restart", id)
				}
				if pendingWithKey(t, d, "live-key") == "" {
					t.Fatal("the live server's upload was removed")
				}
				if n := leftovers(); n != 1 {
					t.Fatalf("%d temporary files / incomplete multipart uploads after the restart; want 1 (the live upload's)", n)
				}
				if c := custodyOf(t, d, crashedID); len(c) != 1 || c[0] != "evidence.upload:error" {
					t.Errorf("custody of the crashed upload: %v; want one failed evidence.upload", c)
				}
			})
		}
	})
}

// blockEvidenceDeletes makes the database refuse to delete evidence rows (as
// a full disk or a database down for a moment would) until the returned
// function is called.
func blockEvidenceDeletes(t *testing.T, d *db.DB) func() {
	t.Helper()
	stmts := map[db.Dialect][2][]string{
		db.SQLite: {{`CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence BEGIN SELECT RAISE(ABORT, 'injected: no delete'); END`},
			{`DROP TRIGGER evidence_no_delete`}},
		db.Postgres: {{`CREATE FUNCTION evidence_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected: no delete'; END $$`,
			`CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence FOR EACH ROW EXECUTE FUNCTION evidence_no_delete()`},
			{`DROP TRIGGER evidence_no_delete ON evidence`, `DROP FUNCTION evidence_no_delete()`}},
	}[d.Dialect]
	for _, s := range stmts[0] {
		if err := d.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		for _, s := range stmts[1] {
			if err := d.Exec(s).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
}

// An upload fails and its clean-up cannot remove its pending row: the
// client's retry with the same Idempotency-Key is accepted at once (the
// stale row is removed and audited), not refused with 409 for the grace
// period. The key of an upload still in progress keeps answering 409.
func TestIdempotencyKeyFreeAfterFailedUpload(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, func(c *config.Config) {
			c.Evidence.MaxBytes = 1 << 20
			c.Evidence.ReconcileInterval = 0
		})
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		cid := evCase(t, d)
		hdr := func(key string) http.Header { return http.Header{"Idempotency-Key": {key}} }

		// An upload over the size limit (sent without a Content-Length, so it
		// fails midway) whose clean-up cannot delete its row.
		unblock := blockEvidenceDeletes(t, d)
		resp := startUpload(t, s.URL, tok, cid, "retry-key", 2<<20, 0).response(t)
		unblock()
		if resp == nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("oversized upload: %v; want 413", resp)
		}
		stale := pendingWithKey(t, d, "retry-key")
		if stale == "" {
			t.Fatal("the injected failure did not leave the row pending")
		}
		r := upload(t, s, tok, cid, []part{{"title", "retried"}}, "a.bin", []byte("retried"), hdr("retry-key"))
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("retry with the same Idempotency-Key after a failed upload: %d %s; want 201", r.StatusCode, r.Body)
		}
		if id := pendingWithKey(t, d, "retry-key"); id != "" {
			t.Errorf("row %s still pending", id)
		}
		if c := custodyOf(t, d, stale); len(c) != 1 || c[0] != "evidence.upload:error" {
			t.Errorf("custody of the failed upload: %v; want one failed evidence.upload", c)
		}

		// An upload in progress keeps its key.
		u := startUpload(t, s.URL, tok, cid, "live-key", 64<<10, 0)
		waitUntil(t, "the upload to be under way", func() bool { return pendingWithKey(t, d, "live-key") != "" })
		r = upload(t, s, tok, cid, []part{{"title", "again"}}, "a.bin", []byte("again"), hdr("live-key"))
		if r.StatusCode != http.StatusConflict || !strings.Contains(string(r.Body), "upload_in_progress") {
			t.Fatalf("same key while the upload runs: %d %s; want 409 upload_in_progress", r.StatusCode, r.Body)
		}
		u.end()
		u.response(t)
	})
}

// Serve is stopped while an upload is still streaming, past the shutdown
// grace: the cut-off upload is cleaned up before Serve returns (no pending
// row, no temporary file, its failure audited), so closing the database
// afterwards loses nothing.
func TestShutdownCleansCutOffUpload(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		dir := t.TempDir()
		helper := testkit.NewServer(t, d, func(c *config.Config) {
			c.DataDir = dir
			c.Evidence.ReconcileInterval = 0
		})
		tok, _ := testkit.UserToken(t, helper, actor.Admin)
		cid := evCase(t, d)
		cfg := *helper.App.Config
		cfg.Addr = "127.0.0.1:0"
		cfg.ShutdownGrace = 300 * time.Millisecond
		a := newApp(t, &cfg, d)

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		addrc := make(chan net.Addr, 1)
		served := make(chan error, 1)
		go func() { served <- a.Serve(ctx, func(addr net.Addr) { addrc <- addr }) }()
		base := "http://" + (<-addrc).String()
		u := startUpload(t, base, tok, cid, "cut-key", 256<<10, 20*time.Millisecond)
		waitUntil(t, "the upload to be under way", func() bool {
			return pendingWithKey(t, d, "cut-key") != "" && len(tempFiles(t, cfg.ObjectDir())) == 1
		})
		id := pendingWithKey(t, d, "cut-key")
		cancel()
		select {
		case err := <-served:
			t.Logf("Serve returned %v", err)
		case <-time.After(90 * time.Second):
			t.Fatal("Serve did not return")
		}
		if id := pendingWithKey(t, d, "cut-key"); id != "" {
			t.Fatalf("the cut-off upload %s is still pending after Serve returned", id)
		}
		_ = a.Close()
		if f := tempFiles(t, cfg.ObjectDir()); len(f) != 0 {
			t.Errorf("temporary files left: %v", f)
		}
		if c := custodyOf(t, d, id); len(c) != 1 || c[0] != "evidence.upload:error" {
			t.Errorf("custody of the cut-off upload: %v; want one failed evidence.upload", c)
		}
		u.end()
	})
}

// Reconcile of a running server: its own pending row whose upload is no
// longer in progress is removed, a legacy temporary file (.tmp-<random>)
// only past the grace, a temporary file of a gone instance at once; the
// temporary files of this instance and of live ones stay.
func TestReconcileRemovesLeftoversOfGoneInstances(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, func(c *config.Config) {
			c.Evidence.MaxBytes = 1 << 20
			c.Evidence.ReconcileInterval = 0
		})
		ctx := context.Background()
		a := s.App
		dir := filepath.Join(a.Config.ObjectDir(), "evidence", "ab")
		touch := func(name string, age time.Duration) string {
			t.Helper()
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			mt := time.Now().Add(-age)
			if err := os.Chtimes(p, mt, mt); err != nil {
				t.Fatal(err)
			}
			return p
		}
		oldLegacy := touch(".tmp-0123456789abcdef", 48*time.Hour)
		newLegacy := touch(".tmp-fedcba9876543210", time.Minute)
		gone := touch(".tmp-00000000deadbeef-0123456789abcdef", time.Minute)
		mine := touch(".tmp-"+a.Instance.ID()+"-0123456789abcdef", time.Minute)
		// An upload of this server that failed and whose row stayed pending.
		cid := evCase(t, d)
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		unblock := blockEvidenceDeletes(t, d)
		resp := startUpload(t, s.URL, tok, cid, "own-key", 2<<20, 0).response(t)
		unblock()
		if resp == nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("oversized upload: %v; want 413", resp)
		}
		if pendingWithKey(t, d, "own-key") == "" {
			t.Fatal("the injected failure did not leave the row pending")
		}
		rep, err := a.EvidenceMaintenance.Reconcile(ctx, evidence.ReconcileOptions{Grace: 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if rep.CrashedUploads != 1 || rep.TempFilesRemoved != 2 || rep.AbandonedUploads != 0 {
			t.Errorf("Reconcile = %+v; want 1 crashed upload, 2 temporary files", rep)
		}
		if pendingWithKey(t, d, "own-key") != "" {
			t.Error("the failed upload's row is still pending")
		}
		for p, want := range map[string]bool{oldLegacy: false, newLegacy: true, gone: false, mine: true} {
			if _, err := os.Stat(p); (err == nil) != want {
				t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
			}
		}
	})
}

// A server restarted where it cannot check the old one's PID (a new
// container, another host) finds the old one's upload owned by an instance
// that still looks live: it runs the recovery again once the old one has
// missed its heartbeat for HABEAS_INSTANCE_TIMEOUT, without waiting for the
// hourly reconcile.
func TestRecoveryRunsAgainAfterInstanceTimeout(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		helper := testkit.NewServer(t, d, func(c *config.Config) { c.Evidence.ReconcileInterval = 0 })
		cid := evCase(t, d)
		now := time.Now().UTC()
		if err := d.Create(&instance.Row{ID: "0badc0ffee000001", Host: "old-container", Boot: "other-boot/pid:[1]/1",
			PID: 1, StartedAt: now, HeartbeatAt: now}).Error; err != nil {
			t.Fatal(err)
		}
		owner, key := "0badc0ffee000001", "old-key"
		item := evidence.Item{ID: newUUID(), CaseID: cid, Status: evidence.Pending, ObjectKey: evidence.NewObjectKey(),
			Integrity: evidence.IntegrityUnverified, Version: 1, CreatedAt: now, UpdatedAt: now, UploadOwner: &owner, IdempotencyKey: &key}
		if err := d.Create(&item).Error; err != nil {
			t.Fatal(err)
		}
		cfg := *helper.App.Config
		cfg.Addr = "127.0.0.1:0"
		cfg.InstanceTimeout = 10 * time.Second
		a := newApp(t, &cfg, d)
		if pendingWithKey(t, d, key) == "" {
			t.Fatal("the upload of an instance that looks live was removed at start-up")
		}
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- a.Serve(ctx, nil) }()
		defer func() { cancel(); <-served; _ = a.Close() }()
		waitUntil(t, "the old instance's upload to be removed", func() bool { return pendingWithKey(t, d, key) == "" })
		if c := custodyOf(t, d, item.ID); len(c) != 1 || c[0] != "evidence.upload:error" {
			t.Errorf("custody of the old upload: %v", c)
		}
	})
}
