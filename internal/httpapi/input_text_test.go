package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Over HTTP, on both databases: a body with a key in another case, a
// repeated key or invalid UTF-8 answers 400 naming the key and stores
// nothing; names refuse direction controls and invisible characters but
// keep real Uyghur and Persian names (ZWNJ included); long text keeps its
// line breaks.
func TestStrictInputOverHTTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		tok, _ := testkit.UserToken(t, s, actor.Admin)
		ct := http.Header{"Content-Type": {"application/json"}}
		count := func() int64 {
			var n int64
			if err := d.Table("detainees").Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		refused := []struct {
			name, body, code, field string
		}{
			{"key in another case", `{"Name":"Ilham Tohti"}`, "unknown_field", "Name"},
			{"nested key in another case", `{"name":"Ilham Tohti","other_names":[{"Name":"x","kind":"alias"}]}`, "unknown_field", "other_names[0].Name"},
			{"repeated key", `{"name":"Ilham Tohti","name":"Ilham Tohti 2"}`, "duplicate_key", "name"},
			{"repeated nested key", `{"name":"Ilham Tohti","other_names":[{"name":"x","kind":"alias","kind":"pinyin"}]}`, "duplicate_key", "other_names[0].kind"},
			{"invalid UTF-8", "{\"name\":\"Ilham\xff\"}", "invalid_utf8", ""},
			{"lone surrogate", `{"name":"Ilham\udc00"}`, "invalid_utf8", ""},
			{"right-to-left override in a name", `{"name":"Ilham\u202eitheT"}`, "validation_failed", "name"},
			{"zero-width space in a name", `{"name":"Ilham\u200bTohti"}`, "validation_failed", "name"},
			{"soft hyphen in another name", `{"name":"Ilham Tohti","other_names":[{"name":"Il\u00adham","kind":"alias"}]}`, "validation_failed", "other_names[0].name"},
			{"line break in a name", `{"name":"Ilham\nTohti"}`, "validation_failed", "name"},
			{"isolate in a summary", `{"name":"Ilham Tohti","summary":"\u2067abc\u2069"}`, "validation_failed", "summary"},
		}
		for _, c := range refused {
			r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: tok, Header: ct, Body: []byte(c.body)})
			wantStatus(t, r, 400, c.code)
			if c.field != "" && !strings.Contains(string(r.Body), `"`+c.field+`":`) {
				t.Errorf("%s: %s does not name %q", c.name, r.Body, c.field)
			}
		}
		if n := count(); n != 0 {
			t.Fatalf("%d detainees stored from refused bodies", n)
		}
		for _, name := range []string{"ئىلھام توختى", "راھىلە داۋۇت", "علی\u200cرضا رجایی", "伊力哈木·土赫提"} {
			r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: tok,
				Body: map[string]any{"name": name, "summary": "first line\nsecond line", "other_names": []map[string]string{{"name": "Ilham Tohti", "kind": "latin"}}}})
			wantStatus(t, r, 201, "")
			var out struct {
				Name    string `json:"name"`
				Summary string `json:"summary"`
			}
			r.JSON(t, &out)
			if out.Name != name || out.Summary != "first line\nsecond line" {
				t.Errorf("stored %+q / %+q, want %+q", out.Name, out.Summary, name)
			}
		}
		// User names follow the rules of names.
		r := post(s, "/api/v1/users", tok, map[string]string{"email": "rlo@example.org", "name": "Li\u202eWei", "role": "lawyer", "password": "Plum-Blossom-River-88"})
		wantStatus(t, r, 400, "validation_failed")
		r = post(s, "/api/v1/users", tok, map[string]string{"email": "uy@example.org", "name": "ئىلھام توختى", "role": "lawyer", "password": "Plum-Blossom-River-88"})
		wantStatus(t, r, 201, "")
	})
}
