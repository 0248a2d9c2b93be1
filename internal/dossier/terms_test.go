package dossier

import (
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// testTerms labels the fixtures' terms with the features' real vocabularies,
// as internal/app's dossierTerms does for the service (the package itself
// imports no feature; only its tests do).
func testTerms(vocab, value string) (string, bool) {
	label, found := "", false
	if t, ok := cases.Vocabularies[vocab].Lookup(value); ok {
		label, found = t.Label, true
	}
	if t, ok := support.Vocabularies[vocab].Lookup(value); ok {
		label, found = t.Label, true
	}
	if t, ok := timeline.Vocabularies[vocab].Lookup(value); ok {
		label, found = t.Label, true
	}
	return label, found
}
