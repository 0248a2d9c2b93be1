package httpapi_test

import (
	"net/url"
	"testing"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// TestSearchMatchedAndShortQuery: a search answers which form matched
// (field and form as written) on detainees, cases and lawyers; a q too
// short for the index is a 400 about field q; a lawyer or observer never
// sees a record (or a matched form) outside their scope.
func TestSearchMatchedAndShortQuery(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.fixture(t)
		admin := e.users[rAdmin].token
		r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: admin, Body: map[string]any{
			"name": "刘晓波", "other_names": []map[string]string{{"name": "Liu Xiaobo", "kind": "pinyin"}}, "born_at": "1955"}})
		if r.StatusCode != 201 {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		var first map[string]any
		r.JSON(t, &first)
		if _, ok := first["possible_duplicates"]; ok {
			t.Errorf("first create answers possible_duplicates: %s", r.Body)
		}
		for _, c := range []struct{ path, field, form string }{
			{"/api/v1/detainees?q=" + url.QueryEscape("liu xiaobo"), "other_names.pinyin", "Liu Xiaobo"},
			{"/api/v1/detainees?q=" + url.QueryEscape("ＬＩＵ-Xiao"), "other_names.pinyin", "Liu Xiaobo"},
			{"/api/v1/detainees?q=" + url.QueryEscape("晓波"), "name", "刘晓波"},
			{"/api/v1/lawyers?q=" + url.QueryEscape("free law"), "name", "free lawyer"},
		} {
			r := e.s.Do(testkit.Request{Method: "GET", Path: c.path, Token: admin})
			var pg struct {
				Items []struct {
					Name    string            `json:"name"`
					Matched map[string]string `json:"matched"`
				} `json:"items"`
			}
			r.JSON(t, &pg)
			if r.StatusCode != 200 || len(pg.Items) == 0 || pg.Items[0].Matched["field"] != c.field || pg.Items[0].Matched["form"] != c.form {
				t.Errorf("%s: %d %s", c.path, r.StatusCode, r.Body)
			}
		}
		// The same person again: the answer lists the first as a possible duplicate.
		r = e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: admin, Body: map[string]any{"name": "Liu  Xiaobo", "born_at": "1955-12-28"}})
		var second struct {
			PossibleDuplicates []string `json:"possible_duplicates"`
		}
		r.JSON(t, &second)
		if r.StatusCode != 201 || len(second.PossibleDuplicates) != 1 || second.PossibleDuplicates[0] != first["id"] {
			t.Errorf("duplicate create: %d %s", r.StatusCode, r.Body)
		}
		// A case matches through its detainee's name.
		r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases?q=" + url.QueryEscape("家喜"), Token: admin})
		var cs struct {
			Items []struct {
				Matched map[string]string `json:"matched"`
			} `json:"items"`
		}
		r.JSON(t, &cs)
		if len(cs.Items) != 1 || cs.Items[0].Matched["field"] != "detainee.name" || cs.Items[0].Matched["form"] != "own 丁家喜" {
			t.Errorf("case by detainee name: %s", r.Body)
		}
		// Too short: one Latin letter, or only punctuation.
		for _, q := range []string{"a", "%", " - "} {
			for _, list := range []string{"detainees", "cases", "lawyers"} {
				r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/" + list + "?q=" + url.QueryEscape(q), Token: admin})
				var body struct {
					Fields map[string]string `json:"fields"`
				}
				r.JSON(t, &body)
				if r.StatusCode != 400 || body.Fields["q"] == "" {
					t.Errorf("%s q=%q: %d %s", list, q, r.StatusCode, r.Body)
				}
			}
		}
		// Scope first: lawyer A finds their own detainee, never the foreign one.
		for _, c := range []struct {
			q    string
			want int
		}{{"家喜", 1}, {"许志永", 0}, {"晓波", 0}} {
			r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees?q=" + url.QueryEscape(c.q), Token: e.users[rLawA].token})
			var pg page
			r.JSON(t, &pg)
			if len(pg.Items) != c.want || pg.Total != c.want {
				t.Errorf("lawyer q=%q: %s", c.q, r.Body)
			}
		}
	})
}
