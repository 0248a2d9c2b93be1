package httpapi_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Every term of every vocabulary the server lists (GET /vocabularies and
// GET /support-vocabularies: event types, hearing types, support statuses,
// custody measures...) has a label in both of the web client's languages
// (web/src/i18n vocab.<vocabulary>.<term>), so no code is shown raw or in
// English to a Chinese reader.
func TestEveryVocabularyTermIsTranslated(t *testing.T) {
	web := map[string]map[string]map[string]any{}
	for _, f := range []string{"en", "zh-Hans"} {
		raw, err := os.ReadFile("../../web/src/i18n/" + f + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Vocab map[string]map[string]any `json:"vocab"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s.json: %v", f, err)
		}
		web[f] = doc.Vocab
	}
	d := testkit.NewDB(t, db.SQLite)
	s := testkit.NewServer(t, d, nil)
	tok, _ := testkit.UserToken(t, s, actor.Admin)
	terms := 0
	for _, path := range []string{"/api/v1/vocabularies", "/api/v1/support-vocabularies"} {
		r := s.Do(testkit.Request{Method: "GET", Path: path, Token: tok})
		if r.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, r.StatusCode, r.Body)
		}
		var vocabs map[string][]struct {
			Value string `json:"value"`
		}
		r.JSON(t, &vocabs)
		for name, list := range vocabs {
			for _, term := range list {
				terms++
				for lang, v := range web {
					if _, ok := v[name][term.Value]; !ok {
						t.Errorf("vocabulary %s term %q has no label in web/src/i18n/%s.json (vocab.%s.%s)", name, term.Value, lang, name, term.Value)
					}
				}
			}
		}
	}
	if terms < 100 {
		t.Fatalf("only %d terms read: the vocabularies' shape changed", terms)
	}
}
