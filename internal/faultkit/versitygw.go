package faultkit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// VersitygwHelp tells how to get the versitygw binary.
const VersitygwHelp = `the drills and the soak need versitygw (an S3 server): run
    eval "$(scripts/ensure-versitygw.sh)"
which installs it and sets HABEAS_TEST_VERSITYGW_BIN (scripts/test.sh does it)`

// VersitygwBin finds the versitygw binary: HABEAS_TEST_VERSITYGW_BIN, else
// $(go env GOPATH)/bin/versitygw.
func VersitygwBin() (string, error) {
	bin := os.Getenv("HABEAS_TEST_VERSITYGW_BIN")
	if bin == "" {
		out, err := exec.Command("go", "env", "GOPATH").Output()
		if err == nil {
			bin = filepath.Join(strings.TrimSpace(string(out)), "bin", "versitygw")
		}
	}
	if bin == "" {
		return "", errors.New("versitygw not found: " + VersitygwHelp)
	}
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("versitygw %s: %w: %s", bin, err, VersitygwHelp)
	}
	return bin, nil
}

// Versitygw is a private S3 server (versitygw over a posix directory) that
// can be killed, restarted over the same directory and address, and frozen
// with SIGSTOP (a hung server: connections are accepted by the kernel, no
// answer ever comes).
type Versitygw struct {
	Bin, Dir, Addr                       string
	Bucket, AccessKey, SecretKey, Region string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// StartVersitygw runs versitygw over dir on a free loopback port with the
// bucket "habeas-drill" (created).
func StartVersitygw(ctx context.Context, bin, dir string) (*Versitygw, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	g := &Versitygw{Bin: bin, Dir: dir, Addr: addr, Bucket: "habeas-drill", AccessKey: "drill-access",
		SecretKey: "drill-secret-0123456789", Region: "us-east-1"}
	if err := g.Start(ctx); err != nil {
		return nil, err
	}
	mc, err := g.Client()
	if err != nil {
		g.Kill()
		return nil, err
	}
	if ok, err := mc.BucketExists(ctx, g.Bucket); err != nil {
		g.Kill()
		return nil, fmt.Errorf("versitygw: bucket check: %w", err)
	} else if !ok {
		if err := mc.MakeBucket(ctx, g.Bucket, minio.MakeBucketOptions{}); err != nil {
			g.Kill()
			return nil, fmt.Errorf("versitygw: create bucket: %w", err)
		}
	}
	return g, nil
}

// Start starts the process (again) and waits until it accepts connections.
func (g *Versitygw) Start(ctx context.Context) error {
	data := filepath.Join(g.Dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(g.Dir, "versitygw.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(g.Bin, "--port", g.Addr, "posix", data)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+g.AccessKey, "ROOT_SECRET_KEY="+g.SecretKey)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return fmt.Errorf("start versitygw: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); _ = logf.Close(); close(done) }()
	g.mu.Lock()
	g.cmd, g.done = cmd, done
	g.mu.Unlock()
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(g.Dir, "versitygw.log"))
			return fmt.Errorf("versitygw exited at start on %s:\n%s", g.Addr, log)
		default:
		}
		if c, err := net.DialTimeout("tcp", g.Addr, time.Second); err == nil {
			_ = c.Close()
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			g.Kill()
			return fmt.Errorf("versitygw did not listen on %s within 20s", g.Addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (g *Versitygw) signal(sig syscall.Signal) error {
	g.mu.Lock()
	cmd := g.cmd
	g.mu.Unlock()
	if cmd == nil {
		return errors.New("versitygw not started")
	}
	return cmd.Process.Signal(sig)
}

// Kill stops the server with SIGKILL (a crash) and waits for it to be gone.
func (g *Versitygw) Kill() {
	g.mu.Lock()
	cmd, done := g.cmd, g.done
	g.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
}

// Freeze stops the process with SIGSTOP: the server hangs.
func (g *Versitygw) Freeze() error { return g.signal(syscall.SIGSTOP) }

// Thaw resumes a frozen server with SIGCONT.
func (g *Versitygw) Thaw() error { return g.signal(syscall.SIGCONT) }

// Restart kills the server and starts it again on the same address.
func (g *Versitygw) Restart(ctx context.Context) error {
	g.Kill()
	return g.Start(ctx)
}

// Env is the HABEAS_* settings of a Habeas server storing on this S3.
func (g *Versitygw) Env() map[string]string {
	return map[string]string{
		"HABEAS_STORAGE": "s3", "HABEAS_S3_ENDPOINT": g.Addr, "HABEAS_S3_BUCKET": g.Bucket,
		"HABEAS_S3_ACCESS_KEY": g.AccessKey, "HABEAS_S3_SECRET_KEY": g.SecretKey,
		"HABEAS_S3_REGION": g.Region, "HABEAS_S3_USE_TLS": "false",
	}
}

// Client is a minio client of the server (for the drills' own checks).
func (g *Versitygw) Client() (*minio.Client, error) {
	return minio.New(g.Addr, &minio.Options{Creds: credentials.NewStaticV4(g.AccessKey, g.SecretKey, ""), Region: g.Region})
}

// Counts is what the bucket holds: objects and incomplete multipart uploads.
func (g *Versitygw) Counts(ctx context.Context) (objects, multipart int, err error) {
	mc, err := g.Client()
	if err != nil {
		return 0, 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for o := range mc.ListObjects(ctx, g.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			return 0, 0, fmt.Errorf("list objects: %w", o.Err)
		}
		objects++
	}
	for u := range mc.ListIncompleteUploads(ctx, g.Bucket, "", true) {
		if u.Err != nil {
			return 0, 0, fmt.Errorf("list multipart uploads: %w", u.Err)
		}
		multipart++
	}
	return objects, multipart, nil
}
