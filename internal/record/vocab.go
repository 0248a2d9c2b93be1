package record

import "github.com/habeas-org/habeas/internal/apperr"

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
