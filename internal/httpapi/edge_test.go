package httpapi_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// rawDo sends a request without the spec validation of testkit (preflights
// are not API operations).
func rawDo(t *testing.T, s *testkit.Server, method, path string, h http.Header, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// Only the configured origins get CORS headers; any other origin gets none
// (the browser then withholds the response), and its preflight is refused.
func TestCORSAllowlist(t *testing.T) {
	const listed, unlisted = "https://app.example.org", "https://evil.example.net"
	d := testkit.NewDB(t, db.SQLite)
	s := testkit.NewServer(t, d, func(c *config.Config) { c.CORSOrigins = []string{listed} })
	plain := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), nil)
	preflight := func(origin string) http.Header {
		return http.Header{"Origin": {origin}, "Access-Control-Request-Method": {"PATCH"},
			"Access-Control-Request-Headers": {"authorization, content-type, if-match"}}
	}
	cases := []struct {
		name       string
		srv        *testkit.Server
		method     string
		h          http.Header
		status     int
		allowed    string
		allowsCred bool
	}{
		{"listed origin", s, "GET", http.Header{"Origin": {listed}}, 401, listed, true},
		{"unlisted origin", s, "GET", http.Header{"Origin": {unlisted}}, 401, "", false},
		{"origin differing in scheme", s, "GET", http.Header{"Origin": {"http://app.example.org"}}, 401, "", false},
		{"listed preflight", s, "OPTIONS", preflight(listed), 204, listed, true},
		{"unlisted preflight", s, "OPTIONS", preflight(unlisted), 403, "", false},
		{"no allowlist configured", plain, "GET", http.Header{"Origin": {listed}}, 401, "", false},
		{"preflight with no allowlist configured", plain, "OPTIONS", preflight(listed), 403, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rawDo(t, c.srv, c.method, "/api/v1/me", c.h, nil)
			if r.StatusCode != c.status {
				t.Errorf("status %d, want %d", r.StatusCode, c.status)
			}
			if got := r.Header.Get("Access-Control-Allow-Origin"); got != c.allowed {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, c.allowed)
			}
			if got := r.Header.Get("Access-Control-Allow-Credentials") == "true"; got != c.allowsCred {
				t.Errorf("Allow-Credentials %v, want %v", got, c.allowsCred)
			}
			if c.status == 204 && !strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), "If-Match") {
				t.Errorf("preflight allows headers %q, want If-Match among them", r.Header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

// JSON bodies over the cap answer 413 body_too_large; the default cap is
// 1 MiB, and it is configurable.
func TestJSONBodyLimit(t *testing.T) {
	def := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), nil)
	small := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), func(c *config.Config) { c.MaxJSONBody = 2048 })
	body := func(n int) []byte {
		return []byte(`{"email":"a@example.org","password":"` + strings.Repeat("x", n) + `"}`)
	}
	ct := http.Header{"Content-Type": {"application/json"}}
	cases := []struct {
		name   string
		srv    *testkit.Server
		size   int
		tooBig bool
	}{
		{"100 KB under the default", def, 100 << 10, false},
		{"just over 1 MiB", def, 1 << 20, true},
		{"3 KB over a 2 KB cap", small, 3 << 10, true},
		{"1 KB under a 2 KB cap", small, 1 << 10, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.srv.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Body: body(c.size), Header: ct})
			if (r.StatusCode == 413) != c.tooBig {
				t.Errorf("status %d (%s), want 413: %v", r.StatusCode, r.Body, c.tooBig)
			}
			if c.tooBig && !strings.Contains(string(r.Body), "body_too_large") {
				t.Errorf("413 body %s lacks body_too_large", r.Body)
			}
		})
	}
}

// HSTS is sent when the public URL is https (TLS ends at a proxy), not on a
// plain-HTTP development server.
func TestHSTSBehindTLSProxy(t *testing.T) {
	proxied := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), func(c *config.Config) { c.PublicURL = "https://habeas.example.org" })
	dev := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), nil)
	if h := rawDo(t, proxied, "GET", "/livez", nil, nil).Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Errorf("behind a TLS proxy: Strict-Transport-Security %q", h)
	}
	if h := rawDo(t, dev, "GET", "/livez", nil, nil).Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("plain HTTP: Strict-Transport-Security %q, want none", h)
	}
}

// A NUL character is no text: in a JSON string or a query parameter it
// answers 400 and stores nothing (PostgreSQL would refuse it with a 500).
func TestNULIsRefused(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, "admin")
		ct := http.Header{"Content-Type": {"application/json"}}
		for _, c := range []struct {
			name, method, path string
			body               []byte
		}{
			{"NUL in a JSON string", "POST", "/api/v1/detainees", []byte(`{"name":"a\u0000b"}`)},
			{"NUL in a JSON key", "POST", "/api/v1/detainees", []byte(`{"name":"ab","x\u0000":1}`)},
			{"NUL in a query value", "GET", "/api/v1/detainees?q=a%00b", nil},
			{"invalid UTF-8 in a query value", "GET", "/api/v1/cases?q=%ff%fe", nil},
			{"NUL in the path", "GET", "/api/v1/cases/%00", nil},
		} {
			r := s.Do(testkit.Request{Method: c.method, Path: c.path, Body: c.body, Header: ct, Token: tok})
			if r.StatusCode != 400 {
				t.Errorf("%s: %d, want 400: %s", c.name, r.StatusCode, r.Body)
			}
		}
		// An escaped backslash before u0000 is ordinary text.
		r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Body: []byte(`{"name":"a\\u0000b"}`), Header: ct, Token: tok})
		if r.StatusCode != 201 {
			t.Errorf("literal \\u0000 text: %d, want 201: %s", r.StatusCode, r.Body)
		}
		var n int64
		d.Table("detainees").Count(&n)
		if n != 1 {
			t.Errorf("%d detainees stored, want 1", n)
		}
	})
}
