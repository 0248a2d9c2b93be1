package httpapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

func login(s *testkit.Server, u *testkit.TestUser, code string) *testkit.Response {
	body := map[string]string{"email": u.Email, "password": u.Password}
	if code != "" {
		body["totp_code"] = code
	}
	return post(s, "/api/v1/auth/login", "", body)
}

func mfaToken(t *testing.T, r *testkit.Response, state string) string {
	t.Helper()
	wantStatus(t, r, 200, "")
	var tr testkit.TokenResponse
	r.JSON(t, &tr)
	if tr.State != state || tr.MFAToken == "" || tr.AccessToken != "" || tr.RefreshToken != "" {
		t.Fatalf("want state %s with only an mfa_token, got %s", state, r.Body)
	}
	return tr.MFAToken
}

func TestTOTPCodeWorksOnceAndWrongCodesThrottle(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, func(c *config.Config) { c.LoginMaxFailuresPerAccountAddress = 4 })
		_, u := testkit.UserToken(t, s, actor.Coordinator) // enrols TOTP

		// Sign in in two steps: password, then the code.
		mt := mfaToken(t, login(s, u, ""), "mfa_required")
		wantStatus(t, me(s, mt), 401, "") // an MFA token reads nothing
		code := u.NextCode(t)
		r := post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"code": code})
		wantStatus(t, r, 200, "")
		var tr testkit.TokenResponse
		r.JSON(t, &tr)
		wantStatus(t, me(s, tr.AccessToken), 200, "")
		// The MFA token is spent with its session's upgrade.
		wantStatus(t, post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"code": "123456"}), 401, "session_ended")

		// The same code again, in the same window: refused (replay), on both paths.
		mt = mfaToken(t, login(s, u, ""), "mfa_required")
		wantStatus(t, post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"code": code}), 401, "invalid_totp_code")
		wantStatus(t, login(s, u, code), 401, "invalid_totp_code")

		// Wrong codes: after the limit the account's MFA is throttled, even for a right code.
		for i := 0; i < 2; i++ {
			wantStatus(t, post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"code": "000000"}), 401, "invalid_totp_code")
		}
		// (the two replays above counted too: 2 + 2 = the limit of 4)
		r = post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"code": u.NextCode(t)})
		wantStatus(t, r, 429, "mfa_throttled")
		if r.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		if auditCount(t, s, "auth.mfa.verify", audit.Denied) < 4 {
			t.Error("wrong codes not audited")
		}
	})
}

func TestRecoveryCodesAreSingleUse(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		u := testkit.CreateUser(t, s, actor.Coordinator)
		mt := mfaToken(t, login(s, u, ""), "mfa_enrollment_required")
		conf := testkit.EnrollTOTP(t, s, u, mt)
		if len(conf.RecoveryCodes) != 10 || conf.AccessToken == "" {
			t.Fatalf("confirm: %+v", conf)
		}
		rc := conf.RecoveryCodes[3]
		mt = mfaToken(t, login(s, u, ""), "mfa_required")
		wantStatus(t, post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"recovery_code": strings.ToLower(rc)}), 200, "")
		mt = mfaToken(t, login(s, u, ""), "mfa_required")
		wantStatus(t, post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"recovery_code": rc}), 401, "invalid_totp_code")
		// Recovery codes are stored hashed only.
		var n int64
		if err := d.Raw("SELECT count(*) FROM recovery_codes WHERE code_hash = ?", strings.ReplaceAll(rc, "-", "")).Scan(&n).Error; err != nil || n != 0 {
			t.Fatalf("recovery code stored in the clear (%d, %v)", n, err)
		}
	})
}

// A coordinator without TOTP never gets an access token, and an access token
// from before the role required MFA stops working at once.
func TestCoordinatorWithoutTOTPGetsNoSession(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		adminTok, _ := testkit.UserToken(t, s, actor.Admin)
		c := testkit.CreateUser(t, s, actor.Coordinator)
		mt := mfaToken(t, login(s, c, ""), "mfa_enrollment_required")
		for _, path := range []string{"/api/v1/me", "/api/v1/users"} {
			wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: path, Token: mt}), 401, "")
		}
		wantStatus(t, post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": mt}), 401, "")
		// The MFA token cannot skip enrolment through /verify either.
		wantStatus(t, post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"code": "123456"}), 409, "totp_not_enabled")

		// A lawyer (no MFA needed) promoted to coordinator: the old session stops at once.
		l := testkit.CreateUser(t, s, actor.Lawyer)
		tk := testkit.Login(t, s, l)
		wantStatus(t, me(s, tk.Access), 200, "")
		r := s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + l.ID, Token: adminTok, Body: map[string]any{"role": "coordinator"}})
		wantStatus(t, r, 200, "")
		wantStatus(t, me(s, tk.Access), 401, "session_ended")
		wantStatus(t, post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tk.Refresh}), 401, "")
		mfaToken(t, login(s, l, ""), "mfa_enrollment_required")
	})
}

func TestMFAOptionalRolesAndDisable(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		u := testkit.CreateUser(t, s, actor.Lawyer)
		tk := testkit.Login(t, s, u)
		// A lawyer may enrol voluntarily with an access token.
		conf := testkit.EnrollTOTP(t, s, u, tk.Access)
		if len(conf.RecoveryCodes) != 10 || conf.AccessToken != "" {
			t.Fatalf("voluntary confirm: %+v", conf)
		}
		wantStatus(t, post(s, "/api/v1/auth/totp/enroll", tk.Access, nil), 409, "totp_already_enabled")
		// From now on, the password alone is not enough.
		mfaToken(t, login(s, u, ""), "mfa_required")
		// Disable needs the password and a code.
		wantStatus(t, post(s, "/api/v1/auth/totp/disable", tk.Access, map[string]string{"password": "wrong-password-here", "code": "123456"}), 400, "validation_failed")
		wantStatus(t, post(s, "/api/v1/auth/totp/disable", tk.Access, map[string]string{"password": u.Password, "code": "000000"}), 401, "invalid_totp_code")
		wantStatus(t, post(s, "/api/v1/auth/totp/disable", tk.Access, map[string]string{"password": u.Password, "code": u.NextCode(t)}), 204, "")
		r := login(s, u, "")
		var tr testkit.TokenResponse
		r.JSON(t, &tr)
		if tr.State != "ok" || tr.AccessToken == "" {
			t.Fatalf("after disable: %s", r.Body)
		}
		for _, a := range []string{"auth.totp.enroll", "auth.totp.confirm", "auth.totp.disable"} {
			if auditCount(t, s, a, audit.OK) != 1 {
				t.Errorf("%s not audited", a)
			}
		}

		// An admin cannot disable a TOTP their role requires.
		adminTok, admin := testkit.UserToken(t, s, actor.Admin)
		wantStatus(t, post(s, "/api/v1/auth/totp/disable", adminTok, map[string]string{"password": admin.Password, "code": admin.NextCode(t)}), 409, "mfa_required_for_role")
	})
}

// With HABEAS_MFA_REQUIRED_ROLES empty no role needs TOTP.
func TestNoMFARoles(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	s := testkit.NewServer(t, d, func(c *config.Config) { c.MFARequiredRoles = nil })
	u := testkit.CreateUser(t, s, actor.Admin)
	if tk := testkit.Login(t, s, u); tk.Access == "" || u.TOTPSecret != "" {
		t.Fatalf("admin without MFA requirement: %+v", tk)
	}
}

// The codes the server accepts are the RFC 6238 codes of the enrolled secret.
func TestTOTPInteroperates(t *testing.T) {
	d := testkit.NewDB(t, db.SQLite)
	s := testkit.NewServer(t, d, nil)
	u := testkit.CreateUser(t, s, actor.Coordinator)
	mt := mfaToken(t, login(s, u, ""), "mfa_enrollment_required")
	r := post(s, "/api/v1/auth/totp/enroll", mt, nil)
	wantStatus(t, r, 200, "")
	var e struct {
		Secret string `json:"secret"`
	}
	r.JSON(t, &e)
	code, err := totp.GenerateCode(e.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, post(s, "/api/v1/auth/totp/confirm", mt, map[string]string{"code": code}), 200, "")
	_ = context.Background()
}
