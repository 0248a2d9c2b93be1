package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// passkeyOrigin is the origin the default test configuration accepts
// (HABEAS_ADDR 127.0.0.1:8080: RP id localhost, origin http://localhost:8080).
const passkeyOrigin = "http://localhost:8080"

type ceremony struct {
	CeremonyID string          `json:"ceremony_id"`
	ExpiresIn  int             `json:"expires_in"`
	Options    json.RawMessage `json:"options"`
}

type registered struct {
	Passkey struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Synced bool   `json:"synced"`
	} `json:"passkey"`
	RecoveryCodes []string `json:"recovery_codes"`
	State         string   `json:"state"`
	AccessToken   string   `json:"access_token"`
	RefreshToken  string   `json:"refresh_token"`
}

type loginState struct {
	State      string   `json:"state"`
	MFAToken   string   `json:"mfa_token"`
	MFAMethods []string `json:"mfa_methods"`
}

func begin(t *testing.T, s *testkit.Server, path, token string, body any) ceremony {
	t.Helper()
	r := post(s, path, token, body)
	wantStatus(t, r, 200, "")
	var c ceremony
	r.JSON(t, &c)
	if c.CeremonyID == "" || c.ExpiresIn <= 0 || len(c.Options) == 0 {
		t.Fatalf("%s: %s", path, r.Body)
	}
	return c
}

// registerPasskey registers a's credential for the holder of token (an
// access token with the password, or an MFA token) and returns the answer.
func registerPasskey(t *testing.T, s *testkit.Server, a *testkit.Authenticator, token, password, code string) registered {
	t.Helper()
	body := map[string]string{"name": "Work laptop"}
	if password != "" {
		body["password"] = password
	}
	c := begin(t, s, "/api/v1/auth/passkeys/register/begin", token, body)
	fin := map[string]any{"ceremony_id": c.CeremonyID, "credential": a.Create(t, c.Options)}
	if code != "" {
		fin["code"] = code
	}
	r := post(s, "/api/v1/auth/passkeys/register/finish", token, fin)
	wantStatus(t, r, 201, "")
	var out registered
	r.JSON(t, &out)
	if out.Passkey.ID == "" || out.Passkey.Name != "Work laptop" {
		t.Fatalf("register: %s", r.Body)
	}
	return out
}

// passkeySignIn signs in with a's passkey alone and returns the response.
func passkeySignIn(t *testing.T, s *testkit.Server, a *testkit.Authenticator) *testkit.Response {
	t.Helper()
	c := begin(t, s, "/api/v1/auth/passkeys/login/begin", "", nil)
	return post(s, "/api/v1/auth/passkeys/login/finish", "", map[string]any{"ceremony_id": c.CeremonyID, "credential": a.Get(t, c.Options)})
}

func accessToken(t *testing.T, r *testkit.Response) string {
	t.Helper()
	wantStatus(t, r, 200, "")
	var tr testkit.TokenResponse
	r.JSON(t, &tr)
	if tr.State != "ok" || tr.AccessToken == "" || tr.RefreshToken == "" {
		t.Fatalf("want a full sign-in, got %s", r.Body)
	}
	return tr.AccessToken
}

func passkeyCount(t *testing.T, s *testkit.Server, token string) int {
	t.Helper()
	r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/auth/passkeys", Token: token})
	wantStatus(t, r, 200, "")
	var l struct {
		Items []json.RawMessage `json:"items"`
	}
	r.JSON(t, &l)
	return len(l.Items)
}

func TestPasskeyRegisterSignInListRemove(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, u := testkit.UserToken(t, s, actor.Lawyer)
		a := testkit.NewAuthenticator(t, passkeyOrigin)

		// Adding a passkey needs the password (recent authentication), and a name.
		wantStatus(t, post(s, "/api/v1/auth/passkeys/register/begin", tok, map[string]string{"name": "Laptop"}), 400, "")
		r := post(s, "/api/v1/auth/passkeys/register/begin", tok, map[string]string{"name": "Laptop", "password": "Not-The-Password-1"})
		wantStatus(t, r, 400, "")
		if !strings.Contains(string(r.Body), `"password"`) {
			t.Fatalf("wrong password: %s", r.Body)
		}
		r = post(s, "/api/v1/auth/passkeys/register/begin", tok, map[string]string{"name": strings.Repeat("x", 65), "password": u.Password})
		wantStatus(t, r, 400, "")
		if !strings.Contains(string(r.Body), `"name"`) {
			t.Fatalf("long name: %s", r.Body)
		}
		reg := registerPasskey(t, s, a, tok, u.Password, "")
		if len(reg.RecoveryCodes) != 10 || reg.AccessToken != "" {
			t.Fatalf("first second factor: want 10 recovery codes and no tokens, got %+v", reg)
		}
		if n := passkeyCount(t, s, tok); n != 1 {
			t.Fatalf("%d passkeys listed, want 1", n)
		}
		var m struct {
			PasskeyCount int `json:"passkey_count"`
		}
		me(s, tok).JSON(t, &m)
		if m.PasskeyCount != 1 {
			t.Fatalf("me: passkey_count %d", m.PasskeyCount)
		}

		// The passkey alone signs in: a full session, like password and TOTP.
		pt := accessToken(t, passkeySignIn(t, s, a))
		wantStatus(t, me(s, pt), 200, "")
		// The password now owes the second factor, which may be the passkey.
		r = login(s, u, "")
		wantStatus(t, r, 200, "")
		var ls loginState
		r.JSON(t, &ls)
		if ls.State != "mfa_required" || strings.Join(ls.MFAMethods, ",") != "passkey,recovery_code" {
			t.Fatalf("password after a passkey: %s", r.Body)
		}

		// Removal: the password again; another user's passkey is not found.
		other, _ := testkit.UserToken(t, s, actor.Lawyer)
		path := "/api/v1/auth/passkeys/" + reg.Passkey.ID + "/remove"
		wantStatus(t, post(s, path, other, map[string]string{"password": "whatever-it-is"}), 404, "")
		wantStatus(t, post(s, path, tok, map[string]string{}), 400, "")
		wantStatus(t, post(s, path, tok, map[string]string{"password": "Not-The-Password-1"}), 400, "")
		if n := passkeyCount(t, s, tok); n != 1 {
			t.Fatal("a refused removal removed the passkey")
		}
		wantStatus(t, post(s, path, tok, map[string]string{"password": u.Password}), 204, "")
		if n := passkeyCount(t, s, tok); n != 0 {
			t.Fatalf("%d passkeys after removal", n)
		}
		wantStatus(t, passkeySignIn(t, s, a), 401, "passkey_rejected")
		// The last second factor gone, its recovery codes went with it.
		r = login(s, u, "")
		r.JSON(t, &ls)
		if ls.State != "ok" {
			t.Fatalf("after removing the only factor: %s", r.Body)
		}

		for action, want := range map[string]int{"auth.passkey.register": 1, "auth.passkey.remove": 1} {
			if n := auditCount(t, s, action, audit.OK); n != want {
				t.Errorf("%s ok: %d entries, want %d", action, n, want)
			}
		}
		if auditCount(t, s, "auth.login", audit.Denied) < 1 || auditCount(t, s, "auth.password.check", audit.Denied) < 2 {
			t.Error("refused passkey sign-in or wrong passwords not audited")
		}
	})
}

// A coordinator (MFA required) enrols a passkey during sign-in instead of
// TOTP, then finishes later sign-ins with it or with a recovery code.
func TestPasskeyAsSecondFactor(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		u := testkit.CreateUser(t, s, actor.Coordinator)
		a := testkit.NewAuthenticator(t, passkeyOrigin)
		mt := mfaToken(t, login(s, u, ""), "mfa_enrollment_required")
		reg := registerPasskey(t, s, a, mt, "", "")
		if reg.AccessToken == "" || len(reg.RecoveryCodes) != 10 {
			t.Fatalf("enrolment during sign-in: want tokens and recovery codes, got %+v", reg)
		}
		wantStatus(t, me(s, reg.AccessToken), 200, "")
		wantStatus(t, post(s, "/api/v1/auth/passkeys/register/begin", mt, map[string]string{"name": "again"}), 401, "session_ended")

		// Password, then the passkey.
		r := login(s, u, "")
		var ls loginState
		r.JSON(t, &ls)
		if ls.State != "mfa_required" || strings.Join(ls.MFAMethods, ",") != "passkey,recovery_code" {
			t.Fatalf("login: %s", r.Body)
		}
		c := begin(t, s, "/api/v1/auth/passkeys/verify/begin", ls.MFAToken, nil)
		if !strings.Contains(string(c.Options), a.CredentialID()) {
			t.Fatalf("verify options do not allow the user's passkey: %s", c.Options)
		}
		// An access token is not a pending sign-in.
		wantStatus(t, post(s, "/api/v1/auth/passkeys/verify/begin", reg.AccessToken, nil), 401, "")
		tok := accessToken(t, post(s, "/api/v1/auth/passkeys/verify/finish", ls.MFAToken,
			map[string]any{"ceremony_id": c.CeremonyID, "credential": a.Get(t, c.Options)}))
		wantStatus(t, me(s, tok), 200, "")
		wantStatus(t, post(s, "/api/v1/auth/passkeys/verify/begin", ls.MFAToken, nil), 401, "session_ended")

		// Recovery codes still work; TOTP (not enrolled) does not.
		mt = mfaToken(t, login(s, u, ""), "mfa_required")
		wantStatus(t, post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"code": "123456"}), 409, "totp_not_enabled")
		r = post(s, "/api/v1/auth/totp/verify", mt, map[string]string{"recovery_code": reg.RecoveryCodes[0]})
		wantStatus(t, me(s, accessToken(t, r)), 200, "")

		// A pending sign-in of an account with a passkey cannot add TOTP or
		// another passkey with the password alone.
		mt = mfaToken(t, login(s, u, ""), "mfa_required")
		wantStatus(t, post(s, "/api/v1/auth/totp/enroll", mt, nil), 403, "mfa_verify_first")
		wantStatus(t, post(s, "/api/v1/auth/passkeys/register/begin", mt, map[string]string{"name": "mine now"}), 403, "mfa_verify_first")
		// Nor can one of an account with TOTP.
		_, c2 := testkit.UserToken(t, s, actor.Coordinator)
		mt = mfaToken(t, login(s, c2, ""), "mfa_required")
		wantStatus(t, post(s, "/api/v1/auth/passkeys/register/begin", mt, map[string]string{"name": "mine now"}), 403, "mfa_verify_first")

		if auditCount(t, s, "auth.mfa.verify", audit.OK) < 2 {
			t.Error("second-factor uses not audited")
		}
	})
}

// Each challenge is answered once; answers from another origin, another
// challenge or without user verification are refused and audited.
func TestPasskeyReplayAndWrongOriginRefused(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, u := testkit.UserToken(t, s, actor.Lawyer)
		a := testkit.NewAuthenticator(t, passkeyOrigin)
		registerPasskey(t, s, a, tok, u.Password, "")

		c := begin(t, s, "/api/v1/auth/passkeys/login/begin", "", nil)
		answer := map[string]any{"ceremony_id": c.CeremonyID, "credential": a.Get(t, c.Options)}
		accessToken(t, post(s, "/api/v1/auth/passkeys/login/finish", "", answer))
		// The same answer again: the ceremony is spent.
		r := post(s, "/api/v1/auth/passkeys/login/finish", "", answer)
		wantStatus(t, r, 400, "")
		if !strings.Contains(string(r.Body), `"ceremony_id"`) {
			t.Fatalf("replay: %s", r.Body)
		}
		// The old answer to a new challenge.
		c = begin(t, s, "/api/v1/auth/passkeys/login/begin", "", nil)
		answer["ceremony_id"] = c.CeremonyID
		wantStatus(t, post(s, "/api/v1/auth/passkeys/login/finish", "", answer), 401, "passkey_rejected")

		// Another origin (a phishing page relaying the challenge).
		a.Origin = "https://habeas.example.net"
		wantStatus(t, passkeySignIn(t, s, a), 401, "passkey_rejected")
		// No user verification: a passkey alone must verify its user.
		a.Origin, a.NoUV = passkeyOrigin, true
		wantStatus(t, passkeySignIn(t, s, a), 401, "passkey_rejected")
		a.NoUV = false
		accessToken(t, passkeySignIn(t, s, a))

		// Begun on one replica, finished on another (the challenge is in the database).
		s2 := testkit.NewServer(t, d, nil)
		c = begin(t, s, "/api/v1/auth/passkeys/login/begin", "", nil)
		accessToken(t, post(s2, "/api/v1/auth/passkeys/login/finish", "", map[string]any{"ceremony_id": c.CeremonyID, "credential": a.Get(t, c.Options)}))
		// An expired ceremony cannot be finished.
		c = begin(t, s, "/api/v1/auth/passkeys/login/begin", "", nil)
		if err := d.Exec("UPDATE webauthn_ceremonies SET expires_at = ? WHERE id = ?", time.Now().UTC().Add(-time.Second), c.CeremonyID).Error; err != nil {
			t.Fatal(err)
		}
		r = post(s, "/api/v1/auth/passkeys/login/finish", "", map[string]any{"ceremony_id": c.CeremonyID, "credential": a.Get(t, c.Options)})
		wantStatus(t, r, 400, "")
		if !strings.Contains(string(r.Body), `"ceremony_id"`) {
			t.Fatalf("expired ceremony: %s", r.Body)
		}
		var left int64
		if err := d.Raw("SELECT count(*) FROM webauthn_ceremonies WHERE id = ?", c.CeremonyID).Scan(&left).Error; err != nil || left != 0 {
			t.Fatalf("a finished ceremony is still stored (%d, %v)", left, err)
		}

		// Registration from another origin is refused and nothing is stored.
		evil := testkit.NewAuthenticator(t, "https://habeas.example.net")
		c = begin(t, s, "/api/v1/auth/passkeys/register/begin", tok, map[string]string{"name": "evil", "password": u.Password})
		r = post(s, "/api/v1/auth/passkeys/register/finish", tok, map[string]any{"ceremony_id": c.CeremonyID, "credential": evil.Create(t, c.Options)})
		wantStatus(t, r, 400, "")
		if !strings.Contains(string(r.Body), `"credential"`) {
			t.Fatalf("wrong-origin registration: %s", r.Body)
		}
		if n := passkeyCount(t, s, tok); n != 1 {
			t.Fatalf("%d passkeys after a refused registration", n)
		}
		if auditCount(t, s, "auth.login", audit.Denied) < 3 || auditCount(t, s, "auth.passkey.register", audit.Denied) != 1 {
			t.Error("refused passkey answers not audited")
		}
	})
}

// A signature counter that does not advance means the key may exist twice:
// the use is refused and audited. Authenticators without a counter (0
// always, as synced passkeys) are not affected.
func TestPasskeySignCountClone(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, u := testkit.UserToken(t, s, actor.Lawyer)
		a := testkit.NewAuthenticator(t, passkeyOrigin)
		registerPasskey(t, s, a, tok, u.Password, "")
		accessToken(t, passkeySignIn(t, s, a))
		accessToken(t, passkeySignIn(t, s, a)) // counter 3 stored
		a.SignCount = 1                        // a copy of the key, behind the original
		wantStatus(t, passkeySignIn(t, s, a), 401, "passkey_rejected")
		if auditCount(t, s, "auth.passkey.clone_warning", audit.Denied) != 1 {
			t.Error("clone warning not audited")
		}
		a.SignCount = 10 // the original, ahead again
		accessToken(t, passkeySignIn(t, s, a))

		tok2, u2 := testkit.UserToken(t, s, actor.Lawyer)
		synced := testkit.NewAuthenticator(t, passkeyOrigin)
		synced.Counter = false
		registerPasskey(t, s, synced, tok2, u2.Password, "")
		accessToken(t, passkeySignIn(t, s, synced))
		accessToken(t, passkeySignIn(t, s, synced))
	})
}

// HABEAS_PASSKEY_REQUIRED_ROLES: a coordinator gets no session without a
// passkey (a recovery code still works); sessions proven by TOTP end.
func TestPasskeyRequiredRole(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		dir := t.TempDir() // one signing key for both servers
		plain := testkit.NewServer(t, d, func(c *config.Config) { c.DataDir = dir })
		strict := testkit.NewServer(t, d, func(c *config.Config) {
			c.DataDir = dir
			c.PasskeyRequiredRoles = []string{"coordinator"}
		})
		totpTok, tu := testkit.UserToken(t, plain, actor.Coordinator)
		wantStatus(t, me(plain, totpTok), 200, "")
		wantStatus(t, me(strict, totpTok), 401, "session_ended")

		// A coordinator with nothing yet: a passkey, not TOTP.
		u := testkit.CreateUser(t, strict, actor.Coordinator)
		mt := mfaToken(t, login(strict, u, ""), "passkey_enrollment_required")
		wantStatus(t, post(strict, "/api/v1/auth/totp/enroll", mt, nil), 403, "passkey_required")
		a := testkit.NewAuthenticator(t, passkeyOrigin)
		reg := registerPasskey(t, strict, a, mt, "", "")
		wantStatus(t, me(strict, reg.AccessToken), 200, "")
		// The only passkey of a role that requires one stays.
		wantStatus(t, post(strict, "/api/v1/auth/passkeys/"+reg.Passkey.ID+"/remove", reg.AccessToken,
			map[string]string{"password": u.Password}), 409, "passkey_required_for_role")
		// Password then passkey; TOTP is not offered; a recovery code works.
		r := login(strict, u, "")
		var ls loginState
		r.JSON(t, &ls)
		if ls.State != "mfa_required" || strings.Join(ls.MFAMethods, ",") != "passkey,recovery_code" {
			t.Fatalf("login: %s", r.Body)
		}
		r = post(strict, "/api/v1/auth/totp/verify", ls.MFAToken, map[string]string{"recovery_code": reg.RecoveryCodes[1]})
		wantStatus(t, me(strict, accessToken(t, r)), 200, "")
		wantStatus(t, me(strict, accessToken(t, passkeySignIn(t, strict, a))), 200, "")

		// The TOTP coordinator: a passkey must be registered, with a TOTP code
		// on top of the password.
		mt = mfaToken(t, login(strict, tu, tu.NextCode(t)), "passkey_enrollment_required")
		wantStatus(t, post(strict, "/api/v1/auth/totp/verify", mt, map[string]string{"code": "123456"}), 403, "passkey_required")
		b := testkit.NewAuthenticator(t, passkeyOrigin)
		c := begin(t, strict, "/api/v1/auth/passkeys/register/begin", mt, map[string]string{"name": "Work laptop"})
		r = post(strict, "/api/v1/auth/passkeys/register/finish", mt, map[string]any{"ceremony_id": c.CeremonyID, "credential": b.Create(t, c.Options)})
		wantStatus(t, r, 400, "")
		if !strings.Contains(string(r.Body), `"code"`) {
			t.Fatalf("no code: %s", r.Body)
		}
		reg = registerPasskey(t, strict, b, mt, "", tu.NextCode(t))
		if len(reg.RecoveryCodes) != 0 {
			t.Fatal("TOTP's recovery codes replaced by a passkey registration")
		}
		wantStatus(t, me(strict, reg.AccessToken), 200, "")
	})
}

// Bad answers are 400 naming the field, and store nothing.
func TestPasskeyBadInput(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, u := testkit.UserToken(t, s, actor.Lawyer)
		for _, tc := range []struct {
			body  any
			field string
		}{
			{map[string]any{"credential": map[string]any{}}, "ceremony_id"},
			{map[string]any{"ceremony_id": "0190c1d2-0000-7000-8000-000000000000"}, "credential"},
			{map[string]any{"ceremony_id": "x", "credential": "text"}, "credential"},
			{map[string]any{"ceremony_id": "not-a-ceremony", "credential": map[string]any{"id": "x"}}, "ceremony_id"},
			{map[string]any{"ceremony_id": "x", "credential": map[string]any{}, "Extra": 1}, "Extra"},
		} {
			r := post(s, "/api/v1/auth/passkeys/register/finish", tok, tc.body)
			wantStatus(t, r, 400, "")
			if !strings.Contains(string(r.Body), `"`+tc.field+`"`) {
				t.Errorf("%v: want field %s named, got %s", tc.body, tc.field, r.Body)
			}
		}
		c := begin(t, s, "/api/v1/auth/passkeys/register/begin", tok, map[string]string{"name": "Laptop", "password": u.Password})
		r := post(s, "/api/v1/auth/passkeys/register/finish", tok, map[string]any{"ceremony_id": c.CeremonyID, "credential": map[string]any{"id": "AAAA", "type": "public-key"}})
		wantStatus(t, r, 400, "")
		if !strings.Contains(string(r.Body), `"credential"`) {
			t.Fatalf("garbage credential: %s", r.Body)
		}
		if n := passkeyCount(t, s, tok); n != 0 {
			t.Fatalf("%d passkeys stored from bad input", n)
		}
		// Another user's ceremony is not theirs to finish.
		a := testkit.NewAuthenticator(t, passkeyOrigin)
		c = begin(t, s, "/api/v1/auth/passkeys/register/begin", tok, map[string]string{"name": "Laptop", "password": u.Password})
		other, _ := testkit.UserToken(t, s, actor.Lawyer)
		r = post(s, "/api/v1/auth/passkeys/register/finish", other, map[string]any{"ceremony_id": c.CeremonyID, "credential": a.Create(t, c.Options)})
		wantStatus(t, r, 400, "")
		if r.StatusCode != http.StatusBadRequest || passkeyCount(t, s, other) != 0 {
			t.Fatal("another user's ceremony was finished")
		}
	})
}
