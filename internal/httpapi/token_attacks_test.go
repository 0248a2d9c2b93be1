package httpapi_test

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

func b64(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// forge builds a JWT by hand (independent of the library under test).
func forge(header, claims map[string]any, sign func(input []byte) []byte) string {
	in := b64(header) + "." + b64(claims)
	return in + "." + base64.RawURLEncoding.EncodeToString(sign([]byte(in)))
}

func clone(m map[string]any, set map[string]any, del ...string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for k, v := range set {
		out[k] = v
	}
	for _, k := range del {
		delete(out, k)
	}
	return out
}

// serverWithKey starts a server whose signing key the test knows.
func serverWithKey(t *testing.T, d *db.DB) (*testkit.Server, ed25519.PrivateKey) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pemKey, err := auth.EncodePrivateKeyPEM(priv)
	if err != nil {
		t.Fatal(err)
	}
	s := testkit.NewServer(t, d, func(c *config.Config) { c.JWTPrivateKey = pemKey })
	return s, priv
}

func TestTokenAttacksAreRefused(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s, priv := serverWithKey(t, d)
		pub := priv.Public().(ed25519.PublicKey)
		tok, u := testkit.UserToken(t, s, actor.Lawyer)
		r := me(s, tok)
		wantStatus(t, r, 200, "")
		var m struct {
			SessionID string `json:"session_id"`
		}
		r.JSON(t, &m)

		now := time.Now().Unix()
		header := map[string]any{"alg": "EdDSA", "typ": "at+jwt", "kid": auth.KeyID(pub)}
		claims := map[string]any{"iss": "habeas", "aud": []string{"habeas:api"}, "sub": u.ID, "sid": m.SessionID,
			"typ": "access", "iat": now, "nbf": now, "exp": now + 300, "jti": "forged-1"}
		edSign := func(in []byte) []byte { return ed25519.Sign(priv, in) }
		// The control: a token forged exactly like the server's is accepted,
		// so each refusal below is due to its one defect.
		wantStatus(t, me(s, forge(header, claims, edSign)), 200, "")

		_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
		otherPub := otherKey.Public().(ed25519.PublicKey)
		pubDER, _ := x509.MarshalPKIXPublicKey(pub)
		pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
		hs := func(key []byte) func([]byte) []byte {
			return func(in []byte) []byte { h := hmac.New(sha256.New, key); h.Write(in); return h.Sum(nil) }
		}
		valid := forge(header, claims, edSign)
		parts := strings.Split(valid, ".")
		otherUser := testkit.CreateUser(t, s, actor.Admin)
		tampered := parts[0] + "." + b64(clone(claims, map[string]any{"sub": otherUser.ID})) + "." + parts[2]

		// Tokens that are not access tokens at all.
		coord := testkit.CreateUser(t, s, actor.Coordinator)
		lr := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": coord.Email, "password": coord.Password}})
		wantStatus(t, lr, 200, "")
		var pending testkit.TokenResponse
		lr.JSON(t, &pending)
		if pending.State != "mfa_enrollment_required" || pending.MFAToken == "" || pending.AccessToken != "" {
			t.Fatalf("coordinator without TOTP: %+v", pending)
		}
		full := testkit.Login(t, s, testkit.CreateUser(t, s, actor.Observer))

		attacks := []struct {
			name, token string
		}{
			{"alg none", forge(clone(header, map[string]any{"alg": "none"}), claims, func([]byte) []byte { return nil })},
			{"alg none uppercase", forge(clone(header, map[string]any{"alg": "NONE"}), claims, func([]byte) []byte { return nil })},
			{"HS256 with raw public key", forge(clone(header, map[string]any{"alg": "HS256"}), claims, hs(pub))},
			{"HS256 with PEM public key", forge(clone(header, map[string]any{"alg": "HS256"}), claims, hs(pubPEM))},
			{"wrong iss", forge(header, clone(claims, map[string]any{"iss": "evil"}), edSign)},
			{"no iss", forge(header, clone(claims, nil, "iss"), edSign)},
			{"wrong aud", forge(header, clone(claims, map[string]any{"aud": []string{"habeas:mfa"}}), edSign)},
			{"no aud", forge(header, clone(claims, nil, "aud"), edSign)},
			{"no exp", forge(header, clone(claims, nil, "exp"), edSign)},
			{"exp 0", forge(header, clone(claims, map[string]any{"exp": 0}), edSign)},
			{"expired", forge(header, clone(claims, map[string]any{"iat": now - 7200, "nbf": now - 7200, "exp": now - 3600}), edSign)},
			{"nbf in the future", forge(header, clone(claims, map[string]any{"nbf": now + 3600}), edSign)},
			{"iat in the future", forge(header, clone(claims, map[string]any{"iat": now + 3600, "exp": now + 3900}), edSign)},
			{"lifetime over 15 minutes", forge(header, clone(claims, map[string]any{"exp": now + 3600}), edSign)},
			{"tampered payload", tampered},
			{"unknown kid", forge(clone(header, map[string]any{"kid": "not-a-key"}), claims, edSign)},
			{"no kid", forge(clone(header, nil, "kid"), claims, edSign)},
			{"other key with its own kid", forge(clone(header, map[string]any{"kid": auth.KeyID(otherPub)}), claims,
				func(in []byte) []byte { return ed25519.Sign(otherKey, in) })},
			{"other key with our kid", forge(header, claims, func(in []byte) []byte { return ed25519.Sign(otherKey, in) })},
			{"jku header", forge(clone(header, map[string]any{"jku": "https://attacker.example/jwks.json"}), claims, edSign)},
			{"jwk header", forge(clone(header, map[string]any{"jwk": map[string]string{"kty": "OKP", "crv": "Ed25519",
				"x": base64.RawURLEncoding.EncodeToString(otherPub)}}), claims, func(in []byte) []byte { return ed25519.Sign(otherKey, in) })},
			{"typ claim mfa", forge(header, clone(claims, map[string]any{"typ": "mfa"}), edSign)},
			{"typ header mfa", forge(clone(header, map[string]any{"typ": "mfa+jwt"}), claims, edSign)},
			{"no sid", forge(header, clone(claims, nil, "sid"), edSign)},
			{"unknown session", forge(header, clone(claims, map[string]any{"sid": "019a0000-0000-7000-8000-000000000000"}), edSign)},
			{"session of another user", forge(header, clone(claims, map[string]any{"sub": otherUser.ID}), edSign)},
			{"refresh token as access token", full.Refresh},
			{"MFA-pending token as access token", pending.MFAToken},
			{"garbage", "abc"},
			{"empty segments", ".."},
			{"1 MB of dots", strings.Repeat(".", 1<<20)},
		}
		for _, a := range attacks {
			t.Run(a.name, func(t *testing.T) {
				r := me(s, a.token)
				if r.StatusCode != http.StatusUnauthorized {
					t.Fatalf("status %d, want 401; body %.300s", r.StatusCode, r.Body)
				}
				testkit.CheckErrorShape(t, r)
				// Refused on an admin route as well.
				r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users", Token: a.token})
				if r.StatusCode != http.StatusUnauthorized {
					t.Fatalf("users: status %d, want 401", r.StatusCode)
				}
			})
		}
		// The legitimate token still works: nothing above harmed the session.
		wantStatus(t, me(s, tok), 200, "")
	})
}

func TestMalformedAuthorizationHeaders(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Lawyer)
		cases := []struct {
			name   string
			header http.Header
			code   string
		}{
			{"none", http.Header{}, "unauthenticated"},
			{"basic", http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}, "invalid_token"},
			{"bearer without token", http.Header{"Authorization": {"Bearer "}}, "invalid_token"},
			{"token without scheme", http.Header{"Authorization": {tok}}, "invalid_token"},
			{"two headers", http.Header{"Authorization": {"Bearer " + tok, "Bearer " + tok}}, "invalid_token"},
			{"oversized", http.Header{"Authorization": {"Bearer " + tok + strings.Repeat("A", 5000)}}, "invalid_token"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me", Header: c.header}), 401, c.code)
			})
		}
		// The scheme is case-insensitive (RFC 9110).
		wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me", Header: http.Header{"Authorization": {"bearer " + tok}}}), 200, "")
	})
}
