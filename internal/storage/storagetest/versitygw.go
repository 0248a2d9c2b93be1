package storagetest

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/habeas-org/habeas/internal/storage"
)

// Versitygw is a private S3 server of one test, which the test may kill
// (a crash) and restart over the same directory and address.
type Versitygw struct {
	Dir, Addr string
	Opts      storage.S3Options
	cmd       *exec.Cmd
	done      chan struct{}
}

// VersitygwBin returns the versitygw binary of HABEAS_TEST_VERSITYGW_BIN
// (set by scripts/ensure-versitygw.sh), skipping like S3FromEnv.
func VersitygwBin(t testing.TB) string {
	t.Helper()
	S3FromEnv(t)
	bin := os.Getenv("HABEAS_TEST_VERSITYGW_BIN")
	if bin == "" {
		t.Fatalf("missing HABEAS_TEST_VERSITYGW_BIN: %s", S3Help)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("HABEAS_TEST_VERSITYGW_BIN: %v: %s", err, S3Help)
	}
	return bin
}

// StartVersitygw runs versitygw over dir on addr ("" picks a free loopback
// port) with the bucket "habeas-private" (created unless it exists). It is
// killed when the test ends.
func StartVersitygw(t testing.TB, bin, dir, addr string) *Versitygw {
	t.Helper()
	if addr == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = ln.Addr().String()
		_ = ln.Close()
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	logf, err := os.OpenFile(filepath.Join(dir, "versitygw.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	g := &Versitygw{Dir: dir, Addr: addr, done: make(chan struct{}), Opts: storage.S3Options{
		Endpoint: addr, Bucket: "habeas-private", AccessKey: "private-access", SecretKey: "private-secret-0123456789",
		Region: "us-east-1", StartTimeout: 10 * time.Second,
	}}
	g.cmd = exec.Command(bin, "--port", addr, "posix", data)
	g.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+g.Opts.AccessKey, "ROOT_SECRET_KEY="+g.Opts.SecretKey)
	g.cmd.Stdout, g.cmd.Stderr = logf, logf
	if err := g.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() { _ = g.cmd.Wait(); _ = logf.Close(); close(g.done) }()
	t.Cleanup(func() { g.Kill(t) })
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
	core, err := minio.NewCore(addr, &minio.Options{
		Creds: credentials.NewStaticV4(g.Opts.AccessKey, g.Opts.SecretKey, ""), Region: g.Opts.Region,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if ok, err := core.BucketExists(ctx, g.Opts.Bucket); err != nil {
		t.Fatalf("private versitygw: %v", err)
	} else if !ok {
		if err := core.MakeBucket(ctx, g.Opts.Bucket, minio.MakeBucketOptions{}); err != nil {
			t.Fatalf("private versitygw: create bucket: %v", err)
		}
	}
	return g
}

// Kill stops the server with SIGKILL (a crash, not a clean shutdown).
func (g *Versitygw) Kill(t testing.TB) {
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
