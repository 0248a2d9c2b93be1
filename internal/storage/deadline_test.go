package storage

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The deadlines do not break keep-alive: requests spaced by more than the
// stall and call timeouts, with bodies both ways, reuse one connection; a
// slow caller between reads of a download is not a stall; a server that
// stops answering is.
func TestDeadlinesKeepConnectionsAlive(t *testing.T) {
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/hang" {
			<-hang
			return
		}
		_, _ = w.Write([]byte(strings.Repeat("x", 64<<10)))
	}))
	defer srv.Close()
	defer close(hang) // before srv.Close, which waits for the handlers
	const d = 100 * time.Millisecond
	tr, err := newTransport(false, time.Second, d, d, -1)
	if err != nil {
		t.Fatal(err)
	}
	var dials atomic.Int32
	base := tr.base.(*http.Transport)
	dial := base.DialContext
	base.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return dial(ctx, network, addr)
	}
	client := &http.Client{Transport: tr}
	do := func(method, path string, body io.Reader, slowReader bool) error {
		req, _ := http.NewRequest(method, srv.URL+path, body)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		buf := make([]byte, 1024)
		for {
			_, err := resp.Body.Read(buf)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if slowReader {
				time.Sleep(3 * d)
				slowReader = false
			}
		}
	}
	for i, c := range []struct {
		method string
		body   io.Reader
		slow   bool
	}{{"GET", nil, false}, {"PUT", strings.NewReader("part"), false}, {"HEAD", nil, false}, {"GET", nil, true}, {"DELETE", nil, false}} {
		if err := do(c.method, "/obj", c.body, c.slow); err != nil {
			t.Fatalf("request %d (%s): %v", i, c.method, err)
		}
		time.Sleep(3 * d) // idle on the pool for longer than any deadline
	}
	if n := dials.Load(); n != 1 {
		t.Fatalf("%d connections dialled for 5 sequential requests; want 1 (keep-alive)", n)
	}
	start := time.Now()
	err = do("GET", "/hang", nil, false)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("GET of a server that never answers: %v; want ErrUnavailable", err)
	}
	if took := time.Since(start); took > 10*d {
		t.Fatalf("GET of a server that never answers failed after %v; want about %v", took, d)
	}
}
