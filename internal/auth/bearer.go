package auth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// MaxAuthorizationLen bounds the Authorization header looked at: anything
// longer is refused before any parsing (tokens issued here are ~500 bytes).
const MaxAuthorizationLen = 4096

// Errors of BearerToken.
var (
	ErrNoCredentials      = errors.New("no Authorization header")
	ErrAuthorizationLarge = errors.New("Authorization header too large")
	ErrNotBearer          = errors.New("Authorization is not a Bearer token")
)

// BearerToken extracts the token of an "Authorization: Bearer <token>"
// header value. It allocates nothing proportional to an oversized header.
func BearerToken(header string) (string, error) {
	if header == "" {
		return "", ErrNoCredentials
	}
	if len(header) > MaxAuthorizationLen {
		return "", ErrAuthorizationLarge
	}
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", ErrNotBearer
	}
	tok = strings.TrimSpace(tok)
	if tok == "" || strings.ContainsAny(tok, " \t") {
		return "", ErrNotBearer
	}
	return tok, nil
}

// typeOf reads the typ header of a JWT without verifying anything, only to
// choose which type's rules to verify it by (and a token of a type that is
// not wanted is refused before any work).
func typeOf(raw string) string {
	head, _, ok := strings.Cut(raw, ".")
	if !ok || len(head) > 512 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	var h struct {
		Typ string `json:"typ"`
	}
	if json.Unmarshal(b, &h) != nil {
		return ""
	}
	for t, ht := range headerTyp {
		if ht == h.Typ {
			return t
		}
	}
	return ""
}
