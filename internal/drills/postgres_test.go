//go:build drills

package drills

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
)

// TestDrillPostgresBackendsTerminated: every PostgreSQL backend of the
// server is ended (pg_terminate_backend) right after its pooled
// connections were used (so the pool hands them out again without the
// driver's liveness ping of connections idle over a second): the next
// writes and reads, sent at once, all answer 2xx (a transaction that fails
// on a dead pooled connection before any effect is retried once on a fresh
// one). Three rounds.
func TestDrillPostgresBackendsTerminated(t *testing.T) {
	t.Parallel()
	in := newInstance(t, "postgres", "local", options{})
	caseID := in.newCase()
	admin, err := faultkit.OpenAdmin(in.ctx(30*time.Second), in.pgAdmin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for round := range 3 {
		warmPool(t, in, caseID)
		n, err := admin.Terminate(in.ctx(30*time.Second), in.pgName)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatal("the server had no PostgreSQL backend to terminate: the drill proves nothing")
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		failed := 0
		for i := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var (
					r    *faultkit.Response
					err  error
					what = "write"
				)
				if i%2 == 0 {
					r, err = in.c.AddEvent(in.ctx(30*time.Second), caseID, fmt.Sprintf("round %d write %d", round, i))
				} else {
					what = "read"
					r, err = in.c.Get(in.ctx(30*time.Second), "/api/v1/cases/"+caseID+"/timeline?limit=50")
				}
				if err != nil || !r.OK() {
					mu.Lock()
					failed++
					mu.Unlock()
					t.Errorf("round %d: %s after the backends were terminated: %s %v (want 2xx)", round, what, r, err)
				}
			}()
		}
		wg.Wait()
		t.Logf("round %d: terminated %d backends; %d of 6 requests after failed", round, n, failed)
	}
}

// warmPool makes the server hold several pooled connections.
func warmPool(t *testing.T, in *instance, caseID string) {
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = in.c.Get(in.ctx(30*time.Second), "/api/v1/cases/"+caseID+"/timeline?limit=50")
		}()
	}
	wg.Wait()
}

// TestDrillPostgresRefused: PostgreSQL refuses connections (the server's
// database URL points at a proxy, which closes its listener and every
// connection): writes and reads answer 503 database_unavailable with
// Retry-After within the query deadline, nothing is stored; once
// connections are accepted again, requests answer 2xx.
func TestDrillPostgresRefused(t *testing.T) {
	t.Parallel()
	var proxy *faultkit.Proxy
	in := newInstance(t, "postgres", "local", options{dbURL: func(pgURL string) string {
		u, err := url.Parse(pgURL)
		if err != nil {
			t.Fatal(err)
		}
		if proxy, err = faultkit.StartProxy(u.Host); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(proxy.Close)
		u.Host = proxy.Addr
		return u.String()
	}})
	caseID := in.newCase()
	warmPool(t, in, caseID)
	proxy.Refuse()
	const marker = "written while the database refused connections"
	start := time.Now()
	r, err := in.c.AddEvent(in.ctx(time.Minute), caseID, marker)
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("write with the database refusing answered after %s", took.Round(time.Millisecond))
	}
	wantError(t, "write with the database refusing connections", r, err, http.StatusServiceUnavailable, "database_unavailable")
	r, err = in.c.Get(in.ctx(time.Minute), "/api/v1/cases/"+caseID)
	wantError(t, "read with the database refusing connections", r, err, http.StatusServiceUnavailable, "database_unavailable")
	if err := proxy.Accept(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "reads answer 200 once the database is back", func() (bool, string) {
		r, err := in.c.Get(in.ctx(30*time.Second), "/api/v1/cases/"+caseID)
		return err == nil && r.Status == http.StatusOK, r.String()
	})
	if r, err := in.c.AddEvent(in.ctx(30*time.Second), caseID, "after"); err != nil || r.Status != http.StatusCreated {
		t.Errorf("write once the database is back: %s %v", r, err)
	}
	if n := in.count("SELECT count(*) FROM case_events WHERE description = ?", marker); n != 0 {
		t.Errorf("the refused write was stored (%d rows)", n)
	}
}
