package dossier

import (
	"strings"
	"testing"
)

// TestWGADConsentFromRelatives: with no consent recorded on the case, the
// WGAD draft names the relatives (in the document) whose consent to a UN
// submission is given instead of leaving the gap, and a withdrawal by any
// relative, confidential or not, is a red gap to check before filing.
func TestWGADConsentFromRelatives(t *testing.T) {
	doc := sample(English, External)
	doc.Kind = KindWGAD
	doc.Case.UNConsent = nil
	consent := func(state string) []ConsentState {
		return []ConsentState{{Kind: Term{"relative_consent_kinds", "un_submission"}, State: state}}
	}
	doc.Detainee.Relatives = []Relative{
		{Relation: Term{"relations", "spouse"}, Name: "王峭岭", Consent: consent("given")},
		{Relation: Term{"relations", "sibling"}, Name: "Li Wen", Consent: consent("unknown")},
	}
	text := func() string {
		odt, err := ComposeODT(doc, testFonts(t), testTerms)
		if err != nil {
			t.Fatal(err)
		}
		return odtText(t, odt)
	}
	got := text()
	if !strings.Contains(got, "Consent to a submission to a UN mechanism recorded in Habeas from: Spouse or partner 王峭岭.") {
		t.Errorf("the relative's consent is not in the draft:\n%s", got)
	}
	if strings.Contains(got, "consent missing") || strings.Contains(got, "Li Wen.") {
		t.Errorf("the gap is kept or a relative without consent is named:\n%s", got)
	}
	if strings.Contains(got, "consent withdrawn") {
		t.Error("a withdrawal is reported where none is recorded")
	}

	doc.Detainee.UNConsentWithdrawn = 2
	if got = text(); !strings.Contains(got, "[TO COMPLETE: consent withdrawn: 2 relative(s) withdrew their consent") {
		t.Errorf("the withdrawal is not flagged:\n%s", got)
	}

	doc.Detainee.Relatives = nil
	doc.Detainee.UNConsentWithdrawn = 0
	if got = text(); !strings.Contains(got, "consent missing") {
		t.Errorf("no consent anywhere, and no gap:\n%s", got)
	}
}
