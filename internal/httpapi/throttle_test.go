package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// loginFrom signs in as email from the client address ip (the test server
// trusts the loopback peer as a proxy, so X-Forwarded-For is the address).
func loginFrom(s *testkit.Server, ip, email, password string, extra map[string]string) *testkit.Response {
	body := map[string]string{"email": email, "password": password}
	for k, v := range extra {
		body[k] = v
	}
	return s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Header: http.Header{"X-Forwarded-For": {ip}}, Body: body})
}

// Issue 22, finding 1: an adversary who knows only an email address cannot
// lock its owner out. Failures lock the (account, address) pair and the
// address; past the per-account ceiling every further failure locks its
// pair at once; the owner from a clean address gets in (with TOTP too).
func TestThrottleDoesNotLockOutTheOwner(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		trustLoopback := func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1", "::1"} }
		bad := "Not-The-Password-1"
		t.Run("default limits", func(t *testing.T) {
			s := testkit.NewServer(t, d, trustLoopback)
			owner := testkit.CreateUser(t, s, actor.Lawyer)
			// 5 failures from one address (before issue 22: the account locked for 15 minutes).
			for i := 0; i < 5; i++ {
				wantStatus(t, loginFrom(s, "198.51.100.1", owner.Email, bad, nil), 401, "invalid_credentials")
			}
			// The attacker's address is locked for this account...
			wantStatus(t, loginFrom(s, "198.51.100.1", owner.Email, owner.Password, nil), 429, "login_throttled")
			// ...the owner, elsewhere, is not.
			wantStatus(t, loginFrom(s, "203.0.113.7", owner.Email, owner.Password, nil), 200, "")
		})
		t.Run("past the account ceiling, with TOTP", func(t *testing.T) {
			s := testkit.NewServer(t, d, func(c *config.Config) {
				trustLoopback(c)
				c.LoginMaxFailuresPerAccount = 12 // the ceiling, small for the test
			})
			owner := testkit.CreateUser(t, s, actor.Lawyer)
			testkit.EnrollTOTP(t, s, owner, testkit.Login(t, s, owner).Access)
			for a := 2; a <= 4; a++ {
				for i := 0; i < 4; i++ { // below the per-pair limit of 5
					wantStatus(t, loginFrom(s, fmt.Sprintf("198.51.100.%d", a), owner.Email, bad, nil), 401, "invalid_credentials")
				}
			}
			// 12 failures: the ceiling. From now on every failure locks its
			// address for this account at once (the 12th locked .4 already).
			wantStatus(t, loginFrom(s, "198.51.100.4", owner.Email, owner.Password, nil), 429, "login_throttled")
			wantStatus(t, loginFrom(s, "198.51.100.2", owner.Email, bad, nil), 401, "invalid_credentials")
			wantStatus(t, loginFrom(s, "198.51.100.2", owner.Email, bad, nil), 429, "login_throttled")
			wantStatus(t, loginFrom(s, "198.51.100.6", owner.Email, bad, nil), 401, "invalid_credentials")
			wantStatus(t, loginFrom(s, "198.51.100.6", owner.Email, owner.Password, nil), 429, "login_throttled")
			// The owner from a clean address, with password and TOTP code: signed in.
			r := loginFrom(s, "203.0.113.8", owner.Email, owner.Password, map[string]string{"totp_code": owner.NextCode(t)})
			wantStatus(t, r, 200, "")
			var tr testkit.TokenResponse
			r.JSON(t, &tr)
			if tr.State != "ok" || tr.AccessToken == "" {
				t.Fatalf("owner sign-in: %s", r.Body)
			}
		})
	})
}

type activityJSON struct {
	Failures             int    `json:"failures"`
	Ceiling              int    `json:"ceiling"`
	SecondFactorFailures int    `json:"second_factor_failures"`
	NextCursor           string `json:"next_cursor"`
	Items                []struct {
		Kind          string `json:"kind"`
		Action        string `json:"action"`
		ClientIP      string `json:"client_ip"`
		Reason        string `json:"reason"`
		Scope         string `json:"scope"`
		LockedSeconds int64  `json:"locked_seconds"`
	} `json:"items"`
}

// The owner and the admins see the failed attempts on an account, the
// attempts refused while locked and the locks, with their addresses; each
// read is audited; other accounts' attempts do not show.
func TestSignInActivity(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1", "::1"} })
		admin, _ := testkit.UserToken(t, s, actor.Admin)
		owner := testkit.CreateUser(t, s, actor.Lawyer)
		other := testkit.CreateUser(t, s, actor.Lawyer)
		bad := "Not-The-Password-1"
		for i := 0; i < 5; i++ {
			wantStatus(t, loginFrom(s, "198.51.100.1", owner.Email, bad, nil), 401, "")
		}
		wantStatus(t, loginFrom(s, "198.51.100.1", owner.Email, owner.Password, nil), 429, "login_throttled")
		wantStatus(t, loginFrom(s, "198.51.100.2", other.Email, bad, nil), 401, "")

		var a activityJSON
		r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users/" + owner.ID + "/sign-in-activity", Token: admin})
		wantStatus(t, r, 200, "")
		r.JSON(t, &a)
		if a.Failures != 5 || a.Ceiling != 100 || len(a.Items) != 7 {
			t.Fatalf("admin view: %s", r.Body)
		}
		want := []struct{ kind, scope string }{{"throttled", "account_address"}, {"lockout", "account_address"}, {"failed_password", ""}}
		for i, w := range want {
			if it := a.Items[i]; it.Kind != w.kind || it.Scope != w.scope || it.ClientIP != "198.51.100.1" {
				t.Errorf("item %d: %+v, want %s %s from 198.51.100.1", i, it, w.kind, w.scope)
			}
		}
		if a.Items[1].LockedSeconds != 900 {
			t.Errorf("lock of %d s, want 900", a.Items[1].LockedSeconds)
		}

		// The owner signs in from elsewhere and sees the same events; the
		// success clears the count.
		r = loginFrom(s, "203.0.113.7", owner.Email, owner.Password, nil)
		wantStatus(t, r, 200, "")
		var tr testkit.TokenResponse
		r.JSON(t, &tr)
		r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me/sign-in-activity?limit=3", Token: tr.AccessToken})
		wantStatus(t, r, 200, "")
		a = activityJSON{}
		r.JSON(t, &a)
		if a.Failures != 0 || len(a.Items) != 3 || a.Items[0].Kind != "throttled" || a.NextCursor == "" {
			t.Fatalf("owner view: %s", r.Body)
		}
		r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me/sign-in-activity?limit=10&cursor=" + a.NextCursor, Token: tr.AccessToken})
		wantStatus(t, r, 200, "")
		a = activityJSON{}
		r.JSON(t, &a)
		if len(a.Items) != 4 || a.NextCursor != "" || a.Items[3].Kind != "failed_password" {
			t.Fatalf("owner view, next page: %s", r.Body)
		}
		// Bad input: 400 naming the parameter.
		for _, q := range []string{"limit=0", "limit=201", "cursor=x", "cursor=-1"} {
			r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me/sign-in-activity?" + q, Token: tr.AccessToken})
			wantStatus(t, r, 400, "validation_failed")
			if name := strings.SplitN(q, "=", 2)[0]; !strings.Contains(string(r.Body), `"`+name+`"`) {
				t.Errorf("%s: %s does not name %s", q, r.Body, name)
			}
		}
		// Reads are audited.
		if n := auditCount(t, s, "auth.activity.read", "ok"); n != 2 {
			t.Errorf("%d auth.activity.read entries, want 2", n)
		}
		if n := auditCount(t, s, "user.activity.read", "ok"); n != 1 {
			t.Errorf("%d user.activity.read entries, want 1", n)
		}
	})
}
