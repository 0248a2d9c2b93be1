package auth

import (
	"context"
	"strings"
	"testing"
)

func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		pw string
		ok bool
	}{
		{"short", false},
		{"elevenchars", false},
		{strings.Repeat("x", 129), false},
		{"password", false},
		{"password1234", false},
		{"Password2024!", false},
		{"P@ssw0rd-2024", false},
		{"!!dragon!!dragon", false},
		{"qwertyuiopasdf", false},
		{"123456789012", false},
		{"aaaaaaaaaaaaaaaa", false},
		{"abcabcabcabc", false},
		{"correct horse battery staple", false},
		{"iloveyou forever", false},
		{"woaini1314520", false},
		{"Plum-Blossom-River-88", true},
		{"Temporary-Lantern-55", true},
		{"梅花河流在夜里静静地流淌", true},              // any script
		{"ئىلھام توختى ئادالەت", true},      // Uyghur, Arabic script
		{strings.Repeat("ab1-", 32), false}, // repeated unit
		{"zq8-Vw2k-Tm4p-Rs7n", true},
	}
	for _, c := range cases {
		err := CheckPassword("password", NormalizePassword(c.pw))
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok=%v", c.pw, err, c.ok)
		}
	}
	// Personal words.
	if CheckPassword("password", "my-name-is-liwei-2024", "liwei@example.org") == nil {
		t.Error("password containing the email's local part accepted")
	}
	// Length counts characters after NFC: "é" typed as e + combining accent is one character.
	decomposed := "re\u0301sume\u0301-cafe\u0301s" // 12 characters once composed, 15 code points before
	if NormalizePassword(decomposed) == decomposed || CheckPassword("p", NormalizePassword(decomposed)) != nil {
		t.Errorf("NFC handling wrong for %q", decomposed)
	}
	short := "xe\u0301ve\u0301ne\u0301me\u0301nt" // 11 once composed, 15 code points: too short
	if CheckPassword("p", NormalizePassword(short)) == nil {
		t.Errorf("%q accepted: length must count composed characters", short)
	}
	if len(commonPasswords) < 3000 {
		t.Errorf("common list has %d entries", len(commonPasswords))
	}
	g := GeneratePassword()
	if CheckPassword("p", g) != nil || len(g) != 24 {
		t.Errorf("generated password %q fails the policy", g)
	}
}

func TestArgon2idPHC(t *testing.T) {
	h := newHasher(DefaultParams)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "Plum-Blossom-River-88")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("PHC string %q", enc)
	}
	ok, rehash, err := h.Verify(ctx, enc, "Plum-Blossom-River-88")
	if err != nil || !ok || rehash {
		t.Fatalf("verify: %v %v %v", ok, rehash, err)
	}
	if ok, _, _ := h.Verify(ctx, enc, "Plum-Blossom-River-89"); ok {
		t.Fatal("wrong password accepted")
	}
	// A hash made with weaker parameters verifies and asks for a re-hash.
	weak, _ := newHasher(FastTestParams).Hash(ctx, "x")
	if ok, rehash, _ := h.Verify(ctx, weak, "x"); !ok || !rehash {
		t.Fatalf("weak hash: ok %v rehash %v", ok, rehash)
	}
	// Malformed or abusive stored hashes are refused before any work.
	for _, bad := range []string{"", "$argon2i$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=64,t=999,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"} {
		if _, _, err := h.Verify(ctx, bad, "x"); err == nil {
			t.Errorf("accepted stored hash %q", bad)
		}
	}
}

func TestBearerTokenIsBounded(t *testing.T) {
	huge := "Bearer " + strings.Repeat(".", 1<<20)
	if _, err := BearerToken(huge); err != ErrAuthorizationLarge {
		t.Fatalf("err %v", err)
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = BearerToken(huge) }); n != 0 {
		t.Fatalf("%v allocations for an oversized header", n)
	}
	for h, want := range map[string]error{"": ErrNoCredentials, "Basic x": ErrNotBearer, "Bearer": ErrNotBearer, "Bearer a b": ErrNotBearer} {
		if _, err := BearerToken(h); err != want {
			t.Errorf("%q: %v, want %v", h, err, want)
		}
	}
	if tok, err := BearerToken("bEaReR abc.def.ghi"); err != nil || tok != "abc.def.ghi" {
		t.Errorf("scheme case: %q %v", tok, err)
	}
}
