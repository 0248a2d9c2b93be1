package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// TestFieldCodes: a refused field carries a machine-readable reason next to
// its English message, so clients can say why in the user's language.
func TestFieldCodes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		tok := e.users[rCoord].token
		for _, c := range []struct {
			name, method, path string
			body               any
			want               map[string]string
		}{
			{"death before birth", "PATCH", "/api/v1/detainees/" + own.detainee, map[string]any{"born_at": "2010", "died_at": "2001"},
				map[string]string{"died_at": "before_start"}},
			{"not a date, name empty", "POST", "/api/v1/detainees", map[string]any{"name": " ", "born_at": "2019-02-30"},
				map[string]string{"name": "required", "born_at": "invalid_date"}},
			{"custody ends before it starts", "POST", "/api/v1/cases/" + own.caseID + "/custody-periods",
				map[string]any{"measure": "rsdl", "started_at": "2020-03-01", "ended_at": "2020-02-01"}, map[string]string{"ended_at": "before_start"}},
			{"unknown vocabulary value", "PATCH", "/api/v1/cases/" + own.caseID, map[string]any{"stage": "nonsense"},
				map[string]string{"stage": "unknown_value"}},
			{"too long", "PATCH", "/api/v1/cases/" + own.caseID, map[string]any{"court": repeat("法", 2000)},
				map[string]string{"court": "too_long"}},
			{"share with a lawyer", "POST", "/api/v1/cases/" + own.caseID + "/shares", map[string]any{"user_id": e.users[rLawB].p.UserID},
				map[string]string{"user_id": "wrong_role"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				h := http.Header{}
				if c.method == "PATCH" {
					h.Set("If-Match", `"1"`)
				}
				r := e.s.Do(testkit.Request{Method: c.method, Path: c.path, Token: tok, Body: c.body, Header: h})
				if r.StatusCode != http.StatusBadRequest {
					t.Fatalf("%d, want 400: %s", r.StatusCode, r.Body)
				}
				var b struct {
					Fields     map[string]string `json:"fields"`
					FieldCodes map[string]string `json:"field_codes"`
				}
				if err := json.Unmarshal(r.Body, &b); err != nil {
					t.Fatal(err)
				}
				for f, code := range c.want {
					if b.FieldCodes[f] != code || b.Fields[f] == "" {
						t.Errorf("%s: code %q message %q, want %q: %s", f, b.FieldCodes[f], b.Fields[f], code, r.Body)
					}
				}
			})
		}
	})
}

func repeat(s string, n int) string {
	out := make([]byte, 0, len(s)*n)
	for i := 0; i < n; i++ {
		out = append(out, s...)
	}
	return string(out)
}
