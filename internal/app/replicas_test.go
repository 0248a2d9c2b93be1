package app_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"sync"
	"testing"

	"filippo.io/age"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// replicaConfig is the configuration every replica of one deployment shares:
// one PostgreSQL database, one storage, one token signing key, one evidence
// identity. Each replica has its own data dir, connection pool and memory.
func replicaConfig(t *testing.T, dbURL string) func(*config.Config) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	jwtPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	objects := t.TempDir()
	return func(c *config.Config) {
		c.DatabaseURL = dbURL
		c.StorageDir = objects
		c.JWTPrivateKey = jwtPEM
		c.Evidence.AgeIdentity = config.Secret(id.String())
		c.Evidence.ReconcileInterval = 0
		c.LoginMaxFailuresPerAccountAddress = 4
		c.LoginMaxFailuresPerAddress = 10
	}
}

// Two habeas instances on one PostgreSQL database, each with its own
// connection pool and data dir, behave as one: sessions made on one work on
// the other and their revocation is seen at once, login throttling counts
// attempts on both together, and concurrent writes through both make one
// valid audit chain.
func TestTwoReplicasOnOnePostgres(t *testing.T) {
	if !slices.Contains(testkit.Dialects(t), db.Postgres) {
		t.Skip("replicas share a PostgreSQL database; this test runs when HABEAS_TEST_DATABASES includes postgres (scripts/test.sh does)")
	}
	shared := replicaConfig(t, testkit.NewEmptyPostgresURL(t))
	a := testkit.NewServer(t, nil, shared)
	b := testkit.NewServer(t, nil, shared)
	if a.App.DB == b.App.DB {
		t.Fatal("the replicas share a connection pool")
	}

	me := func(s *testkit.Server, tok string) int {
		return s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me", Token: tok}).StatusCode
	}
	refresh := func(s *testkit.Server, rt string) (*testkit.Response, testkit.TokenResponse) {
		r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": rt}})
		var tr testkit.TokenResponse
		if r.StatusCode == 200 {
			r.JSON(t, &tr)
		}
		return r, tr
	}

	t.Run("sessions", func(t *testing.T) {
		admin := testkit.CreateUser(t, a, actor.Admin)
		toks := testkit.Login(t, a, admin) // TOTP enrolled on A
		if c := me(b, toks.Access); c != 200 {
			t.Fatalf("access token of A on B: %d", c)
		}
		r, pair := refresh(b, toks.Refresh)
		if r.StatusCode != 200 || pair.AccessToken == "" {
			t.Fatalf("refresh on B of a session made on A: %d %s", r.StatusCode, r.Body)
		}
		// The rotated-out refresh token replayed on A: reuse is detected
		// across replicas and ends the session everywhere.
		if r, _ := refresh(a, toks.Refresh); r.StatusCode != 401 {
			t.Fatalf("replayed refresh token on A: %d", r.StatusCode)
		}
		for name, s := range map[string]*testkit.Server{"A": a, "B": b} {
			if c := me(s, pair.AccessToken); c != 401 {
				t.Errorf("after refresh-token reuse, the session's access token on %s: %d; want 401", name, c)
			}
		}

		// Sign in on B (TOTP checked against the shared replay state), log out on A.
		toks = testkit.Login(t, b, admin)
		if c := me(a, toks.Access); c != 200 {
			t.Fatalf("access token of B on A: %d", c)
		}
		if r := a.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/logout", Token: toks.Access}); r.StatusCode != 204 {
			t.Fatalf("logout on A: %d %s", r.StatusCode, r.Body)
		}
		if c := me(b, toks.Access); c != 401 {
			t.Errorf("access token on B after logout on A: %d; want 401 at once", c)
		}
		if r, _ := refresh(b, toks.Refresh); r.StatusCode != 401 {
			t.Errorf("refresh on B after logout on A: %d; want 401", r.StatusCode)
		}

		// An admin on A revokes a lawyer's sessions: the lawyer's token on B stops at once.
		adminTok := testkit.Login(t, a, admin).Access
		lawyer := testkit.CreateUser(t, a, actor.Lawyer)
		lt := testkit.Login(t, b, lawyer)
		if c := me(b, lt.Access); c != 200 {
			t.Fatalf("lawyer on B: %d", c)
		}
		if r := a.Do(testkit.Request{Method: "POST", Path: "/api/v1/users/" + lawyer.ID + "/sessions/revoke", Token: adminTok}); r.StatusCode >= 300 {
			t.Fatalf("revoke on A: %d %s", r.StatusCode, r.Body)
		}
		if c := me(b, lt.Access); c != 401 {
			t.Errorf("lawyer's token on B after revocation on A: %d; want 401", c)
		}
	})

	t.Run("concurrent writes make one audit chain", func(t *testing.T) {
		admin := testkit.CreateUser(t, a, actor.Admin)
		tok := testkit.Login(t, a, admin).Access
		before, _, err := a.App.Audit.Head(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		const perWorker, workersPerReplica = 8, 3
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			statuses = map[int]int{}
		)
		for _, s := range []*testkit.Server{a, b} {
			for w := range workersPerReplica {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range perWorker {
						body, _ := json.Marshal(map[string]string{"name": fmt.Sprintf("detainee %s-%d-%d", s.URL, w, i)})
						req, _ := http.NewRequest("POST", s.URL+"/api/v1/detainees", bytes.NewReader(body))
						req.Header.Set("Content-Type", "application/json")
						req.Header.Set("Authorization", "Bearer "+tok)
						code := 0
						if resp, err := s.Client.Do(req); err == nil {
							code = resp.StatusCode
							_ = resp.Body.Close()
						}
						mu.Lock()
						statuses[code]++
						mu.Unlock()
					}
				}()
			}
		}
		wg.Wait()
		const total = 2 * workersPerReplica * perWorker
		if statuses[201] != total {
			t.Fatalf("concurrent creates through both replicas: statuses %v; want %d x 201", statuses, total)
		}
		rep, err := audit.NewLog(b.App.DB).Verify(context.Background(), nil)
		if err != nil || !rep.OK() {
			t.Fatalf("audit chain after concurrent writes through two replicas: %+v %v", rep, err)
		}
		if rep.Entries != rep.HeadSeq {
			t.Errorf("audit sequence numbers are not consecutive: %d entries, head %d", rep.Entries, rep.HeadSeq)
		}
		var creates int64
		a.App.DB.Model(&audit.Row{}).Where("seq > ? AND action = ?", before, "detainee.create").Count(&creates)
		if creates != total {
			t.Errorf("%d detainee.create entries, want %d", creates, total)
		}
		r := b.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit/verify", Token: tok})
		var v struct {
			Intact bool `json:"intact"`
		}
		r.JSON(t, &v)
		if r.StatusCode != 200 || !v.Intact {
			t.Errorf("audit verify on B: %d %s", r.StatusCode, r.Body)
		}

		// Evidence uploaded through A downloads through B (shared storage and identity).
		r = a.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases", Token: tok, Body: map[string]any{"detainee_id": detaineeID(t, a, tok)}})
		var cs struct{ ID string }
		r.JSON(t, &cs)
		content := make([]byte, 200<<10)
		_, _ = rand.Read(content)
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("title", "shared")
		fw, _ := mw.CreateFormFile("file", "x.bin")
		_, _ = fw.Write(content)
		_ = mw.Close()
		r = a.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + cs.ID + "/evidence", Token: tok, Body: buf.Bytes(),
			Header: http.Header{"Content-Type": {mw.FormDataContentType()}}})
		var ev struct{ ID string }
		r.JSON(t, &ev)
		r = b.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cs.ID + "/evidence/" + ev.ID + "/content", Token: tok})
		want, got := sha256.Sum256(content), sha256.Sum256(r.Body)
		if r.StatusCode != 200 || got != want {
			t.Errorf("download on B of evidence uploaded on A: %d sha256 %s", r.StatusCode, hex.EncodeToString(got[:]))
		}
	})

	// Last: it locks the test client's address.
	t.Run("login throttling counts both replicas", func(t *testing.T) {
		login := func(s *testkit.Server, email, pw string) int {
			return s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": email, "password": pw}}).StatusCode
		}
		u := testkit.CreateUser(t, a, actor.Lawyer)
		// 4 failures per account allowed in all: 2 on each replica.
		for i := range 4 {
			s := []*testkit.Server{a, b}[i%2]
			if c := login(s, u.Email, "Not-The-Password-1"); c != 401 {
				t.Fatalf("failure %d: %d", i+1, c)
			}
		}
		for name, s := range map[string]*testkit.Server{"A": a, "B": b} {
			if c := login(s, u.Email, u.Password); c != 429 {
				t.Errorf("right password on %s after 4 failures spread over both replicas: %d; want 429", name, c)
			}
		}
		// 10 failures per address in all: 4 above, then unknown accounts,
		// alternating replicas, until the address is locked. Per-process
		// counting would allow 10 on each replica.
		failures := 4
		for i := 0; ; i++ {
			s := []*testkit.Server{a, b}[i%2]
			c := login(s, fmt.Sprintf("ghost-%d@example.org", i), "Not-The-Password-1")
			if c == 429 {
				break
			}
			if c != 401 {
				t.Fatalf("ghost failure %d: %d", i+1, c)
			}
			if failures++; failures > 10 {
				t.Fatalf("%d failed sign-ins from one address over two replicas and no lock; the limit is 10", failures)
			}
		}
		other := testkit.CreateUser(t, a, actor.Lawyer)
		for name, s := range map[string]*testkit.Server{"A": a, "B": b} {
			if c := login(s, other.Email, other.Password); c != 429 {
				t.Errorf("another account from the locked address on %s: %d; want 429", name, c)
			}
		}
	})
}

func detaineeID(t *testing.T, s *testkit.Server, tok string) string {
	t.Helper()
	r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: tok, Body: map[string]any{"name": "for evidence"}})
	var d struct{ ID string }
	r.JSON(t, &d)
	return d.ID
}
