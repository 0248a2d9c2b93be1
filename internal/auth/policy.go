package auth

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/habeas-org/habeas/internal/apperr"
)

//go:generate go run gen_common_passwords.go

// commonPasswordsTxt is the bundled list of common and breached passwords
// (lower case, one a line); see gen_common_passwords.go for its provenance.
//
//go:embed common_passwords.txt
var commonPasswordsTxt []byte

var commonPasswords = func() map[string]struct{} {
	m := make(map[string]struct{}, 20000)
	sc := bufio.NewScanner(bytes.NewReader(commonPasswordsTxt))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			m[w] = struct{}{}
		}
	}
	return m
}()

// Password length limits, in Unicode code points after NFC normalisation.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

// NormalizePassword returns password in Unicode NFC, so that the same
// characters typed on different systems hash the same.
func NormalizePassword(password string) string { return norm.NFC.String(password) }

// CheckPassword applies the password policy to an NFC-normalised password:
// 12 to 128 characters of any script, not a common or breached password, and
// not built on the user's email or name (personal, context words). It
// returns an ErrInvalid error naming field.
func CheckPassword(field, password string, personal ...string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return apperr.Field(field, "is not valid UTF-8")
	case n < MinPasswordLen:
		return apperr.Field(field, "must be at least 12 characters long")
	case n > MaxPasswordLen:
		return apperr.Field(field, "must be at most 128 characters long")
	case isCommonPassword(password):
		return apperr.Field(field, "is too common or appears in lists of breached passwords; choose another, e.g. several unrelated words")
	}
	lower := strings.ToLower(password)
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		if local, _, ok := strings.Cut(p, "@"); ok {
			p = local
		}
		if utf8.RuneCountInString(p) >= 4 && strings.Contains(lower, p) {
			return apperr.Field(field, "must not contain your email address or name")
		}
	}
	return nil
}

// leet undoes the usual letter substitutions.
var leet = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "i", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t", "+", "t", "8", "b", "9", "g")

func isCommonPassword(pw string) bool {
	s := strings.ToLower(pw)
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '_' || r == '.' {
			return -1
		}
		return r
	}, s)
	if inList(s) || inList(compact) || inList(leet.Replace(compact)) {
		return true
	}
	// A common word wrapped in digits and symbols: "Password2024!", "!!dragon!!".
	core := strings.TrimFunc(compact, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	if utf8.RuneCountInString(core) >= 4 && (inList(core) || inList(leet.Replace(core))) {
		return true
	}
	// Only its letters: "!!dragon!!dragon", "correct-horse-battery-staple".
	letters := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, compact)
	if utf8.RuneCountInString(letters) >= 4 && (inList(letters) || inList(leet.Replace(letters))) {
		return true
	}
	// A run along the keyboard or the alphabet: "qwertyuiopasdf", "9876543210ab".
	for _, seq := range sequences {
		if len(compact) >= 6 && strings.Contains(seq, compact) {
			return true
		}
	}
	// Too few distinct characters, or one short unit repeated ("abcabcabcabc").
	distinct := map[rune]bool{}
	for _, r := range compact {
		distinct[r] = true
	}
	if len(distinct) < 5 {
		return true
	}
	runes := []rune(compact)
	for unit := 1; unit <= len(runes)/3; unit++ {
		if len(runes)%unit == 0 && strings.Repeat(string(runes[:unit]), len(runes)/unit) == compact {
			return true
		}
	}
	return false
}

// sequences are keyboard rows and runs, forwards and backwards.
var sequences = func() []string {
	base := []string{"qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz", "01234567890123456789",
		"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp", "azertyuiopqsdfghjklmwxcvbn",
		"qwertzuiopasdfghjklyxcvbnm", "1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6u7i8o9p0"}
	out := make([]string, 0, 2*len(base))
	for _, b := range base {
		r := []rune(b)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		out = append(out, b, string(r))
	}
	return out
}()

func inList(s string) bool {
	_, ok := commonPasswords[s]
	return ok
}
