package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

func me(s *testkit.Server, token string) *testkit.Response {
	return s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me", Token: token})
}

func wantStatus(t *testing.T, r *testkit.Response, status int, code string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.Body)
	}
	if code != "" && !strings.Contains(string(r.Body), `"code":"`+code+`"`) {
		t.Fatalf("%s %s: body %s, want code %q", r.Request.Method, r.Request.URL.Path, r.Body, code)
	}
}

func auditCount(t *testing.T, s *testkit.Server, action string, outcome audit.Outcome) int {
	t.Helper()
	p, err := s.App.Audit.List(context.Background(), audit.Filter{Action: action, Limit: audit.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range p.Items {
		if r.Outcome == string(outcome) {
			n++
		}
	}
	return n
}

func TestLoginMeLogout(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, u := testkit.UserToken(t, s, actor.Lawyer)
		r := me(s, tok)
		wantStatus(t, r, 200, "")
		var m struct {
			ID, Email, Role string
		}
		r.JSON(t, &m)
		if m.ID != u.ID || m.Email != u.Email || m.Role != "lawyer" {
			t.Fatalf("me = %+v, want %s %s lawyer", m, u.ID, u.Email)
		}
		wantStatus(t, s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/logout", Token: tok}), 204, "")
		wantStatus(t, me(s, tok), 401, "session_ended")
		if auditCount(t, s, "auth.login", audit.OK) != 1 || auditCount(t, s, "auth.logout", audit.OK) != 1 {
			t.Error("login/logout not audited")
		}
		if auditCount(t, s, "auth.token_refused", audit.Denied) != 1 {
			t.Error("token refusal not audited")
		}
	})
}

func TestAdminWithTOTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, u := testkit.UserToken(t, s, actor.Admin)
		if u.TOTPSecret == "" {
			t.Fatal("admin signed in without TOTP")
		}
		wantStatus(t, me(s, tok), 200, "")
		r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users", Token: tok})
		wantStatus(t, r, http.StatusOK, "")
		// Second sign-in with a fresh code.
		tk := testkit.Login(t, s, u)
		wantStatus(t, me(s, tk.Access), 200, "")
	})
}
