package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/support"
)

// FuzzBindJSON decodes arbitrary bodies into the main resources' inputs:
// never a panic; a refusal is a 4xx kind of error (invalid, too large, not
// JSON); an accepted body decodes into a value that re-encodes, and none
// of its text holds a NUL.
func FuzzBindJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"王五","other_names":[{"kind":"pinyin","name":"Wang Wu"}]}`,
		`{"detainee_id":"01a21bd0-2531-7cae-a046-301b78b29587","detained_at":"2019-03~","charges":[{"charge":"subversion","article":"105"}]}`,
		`{"type":"wgad_communication","amount":"12.50","currency":"EUR"}`,
		`{"name":"a\u0000b"}`, `{"name":"a\\u0000b"}`, `{"name":1}`, `[]`, `null`, `{"x":1}`, `{} {}`, `{"name":"` + strings.Repeat("長", 30000) + `"}`,
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
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/x", bytes.NewReader(body))
		c.Request.Header.Set("Content-Type", "application/json")
		jsonLimit(64 << 10)(c)
		err := BindJSON(c, dst)
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
	})
}
