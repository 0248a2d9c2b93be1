package auth

import (
	"crypto/ed25519"
	"testing"
	"time"
)

// FuzzAuthorization feeds arbitrary Authorization header values through the
// whole parsing path (header, JOSE header, claims, signature): nothing may
// panic, and nothing unsigned by the key may be accepted.
func FuzzAuthorization(f *testing.F) {
	seed := ed25519.NewKeyFromSeed(make([]byte, 32))
	now := func() time.Time { return time.Unix(1_800_000_000, 0) }
	ti := newTokenIssuer("habeas", seed, now)
	valid, err := ti.sign(TypeAccess, "u", "s", 10*time.Minute)
	if err != nil {
		f.Fatal(err)
	}
	mfa, _ := ti.sign(TypeMFA, "u", "s", 10*time.Minute)
	for _, s := range []string{"Bearer " + valid, "Bearer " + mfa, "bearer " + valid + "x", "Bearer ..", "Bearer a.b.c",
		"Basic dXNlcjpwYXNz", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.", "Bearer " + valid[:len(valid)-3]} {
		f.Add(s)
	}
	other := newTokenIssuer("habeas", ed25519.NewKeyFromSeed(make([]byte, 32)), now) // same key: for the accepted check
	f.Fuzz(func(t *testing.T, header string) {
		tok, err := BearerToken(header)
		if err != nil {
			return
		}
		_ = typeOf(tok)
		for _, typ := range []string{TypeAccess, TypeMFA} {
			c, err := ti.parse(tok, typ, MaxAccessTTL)
			if err != nil {
				continue
			}
			// Accepted: it must be a token this key signed, i.e. re-verifiable.
			if _, err := other.parse(tok, typ, MaxAccessTTL); err != nil || c.Subject == "" || c.SessionID == "" {
				t.Fatalf("accepted %q inconsistently: %v", tok, err)
			}
		}
	})
}
