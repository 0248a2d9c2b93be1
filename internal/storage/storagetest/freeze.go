package storagetest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Freeze stops the server with SIGSTOP and waits until every thread of it
// is stopped: it keeps its connections and its listening socket (the kernel
// still accepts connections and buffers bytes) but answers nothing, like a
// hung server. The test thaws it when it ends, before killing it.
func (g *Versitygw) Freeze(t testing.TB) {
	t.Helper()
	pid := g.cmd.Process.Pid
	if err := g.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatalf("SIGSTOP versitygw pid %d: %v", pid, err)
	}
	t.Cleanup(func() { _ = g.cmd.Process.Signal(syscall.SIGCONT) })
	deadline := time.Now().Add(5 * time.Second)
	for !allStopped(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("versitygw pid %d not stopped 5s after SIGSTOP", pid)
		}
		time.Sleep(time.Millisecond)
	}
}

// allStopped reports whether every thread of pid is in state T (stopped).
func allStopped(pid int) bool {
	tasks, err := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "stat"))
	if err != nil || len(tasks) == 0 {
		return false
	}
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			return false
		}
		// pid (comm) state ...: the state follows the last ')'.
		rest := string(b[strings.LastIndexByte(string(b), ')')+1:])
		if f := strings.Fields(rest); len(f) == 0 || f[0] != "T" {
			return false
		}
	}
	return true
}

// Thaw resumes a server stopped by Freeze (SIGCONT).
func (g *Versitygw) Thaw(t testing.TB) {
	t.Helper()
	if err := g.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatalf("SIGCONT versitygw pid %d: %v", g.cmd.Process.Pid, err)
	}
}
