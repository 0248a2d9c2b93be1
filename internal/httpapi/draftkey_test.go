package httpapi_test

import (
	"encoding/base64"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Issue 24: every sign-in hands out the session's draft key (32 bytes); a
// refresh of the session hands out the same key, another session another;
// after sign-out no refresh hands it out again.
func TestDraftKeyPerSession(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		u := testkit.CreateUser(t, s, actor.Lawyer)
		login := func() testkit.TokenResponse {
			body := map[string]string{"email": u.Email, "password": u.Password}
			if u.TOTPSecret != "" {
				body["totp_code"] = u.NextCode(t)
			}
			r := post(s, "/api/v1/auth/login", "", body)
			var tr testkit.TokenResponse
			r.JSON(t, &tr)
			if tr.State == "mfa_enrollment_required" {
				tr = testkit.EnrollTOTP(t, s, u, tr.MFAToken)
			}
			if tr.State != "ok" && tr.AccessToken == "" {
				t.Fatalf("login: %d %s", r.StatusCode, r.Body)
			}
			return tr
		}
		first := login()
		raw, err := base64.RawURLEncoding.DecodeString(first.DraftKey)
		if err != nil || len(raw) != 32 {
			t.Fatalf("draft key %q: %v (%d bytes)", first.DraftKey, err, len(raw))
		}
		r := post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": first.RefreshToken})
		wantStatus(t, r, 200, "")
		var again testkit.TokenResponse
		r.JSON(t, &again)
		if again.DraftKey != first.DraftKey {
			t.Fatalf("refresh gave another key: %q, first %q", again.DraftKey, first.DraftKey)
		}
		if second := login(); second.DraftKey == "" || second.DraftKey == first.DraftKey {
			t.Fatalf("second session's key %q (first %q)", second.DraftKey, first.DraftKey)
		}
		wantStatus(t, post(s, "/api/v1/auth/logout", again.AccessToken, nil), 204, "")
		r = post(s, "/api/v1/auth/refresh", "", map[string]string{"refresh_token": again.RefreshToken})
		if r.StatusCode != 401 || contains(r.Body, first.DraftKey) {
			t.Fatalf("refresh after sign-out: %d %s", r.StatusCode, r.Body)
		}
	})
}

// Issue 24: the SPA's policy lets it register its own service worker and
// manifest, nobody else's.
func TestCSPAllowsOwnWorkerAndManifest(t *testing.T) {
	s := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), nil)
	r := s.Do(testkit.Request{Method: "GET", Path: "/"})
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"worker-src 'self'", "manifest-src 'self'", "script-src 'self'"} {
		if !contains([]byte(csp), want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
}

// Issue 24: every response that finishes a sign-in carries the session's
// draft key, not only the one-step password sign-in: the TOTP enrolment
// that ends a first sign-in, the TOTP step and the recovery-code step.
func TestDraftKeyAfterEverySecondFactor(t *testing.T) {
	s := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), nil)
	u := testkit.CreateUser(t, s, actor.Admin)
	valid := func(what, k string) {
		t.Helper()
		if raw, err := base64.RawURLEncoding.DecodeString(k); err != nil || len(raw) != 32 {
			t.Fatalf("%s: draft key %q (%v, %d bytes)", what, k, err, len(raw))
		}
	}
	r := post(s, "/api/v1/auth/login", "", map[string]string{"email": u.Email, "password": u.Password})
	var tr testkit.TokenResponse
	r.JSON(t, &tr)
	if tr.State != "mfa_enrollment_required" {
		t.Fatalf("first sign-in of an admin: %s", r.Body)
	}
	enrolled := testkit.EnrollTOTP(t, s, u, tr.MFAToken)
	valid("TOTP enrolment finishing the sign-in", enrolled.DraftKey)
	pending := func() string {
		t.Helper()
		r := post(s, "/api/v1/auth/login", "", map[string]string{"email": u.Email, "password": u.Password})
		var tr testkit.TokenResponse
		r.JSON(t, &tr)
		if tr.State != "mfa_required" || tr.MFAToken == "" || tr.DraftKey != "" {
			t.Fatalf("password step: %s", r.Body)
		}
		return tr.MFAToken
	}
	for _, step := range []struct {
		what string
		body func() map[string]string
	}{
		{"TOTP step", func() map[string]string { return map[string]string{"code": u.NextCode(t)} }},
		{"recovery-code step", func() map[string]string { return map[string]string{"recovery_code": enrolled.RecoveryCodes[0]} }},
	} {
		r := post(s, "/api/v1/auth/totp/verify", pending(), step.body())
		wantStatus(t, r, 200, "")
		var got testkit.TokenResponse
		r.JSON(t, &got)
		if got.AccessToken == "" {
			t.Fatalf("%s: %s", step.what, r.Body)
		}
		valid(step.what, got.DraftKey)
		if got.DraftKey == enrolled.DraftKey {
			t.Fatalf("%s: the same key as another session", step.what)
		}
	}
}
