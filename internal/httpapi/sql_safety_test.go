package httpapi_test

import (
	"encoding/json"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// sqlPayloads are the values an injection attempt sends.
var sqlPayloads = []string{
	`' OR '1'='1`,
	`' OR 1=1 --`,
	`"; DROP TABLE cases; --`,
	`%' OR '%'='`,
	`) UNION SELECT id, email FROM users --`,
	`name; DELETE FROM audit_log`,
	`\' OR 1=1 #`,
	"nul\x00byte",
	`%_%`,
	`1e999`,
	`-1`,
	strings.Repeat("'", 300),
}

// getOperations lists the GET operations of the contract under /api/v1 with
// their query parameter names.
func getOperations(t *testing.T) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths      map[string]map[string]any `yaml:"paths"`
		Components struct {
			Parameters map[string]map[string]any `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for path, ops := range spec.Paths {
		op, ok := ops["get"].(map[string]any)
		if !ok || !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		var names []string
		params, _ := op["parameters"].([]any)
		if shared, ok := ops["parameters"].([]any); ok {
			params = append(params, shared...)
		}
		for _, raw := range params {
			p, _ := raw.(map[string]any)
			if ref, ok := p["$ref"].(string); ok {
				p = spec.Components.Parameters[strings.TrimPrefix(ref, "#/components/parameters/")]
			}
			if p["in"] == "query" {
				names = append(names, p["name"].(string))
			}
		}
		out[path] = names
	}
	return out
}

// TestSQLMetacharactersInEveryQueryParameter sends injection payloads
// through every query parameter of every GET route (filters, sorts,
// searches, cursors), as the most restricted caller the route answers (a
// lawyer who sees one case where possible): the answer is 200 or 400, never
// 5xx, and never holds an object the caller does not see without it.
func TestSQLMetacharactersInEveryQueryParameter(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.related = true // every route has its objects
		own, _ := e.fixture(t)
		ops := getOperations(t)
		paths := make([]string, 0, len(ops))
		for p := range ops {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		checked := 0
		for _, p := range paths {
			if len(ops[p]) == 0 {
				continue
			}
			// OpenAPI {param} -> gin :param, then the fixture's ids.
			segs := strings.Split(strings.TrimPrefix(p, "/api/v1"), "/")
			for i, s := range segs {
				if strings.HasPrefix(s, "{") {
					segs[i] = ":" + strings.Trim(s, "{}")
				}
			}
			rt := route{method: "GET", tmpl: strings.Join(segs, "/")}
			base := rt.path(own)
			// The most restricted caller the route answers: the lawyer, else
			// the coordinator, else the admin (role-level 403s).
			var tok string
			var plain *testkit.Response
			for _, role := range []string{rLawA, rCoord, rAdmin} {
				tok = e.users[role].token
				if plain = e.s.Do(testkit.Request{Method: "GET", Path: base, Token: tok}); plain.StatusCode != 403 {
					break
				}
			}
			visible := idsIn(plain.Body)
			for _, param := range ops[p] {
				for _, v := range sqlPayloads {
					r := e.s.Do(testkit.Request{Method: "GET", Path: base + "?" + url.Values{param: {v}}.Encode(), Token: tok})
					checked++
					if r.StatusCode != 200 && r.StatusCode != 400 {
						t.Errorf("GET %s ?%s=%q: %d, want 200 or 400: %.300s", p, param, v, r.StatusCode, r.Body)
						continue
					}
					for id := range idsIn(r.Body) {
						if !visible[id] {
							t.Errorf("GET %s ?%s=%q returned %s, which the lawyer does not see without it", p, param, v, id)
						}
					}
				}
			}
		}
		if checked < 100 {
			t.Fatalf("only %d requests: the contract's query parameters were not found", checked)
		}
	})
}

// idsIn collects the "id" values of a JSON body's items (any depth).
func idsIn(body []byte) map[string]bool {
	out := map[string]bool{}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return out
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["id"].(string); ok {
				out[id] = true
			}
			for k, c := range x {
				// An error body's fields and field_codes map field names
				// (a parameter named "id" too) to reasons, not objects.
				if k == "fields" || k == "field_codes" {
					continue
				}
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return out
}
