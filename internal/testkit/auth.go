package testkit

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/auth"
)

// TestUser is an account made by the test kit, with what a test needs to
// sign in as it.
type TestUser struct {
	ID       string
	Email    string
	Password string
	Role     actor.Role
	// TOTPSecret is set once TOTP is enrolled (by Login or EnrollTOTP).
	TOTPSecret string
	// lastStep is the last TOTP time step handed out (each is accepted once).
	lastStep int64
}

// NextCode returns a TOTP code the server has not seen yet for u: the
// previous, current or next time step, waiting for the clock when all three
// are spent.
func (u *TestUser) NextCode(t testing.TB) string {
	t.Helper()
	if u.TOTPSecret == "" {
		t.Fatalf("%s has no TOTP secret", u.Email)
	}
	unix := time.Now().Unix()
	now := unix / 30
	lo := now - 1
	if unix%30 >= 20 {
		// The previous step leaves the server's window at the next boundary, which a
		// slow request may cross before the code is checked: do not hand it out.
		lo = now
	}
	step := max(u.lastStep+1, lo)
	if step > now+1 {
		time.Sleep(time.Until(time.Unix((step-1)*30, 0)) + 50*time.Millisecond)
	}
	u.lastStep = step
	code, err := totp.GenerateCode(u.TOTPSecret, time.Unix(step*30, 0))
	if err != nil {
		t.Fatalf("totp code: %v", err)
	}
	return code
}

// Tokens are the tokens of a full sign-in.
type Tokens struct {
	Access  string
	Refresh string
}

// TokenResponse is the body of the sign-in routes.
type TokenResponse struct {
	State              string `json:"state"`
	AccessToken        string `json:"access_token"`
	TokenType          string `json:"token_type"`
	ExpiresIn          int    `json:"expires_in"`
	RefreshToken       string `json:"refresh_token"`
	MFAToken           string `json:"mfa_token"`
	MustChangePassword bool   `json:"must_change_password"`
	DraftKey           string `json:"draft_key"`
	RecoveryCodes      []string
}

// CreateUser makes an account of role through the auth service (no HTTP,
// no TOTP yet), with a random email and a valid password.
func CreateUser(t testing.TB, s *Server, role actor.Role) *TestUser {
	t.Helper()
	u := &TestUser{Email: string(role) + "-" + randomHex(4) + "@example.org", Password: "Quiet-River-" + randomHex(6), Role: role}
	v, _, err := s.App.Auth.CreateUserAsSystem(context.Background(), auth.CreateUserInput{
		Email: u.Email, Name: "Test " + string(role), Role: role, Password: u.Password}, "user.create")
	if err != nil {
		t.Fatalf("create %s: %v", role, err)
	}
	u.ID = v.ID
	return u
}

// Login signs u in over HTTP and finishes whatever MFA is owed: it sends a
// TOTP code when u has TOTP, and enrols TOTP when the role requires it and
// u has none (u.TOTPSecret is then set). It returns full tokens.
func Login(t testing.TB, s *Server, u *TestUser) Tokens {
	t.Helper()
	body := map[string]string{"email": u.Email, "password": u.Password}
	if u.TOTPSecret != "" {
		body["totp_code"] = u.NextCode(t)
	}
	r := s.Do(Request{Method: "POST", Path: "/api/v1/auth/login", Body: body})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %d %s", u.Email, r.StatusCode, r.Body)
	}
	var tr TokenResponse
	r.JSON(t, &tr)
	switch tr.State {
	case auth.StateOK:
		return Tokens{Access: tr.AccessToken, Refresh: tr.RefreshToken}
	case auth.StateMFAEnrollmentRequired:
		tr = EnrollTOTP(t, s, u, tr.MFAToken)
		return Tokens{Access: tr.AccessToken, Refresh: tr.RefreshToken}
	default:
		t.Fatalf("login %s: unexpected state %q", u.Email, tr.State)
		return Tokens{}
	}
}

// EnrollTOTP enrols and confirms TOTP for u with token (an MFA-pending token,
// or an access token) and returns the confirmation (tokens when token was
// MFA-pending, and the recovery codes).
func EnrollTOTP(t testing.TB, s *Server, u *TestUser, token string) TokenResponse {
	t.Helper()
	r := s.Do(Request{Method: "POST", Path: "/api/v1/auth/totp/enroll", Token: token})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("enroll %s: %d %s", u.Email, r.StatusCode, r.Body)
	}
	var e struct {
		Secret string `json:"secret"`
		URI    string `json:"otpauth_uri"`
	}
	r.JSON(t, &e)
	if e.Secret == "" || !strings.HasPrefix(e.URI, "otpauth://totp/") {
		t.Fatalf("enroll %s: %s", u.Email, r.Body)
	}
	u.TOTPSecret, u.lastStep = e.Secret, 0
	r = s.Do(Request{Method: "POST", Path: "/api/v1/auth/totp/confirm", Token: token, Body: map[string]string{"code": u.NextCode(t)}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("confirm %s: %d %s", u.Email, r.StatusCode, r.Body)
	}
	var out struct {
		TokenResponse
		RecoveryCodes []string `json:"recovery_codes"`
	}
	r.JSON(t, &out)
	out.TokenResponse.RecoveryCodes = out.RecoveryCodes
	return out.TokenResponse
}

// UserToken creates an account of role and returns a full access token for
// it (TOTP enrolled on the way when the role requires it).
func UserToken(t testing.TB, s *Server, role actor.Role) (string, *TestUser) {
	t.Helper()
	u := CreateUser(t, s, role)
	return Login(t, s, u).Access, u
}
