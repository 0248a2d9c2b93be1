package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// exclude_action leaves out the entries of the actions named (the web hides
// the routine auth.refresh by default), comma-separated or repeated; more
// than 20 is a 400 naming the field.
func TestAuditExcludeAction(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		admin, _ := testkit.UserToken(t, s, actor.Admin)
		testkit.UserToken(t, s, actor.Coordinator) // a user.create entry
		for range 2 {
			s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit", Token: admin}) // audit.read entries
		}
		actions := func(query string) map[string]int {
			t.Helper()
			r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?limit=200&" + query, Token: admin})
			if r.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %s", query, r.StatusCode, r.Body)
			}
			var p auditPage
			r.JSON(t, &p)
			out := map[string]int{}
			for _, e := range p.Items {
				out[e.Action]++
			}
			return out
		}
		all := actions("")
		if all["audit.read"] < 2 || all["user.create"] < 1 {
			t.Fatalf("entries to filter are missing: %v", all)
		}
		one := actions("exclude_action=audit.read")
		if one["audit.read"] != 0 || one["user.create"] != all["user.create"] {
			t.Errorf("exclude audit.read: %v (all: %v)", one, all)
		}
		for _, q := range []string{"exclude_action=audit.read,user.create", "exclude_action=audit.read&exclude_action=user.create"} {
			two := actions(q)
			if two["audit.read"] != 0 || two["user.create"] != 0 || len(two) == 0 {
				t.Errorf("%s: %v", q, two)
			}
		}
		many := "exclude_action=" + strings.Repeat("x.y,", 21)
		r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?" + many, Token: admin})
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(string(r.Body), "exclude_action") {
			t.Errorf("21 exclusions: %d %s", r.StatusCode, r.Body)
		}
	})
}
