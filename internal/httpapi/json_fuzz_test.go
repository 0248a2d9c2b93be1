package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/support"
)

// FuzzBindJSON decodes arbitrary bodies into the main resources' inputs:
// never a panic; a refusal is a 4xx kind of error (invalid, too large, not
// JSON); an accepted body decodes into a value that re-encodes, and none
// of its text holds a NUL. Strict JSON (issue 22): an accepted body is
// valid UTF-8, repeats no key in any object, and holds U+FFFD only where
// the body itself wrote it (no invalid byte or lone surrogate was
// replaced); a body whose keys differ from the declared ones only in case
// is refused.
func FuzzBindJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"王五","other_names":[{"kind":"pinyin","name":"Wang Wu"}]}`,
		`{"detainee_id":"01a21bd0-2531-7cae-a046-301b78b29587","detained_at":"2019-03~","charges":[{"charge":"subversion","article":"105"}]}`,
		`{"type":"wgad_communication","amount":"12.50","currency":"EUR"}`,
		`{"name":"a\u0000b"}`, `{"name":"a\\u0000b"}`, `{"name":1}`, `[]`, `null`, `{"x":1}`, `{} {}`, `{"name":"` + strings.Repeat("長", 30000) + `"}`,
		`{"Name":"x"}`, `{"name":"a","name":"b"}`, `{"name":"a","n\u0061me":"b"}`, `{"other_names":[{"name":"x","kind":"pinyin","Kind":"alias"}]}`,
		"{\"name\":\"\xff\"}", `{"name":"\ud800"}`, `{"name":"\ud83d\ude00"}`, `{"name":"\ufffd"}`, `{"confidential":true,"confidential":false}`,
		`{"charges":[{"charge":"x","charge":"y"}]}`, `{"name":"ئىلھام توختى","other_names":[{"name":"Ilham Tohti","kind":"latin"}]}`,
	} {
		f.Add([]byte(seed), uint8(0))
		f.Add([]byte(seed), uint8(2))
	}
	targets := []func() any{
		func() any { return new(cases.DetaineeFields) },
		func() any { return new(cases.CaseCreate) },
		func() any { return new(cases.LawyerFields) },
		func() any { return new(support.ActionFields) },
		func() any { return new(evidencePatch) },
	}
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		dst := targets[int(which)%len(targets)]()
		err := BindJSON(ctxWith(body), dst)
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) || !(errors.Is(err, apperr.ErrInvalid) || errors.Is(err, apperr.ErrTooLarge) || errors.Is(err, apperr.ErrUnsupportedMedia)) {
				t.Fatalf("refusal is not an input error: %v", err)
			}
			return
		}
		out, err := json.Marshal(dst)
		if err != nil {
			t.Fatalf("accepted body does not re-encode: %v", err)
		}
		if hasNUL(out) {
			t.Fatalf("accepted text with NUL: %s", out)
		}
		if !utf8.Valid(body) {
			t.Fatalf("accepted invalid UTF-8: %q", body)
		}
		if k := repeatedKey(body); k != "" {
			t.Fatalf("accepted a repeated key %q: %s", k, body)
		}
		if bytes.ContainsRune(out, utf8.RuneError) && !bytes.ContainsRune(body, utf8.RuneError) && !bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`)) {
			t.Fatalf("accepted body had text replaced by U+FFFD: %q", body)
		}
		// Upper-casing the body changes every declared key (all are lower
		// case): where that is still JSON, it is refused.
		if upper := bytes.ToUpper(body); hasKey(body) && !bytes.Equal(upper, body) && json.Valid(upper) {
			if BindJSON(ctxWith(upper), targets[int(which)%len(targets)]()) == nil {
				t.Fatalf("accepted keys in another case: %s", upper)
			}
		}
	})
}

// ctxWith is a request context whose JSON body is body (64 KiB cap).
func ctxWith(body []byte) *gin.Context {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/x", bytes.NewReader(body))
	c.Request.Header.Set("Content-Type", "application/json")
	jsonLimit(64 << 10)(c)
	return c
}

// repeatedKey is a key that an object of the JSON text body holds twice,
// found independently of the strict check (a stack of key sets).
func repeatedKey(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object bool
		keys   map[string]bool
		expect bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.expect {
			if k, ok := tok.(string); ok {
				if top.keys[k] {
					return k
				}
				top.keys[k] = true
				top.expect = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, expect: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: an object expects its next key.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].expect = true
		}
	}
}

// hasKey reports whether the JSON text body holds an object with a key.
func hasKey(body []byte) bool {
	return bytes.Contains(body, []byte(`":`)) || bytes.Contains(body, []byte(`" :`))
}
