package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/httpapi"
	"github.com/habeas-org/habeas/internal/testkit"
)

func withoutRequestID(t *testing.T, r *testkit.Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "request_id")
	return m
}

// Unknown email, wrong password and disabled account are indistinguishable.
func TestLoginFailuresLookAlike(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		adminTok, _ := testkit.UserToken(t, s, actor.Admin)
		u := testkit.CreateUser(t, s, actor.Lawyer)
		off := testkit.CreateUser(t, s, actor.Lawyer)
		wantStatus(t, s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + off.ID, Token: adminTok, Body: map[string]any{"disabled": true}}), 200, "")
		attempts := []map[string]string{
			{"email": "nobody-here@example.org", "password": "Whatever-Long-Pass-1"},
			{"email": u.Email, "password": "Whatever-Long-Pass-1"},
			{"email": off.Email, "password": off.Password}, // right password, disabled account
		}
		var first map[string]any
		for i, a := range attempts {
			r := post(s, "/api/v1/auth/login", "", a)
			wantStatus(t, r, 401, "invalid_credentials")
			m := withoutRequestID(t, r)
			if i == 0 {
				first = m
			} else if !equalJSON(m, first) {
				t.Errorf("attempt %d body %v differs from %v", i, m, first)
			}
		}
		// Email is case-insensitive.
		up := map[string]string{"email": " " + upper(u.Email) + " ", "password": u.Password}
		wantStatus(t, post(s, "/api/v1/auth/login", "", up), 200, "")
		if n := auditCount(t, s, "auth.login", audit.Denied); n != 3 {
			t.Errorf("%d failed logins audited, want 3", n)
		}
		// Input errors.
		wantStatus(t, post(s, "/api/v1/auth/login", "", map[string]string{"email": u.Email}), 400, "validation_failed")
		wantStatus(t, post(s, "/api/v1/auth/login", "", map[string]string{"email": u.Email, "password": "x", "remember": "1"}), 400, "unknown_field")
		wantStatus(t, s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Body: []byte(`{"email":"a","password":"b"}`),
			Header: http.Header{"Content-Type": {"text/plain"}}}), 415, "")
		wantStatus(t, s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Body: []byte(`{"email":"a"} {"x":1}`),
			Header: http.Header{"Content-Type": {"application/json"}}}), 400, "invalid_json")
		big := make([]byte, httpapi.DefaultMaxJSONBody+1)
		for i := range big {
			big[i] = ' '
		}
		big[0], big[len(big)-1] = '{', '}'
		wantStatus(t, s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Body: big,
			Header: http.Header{"Content-Type": {"application/json"}}}), 413, "body_too_large")
	})
}

func equalJSON(a, b map[string]any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

// Failed sign-ins lock the (account, address) pair, then the client
// address, in the database: a second server process on the same database
// sees the lock, and a spoofed X-Forwarded-For from an untrusted peer
// changes nothing.
func TestLockoutPerAccountAndAddress(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		cfg := func(c *config.Config) { c.LoginMaxFailuresPerAccountAddress = 3; c.LoginMaxFailuresPerAddress = 6 }
		s1 := testkit.NewServer(t, d, cfg)
		s2 := testkit.NewServer(t, d, cfg) // another process, same database
		u := testkit.CreateUser(t, s1, actor.Lawyer)
		bad := map[string]string{"email": u.Email, "password": "Not-The-Password-1"}
		for i := 0; i < 3; i++ {
			s := s1
			if i%2 == 1 {
				s = s2
			}
			wantStatus(t, post(s, "/api/v1/auth/login", "", bad), 401, "invalid_credentials")
		}
		for _, s := range []*testkit.Server{s1, s2} {
			r := post(s, "/api/v1/auth/login", "", map[string]string{"email": u.Email, "password": u.Password})
			wantStatus(t, r, 429, "login_throttled")
			if r.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
		}
		// Unknown accounts lock the same way (no enumeration by lockout).
		ghost := map[string]string{"email": "ghost@example.org", "password": "Not-The-Password-1"}
		for i := 0; i < 3; i++ {
			wantStatus(t, post(s1, "/api/v1/auth/login", "", ghost), 401, "invalid_credentials")
		}
		wantStatus(t, post(s1, "/api/v1/auth/login", "", ghost), 429, "login_throttled")

		// The address has 6 failures now: any account from it is refused,
		// whatever X-Forwarded-For says (the peer is not a trusted proxy).
		other := testkit.CreateUser(t, s1, actor.Lawyer)
		r := s1.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Header: http.Header{"X-Forwarded-For": {"203.0.113.9"}},
			Body: map[string]string{"email": other.Email, "password": other.Password}})
		wantStatus(t, r, 429, "login_throttled")
		if auditCount(t, s1, "auth.login", audit.Denied) < 8 {
			t.Error("throttled attempts not audited")
		}
	})
}

// Behind a trusted proxy the address is the forwarded one.
func TestTrustedProxyAddress(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	s := testkit.NewServer(t, d, func(c *config.Config) {
		c.TrustedProxies = []string{"127.0.0.1", "::1"}
		c.LoginMaxFailuresPerAddress = 2
		c.LoginMaxFailuresPerAccount = 100
	})
	u := testkit.CreateUser(t, s, actor.Lawyer)
	from := func(ip string, pw string) *testkit.Response {
		return s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Header: http.Header{"X-Forwarded-For": {ip}},
			Body: map[string]string{"email": u.Email, "password": pw}})
	}
	for i := 0; i < 2; i++ {
		wantStatus(t, from("198.51.100.7", "Not-The-Password-1"), 401, "")
	}
	wantStatus(t, from("198.51.100.7", u.Password), 429, "login_throttled")
	wantStatus(t, from("198.51.100.8", u.Password), 200, "")
}
