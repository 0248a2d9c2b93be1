package auth

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Token types: the typ claim and header of each kind of JWT this server issues.
const (
	// TypeAccess is a full access token.
	TypeAccess = "access"
	// TypeMFA is the token of a sign-in still owing MFA: it can only enrol,
	// confirm or verify TOTP.
	TypeMFA = "mfa"
)

// headerTyp maps a token type to its JOSE typ header (RFC 9068 for access tokens).
var headerTyp = map[string]string{TypeAccess: "at+jwt", TypeMFA: "mfa+jwt"}

// audience of each token type: an MFA token is not even meant for the API.
func (t *tokenIssuer) audience(typ string) string {
	if typ == TypeMFA {
		return t.issuer + ":mfa"
	}
	return t.issuer + ":api"
}

// MaxTokenLen bounds what the parser looks at; tokens issued here are far shorter.
const MaxTokenLen = 2048

// leeway tolerates clock skew between server processes.
const leeway = 30 * time.Second

// Claims are the claims of tokens issued here.
type Claims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid"`
	Type      string `json:"typ"`
}

// tokenIssuer signs and parses this server's JWTs.
type tokenIssuer struct {
	issuer string
	kid    string
	priv   ed25519.PrivateKey
	// keys are the public keys accepted, by kid (the signing key; older keys
	// could be added here during a rotation).
	keys map[string]ed25519.PublicKey
	now  func() time.Time
}

func newTokenIssuer(issuer string, priv ed25519.PrivateKey, now func() time.Time) *tokenIssuer {
	pub := priv.Public().(ed25519.PublicKey)
	kid := KeyID(pub)
	return &tokenIssuer{issuer: issuer, kid: kid, priv: priv, keys: map[string]ed25519.PublicKey{kid: pub}, now: now}
}

// sign returns a token of typ for user and session, valid for ttl.
func (t *tokenIssuer) sign(typ, userID, sessionID string, ttl time.Duration) (string, error) {
	now := t.now()
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   userID,
			Audience:  jwt.ClaimStrings{t.audience(typ)},
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ID:        uuid.NewString(),
		},
		SessionID: sessionID,
		Type:      typ,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	tok.Header["kid"] = t.kid
	tok.Header["typ"] = headerTyp[typ]
	return tok.SignedString(t.priv)
}

// errTokenExpired is told apart so clients know to refresh.
var errTokenExpired = errors.New("token expired")

// allowedHeader lists the only JOSE header parameters accepted: a token
// naming a key location (jku, x5u), embedding a key (jwk, x5c) or asking for
// extensions (crit) is refused outright.
var allowedHeader = map[string]bool{"alg": true, "typ": true, "kid": true}

// parse verifies raw as a token of typ and returns its claims. Every check
// is explicit: algorithm pinned to EdDSA, known kid, expected typ header and
// claim, issuer, audience, exp required, iat not in the future, nbf honoured,
// subject, session and id present, lifetime within maxTTL.
func (t *tokenIssuer) parse(raw, typ string, maxTTL time.Duration) (*Claims, error) {
	if len(raw) == 0 || len(raw) > MaxTokenLen || strings.Count(raw, ".") != 2 {
		return nil, errors.New("malformed token")
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(t.audience(typ)),
		jwt.WithLeeway(leeway),
		jwt.WithStrictDecoding(),
		jwt.WithTimeFunc(t.now),
	)
	var c Claims
	_, err := parser.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		for k := range tok.Header {
			if !allowedHeader[k] {
				return nil, fmt.Errorf("header parameter %q not accepted", k)
			}
		}
		if h, _ := tok.Header["typ"].(string); h != headerTyp[typ] {
			return nil, errors.New("wrong token type header")
		}
		kid, _ := tok.Header["kid"].(string)
		key, ok := t.keys[kid]
		if !ok {
			return nil, errors.New("unknown key id")
		}
		return key, nil
	})
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return nil, errTokenExpired
		}
		return nil, err
	}
	switch {
	case c.Type != typ:
		return nil, errors.New("wrong token type")
	case c.Subject == "" || c.SessionID == "" || c.ID == "":
		return nil, errors.New("token lacks sub, sid or jti")
	case c.IssuedAt == nil || c.ExpiresAt.Sub(c.IssuedAt.Time) > maxTTL:
		return nil, errors.New("token lifetime too long")
	}
	return &c, nil
}
