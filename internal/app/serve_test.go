package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// A SIGTERM that arrives during a slow request lets the request finish, then
// Serve returns nil (the process exits 0).
func TestSIGTERMDuringSlowRequest(t *testing.T) {
	cfg, err := config.Load(func(k string) string {
		if k == "HABEAS_ADDR" {
			return "127.0.0.1:0"
		}
		return ""
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	started := make(chan struct{})
	slow := func(r *gin.Engine) {
		r.GET("/test/slow", func(c *gin.Context) {
			close(started)
			time.Sleep(700 * time.Millisecond)
			c.String(http.StatusOK, "finished")
		})
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), cfg, logger, app.WithDB(testkit.NewDB(t, db.SQLite)), app.WithExtraRoutes(slow))
	if err != nil {
		t.Fatal(err)
	}
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() { served <- a.Serve(context.Background(), func(addr net.Addr) { addrc <- addr }) }()
	addr := <-addrc

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr.String() + "/test/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{body: string(b), err: err}
	}()
	<-started
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: body %q, err %v", r.body, r.err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve returned %v, want nil (exit 0)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after SIGTERM")
	}
	// New connections are refused once stopped.
	if _, err := http.Get("http://" + addr.String() + "/livez"); err == nil {
		t.Error("server still accepting after shutdown")
	}
}

// With HABEAS_METRICS_ADDR set, /metrics is served there (and only there).
func TestMetricsOnSeparateListener(t *testing.T) {
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "HABEAS_ADDR":
			return "127.0.0.1:0"
		case "HABEAS_METRICS_ADDR":
			return "127.0.0.1:0"
		}
		return ""
	}, nil)
	if err == nil {
		t.Fatal("metrics address equal to the listen address accepted")
	}
	cfg, err = config.Load(func(k string) string {
		if k == "HABEAS_ADDR" {
			return "127.0.0.1:0"
		}
		return ""
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.MetricsAddr = ln.Addr().String()
	ln.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), cfg, logger, app.WithDB(testkit.NewDB(t, db.SQLite)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, func(addr net.Addr) { addrc <- addr }) }()
	addr := <-addrc
	if resp, err := http.Get("http://" + addr.String() + "/livez"); err == nil {
		resp.Body.Close()
	}
	var body []byte
	for range 50 { // the metrics listener starts right after the main one
		resp, err := http.Get("http://" + cfg.MetricsAddr + "/metrics")
		if err == nil {
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(string(body), `habeas_http_requests_total{method="GET",route="/livez",status="200"}`) {
		t.Fatalf("metrics lack the request counter:\n%.2000s", body)
	}
	resp, err := http.Get("http://" + addr.String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	public, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(public), "habeas_http_requests_total") {
		t.Error("/metrics served on the public listener")
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
}

// A client that sends its headers too slowly is cut off after
// HABEAS_HTTP_READ_HEADER_TIMEOUT (a slowloris holds no connection open).
func TestSlowHeaderClientIsCutOff(t *testing.T) {
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "HABEAS_ADDR":
			return "127.0.0.1:0"
		case "HABEAS_HTTP_READ_HEADER_TIMEOUT":
			return "300ms"
		}
		return ""
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), cfg, logger, app.WithDB(testkit.NewDB(t, db.SQLite)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, func(addr net.Addr) { addrc <- addr }) }()
	defer func() { cancel(); <-served }()
	conn, err := net.Dial("tcp", (<-addrc).String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /livez HTTP/1.1\r\nHost: habeas\r\nX-Slow: ")); err != nil {
		t.Fatal(err)
	}
	// The server must close the connection long before this deadline.
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	start := time.Now()
	buf := make([]byte, 512)
	for {
		_, err := conn.Read(buf)
		if err == nil {
			continue // a 408 response may come first; then the close
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("connection still open after %s with headers unfinished", time.Since(start))
		}
		return // EOF or reset: cut off
	}
}
