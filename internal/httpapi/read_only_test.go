package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// writeTxLog remembers the request ids of the write transactions begun
// with a request's context (db.DB.OnWriteTx). The audit log's group commit
// of reads runs under its own context, so a read whose entry joins it is not
// counted: only a write transaction opened for the request itself is.
type writeTxLog struct {
	mu  sync.Mutex
	ids map[string]int
}

func (l *writeTxLog) observe(ctx context.Context) {
	id := actor.RequestFrom(ctx).ID
	if id == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ids[id]++
}

func (l *writeTxLog) count(requestID string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ids[requestID]
}

// TestGETRoutesTakeNoWriteTransaction (issue 18): every GET route of the
// access matrix, for every role on its own and a foreign object, and the
// public GET routes answer without beginning a write transaction (on
// SQLite the single write lock that every writer waits for). The control
// at the start proves the observation itself works: a create is seen.
func TestGETRoutesTakeNoWriteTransaction(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		log := &writeTxLog{ids: map[string]int{}}
		d.OnWriteTx = log.observe
		e := newEnv(t, d)
		e.related = true // every route has its objects
		own, foreign := e.fixture(t)

		// Control: a change opens a write transaction under its request.
		r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: e.users[rAdmin].token,
			Body: map[string]any{"name": "写事务对照 control"}})
		if r.StatusCode != 201 {
			t.Fatalf("control create: %d %s", r.StatusCode, r.Body)
		}
		if log.count(r.Header.Get("X-Request-ID")) == 0 {
			t.Fatal("control: a create was not seen beginning a write transaction; the observation is broken")
		}

		check := func(name string, req testkit.Request) {
			t.Helper()
			r := e.s.Do(req)
			if r.StatusCode >= 500 {
				t.Errorf("%s: %d %.200s", name, r.StatusCode, r.Body)
			}
			id := r.Header.Get("X-Request-ID")
			if id == "" {
				t.Fatalf("%s: no X-Request-ID", name)
			}
			if n := log.count(id); n > 0 {
				t.Errorf("%s (%d): began %d write transaction(s); a GET must read in a read transaction", name, r.StatusCode, n)
			}
		}
		gets := 0
		for _, rt := range matrixRoutes() {
			if rt.method != "GET" {
				continue
			}
			gets++
			for _, role := range matrixRoles {
				if role == rAnon {
					continue
				}
				for _, side := range []struct {
					name string
					o    objects
				}{{"own", own}, {"foreign", foreign}} {
					check(fmt.Sprintf("%s as %s (%s)", rt.key(), role, side.name),
						testkit.Request{Method: "GET", Path: rt.path(side.o), Token: e.users[role].token, Header: http.Header{}})
				}
			}
		}
		if gets < 30 {
			t.Fatalf("only %d GET routes in the access matrix: the test lost its routes", gets)
		}
		feed := must(e.s.App.Timeline.RotateFeed(context.Background(), e.users[rLawA].p))
		for _, path := range []string{"/livez", "/readyz", "/api/openapi.yaml", "/api/docs", feed.URL} {
			check("GET "+path, testkit.Request{Method: "GET", Path: path})
		}
	})
}
