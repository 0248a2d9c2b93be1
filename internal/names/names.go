// Package names folds the written forms of people's names (and other
// searchable text) into search keys, so that one query finds a person
// however a source spelled them: simplified or traditional characters,
// toneless pinyin in either order, Uyghur in Arabic or Latin script,
// full-width forms, any separator. It also cuts keys into the grams the
// search index stores (internal/cases writes and reads that index). Pure
// functions: no database; the only state is the OpenCC converter and a
// pinyin cache, built lazily and safe for concurrent use.
//
// The rules are documented in docs/search.md ("Folding").
package names

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Version is the version of the folding rules. Bump it whenever Fold,
// Keys or Grams change what they return: the search index re-indexes the
// records indexed under an older version.
const Version = 1

// Fold returns the search key of s: the same string for every spelling
// the package knows to be equivalent, with no separators. In order:
// NFKC (full-width and other compatibility forms), lower case, Uyghur
// in Arabic script to Uyghur Latin (ULY; text with Arabic letters that are
// not Uyghur is kept as written), marks stripped from Latin letters
// (tone marks and diacritics: ǚ -> u, é -> e), a few Latin letters without
// a decomposition replaced (ø ł đ ð æ œ ß ı ħ), v -> u (pinyin writes ü
// as v), every separator removed (spaces, punctuation, symbols, control
// and format characters), traditional Chinese characters to simplified.
// Fold is idempotent: Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	if k, ok := foldASCII(s); ok {
		return k
	}
	return foldSlow(s)
}

// foldASCII folds s when it is plain ASCII (most queries and Latin
// names): lower case, v -> u, only letters and digits kept. It does not
// allocate when s is already folded. ok is false when s is not ASCII.
func foldASCII(s string) (string, bool) {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return "", false
		}
		if !(c >= 'a' && c <= 'z' && c != 'v' || c >= '0' && c <= '9') {
			clean = false
		}
	}
	if clean {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		default:
			continue
		}
		if c == 'v' {
			c = 'u'
		}
		b = append(b, c)
	}
	return string(b), true
}

// latinLetters are Latin letters with no Unicode decomposition, replaced
// by the letters they are searched by.
var latinLetters = map[rune]string{
	'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'æ': "ae", 'œ': "oe",
	'ß': "ss", 'ı': "i", 'ħ': "h",
}

// isSeparator reports whether the fold removes r: white space,
// punctuation (· • ・ ‧ . - _ ' ’ ...), symbols, control and format
// characters, the Arabic tatweel and the modifier-letter apostrophes
// that romanisations use as separators (ʼ ʻ).
func isSeparator(r rune) bool {
	switch {
	case r < 0x80:
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	case r == 0x0640, r == 0x02BC, r == 0x02BB, r == 0x02B9, r == 0x02BE, r == 0x02BF:
		return true
	}
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) ||
		unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// foldSlow is Fold for text that is not plain ASCII.
func foldSlow(s string) string {
	s = norm.NFKC.String(s)
	uyghur := isUyghurText(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		r = unicode.ToLower(r)
		if uyghur && r >= 0x0600 && r <= 0x06FF {
			if lat, ok := uyghurLatin[r]; ok {
				b.WriteString(lat)
				continue
			}
		}
		b.WriteRune(r)
	}
	d := norm.NFD.String(b.String())
	b.Reset()
	// dropMarks: the marks that follow are stripped, because their base
	// is a Latin letter, a removed separator or the start of the text.
	dropMarks := true
	for _, r := range d {
		switch {
		case unicode.IsMark(r):
			if dropMarks || unicode.Is(unicode.Variation_Selector, r) {
				continue
			}
		case isSeparator(r):
			dropMarks = true
			continue
		case r < 0x80:
			dropMarks = true
			if r == 'v' {
				r = 'u'
			}
		default:
			if rep, ok := latinLetters[r]; ok {
				b.WriteString(rep)
				dropMarks = true
				continue
			}
			dropMarks = unicode.Is(unicode.Latin, r)
		}
		b.WriteRune(r)
	}
	out := norm.NFC.String(b.String())
	if hasHan(out) {
		out = toSimplified(out)
	}
	return out
}

// Keys returns the distinct search keys of one name form: its fold, and
// the romanisations derived from it, each already folded:
//   - a form with Chinese characters: toneless pinyin surname first and
//     given name first (刘贤斌: 刘贤斌, liuxianbin, xianbinliu);
//   - a form in Uyghur Arabic script: its fold is already in Uyghur Latin
//     (ilhamtoxti); the English-style romanisation is added (ilhamtohti).
//
// Latin forms get only their fold: a substring query finds either word.
// Nil when the name folds to nothing.
func Keys(name string) []string {
	k := Fold(name)
	if k == "" {
		return nil
	}
	keys := make([]string, 1, 3)
	keys[0] = k
	add := func(x string) {
		x = Fold(x)
		if x == "" {
			return
		}
		for _, y := range keys {
			if y == x {
				return
			}
		}
		keys = append(keys, x)
	}
	nfkc := norm.NFKC.String(name)
	if hasHan(k) {
		for _, x := range hanKeys(words(nfkc, k)) {
			add(x)
		}
	}
	if isUyghurText(nfkc) {
		add(uyghurEnglish(k))
	}
	return keys
}

// words returns the folded words of name (NFKC), split at its separators;
// k is the fold of the whole name, returned alone for a single word.
func words(name, k string) []string {
	fields := strings.FieldsFunc(name, isSeparator)
	if len(fields) <= 1 {
		return []string{k}
	}
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		if w := Fold(f); w != "" {
			out = append(out, w)
		}
	}
	if len(out) <= 1 {
		return []string{k}
	}
	return out
}
