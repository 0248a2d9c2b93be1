package backup_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/backup"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/storage"
	"github.com/habeas-org/habeas/internal/storage/storagetest"
	"github.com/habeas-org/habeas/internal/testkit"
)

// site is one Habeas installation of a test: its data dir, its database
// (SQLite in the data dir, or a PostgreSQL database of its own) and its
// storage (local in the data dir, or a private S3 server).
type site struct {
	dataDir string
	dbURL   string
	s3      *storage.S3Options
}

func newSite(t *testing.T, dialect db.Dialect, s3bin string) *site {
	t.Helper()
	s := &site{dataDir: t.TempDir()}
	if dialect == db.Postgres {
		s.dbURL = testkit.NewEmptyPostgresURL(t)
	}
	if s3bin != "" {
		gw := storagetest.StartVersitygw(t, s3bin, t.TempDir(), "")
		s.s3 = &gw.Opts
	}
	return s
}

func (s *site) configure(c *config.Config) {
	c.DataDir = s.dataDir
	c.DatabaseURL = s.dbURL
	c.Evidence.ReconcileInterval = 0
	if s.s3 != nil {
		c.Storage = "s3"
		c.S3 = config.S3{Endpoint: s.s3.Endpoint, Bucket: s.s3.Bucket, AccessKey: s.s3.AccessKey,
			SecretKey: config.Secret(s.s3.SecretKey), Region: s.s3.Region}
	}
}

func (s *site) config(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.configure(cfg)
	return cfg
}

func (s *site) storage(t *testing.T) storage.Storage {
	t.Helper()
	st, err := app.OpenStorage(s.config(t))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// signingKey is the site's backup signing key (generated in its data dir).
func (s *site) signingKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	k, err := audit.LoadOrCreateKey(s.config(t).BackupKeyPath())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// restore restores the backup in dir into the site, verifying its manifest
// with the site's backup signing key.
func (s *site) restore(t *testing.T, dir string, dialect db.Dialect) (*backup.RestoreResult, error) {
	t.Helper()
	cfg := s.config(t)
	return backup.Restore(context.Background(), backup.RestoreOptions{
		From: dir, PublicKey: s.signingKey(t).Public().(ed25519.PublicKey),
		DatabaseURL: s.dbURL, SQLitePath: cfg.SQLitePath(), Storage: s.storage(t),
		PGBinDir: pgBinDir(t, dialect), ConnectTimeout: 10 * time.Second,
	})
}

// assertUntouched fails unless the site's database has no table and its storage no object.
func (s *site) assertUntouched(t *testing.T, dialect db.Dialect) {
	t.Helper()
	ctx := context.Background()
	if keys := storagetest.List(t, s.storage(t), ""); len(keys) != 0 {
		t.Errorf("storage of a refused restore holds %v", keys)
	}
	var n int64
	if dialect == db.Postgres {
		d, err := db.Open(ctx, db.Options{PostgresURL: s.dbURL, ConnectTimeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		d.Raw(`SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n)
	} else if _, err := os.Stat(s.config(t).SQLitePath()); err == nil {
		d, err := db.Open(ctx, db.Options{SQLitePath: s.config(t).SQLitePath()})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		d.Raw(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`).Scan(&n)
	}
	if n != 0 {
		t.Errorf("database of a refused restore has %d tables", n)
	}
}

// pgBinDir returns the folder of pg_dump/pg_restore of the test server's
// major version. Missing tools fail the test: never skipped.
func pgBinDir(t *testing.T, dialect db.Dialect) string {
	t.Helper()
	if dialect != db.Postgres {
		return ""
	}
	d, err := db.Open(context.Background(), db.Options{PostgresURL: testkit.PostgresURL(t), ConnectTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var num int
	if err := d.Raw("SHOW server_version_num").Scan(&num).Error; err != nil {
		t.Fatal(err)
	}
	major := num / 10000
	dir := fmt.Sprintf("/usr/lib/postgresql/%d/bin", major)
	ok := true
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := os.Stat(filepath.Join(dir, tool)); err != nil {
			ok = false
		}
	}
	if ok {
		return dir
	}
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatalf("%s of PostgreSQL %d not found (neither in %s nor on PATH): the backup tests need the PostgreSQL client tools; "+
				"run scripts/ensure-postgres.sh (installs postgresql) or apt-get install postgresql-client-%d", tool, major, dir, major)
		}
		out, _ := exec.Command(p, "--version").Output()
		if !strings.Contains(string(out), fmt.Sprintf("(PostgreSQL) %d.", major)) {
			t.Fatalf("%s is %q but the server is PostgreSQL %d: install postgresql-client-%d", p, strings.TrimSpace(string(out)), major, major)
		}
	}
	return ""
}

// seeded is what the seed put in the source instance.
type seeded struct {
	admin    *testkit.TestUser
	lawyer   *testkit.TestUser
	caseID   string
	items    map[string]string // available evidence id -> sha256 of its plaintext
	deleted  string            // a soft-deleted item (its object is still kept)
	markers  [][]byte          // random bytes inside the plaintexts
	auditSeq int64
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func uploadEvidence(t *testing.T, s *testkit.Server, token, caseID, title string, content []byte, confidential bool) string {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("title", title)
	if confidential {
		_ = mw.WriteField("confidential", "true")
	}
	w, _ := mw.CreateFormFile("file", title+".bin")
	_, _ = w.Write(content)
	_ = mw.Close()
	r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + caseID + "/evidence", Body: b.Bytes(), Token: token,
		Header: http.Header{"Content-Type": {mw.FormDataContentType()}}})
	if r.StatusCode != 201 {
		t.Fatalf("upload %s: %d %s", title, r.StatusCode, r.Body)
	}
	var v struct {
		ID     string `json:"id"`
		SHA256 string `json:"sha256"`
	}
	r.JSON(t, &v)
	sum := sha256.Sum256(content)
	if v.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("upload %s: server sha256 %s", title, v.SHA256)
	}
	return v.ID
}

// seed creates users, a detainee and a case, evidence (through the HTTP
// API) and so audit entries.
func seed(t *testing.T, s *testkit.Server) *seeded {
	t.Helper()
	out := &seeded{items: map[string]string{}}
	var tok string
	tok, out.admin = testkit.UserToken(t, s, actor.Admin)
	out.lawyer = testkit.CreateUser(t, s, actor.Lawyer)
	r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: tok, Body: map[string]any{"name": "许志永", "born_at": "1973~"}})
	if r.StatusCode != 201 {
		t.Fatalf("create detainee: %d %s", r.StatusCode, r.Body)
	}
	var det struct{ ID string }
	r.JSON(t, &det)
	r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases", Token: tok, Body: map[string]any{"detainee_id": det.ID, "detained_at": "2020-02-15"}})
	if r.StatusCode != 201 {
		t.Fatalf("create case: %d %s", r.StatusCode, r.Body)
	}
	var cs struct{ ID string }
	r.JSON(t, &cs)
	out.caseID = cs.ID
	for i, size := range []int{10, 300 << 10, 3<<20 + 17} {
		marker := randomBytes(32)
		content := append(append(randomBytes(size/2), marker...), randomBytes(size-size/2)...)
		out.markers = append(out.markers, marker)
		id := uploadEvidence(t, s, tok, cs.ID, fmt.Sprintf("item-%d", i), content, i == 1)
		sum := sha256.Sum256(content)
		out.items[id] = hex.EncodeToString(sum[:])
	}
	out.deleted = uploadEvidence(t, s, tok, cs.ID, "to-delete", randomBytes(5000), false)
	r = s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/cases/" + cs.ID + "/evidence/" + out.deleted, Token: tok,
		Body: map[string]string{"reason": "uploaded by mistake"}})
	if r.StatusCode != 200 {
		t.Fatalf("delete evidence: %d %s", r.StatusCode, r.Body)
	}
	seq, _, err := s.App.Audit.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out.auditSeq = seq
	return out
}

// A full round trip: seed, back up, restore into a fresh database and fresh
// storage; the audit chain verifies and every evidence item downloads with
// its SHA-256. Refused restores change nothing.
func TestBackupRestoreRoundTrip(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) { roundTrip(t, dialect, "") })
	}
}

// The same round trip with evidence on S3 (private versitygw servers: the
// source's and an empty one for the restore). scripts/test.sh runs it in its
// S3 section.
func TestBackupRestoreRoundTripS3(t *testing.T) {
	bin := storagetest.VersitygwBin(t)
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) { roundTrip(t, dialect, bin) })
	}
}

func roundTrip(t *testing.T, dialect db.Dialect, s3bin string) {
	ctx := context.Background()
	src := newSite(t, dialect, s3bin)
	srcSrv := testkit.NewServer(t, nil, src.configure)
	sd := seed(t, srcSrv)

	out := filepath.Join(t.TempDir(), "backups", "b1")
	m, err := backup.Create(ctx, backup.Options{DB: srcSrv.App.DB, DatabaseURL: src.dbURL, Storage: srcSrv.App.Storage,
		Out: out, PGBinDir: pgBinDir(t, dialect), Version: "test", Audit: srcSrv.App.Audit, SigningKey: src.signingKey(t)})
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if m.Dialect != string(dialect) || m.Objects != 4 || m.IncludesKeys || len(m.Problems) != 0 || m.SchemaVersion < 5 {
		t.Fatalf("manifest: %+v", m)
	}
	if (dialect == db.Postgres) != strings.Contains(m.PGDumpVersion, "(PostgreSQL)") {
		t.Errorf("manifest pg_dump_version %q", m.PGDumpVersion)
	}
	if m.AuditHead.Seq != sd.auditSeq {
		t.Fatalf("manifest audit head %d, the chain was at %d when the backup started", m.AuditHead.Seq, sd.auditSeq)
	}
	if seq, _, _ := srcSrv.App.Audit.Head(ctx); seq != sd.auditSeq+1 {
		t.Errorf("the backup was not recorded in the source's audit trail (head %d, was %d)", seq, sd.auditSeq)
	}
	assertNoSecrets(t, out, sd.markers)
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("backup parent holds %d entries, want only the backup (no temporary folder left)", len(entries))
	}

	// Restore into a fresh database and storage, with the evidence identity
	// installed from the (separate) key backup.
	tgt := newSite(t, dialect, s3bin)
	installIdentity(t, src, tgt)
	res, err := tgt.restore(t, out, dialect)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if res.Audit.HeadSeq != m.AuditHead.Seq || res.Audit.HeadHash != m.AuditHead.Hash || !res.Audit.OK() {
		t.Fatalf("restore audit report %+v, manifest head %+v", res.Audit, m.AuditHead)
	}

	tgtSrv := testkit.NewServer(t, nil, tgt.configure)
	checkRestored(t, tgtSrv, sd, m)

	// A restore into the now non-empty target is refused.
	if _, err := tgt.restore(t, out, dialect); !errors.Is(err, backup.ErrNotEmpty) {
		t.Errorf("restore into a non-empty target: %v; want ErrNotEmpty", err)
	}
	// Fresh database but storage that holds objects: refused, database untouched.
	mixed := newSite(t, dialect, "")
	if s3bin == "" {
		mixed.dataDir = t.TempDir()
		if err := os.CopyFS(filepath.Join(mixed.dataDir, "objects"), os.DirFS(filepath.Join(tgt.dataDir, "objects"))); err != nil {
			t.Fatal(err)
		}
	} else {
		mixed.s3 = tgt.s3
	}
	installIdentity(t, src, mixed)
	if _, err := mixed.restore(t, out, dialect); !errors.Is(err, backup.ErrNotEmpty) {
		t.Errorf("restore into non-empty storage: %v; want ErrNotEmpty", err)
	}
	mixed.s3 = nil
	if dialect == db.Postgres {
		var n int64
		d, _ := db.Open(ctx, db.Options{PostgresURL: mixed.dbURL})
		d.Raw(`SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n)
		_ = d.Close()
		if n != 0 {
			t.Errorf("refused restore created %d tables", n)
		}
	} else if _, err := os.Stat(filepath.Join(mixed.dataDir, "habeas.db")); err == nil {
		t.Errorf("refused restore created a database")
	}

	// One altered byte in one object: refused before anything is written.
	var obj backup.File
	for _, f := range m.Files {
		if f.Kind == backup.KindObject && f.Size > 1000 {
			obj = f
		}
	}
	p := filepath.Join(out, filepath.FromSlash(obj.Path))
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 1
	if err := os.WriteFile(p, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := newSite(t, dialect, s3bin)
	installIdentity(t, src, fresh)
	if _, err := fresh.restore(t, out, dialect); !errors.Is(err, backup.ErrCorrupt) || !strings.Contains(err.Error(), obj.Path) {
		t.Errorf("restore of an altered backup: %v; want ErrCorrupt naming %s", err, obj.Path)
	}
	fresh.assertUntouched(t, dialect)
	// A missing file: refused too.
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.restore(t, out, dialect); !errors.Is(err, backup.ErrCorrupt) {
		t.Errorf("restore of a backup with a missing file: %v; want ErrCorrupt", err)
	}
	fresh.assertUntouched(t, dialect)
}

// checkRestored checks the restored instance through its HTTP API.
func checkRestored(t *testing.T, s *testkit.Server, sd *seeded, m *backup.Manifest) {
	t.Helper()
	ctx := context.Background()
	tok := testkit.Login(t, s, sd.admin).Access
	r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit/verify", Token: tok})
	var v struct {
		Intact  bool  `json:"intact"`
		HeadSeq int64 `json:"head_seq"`
	}
	r.JSON(t, &v)
	if r.StatusCode != 200 || !v.Intact || v.HeadSeq <= m.AuditHead.Seq {
		t.Fatalf("restored audit verify: %d %s", r.StatusCode, r.Body)
	}
	var row audit.Row
	if err := s.App.DB.Where("seq = ?", m.AuditHead.Seq).Take(&row).Error; err != nil || row.Hash != m.AuditHead.Hash {
		t.Fatalf("restored entry %d: %v %s; want hash %s", m.AuditHead.Seq, err, row.Hash, m.AuditHead.Hash)
	}
	var next audit.Row
	if err := s.App.DB.Where("seq = ?", m.AuditHead.Seq+1).Take(&next).Error; err != nil || next.Action != "backup.restore" {
		t.Errorf("the entry after the backup's head is %q (%v); want backup.restore", next.Action, err)
	}
	for id, want := range sd.items {
		r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + sd.caseID + "/evidence/" + id + "/content", Token: tok})
		sum := sha256.Sum256(r.Body)
		if r.StatusCode != 200 || hex.EncodeToString(sum[:]) != want {
			t.Errorf("download %s after restore: %d, sha256 %x; want %s", id, r.StatusCode, sum, want)
		}
	}
	r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + sd.caseID + "/evidence/" + sd.deleted + "/content", Token: tok})
	if r.StatusCode != 404 && r.StatusCode != 410 {
		t.Errorf("download of a deleted item after restore: %d", r.StatusCode)
	}
	// The deleted item's content is still kept (until its retention ends).
	var key string
	s.App.DB.Raw("SELECT object_key FROM evidence WHERE id = ?", sd.deleted).Scan(&key)
	if _, err := s.App.Storage.Stat(ctx, key); err != nil {
		t.Errorf("object of the deleted item after restore: %v", err)
	}
	// Every object verifies (decrypts to its recorded hash).
	rep, err := s.App.EvidenceMaintenance.VerifyAll(ctx, nil)
	if err != nil || !rep.OK() || rep.Checked != len(sd.items) {
		t.Errorf("storage verify after restore: %+v %v", rep, err)
	}
	// Other accounts are restored too.
	testkit.Login(t, s, sd.lawyer)
}

// assertNoSecrets fails when a file of the backup holds private key
// material or plaintext evidence.
func assertNoSecrets(t *testing.T, dir string, markers [][]byte) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, bad := range []string{"AGE-SECRET-KEY-", "PRIVATE KEY"} {
			if bytes.Contains(raw, []byte(bad)) {
				t.Errorf("%s contains %q", p, bad)
			}
		}
		for _, m := range markers {
			if bytes.Contains(raw, m) {
				t.Errorf("%s contains plaintext evidence", p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, backup.KeysDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a backup without --include-keys has a %s folder", backup.KeysDir)
	}
}

// installIdentity copies the source's evidence identity into the target's
// data dir, as an operator installs it from the key backup.
func installIdentity(t *testing.T, src, tgt *site) {
	t.Helper()
	src.signingKey(t)
	for _, path := range []func(*config.Config) string{(*config.Config).EvidenceIdentityPath, (*config.Config).BackupKeyPath} {
		raw, err := os.ReadFile(path(src.config(t)))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path(tgt.config(t)), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
