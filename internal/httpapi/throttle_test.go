package httpapi_test

import (
	"fmt"
	"net/http"
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
