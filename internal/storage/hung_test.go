package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/storage"
	"github.com/habeas-org/habeas/internal/storage/storagetest"
)

// Deadlines of the hung-server tests: short, so each test stays short.
const (
	hungStall = 2 * time.Second
	hungCall  = 2 * time.Second
	// hungMargin is the time allowed beyond a deadline (scheduling on a
	// busy test machine).
	hungMargin = 3 * time.Second
	// hungGiveUp is when a test stops waiting for an answer.
	hungGiveUp = 20 * time.Second
)

// hungServer starts a private versitygw and returns it with options of
// short deadlines (hold: how long the client holds the server off after a
// passed deadline; negative disables it).
func hungServer(t *testing.T, hold time.Duration) (*storagetest.Versitygw, storage.S3Options) {
	t.Helper()
	bin := storagetest.VersitygwBin(t)
	gw := storagetest.StartVersitygw(t, bin, t.TempDir(), "")
	o := gw.Opts
	o.StallTimeout, o.CallTimeout, o.ConnectTimeout, o.UnresponsiveHold = hungStall, hungCall, time.Second, hold
	o.PartSize = 5 << 20
	return gw, o
}

// answer runs fn and returns its error and how long it took; it fails the
// test when fn gives no answer within hungGiveUp.
func answer(t *testing.T, what string, fn func() error) (error, time.Duration) {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err, time.Since(start)
	case <-time.After(hungGiveUp):
		t.Fatalf("%s: no answer after %v with the S3 server stopped (SIGSTOP)", what, hungGiveUp)
		return nil, 0
	}
}

// wantUnavailable checks err is an ErrUnavailable answered within limit.
func wantUnavailable(t *testing.T, what string, err error, took, limit time.Duration) {
	t.Helper()
	if !errors.Is(err, storage.ErrUnavailable) {
		t.Errorf("%s with the server stopped: %v (after %v); want an error wrapping storage.ErrUnavailable", what, err, took)
		return
	}
	if took > limit {
		t.Errorf("%s with the server stopped answered after %v; want within %v", what, took, limit)
	}
	t.Logf("%s: %v after %v", what, err, took.Round(time.Millisecond))
}

// The S3 server is stopped (SIGSTOP) in the middle of a multipart Put: Put
// fails with ErrUnavailable within the stall timeout (plus a margin), and
// once the server resumes nothing is visible under the key.
func TestS3HungServerPutFails(t *testing.T) {
	gw, o := hungServer(t, time.Second)
	s := newS3(t, o)
	const key = "hung/put"
	var frozenAt time.Time
	r := &storagetest.OnAfter{R: storagetest.Gen(3, 64<<20), N: 12 << 20, Fn: func() {
		gw.Freeze(t)
		frozenAt = time.Now()
	}}
	err, _ := answer(t, "Put", func() error {
		_, err := s.Put(context.Background(), key, r, -1)
		return err
	})
	if frozenAt.IsZero() {
		t.Fatalf("Put returned (%v) before the server was stopped", err)
	}
	wantUnavailable(t, "Put", err, time.Since(frozenAt), hungStall+hungMargin)

	gw.Thaw(t)
	fresh := newS3(t, gw.Opts)
	storagetest.AssertAbsent(t, fresh, key)
	if _, err := fresh.AbortIncompleteUploads(context.Background(), "hung/", 0); err != nil {
		t.Fatalf("AbortIncompleteUploads after the server resumed: %v", err)
	}
	// The same client works again once its hold is over.
	time.Sleep(o.UnresponsiveHold)
	if _, err := s.Put(context.Background(), "hung/after", bytes.NewReader([]byte("after")), 5); err != nil {
		t.Fatalf("Put after the server resumed: %v", err)
	}
}

// With the S3 server stopped, every call without a streamed body fails
// with ErrUnavailable within the call timeout; right after one such
// failure, the next call fails at once (the server is held off).
func TestS3HungServerCallsTimeOut(t *testing.T) {
	gw, o := hungServer(t, -1) // no hold: each call shows its own deadline
	s := newS3(t, o)
	ctx := context.Background()
	if _, err := s.Put(ctx, "hung/obj", bytes.NewReader([]byte("content")), 7); err != nil {
		t.Fatal(err)
	}
	held := o
	held.UnresponsiveHold = time.Minute
	sh := newS3(t, held)
	gw.Freeze(t)

	calls := []struct {
		name string
		fn   func(s *storage.S3) error
	}{
		{"Stat", func(s *storage.S3) error { _, err := s.Stat(ctx, "hung/obj"); return err }},
		{"Delete", func(s *storage.S3) error { return s.Delete(ctx, "hung/obj") }},
		{"Walk", func(s *storage.S3) error {
			return s.Walk(ctx, "hung/", func(storage.Object) error { return nil })
		}},
		{"Ping", func(s *storage.S3) error { return s.Ping(ctx) }},
		{"AbortIncompleteUploads", func(s *storage.S3) error { _, err := s.AbortIncompleteUploads(ctx, "hung/", 0); return err }},
	}
	for _, c := range calls {
		err, took := answer(t, c.name, func() error { return c.fn(s) })
		wantUnavailable(t, c.name, err, took, hungCall+hungMargin)
	}
	err, took := answer(t, "Stat (held client)", func() error { _, err := sh.Stat(ctx, "hung/obj"); return err })
	wantUnavailable(t, "Stat (held client)", err, took, hungCall+hungMargin)
	for _, c := range calls {
		err, took := answer(t, c.name+" (held off)", func() error { return c.fn(sh) })
		wantUnavailable(t, c.name+" right after a timeout", err, took, 100*time.Millisecond)
	}

	gw.Thaw(t)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping after the server resumed: %v", err)
	}
}

// The S3 server is stopped while a download is being read: the read fails
// with ErrUnavailable within the stall timeout instead of hanging.
func TestS3HungServerDownloadFails(t *testing.T) {
	gw, o := hungServer(t, time.Second)
	s := newS3(t, o)
	ctx := context.Background()
	const size = 48 << 20 // far more than the sockets buffer
	if _, err := s.Put(ctx, "hung/get", storagetest.Gen(4, size), size); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Open(ctx, "hung/get")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.CopyN(io.Discard, rc, 1<<20); err != nil {
		t.Fatal(err)
	}
	gw.Freeze(t)
	var n int64
	err, took := answer(t, "reading a download", func() error {
		var err error
		n, err = io.Copy(io.Discard, rc)
		return err
	})
	if err == nil {
		t.Fatalf("the download ended without error after %d more bytes although the server is stopped", n)
	}
	wantUnavailable(t, "reading a download", err, took, hungStall+hungMargin)
	gw.Thaw(t)
}
