package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/storage"
	"github.com/habeas-org/habeas/internal/storage/storagetest"
)

func TestLocalConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Storage {
		l, err := storage.NewLocal(filepath.Join(t.TempDir(), "objects"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = l.Close() })
		return l
	})
}

func TestS3Conformance(t *testing.T) {
	o := s3Env(t)
	storagetest.Run(t, func(t *testing.T) storage.Storage { return newS3(t, o) })
}

const s3Help = `the S3 storage tests need a real S3 server; start one with
    eval "$(scripts/ensure-versitygw.sh)"
(it prints HABEAS_TEST_S3_ENDPOINT, HABEAS_TEST_S3_ACCESS_KEY, HABEAS_TEST_S3_SECRET_KEY,
HABEAS_TEST_S3_BUCKET and HABEAS_TEST_VERSITYGW_BIN), or run scripts/test.sh which does it;
set HABEAS_TEST_STORAGE=local to test only the local-disk driver`

// s3Env reads the test server's settings; it fails the test when they are
// missing, unless HABEAS_TEST_STORAGE=local asks for local-disk tests only.
func s3Env(t *testing.T) storage.S3Options {
	t.Helper()
	if os.Getenv("HABEAS_TEST_STORAGE") == "local" {
		t.Skip("HABEAS_TEST_STORAGE=local: S3 driver not tested in this run (scripts/test.sh tests it in its own section)")
	}
	o := storage.S3Options{
		Endpoint:  os.Getenv("HABEAS_TEST_S3_ENDPOINT"),
		Bucket:    os.Getenv("HABEAS_TEST_S3_BUCKET"),
		AccessKey: os.Getenv("HABEAS_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("HABEAS_TEST_S3_SECRET_KEY"),
		Region:    os.Getenv("HABEAS_TEST_S3_REGION"),
	}
	var missing []string
	for k, v := range map[string]string{
		"HABEAS_TEST_S3_ENDPOINT": o.Endpoint, "HABEAS_TEST_S3_BUCKET": o.Bucket,
		"HABEAS_TEST_S3_ACCESS_KEY": o.AccessKey, "HABEAS_TEST_S3_SECRET_KEY": o.SecretKey,
	} {
		if v == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Fatalf("missing %s: %s", strings.Join(missing, ", "), s3Help)
	}
	return o
}

func versitygwBin(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("HABEAS_TEST_VERSITYGW_BIN")
	if bin == "" {
		t.Fatalf("missing HABEAS_TEST_VERSITYGW_BIN: %s", s3Help)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("HABEAS_TEST_VERSITYGW_BIN: %v: %s", err, s3Help)
	}
	return bin
}

func newS3(t *testing.T, o storage.S3Options) *storage.S3 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := storage.NewS3(ctx, o)
	if err != nil {
		t.Fatalf("NewS3 on %s: %v", o.Endpoint, err)
	}
	return s
}

func TestS3StartChecksBucketAndCredentials(t *testing.T) {
	o := s3Env(t)
	ctx := context.Background()

	missing := o
	missing.Bucket = "habeas-no-such-bucket-" + fmt.Sprint(time.Now().UnixNano())
	_, err := storage.NewS3(ctx, missing)
	if err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), "HABEAS_S3_BUCKET") {
		t.Errorf("missing bucket: %v; want an error saying it does not exist and naming HABEAS_S3_BUCKET", err)
	}

	const wrongSecret = "wrong-secret-must-not-appear-anywhere"
	badCreds := o
	badCreds.SecretKey = wrongSecret
	_, err = storage.NewS3(ctx, badCreds)
	if !errors.Is(err, os.ErrPermission) || !strings.Contains(err.Error(), "HABEAS_S3_SECRET_KEY") {
		t.Errorf("wrong secret: %v; want os.ErrPermission naming HABEAS_S3_SECRET_KEY", err)
	}
	if err != nil && (strings.Contains(err.Error(), wrongSecret) || strings.Contains(err.Error(), o.SecretKey)) {
		t.Errorf("error shows a secret key: %v", err)
	}

	down := o
	down.Endpoint = freeAddr(t)
	down.StartTimeout = 3 * time.Second
	start := time.Now()
	_, err = storage.NewS3(ctx, down)
	if err == nil || !strings.Contains(err.Error(), "HABEAS_S3_ENDPOINT") {
		t.Errorf("unreachable server: %v; want an error naming HABEAS_S3_ENDPOINT", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("unreachable server: NewS3 took %v despite a 3s start timeout", d)
	}

	s := newS3(t, o)
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if s.Name() != "s3" {
		t.Errorf("Name = %q", s.Name())
	}
}

// HABEAS_STORAGE=s3 and the HABEAS_S3_* keys reach the driver through
// config.Load and app.OpenStorage (what `habeas serve` does at start).
func TestS3OpenStorageFromConfig(t *testing.T) {
	o := s3Env(t)
	env := map[string]string{
		"HABEAS_STORAGE": "s3", "HABEAS_S3_ENDPOINT": o.Endpoint, "HABEAS_S3_BUCKET": o.Bucket,
		"HABEAS_S3_ACCESS_KEY": o.AccessKey, "HABEAS_S3_SECRET_KEY": o.SecretKey,
		"HABEAS_S3_USE_TLS": "false", "HABEAS_S3_REGION": o.Region,
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := app.OpenStorage(cfg)
	if err != nil {
		t.Fatalf("OpenStorage: %v", err)
	}
	if st.Name() != "s3" {
		t.Fatalf("driver %q, want s3", st.Name())
	}
	if err := st.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	env["HABEAS_S3_BUCKET"] = "habeas-missing-bucket"
	cfg, err = config.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.OpenStorage(cfg); err == nil || !strings.Contains(err.Error(), "HABEAS_S3_BUCKET") {
		t.Fatalf("OpenStorage with a missing bucket: %v; want an error naming HABEAS_S3_BUCKET", err)
	}
}

// A Put that fails or is cancelled while the server is up must abort its
// multipart upload: no incomplete upload remains.
func TestS3FailedPutAbortsMultipartUpload(t *testing.T) {
	s := newS3(t, s3Env(t))
	ns := storagetest.Namespace(t, s)
	ctx := context.Background()
	key := ns + "aborted"
	r := &storagetest.FailAfter{R: storagetest.Gen(1, 40<<20), N: 20 << 20, Err: errors.New("boom")}
	if _, err := s.Put(ctx, key, r, -1); err == nil {
		t.Fatal("Put with a failing reader succeeded")
	}
	cctx, cancel := context.WithCancel(ctx)
	r2 := &storagetest.OnAfter{R: storagetest.Gen(2, 40<<20), N: 20 << 20, Fn: cancel}
	if _, err := s.Put(cctx, key, r2, -1); err == nil {
		t.Fatal("cancelled Put succeeded")
	}
	storagetest.AssertAbsent(t, s, key)
	ups, err := s.IncompleteUploads(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 0 {
		t.Fatalf("incomplete multipart uploads left behind: %+v", ups)
	}
}

// The S3 server is killed (SIGKILL) in the middle of a large streamed Put.
// Put must fail, not hang; after a restart on the same directory no object
// is visible. minio-go's own abort cannot reach a dead server, so the
// multipart upload is left incomplete; AbortIncompleteUploads removes it.
func TestS3ServerDiesMidPut(t *testing.T) {
	_ = s3Env(t) // same opt-out rule as the other S3 tests
	bin := versitygwBin(t)
	gw := startVersitygw(t, bin, t.TempDir(), "")
	s := newS3(t, gw.opts)
	key := "dies/mid-put"
	const total = 400 << 20 // far more than is sent before the kill

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	killed := make(chan struct{})
	r := &storagetest.OnAfter{R: storagetest.Gen(9, total), N: 40 << 20, Fn: func() {
		gw.kill(t)
		close(killed)
	}}
	start := time.Now()
	n, err := s.Put(ctx, key, r, -1)
	elapsed := time.Since(start)
	select {
	case <-killed:
	default:
		t.Fatalf("Put returned (%d bytes, %v) before the server was killed", n, err)
	}
	if err == nil {
		t.Fatalf("Put succeeded (%d bytes) although the server died mid-stream", n)
	}
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		t.Fatalf("Put hung until its %v context timeout: %v", 2*time.Minute, err)
	}
	t.Logf("Put failed after %v having read %d bytes: %v", elapsed.Round(time.Millisecond), n, err)

	gw2 := startVersitygw(t, bin, gw.dir, gw.addr)
	s2 := newS3(t, gw2.opts)
	storagetest.AssertAbsent(t, s2, key)
	ups, err := s2.IncompleteUploads(context.Background(), "dies/")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after restart: %d incomplete multipart upload(s) under dies/: %+v", len(ups), ups)
	aborted, err := s2.AbortIncompleteUploads(context.Background(), "dies/", 0)
	if err != nil {
		t.Fatal(err)
	}
	if aborted != len(ups) {
		t.Errorf("AbortIncompleteUploads aborted %d, want %d", aborted, len(ups))
	}
	if ups, err := s2.IncompleteUploads(context.Background(), "dies/"); err != nil || len(ups) != 0 {
		t.Fatalf("after AbortIncompleteUploads: %+v, %v; want none", ups, err)
	}
	storagetest.AssertAbsent(t, s2, key)
	// The restarted server is fully usable.
	if _, err := s2.Put(context.Background(), key, bytes.NewReader([]byte("after")), 5); err != nil {
		t.Fatalf("Put after restart: %v", err)
	}
}

func TestS3AbortIncompleteUploadsSparesRecentOnes(t *testing.T) {
	o := s3Env(t)
	s := newS3(t, o)
	ns := storagetest.Namespace(t, s)
	core := rawClient(t, o)
	ctx := context.Background()
	id, err := core.NewMultipartUpload(ctx, o.Bucket, ns+"recent", minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = core.AbortMultipartUpload(context.Background(), o.Bucket, ns+"recent", id) })
	if n, err := s.AbortIncompleteUploads(ctx, ns, time.Hour); err != nil || n != 0 {
		t.Fatalf("AbortIncompleteUploads(olderThan 1h) = %d, %v; want 0 (the upload is seconds old)", n, err)
	}
	if n, err := s.AbortIncompleteUploads(ctx, ns, 0); err != nil || n != 1 {
		t.Fatalf("AbortIncompleteUploads(0) = %d, %v; want 1", n, err)
	}
}

func rawClient(t *testing.T, o storage.S3Options) minio.Core {
	t.Helper()
	c, err := minio.NewCore(o.Endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""), Secure: o.UseTLS, Region: o.Region,
	})
	if err != nil {
		t.Fatal(err)
	}
	return *c
}

type versitygw struct {
	dir, addr string
	opts      storage.S3Options
	cmd       *exec.Cmd
	done      chan struct{}
}

// startVersitygw runs a private versitygw over dir on addr ("" picks a free
// loopback port) and creates the bucket "habeas-private" unless it exists.
func startVersitygw(t *testing.T, bin, dir, addr string) *versitygw {
	t.Helper()
	if addr == "" {
		addr = freeAddr(t)
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	logf, err := os.OpenFile(filepath.Join(dir, "versitygw.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	g := &versitygw{dir: dir, addr: addr, done: make(chan struct{}), opts: storage.S3Options{
		Endpoint: addr, Bucket: "habeas-private", AccessKey: "private-access", SecretKey: "private-secret-0123456789",
		Region: "us-east-1",
	}}
	g.cmd = exec.Command(bin, "--port", addr, "posix", data)
	g.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+g.opts.AccessKey, "ROOT_SECRET_KEY="+g.opts.SecretKey)
	g.cmd.Stdout, g.cmd.Stderr = logf, logf
	if err := g.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() { _ = g.cmd.Wait(); _ = logf.Close(); close(g.done) }()
	t.Cleanup(func() { g.kill(t) })
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-g.done:
			log, _ := os.ReadFile(filepath.Join(dir, "versitygw.log"))
			t.Fatalf("versitygw exited at start on %s:\n%s", addr, log)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			_ = c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw did not answer on %s within 20s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	core := rawClient(t, g.opts)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if ok, err := core.BucketExists(ctx, g.opts.Bucket); err != nil {
		t.Fatalf("private versitygw: %v", err)
	} else if !ok {
		if err := core.MakeBucket(ctx, g.opts.Bucket, minio.MakeBucketOptions{}); err != nil {
			t.Fatalf("private versitygw: create bucket: %v", err)
		}
	}
	return g
}

// kill stops the server with SIGKILL (a crash, not a clean shutdown).
func (g *versitygw) kill(t *testing.T) {
	select {
	case <-g.done:
		return
	default:
	}
	_ = g.cmd.Process.Kill()
	select {
	case <-g.done:
	case <-time.After(10 * time.Second):
		t.Errorf("versitygw pid %d did not exit after SIGKILL", g.cmd.Process.Pid)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}
