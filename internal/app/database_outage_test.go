package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/faultkit"
	"github.com/habeas-org/habeas/internal/metrics"
	"github.com/habeas-org/habeas/internal/testkit"
)

// requirePostgres returns the URL of a fresh, empty PostgreSQL database.
// Without HABEAS_TEST_POSTGRES_URL the test fails (testkit.PostgresURL);
// when HABEAS_TEST_DATABASES leaves PostgreSQL out, it is skipped and says so.
func requirePostgres(t *testing.T) string {
	t.Helper()
	if !slices.Contains(testkit.Dialects(t), db.Postgres) {
		t.Skip("this test needs PostgreSQL; HABEAS_TEST_DATABASES leaves it out (scripts/test.sh includes it)")
	}
	return testkit.NewEmptyPostgresURL(t)
}

// openAdmin opens a connection pool of its own on the database at u.
func openAdmin(t *testing.T, u string) *db.DB {
	t.Helper()
	a, err := db.Open(context.Background(), db.Options{PostgresURL: u, ConnectTimeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("admin connection: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

func countDetainees(t *testing.T, a *db.DB, name string) int64 {
	t.Helper()
	var n int64
	if err := a.Raw("SELECT count(*) FROM detainees WHERE name = ?", name).Scan(&n).Error; err != nil {
		t.Fatalf("count detainees: %v", err)
	}
	return n
}

// expectUnavailable checks a 503 database_unavailable answer with Retry-After.
func expectUnavailable(t *testing.T, what string, r *testkit.Response) {
	t.Helper()
	var body struct{ Code string }
	r.JSON(t, &body)
	if r.StatusCode != http.StatusServiceUnavailable || body.Code != "database_unavailable" || r.Header.Get("Retry-After") != "5" {
		t.Fatalf("%s: %d %q Retry-After %q, want 503 database_unavailable with Retry-After 5: %s",
			what, r.StatusCode, body.Code, r.Header.Get("Retry-After"), r.Body)
	}
}

// A PostgreSQL restart or an operator ending sessions kills the backends of
// pooled connections: the next requests must not fail for it (a
// transaction that failed before any effect is retried once on a fresh
// connection), and a retried write is stored once.
func TestTerminatedBackendsAreRetried(t *testing.T) {
	u := requirePostgres(t)
	s := testkit.NewServer(t, nil, func(c *config.Config) { c.DatabaseURL = u })
	tok, _ := testkit.UserToken(t, s, actor.Coordinator)
	admin := openAdmin(t, u)

	// Warm the pool: several connections open and idle.
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", s.URL+"/api/v1/detainees", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			if resp, err := s.Client.Do(req); err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		})
	}
	wg.Wait()

	for round := range 2 {
		var ended int64
		if err := admin.Raw("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()").Scan(&ended).Error; err != nil {
			t.Fatalf("terminate backends: %v", err)
		}
		if ended == 0 {
			t.Fatal("no backend to terminate: the pool was not warm")
		}
		if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees", Token: tok}); r.StatusCode != http.StatusOK {
			t.Fatalf("round %d: GET after %d backends were terminated: %d %s", round, ended, r.StatusCode, r.Body)
		}
		if _, err := admin.SQL().Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"); err != nil {
			t.Fatalf("terminate backends: %v", err)
		}
		name := "Terminated Backend " + string(rune('A'+round))
		r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: tok, Body: map[string]any{"name": name}})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("round %d: POST after backends were terminated: %d %s", round, r.StatusCode, r.Body)
		}
		if n := countDetainees(t, admin, name); n != 1 {
			t.Fatalf("round %d: the write is stored %d times, want once", round, n)
		}
	}
}

// When the database refuses connections, requests answer 503
// database_unavailable with Retry-After, store nothing, and answer again as
// soon as the database is back.
func TestDatabaseRefusedAnswers503(t *testing.T) {
	direct := requirePostgres(t)
	pu, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	// The proxy stands for a database server that goes away (connections
	// cut, new ones refused) and comes back on the same address.
	p, err := faultkit.StartProxy(pu.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	pu.Host = p.Addr
	s := testkit.NewServer(t, nil, func(c *config.Config) { c.DatabaseURL = pu.String() })
	tok, _ := testkit.UserToken(t, s, actor.Coordinator)
	admin := openAdmin(t, direct)
	if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees", Token: tok}); r.StatusCode != http.StatusOK {
		t.Fatalf("GET before the outage: %d %s", r.StatusCode, r.Body)
	}

	p.Refuse()
	expectUnavailable(t, "GET with the database refusing connections",
		s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees", Token: tok}))
	expectUnavailable(t, "POST with the database refusing connections",
		s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: tok, Body: map[string]any{"name": "Refused Write"}}))
	if n := countDetainees(t, admin, "Refused Write"); n != 0 {
		t.Fatalf("a refused write was stored %d times", n)
	}

	if err := p.Accept(); err != nil {
		t.Fatal(err)
	}
	if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees", Token: tok}); r.StatusCode != http.StatusOK {
		t.Fatalf("GET once the database is back: %d %s", r.StatusCode, r.Body)
	}
	if r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: tok, Body: map[string]any{"name": "After Outage"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("POST once the database is back: %d %s", r.StatusCode, r.Body)
	}
	if n := countDetainees(t, admin, "After Outage"); n != 1 {
		t.Fatalf("the write after the outage is stored %d times, want once", n)
	}
}

// A statement that outlives HABEAS_DB_QUERY_TIMEOUT (here: waiting for a
// lock another connection holds) answers 503 database_unavailable within
// the timeout and a margin, not whenever the lock is released.
func TestQueryTimeoutAnswers503(t *testing.T) {
	u := requirePostgres(t)
	const timeout = time.Second
	s := testkit.NewServer(t, nil, func(c *config.Config) { c.DatabaseURL = u; c.DBQueryTimeout = timeout })
	s.Client.Timeout = timeout + 10*time.Second // without the deadline the request would wait for the lock
	tok, _ := testkit.UserToken(t, s, actor.Coordinator)
	admin := openAdmin(t, u)
	ctx := context.Background()
	conn, err := admin.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "LOCK TABLE detainees IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			released = true
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
		}
	}
	defer release()

	for _, req := range []testkit.Request{
		{Method: "GET", Path: "/api/v1/detainees", Token: tok},
		{Method: "POST", Path: "/api/v1/detainees", Token: tok, Body: map[string]any{"name": "Locked Out"}},
	} {
		start := time.Now()
		r := s.Do(req)
		took := time.Since(start)
		expectUnavailable(t, req.Method+" behind a lock", r)
		if took > timeout+3*time.Second {
			t.Fatalf("%s answered after %s, want within %s and a margin", req.Method, took, timeout)
		}
	}
	release()
	if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees", Token: tok}); r.StatusCode != http.StatusOK {
		t.Fatalf("GET once the lock is released: %d %s", r.StatusCode, r.Body)
	}
	if n := countDetainees(t, admin, "Locked Out"); n != 0 {
		t.Fatalf("the timed-out write was stored %d times", n)
	}
}

// captured keeps every log record.
type captured struct {
	mu      sync.Mutex
	records []slog.Record
}

func (c *captured) Enabled(context.Context, slog.Level) bool { return true }
func (c *captured) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.records = append(c.records, r.Clone())
	return nil
}
func (c *captured) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *captured) WithGroup(string) slog.Handler      { return c }

// find returns the first record with message msg whose attribute key has
// value want (any value when want is "").
func (c *captured) find(msg, key, want string) (slog.Record, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.records {
		if r.Message != msg {
			continue
		}
		found := want == ""
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == key && a.Value.String() == want {
				found = true
			}
			return !found
		})
		if found {
			return r, true
		}
	}
	return slog.Record{}, false
}

// A request its client cancels in the middle of its transaction is no
// server error: no error-level "request failed", no 500 counted; the access
// log and the metrics say 499.
func TestClientCancelIsNotAnError(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		logs := &captured{}
		var (
			armed      atomic.Bool
			cancelCall atomic.Pointer[context.CancelFunc]
			target     atomic.Pointer[string]
		)
		d.OnWriteTx = func(ctx context.Context) {
			p := actor.From(ctx)
			if p == nil || target.Load() == nil || p.UserID != *target.Load() || !armed.CompareAndSwap(true, false) {
				return
			}
			(*cancelCall.Load())() // the client goes away while the transaction begins
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
			}
		}
		s := testkit.NewServerLogging(t, d, nil, logs)
		tok, u := testkit.UserToken(t, s, actor.Coordinator)
		uid := u.ID
		target.Store(&uid)

		const route = "/api/v1/detainees"
		before500 := requests(t, route, "500")
		before499 := requests(t, route, "499")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		cancelCall.Store(&cancel)
		armed.Store(true)
		req, _ := http.NewRequestWithContext(ctx, "POST", s.URL+route, strings.NewReader(`{"name":"Cancelled Write"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		if resp, err := s.Client.Do(req); err == nil {
			_ = resp.Body.Close()
			t.Fatalf("the cancelled request got an answer: %d", resp.StatusCode)
		} else if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled request: %v", err)
		}

		var access slog.Record
		deadline := time.Now().Add(10 * time.Second)
		for {
			r, ok := logs.find("http request", "route", route)
			if ok {
				access = r
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no access log line for the cancelled request")
			}
			time.Sleep(20 * time.Millisecond)
		}
		if r, ok := logs.find("request failed", "", ""); ok {
			t.Errorf("a cancelled request was logged at %s as %q: %v", r.Level, r.Message, attrs(r))
		}
		status := ""
		access.Attrs(func(a slog.Attr) bool {
			if a.Key == "status" {
				status = a.Value.String()
			}
			return true
		})
		if status != "499" || access.Level != slog.LevelInfo {
			t.Errorf("access log of the cancelled request: %s status %s, want INFO 499", access.Level, status)
		}
		if _, ok := logs.find("client closed the request", "", ""); !ok {
			for _, r := range logs.records {
				t.Logf("%s %s %s", r.Level, r.Message, attrs(r))
			}
			t.Error(`no "client closed the request" line`)
		}
		if got := requests(t, route, "500") - before500; got != 0 {
			t.Errorf("the cancelled request counted %v 500s", got)
		}
		if got := requests(t, route, "499") - before499; got != 1 {
			t.Errorf("the cancelled request counted %v 499s, want 1", got)
		}
	})
}

func attrs(r slog.Record) string {
	var b strings.Builder
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(a.String() + " ")
		return true
	})
	return b.String()
}

// requests reads the count of POST route answered with status.
func requests(t *testing.T, route, status string) float64 {
	t.Helper()
	var m dto.Metric
	if err := metrics.HTTPRequests.WithLabelValues(route, "POST", status).Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// An SQLite database closed under the server (a shutdown past its grace)
// answers 503 database_unavailable, not 500.
func TestClosedSQLiteAnswers503(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	s := testkit.NewServer(t, d, nil)
	tok, _ := testkit.UserToken(t, s, actor.Coordinator)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	expectUnavailable(t, "GET on a closed database", s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees", Token: tok}))
	expectUnavailable(t, "POST on a closed database",
		s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: tok, Body: map[string]any{"name": "Closed Write"}}))
}
