package record

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text limits, in characters.
const (
	// MaxShort bounds names, titles and other one-line fields.
	MaxShort = 500
	// MaxLong bounds notes, summaries and other free text.
	MaxLong = 20000
	// MaxList bounds the entries of a list field.
	MaxList = 50
)

// Clean NFC-normalises and trims text input.
func Clean(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// CheckText returns why s is not acceptable stored text of at most max
// characters ("" when it is): CheckEncoding, then the characters allowed by
// the field's kind (see chars.go): a field of at most MaxShort characters
// is short text (names, titles: no direction controls, invisible
// characters or line breaks, bar the joiners real names need), a longer
// one is long text (no direction overrides, embeddings or isolates, no
// control characters but tab and line breaks).
func CheckText(s string, max int) string {
	if msg := CheckEncoding(s, max); msg != "" {
		return msg
	}
	return charProblem(s, max <= MaxShort)
}

// CheckEncoding returns why s is not valid UTF-8 text of at most max
// characters without NUL ("" when it is). Search text and filters, which
// are not stored, are checked only this far.
func CheckEncoding(s string, max int) string {
	switch {
	case !utf8.ValidString(s):
		return "not valid UTF-8"
	case utf8.RuneCountInString(s) > max:
		return fmt.Sprintf("at most %d characters", max)
	case strings.ContainsRune(s, 0):
		return "contains a NUL character"
	}
	return ""
}

// LikeEscape is the ESCAPE clause of the patterns LikePattern makes.
const LikeEscape = ` ESCAPE '\'`

// LikePattern is a LIKE pattern (with LikeEscape) matching q, cleaned and
// lower-cased, as a substring of a search column.
func LikePattern(q string) string {
	q = strings.ToLower(Clean(q))
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}

// SearchText is a normalised search column: the lower-cased NFC forms, one
// per line, each between newlines.
func SearchText(forms ...string) string {
	var b strings.Builder
	for _, f := range forms {
		f = strings.ToLower(Clean(f))
		if f == "" {
			continue
		}
		b.WriteString("\n")
		b.WriteString(f)
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("\n")
	return b.String()
}
