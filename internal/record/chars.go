package record

import (
	"fmt"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Characters in text input (issue 22, findings 6 and 7). A name that
// differs from another only by characters nobody sees, or whose display
// order is reversed by a direction override, makes a look-alike record: a
// second "Ilham Tohti" that a search, a duplicate check or a reader does
// not connect with the first, or a name that reads differently from what
// is stored. So text fields are checked by kind:
//
//   - Short text (names, titles, places, authorities: fields of at most
//     MaxShort characters) refuses every bidirectional control (overrides,
//     embeddings, isolates, the marks LRM, RLM and ALM), every invisible
//     (default-ignorable or format) character, control characters and line
//     breaks. It keeps what real names need, only where a script needs it:
//     ZWNJ (U+200C) between two letters of a joining script (Arabic: Persian
//     علی‌رضا; Syriac, N'Ko, Mongolian), ZWNJ and ZWJ (U+200D) after a
//     virama (Indic scripts and Sinhala: ශ්‍රී), the Mongolian free
//     variation selectors and vowel separator after a Mongolian letter, and
//     variation selectors after a Han ideograph (variant glyphs of name
//     characters).
//   - Long text (notes, summaries, addresses, contacts) refuses the
//     overrides, embeddings and isolates (U+202A to U+202E, U+2066 to
//     U+2069, which can make text display in an order other than the
//     stored one) and control characters other than tab, line feed and
//     carriage return; the marks and invisible characters pasted text
//     often holds are kept.
//
// Both refuse invalid UTF-8 and NUL (CheckText).

// charProblem returns why s is not acceptable as short (one-line) or long
// text, naming the first offending character; "" when it is.
func charProblem(s string, short bool) string {
	runes := []rune(s)
	for i, r := range runes {
		var why string
		if short {
			why = shortRefusal(runes, i)
		} else {
			why = longRefusal(r)
		}
		if why != "" {
			return fmt.Sprintf("must not contain %s (U+%04X, character %d)", why, r, i+1)
		}
	}
	return ""
}

// longRefusal is why r is refused in long text ("" when it is not).
func longRefusal(r rune) string {
	switch {
	case isBidiOverride(r):
		return "a bidirectional override, embedding or isolate"
	case r == '\t' || r == '\n' || r == '\r':
		return ""
	case unicode.IsControl(r):
		return "a control character"
	}
	return ""
}

// shortRefusal is why runes[i] is refused in short text ("" when it is not).
func shortRefusal(runes []rune, i int) string {
	r := runes[i]
	switch {
	case isBidiOverride(r) || r == '\u200E' || r == '\u200F' || r == '\u061C':
		return "a bidirectional control character"
	case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
		return "a control character or line break"
	case r == '\u200C' || r == '\u200D':
		if joinerAllowed(runes, i) {
			return ""
		}
		return "a zero-width joiner or non-joiner outside a script that needs it"
	case r >= '\u180B' && r <= '\u180F':
		if i > 0 && unicode.Is(unicode.Mongolian, base(runes, i)) {
			return ""
		}
		return "a Mongolian format character outside Mongolian text"
	case isVariationSelector(r):
		if i > 0 && unicode.Is(unicode.Han, runes[i-1]) {
			return ""
		}
		return "a variation selector"
	case isInvisible(r):
		return "an invisible character"
	}
	return ""
}

// isBidiOverride reports the explicit directional embeddings, overrides
// and isolates and their terminators (LRE, RLE, PDF, LRO, RLO, LRI, RLI,
// FSI, PDI).
func isBidiOverride(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

func isVariationSelector(r rune) bool {
	return (r >= '\uFE00' && r <= '\uFE0F') || (r >= 0xE0100 && r <= 0xE01EF)
}

// isInvisible reports characters that show nothing or change nothing
// visible by themselves: format characters (Cf: zero-width space, word
// joiner, BOM, soft hyphen, invisible operators, tags, Arabic number signs,
// interlinear annotation) and the other default-ignorable code points of
// Unicode's DerivedCoreProperties (combining grapheme joiner, Hangul
// fillers, Khmer inherent vowels, unassigned ignorables).
func isInvisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// joiningScripts are the scripts whose letters join cursively, where ZWNJ
// between two letters selects the unjoined forms (Persian, Urdu, Uyghur
// spelling conventions).
var joiningScripts = []*unicode.RangeTable{unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Mongolian, unicode.Phags_Pa, unicode.Mandaic, unicode.Manichaean, unicode.Psalter_Pahlavi, unicode.Adlam, unicode.Hanifi_Rohingya, unicode.Sogdian}

// joinerAllowed reports whether the ZWNJ or ZWJ at runes[i] is one a
// script needs: after a virama (Indic conjuncts, half forms, Sinhala
// ශ්‍ර), or, for ZWNJ, between two letters of one joining script.
func joinerAllowed(runes []rune, i int) bool {
	if i == 0 || i+1 >= len(runes) || !unicode.IsLetter(runes[i+1]) {
		return false
	}
	prev := runes[i-1]
	if isVirama(prev) {
		return true
	}
	if runes[i] != '\u200C' {
		return false
	}
	b, next := base(runes, i), runes[i+1]
	if !unicode.IsLetter(b) {
		return false
	}
	for _, sc := range joiningScripts {
		if unicode.Is(sc, b) && unicode.Is(sc, next) {
			return true
		}
	}
	return false
}

// base is the letter before runes[i], past combining marks (harakat).
func base(runes []rune, i int) rune {
	for j := i - 1; j >= 0; j-- {
		if !unicode.Is(unicode.Mn, runes[j]) {
			return runes[j]
		}
	}
	return 0
}

// isVirama reports a virama (canonical combining class 9), which a ZWJ or
// ZWNJ may follow to choose a conjunct form.
func isVirama(r rune) bool {
	return norm.NFC.PropertiesString(string(r)).CCC() == 9
}
