//go:build drills

package drills

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
	"github.com/habeas-org/habeas/internal/testkit"
)

// The deadlines every drill server runs with (the short versions).
var drillEnv = map[string]string{
	"HABEAS_STORAGE_STALL_TIMEOUT": "2s",
	"HABEAS_STORAGE_CALL_TIMEOUT":  "3s",
	"HABEAS_S3_CONNECT_TIMEOUT":    "2s",
	"HABEAS_DB_QUERY_TIMEOUT":      "5s",
}

// instance is one Habeas under a drill: its server process, the admin
// client, and what it stores on.
type instance struct {
	t       *testing.T
	dialect string // sqlite or postgres
	storage string // local or s3
	srv     *faultkit.Server
	c       *faultkit.Client
	s3      *faultkit.Versitygw // nil for local storage
	pgURL   string              // the server's database ("" for SQLite)
	pgAdmin string              // the admin URL (PostgreSQL)
	pgName  string
	dataDir string
}

// options of newInstance.
type options struct {
	env map[string]string
	// dataDir replaces the temp data dir (the full-disk drill's tmpfs).
	dataDir string
	// dbURL overrides the server's database URL (the proxy), keeping the
	// fresh database's name for the checks.
	dbURL func(pgURL string) string
}

// newInstance starts a ready Habeas on a fresh database of dialect and a
// fresh storage, signed in as the admin. Everything stops when t ends.
func newInstance(t *testing.T, dialect, storage string, o options) *instance {
	t.Helper()
	ctx := context.Background()
	in := &instance{t: t, dialect: dialect, storage: storage}
	env := maps.Clone(drillEnv)
	maps.Copy(env, o.env)
	switch dialect {
	case "sqlite":
	case "postgres":
		in.pgAdmin = testkit.PostgresURL(t)
		in.pgURL = testkit.NewEmptyPostgresURL(t)
		name, err := faultkit.DatabaseName(in.pgURL)
		if err != nil {
			t.Fatal(err)
		}
		in.pgName = name
		env["HABEAS_DATABASE_URL"] = in.pgURL
		if o.dbURL != nil {
			env["HABEAS_DATABASE_URL"] = o.dbURL(in.pgURL)
		}
	default:
		t.Fatalf("unknown database %q", dialect)
	}
	if storage == "s3" {
		bin, err := faultkit.VersitygwBin()
		if err != nil {
			t.Fatal(err)
		}
		g, err := faultkit.StartVersitygw(ctx, bin, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(g.Kill)
		in.s3 = g
		maps.Copy(env, g.Env())
	}
	in.dataDir = o.dataDir
	if in.dataDir == "" {
		in.dataDir = filepath.Join(t.TempDir(), "data")
	}
	srv, err := faultkit.NewServer(habeasBin, in.dataDir, env)
	if err != nil {
		t.Fatal(err)
	}
	srv.LogPath = filepath.Join(t.TempDir(), "server.log")
	in.srv = srv
	t.Cleanup(func() {
		srv.Stop()
		if t.Failed() {
			t.Logf("server log (last 40 lines):\n%s", srv.LogTail(40))
		}
	})
	in.start()
	c, err := faultkit.AdminClient(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	in.c = c
	return in
}

// start starts the server and waits for /readyz.
func (in *instance) start() {
	in.t.Helper()
	if err := in.srv.StartReady(60 * time.Second); err != nil {
		in.t.Fatal(err)
	}
}

// ctx is a context for one step of a drill.
func (in *instance) ctx(d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	in.t.Cleanup(cancel)
	return ctx
}

// newCase creates a case through the API.
func (in *instance) newCase() string {
	in.t.Helper()
	id, err := in.c.CreateCase(in.ctx(30*time.Second), "Drill "+in.t.Name())
	if err != nil {
		in.t.Fatal(err)
	}
	return id
}

// count runs a count(*) query on the instance's database.
func (in *instance) count(query string, args ...any) int64 {
	in.t.Helper()
	ctx := in.ctx(30 * time.Second)
	d, err := faultkit.OpenDB(ctx, in.pgURL, filepath.Join(in.dataDir, "habeas.db"))
	if err != nil {
		in.t.Fatalf("open the instance's database: %v", err)
	}
	defer d.Close()
	n, err := faultkit.Count(ctx, d, query, args...)
	if err != nil {
		in.t.Fatal(err)
	}
	return n
}

// pending counts evidence rows still pending.
func (in *instance) pending() int64 {
	return in.count("SELECT count(*) FROM evidence WHERE status = 'pending'")
}

// tempFiles lists the local driver's temp files (.tmp-*) under the object dir.
func (in *instance) tempFiles() []string {
	var out []string
	_ = filepath.WalkDir(filepath.Join(in.dataDir, "objects"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasPrefix(e.Name(), ".tmp-") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// objectFiles counts the local driver's files (temp files included).
func (in *instance) objectFiles() int {
	n := 0
	_ = filepath.WalkDir(filepath.Join(in.dataDir, "objects"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// multipart counts the S3 bucket's incomplete multipart uploads.
func (in *instance) multipart() int {
	in.t.Helper()
	_, n, err := in.s3.Counts(in.ctx(30 * time.Second))
	if err != nil {
		in.t.Fatal(err)
	}
	return n
}

// objects counts what the storage holds (objects, or files for local).
func (in *instance) objects() int {
	in.t.Helper()
	if in.s3 == nil {
		return in.objectFiles()
	}
	n, _, err := in.s3.Counts(in.ctx(30 * time.Second))
	if err != nil {
		in.t.Fatal(err)
	}
	return n
}

// leftovers describes what an interrupted upload may have left: pending
// rows, temp files (local), incomplete multipart uploads (S3); "" when none.
func (in *instance) leftovers() string {
	var out []string
	if n := in.pending(); n > 0 {
		out = append(out, fmt.Sprintf("%d pending evidence rows", n))
	}
	if in.s3 == nil {
		if tf := in.tempFiles(); len(tf) > 0 {
			out = append(out, fmt.Sprintf("temp files %v", tf))
		}
	} else if n := in.multipart(); n > 0 {
		out = append(out, fmt.Sprintf("%d incomplete multipart uploads", n))
	}
	return strings.Join(out, ", ")
}

// cli runs a habeas command on the instance and fails the drill unless it
// exits 0 with want in its output.
func (in *instance) cliOK(want string, args ...string) {
	in.t.Helper()
	r, err := in.srv.CLI(in.ctx(2*time.Minute), args...)
	if err != nil {
		in.t.Fatal(err)
	}
	if r.Code != 0 || !strings.Contains(r.Stdout, want) {
		in.t.Errorf("habeas %s: exit %d, want 0 and %q\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.Code, want, r.Stdout, r.Stderr)
	}
}

// eventually polls cond every 250ms until it holds or d passes; it fails
// the drill with cond's last description.
func eventually(t *testing.T, d time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s: %s", what, d, state)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// matrix runs fn in parallel subtests, one per database x storage; the
// drill itself runs in parallel with the other drills.
func matrix(t *testing.T, dbs, storages []string, fn func(t *testing.T, dialect, storage string)) {
	t.Parallel()
	for _, d := range dbs {
		for _, s := range storages {
			t.Run(d+"/"+s, func(t *testing.T) {
				t.Parallel()
				fn(t, d, s)
			})
		}
	}
}

var (
	bothDBs      = []string{"sqlite", "postgres"}
	bothStorages = []string{"local", "s3"}
)

// small is a small upload body that can be sent again (seekable).
func small(n int) *bytes.Reader { return bytes.NewReader(bytes.Repeat([]byte("evidence "), n/9+1)[:n]) }

// wantError checks an error answer's status, code and Retry-After.
func wantError(t *testing.T, what string, r *faultkit.Response, err error, status int, code string) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: no answer: %v", what, err)
		return
	}
	if r.Status != status || r.Code() != code {
		t.Errorf("%s: got %s, want %d %s", what, r, status, code)
		return
	}
	if status == 503 && r.Header.Get("Retry-After") == "" {
		t.Errorf("%s: %d %s without Retry-After", what, status, code)
	}
}

// fileSize is the size of path (0 when absent).
func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// idOf is the "id" of a JSON body.
func idOf(body []byte) string { return faultkit.IDOf(&faultkit.Response{Body: body}) }

func itoa(n int) string { return strconv.Itoa(n) }
