package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

func post(s *testkit.Server, path, token string, body any) *testkit.Response {
	return s.Do(testkit.Request{Method: "POST", Path: path, Token: token, Body: body})
}

// Logout, password change, disabling and an admin's "end sessions" each
// take effect at the very next request of the old access token.
func TestRevocationTakesEffectAtOnce(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		adminTok, _ := testkit.UserToken(t, s, actor.Admin)
		cases := []struct {
			name   string
			revoke func(t *testing.T, u *testkit.TestUser, tk testkit.Tokens)
		}{
			{"logout", func(t *testing.T, u *testkit.TestUser, tk testkit.Tokens) {
				wantStatus(t, post(s, "/api/v1/auth/logout", tk.Access, nil), 204, "")
			}},
			{"logout with the refresh token", func(t *testing.T, u *testkit.TestUser, tk testkit.Tokens) {
				wantStatus(t, post(s, "/api/v1/auth/logout", "", map[string]string{"refresh_token": tk.Refresh}), 204, "")
			}},
			{"password change", func(t *testing.T, u *testkit.TestUser, tk testkit.Tokens) {
				r := post(s, "/api/v1/auth/password", tk.Access, map[string]string{"current_password": u.Password, "new_password": "Another-Long-Phrase-42"})
				wantStatus(t, r, 200, "")
				var nt testkit.TokenResponse
				r.JSON(t, &nt)
				wantStatus(t, me(s, nt.AccessToken), 200, "") // the new session works
				u.Password = "Another-Long-Phrase-42"
			}},
			{"user disabled", func(t *testing.T, u *testkit.TestUser, tk testkit.Tokens) {
				r := s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + u.ID, Token: adminTok, Body: map[string]any{"disabled": true}})
				wantStatus(t, r, 200, "")
			}},
			{"admin ends sessions", func(t *testing.T, u *testkit.TestUser, tk testkit.Tokens) {
				r := post(s, "/api/v1/users/"+u.ID+"/sessions/revoke", adminTok, nil)
				wantStatus(t, r, 200, "")
				if !strings.Contains(string(r.Body), `"sessions_revoked":1`) {
					t.Errorf("revoke: %s", r.Body)
				}
			}},
			{"admin resets password", func(t *testing.T, u *testkit.TestUser, tk testkit.Tokens) {
				wantStatus(t, post(s, "/api/v1/users/"+u.ID+"/reset-password", adminTok, nil), 200, "")
			}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				u := testkit.CreateUser(t, s, actor.Lawyer)
				tk := testkit.Login(t, s, u)
				wantStatus(t, me(s, tk.Access), 200, "")
				c.revoke(t, u, tk)
				wantStatus(t, me(s, tk.Access), 401, "session_ended")
				wantStatus(t, post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tk.Refresh}), 401, "invalid_refresh_token")
			})
		}
	})
}

func TestRefreshRotationAndReuse(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		u := testkit.CreateUser(t, s, actor.Lawyer)
		tk := testkit.Login(t, s, u)

		r := post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tk.Refresh})
		wantStatus(t, r, 200, "")
		var next testkit.TokenResponse
		r.JSON(t, &next)
		if next.AccessToken == "" || next.RefreshToken == "" || next.RefreshToken == tk.Refresh {
			t.Fatalf("refresh did not rotate: %+v", next)
		}
		wantStatus(t, me(s, next.AccessToken), 200, "")

		// The rotated token again: refused, and the whole session ends.
		wantStatus(t, post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tk.Refresh}), 401, "invalid_refresh_token")
		wantStatus(t, post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": next.RefreshToken}), 401, "invalid_refresh_token")
		wantStatus(t, me(s, next.AccessToken), 401, "session_ended")
		wantStatus(t, me(s, tk.Access), 401, "session_ended")
		if auditCount(t, s, "auth.session.revoke", audit.OK) != 1 {
			t.Error("reuse revocation not audited")
		}

		// Garbage and unknown tokens.
		for _, bad := range []string{"", "nope", "hbr_" + strings.Repeat("A", 43)} {
			wantStatus(t, post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": bad}), 401, "invalid_refresh_token")
		}
		// Unknown fields are refused.
		wantStatus(t, post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": "x", "extra": "y"}), 400, "unknown_field")
	})
}

// Browsers get the refresh token only as an HttpOnly, SameSite=Strict cookie
// scoped to the auth routes, and refresh with it.
func TestBrowserRefreshCookie(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		u := testkit.CreateUser(t, s, actor.Lawyer)
		browser := http.Header{"Sec-Fetch-Site": {"same-origin"}}
		r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Header: browser,
			Body: map[string]string{"email": u.Email, "password": u.Password}})
		wantStatus(t, r, 200, "")
		var tr testkit.TokenResponse
		r.JSON(t, &tr)
		if tr.RefreshToken != "" || tr.AccessToken == "" {
			t.Fatalf("browser login body: %s", r.Body)
		}
		ck := findCookie(r.Cookies(), "habeas_refresh")
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/api/v1/auth" || ck.Value == "" {
			t.Fatalf("refresh cookie: %+v", ck)
		}
		if ck.Secure {
			t.Error("Secure cookie over plain HTTP without an https public URL")
		}
		h := browser.Clone()
		h.Set("Cookie", "habeas_refresh="+ck.Value)
		h.Set("Content-Type", "application/json")
		r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/refresh", Header: h})
		wantStatus(t, r, 200, "")
		r.JSON(t, &tr)
		next := findCookie(r.Cookies(), "habeas_refresh")
		if tr.RefreshToken != "" || next == nil || next.Value == ck.Value {
			t.Fatalf("cookie refresh did not rotate: body %s cookie %+v", r.Body, next)
		}
		// Behind an https public URL the cookie is Secure.
		s2 := testkit.NewServer(t, testkit.NewDB(t, d.Dialect), func(c *config.Config) { c.PublicURL = "https://habeas.example.org" })
		u2 := testkit.CreateUser(t, s2, actor.Lawyer)
		r = s2.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Header: browser,
			Body: map[string]string{"email": u2.Email, "password": u2.Password}})
		if ck := findCookie(r.Cookies(), "habeas_refresh"); ck == nil || !ck.Secure {
			t.Fatalf("cookie behind https public URL: %+v", ck)
		}
	})
}

func findCookie(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// The endpoints a refresh cookie authenticates (refresh, logout) take it
// only from the server's own pages or a listed CORS origin, and only with
// Content-Type application/json (which no HTML form can send and which
// makes a cross-origin fetch preflight first): SameSite=Strict alone lets a
// sibling subdomain send the cookie. A refused request rotates nothing,
// ends nothing and clears no cookie.
func TestCookieEndpointsCheckOrigin(t *testing.T) {
	const listed = "https://app.example.org"
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, func(c *config.Config) { c.CORSOrigins = []string{listed} })
		u := testkit.CreateUser(t, s, actor.Lawyer)
		signIn := func(t *testing.T) string {
			t.Helper()
			r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Header: http.Header{"Sec-Fetch-Site": {"same-origin"}},
				Body: map[string]string{"email": u.Email, "password": u.Password}})
			wantStatus(t, r, 200, "")
			ck := findCookie(r.Cookies(), "habeas_refresh")
			if ck == nil || ck.Value == "" {
				t.Fatalf("no refresh cookie: %v", r.Cookies())
			}
			return ck.Value
		}
		hdr := func(cookie string, kv ...string) http.Header {
			h := http.Header{"Cookie": {"habeas_refresh=" + cookie}}
			for i := 0; i+1 < len(kv); i += 2 {
				h.Set(kv[i], kv[i+1])
			}
			return h
		}
		refused := []struct {
			name   string
			kv     []string
			body   []byte
			status int
			code   string
		}{
			{"text/plain from a foreign site (the finding)", []string{"Content-Type", "text/plain", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, nil, 403, "origin_not_allowed"},
			{"JSON from a foreign site", []string{"Content-Type", "application/json", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, []byte(`{}`), 403, "origin_not_allowed"},
			{"JSON from a sibling subdomain", []string{"Content-Type", "application/json", "Origin", "https://evil.example.org", "Sec-Fetch-Site", "same-site"}, []byte(`{}`), 403, "origin_not_allowed"},
			{"foreign Origin without fetch metadata", []string{"Content-Type", "application/json", "Origin", "https://evil.example"}, []byte(`{}`), 403, "origin_not_allowed"},
			{"Origin null", []string{"Content-Type", "application/json", "Origin", "null"}, []byte(`{}`), 403, "origin_not_allowed"},
			{"neither Origin nor Sec-Fetch-Site", []string{"Content-Type", "application/json"}, []byte(`{}`), 403, "origin_not_allowed"},
			{"same origin but no Content-Type", []string{"Origin", s.URL, "Sec-Fetch-Site", "same-origin"}, nil, 415, "unsupported_media_type"},
			{"same origin but text/plain", []string{"Content-Type", "text/plain", "Origin", s.URL, "Sec-Fetch-Site", "same-origin"}, nil, 415, "unsupported_media_type"},
			{"same origin but a form", []string{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin"}, []byte("a=b"), 415, "unsupported_media_type"},
		}
		for _, path := range []string{"/api/v1/auth/refresh", "/api/v1/auth/logout"} {
			for _, c := range refused {
				t.Run(path+" "+c.name, func(t *testing.T) {
					ck := signIn(t)
					r := s.Do(testkit.Request{Method: "POST", Path: path, Header: hdr(ck, c.kv...), Body: c.body})
					wantStatus(t, r, c.status, c.code)
					if findCookie(r.Cookies(), "habeas_refresh") != nil {
						t.Errorf("a refused request set or cleared the cookie: %v", r.Cookies())
					}
					// The cookie still works from the server's own page: nothing was rotated or ended.
					r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/refresh", Body: []byte(`{}`),
						Header: hdr(ck, "Content-Type", "application/json", "Origin", s.URL, "Sec-Fetch-Site", "same-origin")})
					wantStatus(t, r, 200, "")
				})
			}
		}
		allowed := []struct {
			name string
			kv   []string
			body []byte
		}{
			{"own page (Sec-Fetch-Site and Origin)", []string{"Content-Type", "application/json", "Origin", s.URL, "Sec-Fetch-Site", "same-origin"}, []byte(`{}`)},
			{"own page, empty JSON body", []string{"Content-Type", "application/json", "Origin", s.URL, "Sec-Fetch-Site", "same-origin"}, nil},
			{"own page, Sec-Fetch-Site only", []string{"Content-Type", "application/json; charset=utf-8", "Sec-Fetch-Site", "same-origin"}, []byte(`{}`)},
			{"own page, Origin only (no fetch metadata)", []string{"Content-Type", "application/json", "Origin", s.URL}, []byte(`{}`)},
			{"listed CORS origin", []string{"Content-Type", "application/json", "Origin", listed, "Sec-Fetch-Site", "cross-site"}, []byte(`{}`)},
		}
		for _, c := range allowed {
			t.Run("allowed "+c.name, func(t *testing.T) {
				ck := signIn(t)
				r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/refresh", Header: hdr(ck, c.kv...), Body: c.body})
				wantStatus(t, r, 200, "")
				next := findCookie(r.Cookies(), "habeas_refresh")
				if next == nil || next.Value == "" || next.Value == ck {
					t.Fatalf("refresh did not rotate the cookie: %v", r.Cookies())
				}
				r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/logout", Header: hdr(next.Value, c.kv...), Body: c.body})
				wantStatus(t, r, 204, "")
				r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/refresh", Body: []byte(`{}`),
					Header: hdr(next.Value, "Content-Type", "application/json", "Sec-Fetch-Site", "same-origin")})
				wantStatus(t, r, 401, "invalid_refresh_token")
			})
		}
		// Clients that send the refresh token in the body (no cookie) are not browsers: no origin needed.
		tk := testkit.Login(t, s, u)
		wantStatus(t, post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tk.Refresh}), 200, "")
	})
}
