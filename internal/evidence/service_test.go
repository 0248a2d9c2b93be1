package evidence_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/evidence"
	"github.com/habeas-org/habeas/internal/storage"
	"github.com/habeas-org/habeas/internal/storage/storagetest"
	"github.com/habeas-org/habeas/internal/testkit"
)

var admin = &actor.Principal{UserID: "0190d3a4-0000-7000-8000-000000000001", Role: actor.Admin}

// newCase inserts a detainee and a case and returns the case id.
func newCase(t testing.TB, d *db.DB) string {
	t.Helper()
	now := time.Now().UTC()
	did, cid := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	if err := d.Exec("INSERT INTO detainees (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)", did, "Test Detainee", now, now).Error; err != nil {
		t.Fatal(err)
	}
	if err := d.Exec("INSERT INTO cases (id, detainee_id, created_at, updated_at) VALUES (?, ?, ?, ?)", cid, did, now, now).Error; err != nil {
		t.Fatal(err)
	}
	return cid
}

type fixture struct {
	d     *db.DB
	store storage.Storage
	vault *evidence.Vault
	log   *audit.Log
	svc   *evidence.Service
	m     *evidence.Maintenance
}

func newFixture(t *testing.T, d *db.DB, s storage.Storage) *fixture {
	keys, _ := testKeys(t)
	v := evidence.NewVault(s, keys, 0)
	l := audit.NewLog(d)
	return &fixture{d: d, store: s, vault: v, log: l,
		svc: evidence.NewService(d, v, l, l, time.Hour, slog.Default()),
		m:   evidence.NewMaintenance(d, v, l)}
}

func (f *fixture) upload(t *testing.T, caseID string, content []byte) evidence.View {
	t.Helper()
	v, replayed, err := f.svc.Upload(context.Background(), admin, caseID,
		uploadInput("", "a.bin", "application/octet-stream", bytes.NewReader(content), "item"))
	if err != nil || replayed {
		t.Fatalf("Upload: %v %v", replayed, err)
	}
	return v
}

// uploadInput is an upload of one file (with a title when it is not "").
func uploadInput(key, filename, typ string, r io.Reader, title string) evidence.UploadInput {
	parts := []evidence.UploadPart{{Name: "file", Filename: filename, Type: typ, Body: r}}
	if title != "" {
		parts = append(parts, evidence.UploadPart{Name: "title", Body: strings.NewReader(title)})
	}
	return evidence.UploadInput{IdempotencyKey: key, Next: func() (evidence.UploadPart, error) {
		if len(parts) == 0 {
			return evidence.UploadPart{}, io.EOF
		}
		p := parts[0]
		parts = parts[1:]
		return p, nil
	}}
}

func (f *fixture) objectKey(t *testing.T, id string) string {
	t.Helper()
	var key string
	if err := f.d.Model(&evidence.Item{}).Where("id = ?", id).Pluck("object_key", &key).Error; err != nil || key == "" {
		t.Fatalf("object key of %s: %q %v", id, key, err)
	}
	return key
}

func (f *fixture) actions(t *testing.T, id string) []string {
	t.Helper()
	page, err := f.log.List(context.Background(), audit.Filter{ObjectType: "evidence", ObjectID: id, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(page.Items) - 1; i >= 0; i-- {
		out = append(out, page.Items[i].Action+":"+page.Items[i].Outcome)
	}
	return out
}

func TestModelColumnsExist(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		for _, m := range evidence.Models() {
			stmt := d.Model(m).Statement
			if err := stmt.Parse(m); err != nil {
				t.Fatal(err)
			}
			if !d.Migrator().HasTable(m) {
				t.Fatalf("table %s missing", stmt.Schema.Table)
			}
			n := 0
			for _, fl := range stmt.Schema.Fields {
				if fl.DBName == "" {
					continue
				}
				n++
				if !d.Migrator().HasColumn(m, fl.DBName) {
					t.Errorf("%s.%s missing", stmt.Schema.Table, fl.DBName)
				}
			}
			if want := map[string]int{"evidence": 30, "evidence_uploads": 11, "evidence_download_links": 7}[stmt.Schema.Table]; n < want {
				t.Errorf("%s: only %d columns parsed, want %d", stmt.Schema.Table, n, want)
			}
		}
	})
}

func TestVerifyAllReportsMissingAndAltered(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, localStore(t))
		ctx := context.Background()
		cid := newCase(t, d)
		good := f.upload(t, cid, bytes.Repeat([]byte("good "), 30000))
		altered := f.upload(t, cid, bytes.Repeat([]byte("altered "), 30000))
		missing := f.upload(t, cid, []byte("short"))

		rep, err := f.m.VerifyAll(ctx, nil)
		if err != nil || !rep.OK() || rep.Checked != 3 {
			t.Fatalf("VerifyAll before damage: %+v %v", rep, err)
		}
		rewrite(t, f.store, f.objectKey(t, altered.ID), func(raw []byte) []byte { raw[len(raw)/2] ^= 4; return raw })
		if err := f.store.Delete(ctx, f.objectKey(t, missing.ID)); err != nil {
			t.Fatal(err)
		}
		rep, err = f.m.VerifyAll(ctx, nil)
		if err != nil || rep.Checked != 3 || len(rep.Problems) != 2 {
			t.Fatalf("VerifyAll after damage: %+v %v; want 3 checked, 2 problems", rep, err)
		}
		got := map[string]string{}
		for _, p := range rep.Problems {
			got[p.ItemID] = p.Reason
		}
		if !strings.HasPrefix(got[altered.ID], "mismatch") || got[missing.ID] != "missing" {
			t.Fatalf("problems %v", got)
		}
		for id, want := range map[string]string{good.ID: evidence.IntegrityOK, altered.ID: evidence.IntegrityFailed, missing.ID: evidence.IntegrityFailed} {
			var integrity string
			d.Model(&evidence.Item{}).Where("id = ?", id).Pluck("integrity", &integrity)
			if integrity != want {
				t.Errorf("item %s integrity %q, want %q", id, integrity, want)
			}
		}
		acts := f.actions(t, altered.ID)
		if acts[len(acts)-1] != "evidence.verify:error" || acts[len(acts)-2] != "evidence.verify:ok" {
			t.Errorf("custody of the altered item: %v", acts)
		}
	})
}

func TestReconcile(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := localStore(t)
		f := newFixture(t, d, s)
		ctx := context.Background()
		cid := newCase(t, d)
		put := func(key string) {
			if _, err := s.Put(ctx, key, strings.NewReader("x"), 1); err != nil {
				t.Fatal(err)
			}
		}
		kept := f.upload(t, cid, []byte("kept"))
		// An upload abandoned two days ago, with its object half-written.
		stale, _, err := f.svc.BeginUpload(ctx, admin, cid, "stale-key")
		if err != nil {
			t.Fatal(err)
		}
		staleID := pendingID(t, d, cid, "stale-key")
		put(f.objectKey(t, staleID))
		d.Exec("UPDATE evidence SET created_at = ? WHERE id = ?", time.Now().UTC().Add(-48*time.Hour), staleID)
		_ = stale
		// An upload in progress right now.
		if _, _, err := f.svc.BeginUpload(ctx, admin, cid, "fresh-key"); err != nil {
			t.Fatal(err)
		}
		freshID := pendingID(t, d, cid, "fresh-key")
		put(f.objectKey(t, freshID))
		// An orphan object, and an object outside the evidence prefix.
		orphan := evidence.NewObjectKey()
		put(orphan)
		put("other/keep-me")
		// A deleted item past its retention, and one still within it.
		expired := f.upload(t, cid, []byte("expired"))
		recent := f.upload(t, cid, []byte("recent"))
		for _, id := range []string{expired.ID, recent.ID} {
			if _, err := f.svc.Delete(ctx, admin, cid, id, evidence.DeleteInput{Reason: "duplicate"}); err != nil {
				t.Fatal(err)
			}
		}
		d.Exec("UPDATE evidence SET purge_after = ? WHERE id = ?", time.Now().UTC().Add(-time.Minute), expired.ID)

		rep, err := f.m.Reconcile(ctx, evidence.ReconcileOptions{Grace: 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if rep.AbandonedUploads != 1 || rep.OrphansDeleted != 1 || rep.Purged != 1 {
			t.Fatalf("Reconcile = %+v; want 1 abandoned, 1 orphan, 1 purged", rep)
		}
		var n int64
		d.Model(&evidence.Item{}).Where("id = ?", staleID).Count(&n)
		if n != 0 {
			t.Error("the abandoned upload's row remains")
		}
		keys := storagetest.List(t, s, "")
		want := map[string]bool{f.objectKey(t, kept.ID): true, f.objectKey(t, freshID): true,
			f.objectKey(t, recent.ID): true, "other/keep-me": true}
		if len(keys) != len(want) {
			t.Errorf("objects after reconcile: %v; want %v", keys, want)
		}
		for _, k := range keys {
			if !want[k] {
				t.Errorf("object %s should have been removed", k)
			}
		}
		var st string
		d.Model(&evidence.Item{}).Where("id = ?", expired.ID).Pluck("status", &st)
		if st != string(evidence.Purged) {
			t.Errorf("expired item status %q, want purged", st)
		}
		if acts := f.actions(t, expired.ID); acts[len(acts)-1] != "evidence.purge:ok" {
			t.Errorf("custody of the purged item: %v", acts)
		}
		if acts := f.actions(t, staleID); len(acts) != 1 || acts[0] != "evidence.upload:error" {
			t.Errorf("custody of the abandoned upload: %v", acts)
		}
		// A second run has nothing left to do.
		if rep, err := f.m.Reconcile(ctx, evidence.ReconcileOptions{Grace: 24 * time.Hour}); err != nil || rep != (evidence.ReconcileReport{}) {
			t.Errorf("second Reconcile = %+v, %v", rep, err)
		}
	})
}

func pendingID(t *testing.T, d *db.DB, caseID, key string) string {
	t.Helper()
	var id string
	if err := d.Model(&evidence.Item{}).Where("case_id = ? AND idempotency_key = ?", caseID, key).Pluck("id", &id).Error; err != nil || id == "" {
		t.Fatalf("pending row %s: %v", key, err)
	}
	return id
}

func TestUploadFailuresLeaveNothing(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := localStore(t)
		keys, _ := testKeys(t)
		v := evidence.NewVault(s, keys, 1<<20)
		l := audit.NewLog(d)
		svc := evidence.NewService(d, v, l, l, time.Hour, slog.Default())
		ctx := context.Background()
		cid := newCase(t, d)
		for name, r := range map[string]io.Reader{
			"over the limit": plaintext(1, 2<<20),
			"client gone":    &storagetest.FailAfter{R: plaintext(2, 900<<10), N: 500 << 10, Err: errors.New("client went away")},
		} {
			_, _, err := svc.Upload(ctx, admin, cid, uploadInput("k-"+strings.ReplaceAll(name, " ", "-"), "x.pdf", "application/pdf", r, "x"))
			if err == nil {
				t.Fatalf("%s: Upload succeeded", name)
			}
			if name == "over the limit" && !errors.Is(err, apperr.ErrTooLarge) {
				t.Fatalf("%s: %v; want ErrTooLarge", name, err)
			}
		}
		var n int64
		d.Model(&evidence.Item{}).Count(&n)
		if n != 0 {
			t.Errorf("%d rows after failed uploads; want none", n)
		}
		if keys := storagetest.List(t, s, ""); len(keys) != 0 {
			t.Errorf("objects after failed uploads: %v", keys)
		}
		// The freed idempotency key works for the retry.
		u, _, err := svc.BeginUpload(ctx, admin, cid, "k-client-gone")
		if err != nil || u == nil {
			t.Fatalf("retry with the same key: %v", err)
		}
	})
}

func TestRunPeriodically(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := localStore(t)
		f := newFixture(t, d, s)
		orphan := evidence.NewObjectKey()
		if _, err := s.Put(context.Background(), orphan, strings.NewReader("x"), 1); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		reports := make(chan evidence.ReconcileReport, 10)
		done := make(chan struct{})
		go func() {
			f.m.RunPeriodically(ctx, 10*time.Millisecond, evidence.ReconcileOptions{Grace: time.Hour},
				func(r evidence.ReconcileReport, err error) {
					if err == nil {
						select {
						case reports <- r:
						default:
						}
					}
				})
			close(done)
		}()
		select {
		case r := <-reports:
			if r.OrphansDeleted != 1 {
				t.Errorf("first periodic run: %+v; want the orphan deleted", r)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no periodic reconcile within 10s")
		}
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("RunPeriodically did not stop with its context")
		}
		storagetest.AssertAbsent(t, s, orphan)
	})
}
