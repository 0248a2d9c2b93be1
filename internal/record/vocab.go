package record

import (
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/habeas-org/habeas/internal/apperr"
)

// Term is one value of a controlled vocabulary with its English label.
type Term struct {
	Value string `json:"value"`
	Label string `json:"label"`
	// Article is the PRC Criminal Law article of a charge ("Art. 105"), or
	// the provision an obstacle breaches when one is clearly engaged ("CPL
	// Art. 39"; check before citing).
	Article string `json:"article,omitempty"`
	// Obstacle marks the event types that are obstacles to the defence
	// (counted and cited in petitions).
	Obstacle bool `json:"obstacle,omitempty"`
	// Aliases are other texts input may give for the term (its Chinese
	// label, common abbreviations such as "M" or 在押); Resolve maps them to
	// Value, which is what is stored. Not served to clients.
	Aliases []string `json:"-"`
}

// Vocabulary is an ordered list of terms.
type Vocabulary []Term

// Has reports whether v holds value.
func (v Vocabulary) Has(value string) bool {
	_, ok := v.Lookup(value)
	return ok
}

// Lookup returns the term with the given value.
func (v Vocabulary) Lookup(value string) (Term, bool) {
	for _, t := range v {
		if t.Value == value {
			return t, true
		}
	}
	return Term{}, false
}

// Resolve returns the value of the term s names: its value, or (ignoring
// case, width and surrounding space) its value with spaces or hyphens for
// the underscores ("Believed detained"), its English label or one of its
// aliases. ok is false when no term matches.
func (v Vocabulary) Resolve(s string) (value string, ok bool) {
	if v.Has(s) {
		return s, true
	}
	k := foldTerm(s)
	if k == "" {
		return "", false
	}
	asValue := strings.NewReplacer(" ", "_", "-", "_").Replace(k)
	for _, t := range v {
		if foldTerm(t.Value) == asValue || foldTerm(t.Label) == k {
			return t.Value, true
		}
	}
	for _, t := range v {
		for _, a := range t.Aliases {
			if foldTerm(a) == k {
				return t.Value, true
			}
		}
	}
	return "", false
}

// foldTerm is the form terms are compared in: NFKC (full-width letters and
// brackets as ASCII), lower case, spaces trimmed and collapsed.
func foldTerm(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFKC.String(s))), " ")
}

// Unknown is the message for an input v that is not a term of voc: it
// quotes v (cut to 40 characters), names what field holds ("sex",
// "detention status": the last segment of field, without an index) and
// lists the allowed values; route is where the vocabularies are served.
func Unknown(v, field string, voc Vocabulary, route string) string {
	what := field
	if i := strings.IndexByte(what, '['); i >= 0 {
		what = what[:i] + what[strings.IndexByte(what, ']')+1:]
	}
	if i := strings.LastIndexByte(what, '.'); i >= 0 {
		what = what[i+1:]
	}
	what = strings.ReplaceAll(what, "_", " ")
	allowed := "; allowed: " + strings.Join(voc.Values(), ", ") + " (or their labels; see " + route + ")"
	if strings.TrimSpace(v) == "" {
		return "required" + allowed
	}
	r := []rune(strings.TrimSpace(v))
	if len(r) > 40 {
		r = append(r[:40], '…')
	}
	return strconv.Quote(string(r)) + " is not a known " + what + allowed
}

// Values returns the values of v, in order.
func (v Vocabulary) Values() []string {
	out := make([]string, len(v))
	for i, t := range v {
		out[i] = t.Value
	}
	return out
}

// CheckVocab returns an error about field unless v is "" or a value of voc.
func CheckVocab(field, v string, voc Vocabulary) error {
	if v != "" && !voc.Has(v) {
		return apperr.Field(field, "not a known value (see /api/v1/vocabularies)")
	}
	return nil
}
