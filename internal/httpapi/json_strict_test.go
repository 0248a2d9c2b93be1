package httpapi

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
)

type strictInner struct {
	Kind string `json:"kind"`
}

type strictEmbedded struct {
	Shared string `json:"shared"`
}

type strictBody struct {
	strictEmbedded
	Name     string                     `json:"name"`
	Flag     *bool                      `json:"confidential"`
	Items    []strictInner              `json:"items"`
	Ptr      *strictInner               `json:"ptr"`
	Labels   map[string]strictInner     `json:"labels"`
	Any      any                        `json:"any"`
	Count    cases.NullInt              `json:"count"`
	Nested   *[]map[string]*strictInner `json:"nested"`
	Untagged string
	Skipped  string `json:"-"`
}

func bindBody(t *testing.T, body string) error {
	t.Helper()
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/x", bytes.NewReader([]byte(body)))
	c.Request.Header.Set("Content-Type", "application/json")
	var dst strictBody
	return BindJSON(c, &dst)
}

// Keys must be spelled exactly as declared (encoding/json alone matches
// them case-insensitively) and no object may repeat a key (encoding/json
// alone keeps the last): either would let a proxy or validator read a
// body otherwise than the server. The 400 names the key.
func TestStrictJSONKeys(t *testing.T) {
	refused := []struct {
		name, body, code, key string
	}{
		{"key in another case (the finding)", `{"Confidential":true}`, "unknown_field", "Confidential"},
		{"key in upper case", `{"NAME":"x"}`, "unknown_field", "NAME"},
		{"key with a Kelvin sign", `{"\u212aind":"x"}`, "unknown_field", "\u212aind"},
		{"nested key in another case", `{"items":[{"Kind":"x"}]}`, "unknown_field", "items[0].Kind"},
		{"key of an embedded struct in another case", `{"Shared":"x"}`, "unknown_field", "Shared"},
		{"key behind a pointer in another case", `{"ptr":{"KIND":"x"}}`, "unknown_field", "ptr.KIND"},
		{"key in a map value in another case", `{"labels":{"a":{"Kind":"x"}}}`, "unknown_field", "labels.a.Kind"},
		{"deep key in another case", `{"nested":[{"a":{"kind":"x","Kind":"y"}}]}`, "unknown_field", "nested[0].a.Kind"},
		{"untagged Go field name in another case", `{"untagged":"x"}`, "unknown_field", "untagged"},
		{"key json:\"-\" skips", `{"Skipped":"x"}`, "unknown_field", "Skipped"},
		{"duplicate key (the finding)", `{"confidential":true,"confidential":false}`, "duplicate_key", "confidential"},
		{"duplicate key differing in case", `{"name":"a","Name":"b"}`, "unknown_field", "Name"},
		{"duplicate key written with an escape", `{"name":"a","n\u0061me":"b"}`, "duplicate_key", "name"},
		{"duplicate nested key", `{"items":[{"kind":"a"},{"kind":"a","kind":"b"}]}`, "duplicate_key", "items[1].kind"},
		{"duplicate map key", `{"labels":{"a":{},"a":{}}}`, "duplicate_key", "labels.a"},
		{"duplicate key inside a free value", `{"any":{"x":1,"x":2}}`, "duplicate_key", "any.x"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			err := bindBody(t, c.body)
			var ae *apperr.Error
			if !errors.As(err, &ae) || !errors.Is(err, apperr.ErrInvalid) {
				t.Fatalf("%s: %v, want a 400", c.body, err)
			}
			if ae.Code != c.code || ae.Fields[c.key] == "" {
				t.Fatalf("%s: code %q fields %v, want %q naming %q", c.body, ae.Code, ae.Fields, c.code, c.key)
			}
		})
	}
	accepted := []string{
		`{"name":"x","confidential":true,"shared":"s","Untagged":"u"}`,
		`{"items":[{"kind":"a"},{"kind":"b"}],"ptr":{"kind":"c"},"labels":{"A":{"kind":"d"},"a":{"kind":"e"}}}`,
		`{"any":{"X":1,"x":2,"nested":[{"k":1},{"k":2}]},"count":3}`,
		`{"nested":[{"a":{"kind":"x"},"b":null}],"count":null,"ptr":null}`,
		`{"name":"\u0645\u0647\u200c\u0633\u0627"}`,
	}
	for _, body := range accepted {
		if err := bindBody(t, body); err != nil {
			t.Errorf("%s: %v, want accepted", body, err)
		}
	}
}

// Invalid UTF-8 anywhere in a body, and escapes of lone UTF-16 surrogates
// (which encoding/json turns into U+FFFD), are refused, not replaced.
func TestStrictJSONUTF8(t *testing.T) {
	for _, body := range []string{
		"{\"name\":\"a\xffb\"}",
		"{\"name\":\"\xc3\"}",
		"{\"name\xff\":\"a\"}",
		"{\"any\":[\"\xed\xa0\x80\"]}",
		"{\"name\":\"ok\"}\xff",
		`{"name":"\ud800"}`,
		`{"name":"a\udc00b"}`,
		`{"name":"\ud800\u0041"}`,
		`{"any":{"\udfff":1}}`,
	} {
		err := bindBody(t, body)
		var ae *apperr.Error
		if !errors.As(err, &ae) || !errors.Is(err, apperr.ErrInvalid) || ae.Code != "invalid_utf8" {
			t.Errorf("%q: %v, want 400 invalid_utf8", body, err)
		}
	}
	for _, body := range []string{`{"name":"\ud83d\ude00"}`, `{"name":"\\ud800"}`, `{"name":"\u00e9\uFFFD"}`, "{\"name\":\"\xef\xbf\xbd\"}"} {
		if err := bindBody(t, body); err != nil {
			t.Errorf("%s: %v, want accepted", body, err)
		}
	}
}
