package faultkit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The bootstrap admin every server of the kit is started with (sign-in
// without a second factor: HABEAS_MFA_REQUIRED_ROLES is empty).
const (
	AdminEmail    = "operator@example.org"
	AdminPassword = "Correct-Horse-Battery-9153"
)

// Server is one Habeas server process configured by environment. It can be
// started again after it exited (a restart over the same data directory,
// database, storage and address). Its stdout and stderr go to LogPath,
// appended across restarts.
type Server struct {
	Bin     string
	DataDir string
	Addr    string
	LogPath string
	// Env holds the HABEAS_* settings of the process (HABEAS_ADDR and
	// HABEAS_DATA_DIR included); change it between runs to reconfigure.
	Env map[string]string

	mu      sync.Mutex
	cmd     *exec.Cmd
	done    chan struct{}
	waitErr error
	starts  int
}

// NewServer prepares (does not start) a server of bin over dataDir with the
// extra settings env (they win over the kit's defaults). HABEAS_ADDR is a
// free loopback port unless env gives one.
func NewServer(bin, dataDir string, env map[string]string) (*Server, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	s := &Server{Bin: bin, DataDir: dataDir, LogPath: filepath.Join(filepath.Dir(dataDir), filepath.Base(dataDir)+".log"), Env: map[string]string{
		"HABEAS_DATA_DIR":                 dataDir,
		"HABEAS_LOG_FORMAT":               "json",
		"HABEAS_MFA_REQUIRED_ROLES":       "",
		"HABEAS_BOOTSTRAP_ADMIN_EMAIL":    AdminEmail,
		"HABEAS_BOOTSTRAP_ADMIN_PASSWORD": AdminPassword,
		"HABEAS_DB_CONNECT_TIMEOUT":       "30s",
	}}
	for k, v := range env {
		s.Env[k] = v
	}
	if s.Env["HABEAS_ADDR"] == "" {
		addr, err := FreeAddr()
		if err != nil {
			return nil, err
		}
		s.Env["HABEAS_ADDR"] = addr
	}
	s.Addr = s.Env["HABEAS_ADDR"]
	return s, nil
}

// FreeAddr returns a loopback host:port nothing listens on (at the moment).
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// URL is the server's base URL.
func (s *Server) URL() string { return "http://" + s.Addr }

// environ is the process environment: this process's, without any HABEAS_
// setting (a developer's HABEAS_DATABASE_URL must not leak in), plus Env.
func (s *Server) environ() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HABEAS_") {
			out = append(out, kv)
		}
	}
	for k, v := range s.Env {
		out = append(out, k+"="+v)
	}
	return out
}

// Start starts `habeas serve`; it does not wait for readiness (WaitReady).
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		select {
		case <-s.done:
		default:
			return fmt.Errorf("server pid %d is still running", s.cmd.Process.Pid)
		}
	}
	logf, err := os.OpenFile(s.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("server log: %w", err)
	}
	s.starts++
	fmt.Fprintf(logf, "=== faultkit: start %d at %s ===\n", s.starts, time.Now().UTC().Format(time.RFC3339Nano))
	cmd := exec.Command(s.Bin, "serve")
	cmd.Env = s.environ()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return fmt.Errorf("start %s serve: %w", s.Bin, err)
	}
	done := make(chan struct{})
	s.cmd, s.done = cmd, done
	go func() {
		err := cmd.Wait()
		_ = logf.Close()
		s.mu.Lock()
		s.waitErr = err
		s.mu.Unlock()
		close(done)
	}()
	return nil
}

// Pid is the running process's id (0 before the first start).
func (s *Server) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Running reports whether the process is alive.
func (s *Server) Running() bool {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done == nil {
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// Done is closed when the current process has exited.
func (s *Server) Done() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// ExitErr is the process's exit error (nil for exit 0) once it has exited.
func (s *Server) ExitErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waitErr
}

// WaitReady polls /readyz until it answers 200, failing when the process
// exits or ctx ends first.
func (s *Server) WaitReady(ctx context.Context) error {
	c := &http.Client{Timeout: 5 * time.Second}
	done := s.Done()
	last := ""
	for {
		select {
		case <-done:
			return fmt.Errorf("server exited before it was ready (%v); log tail:\n%s", s.ExitErr(), s.LogTail(20))
		default:
		}
		st, body, err := getStatus(ctx, c, s.URL()+"/readyz")
		if err == nil && st == http.StatusOK {
			return nil
		}
		if err != nil {
			last = err.Error()
		} else {
			last = fmt.Sprintf("%d %s", st, body)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("server on %s not ready (last /readyz: %s): %w", s.Addr, last, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Readyz answers the status and body of one /readyz request.
func (s *Server) Readyz(ctx context.Context) (int, string, error) {
	return getStatus(ctx, &http.Client{Timeout: 10 * time.Second}, s.URL()+"/readyz")
}

func getStatus(ctx context.Context, c *http.Client, url string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String(), nil
}

// StartReady starts the server and waits (up to timeout) for readiness.
func (s *Server) StartReady(timeout time.Duration) error {
	if err := s.Start(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return s.WaitReady(ctx)
}

// Kill sends SIGKILL (a crash) and waits for the process to be gone.
func (s *Server) Kill() error {
	return s.signalWait(syscall.SIGKILL, 10*time.Second)
}

// Term sends SIGTERM (a graceful shutdown) and waits up to wait for the
// exit; it fails when the process is still there then (and kills it).
func (s *Server) Term(wait time.Duration) error {
	err := s.signalWait(syscall.SIGTERM, wait)
	if err != nil && s.Running() {
		_ = s.Kill()
	}
	return err
}

func (s *Server) signalWait(sig syscall.Signal, wait time.Duration) error {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	default:
	}
	if err := cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal %v to server pid %d: %w", sig, cmd.Process.Pid, err)
	}
	select {
	case <-done:
		return nil
	case <-time.After(wait):
		return fmt.Errorf("server pid %d still running %s after %v", cmd.Process.Pid, wait, sig)
	}
}

// Stop ends the server for good (SIGTERM, then SIGKILL after 15s); for
// cleanups.
func (s *Server) Stop() {
	if err := s.Term(15 * time.Second); err != nil {
		_ = s.Kill()
	}
}

// Log is the server's whole log (every run).
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.LogPath)
	return string(b)
}

// LastRunLog is the log of the latest run only.
func (s *Server) LastRunLog() string {
	l := s.Log()
	if i := strings.LastIndex(l, "=== faultkit: start "); i >= 0 {
		return l[i:]
	}
	return l
}

// LogTail is the last n lines of the log.
func (s *Server) LogTail(n int) string {
	lines := strings.Split(strings.TrimRight(s.Log(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// CLIResult is the outcome of one habeas command.
type CLIResult struct {
	Code           int
	Stdout, Stderr string
}

// CLI runs `habeas args...` with the server's settings (an operator's
// command on the same instance), bounded by ctx.
func (s *Server) CLI(ctx context.Context, args ...string) (CLIResult, error) {
	return RunCLI(ctx, s.Bin, s.environ(), args...)
}

// RunCLI runs bin with env (full KEY=VALUE list) and args.
func RunCLI(ctx context.Context, bin string, env []string, args ...string) (CLIResult, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := CLIResult{Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.Code = ee.ExitCode()
		err = nil
	default:
		return r, fmt.Errorf("run habeas %s: %w", strings.Join(args, " "), err)
	}
	return r, nil
}

// Environ is the environment the server's processes get (for RunCLI with
// changes).
func (s *Server) Environ() []string { return s.environ() }
