package app_test

import (
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// sessionCacheServers returns the instances a revocation is made on (b) and
// checked on (a): on PostgreSQL two replicas of one database, each with its
// own connection pool and session cache; on SQLite (one process per
// database file) one server twice.
func sessionCacheServers(t *testing.T, dialect db.Dialect) (a, b *testkit.Server) {
	t.Helper()
	if dialect == db.Postgres {
		shared := replicaConfig(t, testkit.NewEmptyPostgresURL(t))
		a, b = testkit.NewServer(t, nil, shared), testkit.NewServer(t, nil, shared)
		if a.App.DB == b.App.DB || a.App.Auth == b.App.Auth {
			t.Fatal("the replicas share a connection pool or an auth service")
		}
		return a, b
	}
	a = testkit.NewServer(t, testkit.NewDB(t, db.SQLite), func(c *config.Config) { c.Evidence.ReconcileInterval = 0 })
	return a, a
}

// The session check is cached (internal/auth, session_cache.go), and every
// way of ending or narrowing a session still takes effect on the very next
// request, on the instance that made the change and on any other: each case
// signs a user in on A, proves A now answers that user's requests from its
// cache (no session query), changes something on B, and expects A's next
// request to see it.
func TestSessionCacheRevocationIsImmediate(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			a, b := sessionCacheServers(t, dialect)
			adminB := testkit.Login(t, b, testkit.CreateUser(t, b, actor.Admin)).Access
			qc := testkit.CountQueries(t, a.App.DB)

			me := func(tok string) (int, string) {
				r := a.Do(testkit.Request{Method: "GET", Path: "/api/v1/me", Token: tok})
				var body struct {
					Role string `json:"role"`
				}
				if r.StatusCode == 200 {
					r.JSON(t, &body)
				}
				return r.StatusCode, body.Role
			}
			// warm signs u in on A and checks that A's second request is
			// answered from the cache: the proof that the revocation below
			// is seen despite the cache, not for want of one.
			warm := func(t *testing.T, role actor.Role) (*testkit.TestUser, testkit.Tokens) {
				t.Helper()
				u := testkit.CreateUser(t, a, role)
				toks := testkit.Login(t, a, u)
				if c, _ := me(toks.Access); c != 200 {
					t.Fatalf("first request on A: %d", c)
				}
				qc.Start()
				c, _ := me(toks.Access)
				stmts := qc.Stop()
				if c != 200 {
					t.Fatalf("second request on A: %d", c)
				}
				for _, s := range stmts {
					if strings.Contains(s, "FROM sessions") {
						t.Fatalf("second request on A read the session again (no cache hit):%s", testkit.Summary(stmts))
					}
				}
				return u, toks
			}
			adminDo := func(t *testing.T, method, path string, body any) {
				t.Helper()
				if r := b.Do(testkit.Request{Method: method, Path: path, Token: adminB, Body: body}); r.StatusCode >= 300 {
					t.Fatalf("%s %s on B: %d %s", method, path, r.StatusCode, r.Body)
				}
			}

			for _, tc := range []struct {
				name   string
				revoke func(t *testing.T, u *testkit.TestUser, toks testkit.Tokens)
			}{
				{"admin ends the user's sessions", func(t *testing.T, u *testkit.TestUser, _ testkit.Tokens) {
					adminDo(t, "POST", "/api/v1/users/"+u.ID+"/sessions/revoke", nil)
				}},
				{"admin disables the user", func(t *testing.T, u *testkit.TestUser, _ testkit.Tokens) {
					adminDo(t, "PATCH", "/api/v1/users/"+u.ID, map[string]any{"disabled": true})
				}},
				{"admin resets the password", func(t *testing.T, u *testkit.TestUser, _ testkit.Tokens) {
					adminDo(t, "POST", "/api/v1/users/"+u.ID+"/reset-password", map[string]any{})
				}},
				{"the user changes their password", func(t *testing.T, u *testkit.TestUser, _ testkit.Tokens) {
					other := testkit.Login(t, b, u).Access
					r := b.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/password", Token: other,
						Body: map[string]string{"current_password": u.Password, "new_password": "a brand new passphrase 42"}})
					if r.StatusCode != 200 {
						t.Fatalf("password change on B: %d %s", r.StatusCode, r.Body)
					}
				}},
				{"the user signs out", func(t *testing.T, _ *testkit.TestUser, toks testkit.Tokens) {
					if r := b.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/logout", Token: toks.Access}); r.StatusCode != 204 {
						t.Fatalf("logout on B: %d %s", r.StatusCode, r.Body)
					}
				}},
				{"an operator revokes the session in SQL", func(t *testing.T, u *testkit.TestUser, _ testkit.Tokens) {
					if err := b.App.DB.Exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ?", "2020-01-01 00:00:00", u.ID).Error; err != nil {
						t.Fatal(err)
					}
				}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					u, toks := warm(t, actor.Lawyer)
					tc.revoke(t, u, toks)
					if c, _ := me(toks.Access); c != 401 {
						t.Fatalf("the next request on A: %d; want 401", c)
					}
				})
			}

			t.Run("role change", func(t *testing.T) {
				u, toks := warm(t, actor.Coordinator)
				create := func() int {
					return a.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: toks.Access,
						Body: map[string]string{"name": "王五"}}).StatusCode
				}
				if c := create(); c != 201 {
					t.Fatalf("a coordinator creates a detainee on A: %d", c)
				}
				adminDo(t, "PATCH", "/api/v1/users/"+u.ID, map[string]any{"role": "lawyer"})
				if c := create(); c != 403 {
					t.Fatalf("the next request on A after the demotion to lawyer: %d; want 403", c)
				}
				if c, role := me(toks.Access); c != 200 || role != "lawyer" {
					t.Fatalf("GET /me on A: %d as %q; want 200 as lawyer", c, role)
				}
			})

			t.Run("a change to another user drops nothing it should keep", func(t *testing.T) {
				_, toks := warm(t, actor.Lawyer)
				other := testkit.CreateUser(t, b, actor.Lawyer)
				adminDo(t, "PATCH", "/api/v1/users/"+other.ID, map[string]any{"disabled": true})
				if c, _ := me(toks.Access); c != 200 {
					t.Fatalf("an unrelated user's change ended this session: %d", c)
				}
			})
		})
	}
}
