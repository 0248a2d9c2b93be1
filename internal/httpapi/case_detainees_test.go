package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Several detainees per case over HTTP (issue 25): field errors naming the
// field with nothing stored, the principal first in the list, a linked
// co-defendant visible to who sees the case (not its other cases, not its
// relatives' writes, not its record's edits), the case list by detainee
// including the cases a detainee is linked to, and every write audited.
func TestCaseDetaineesHTTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.related = true
		own, foreign := e.fixture(t)
		ctx := context.Background()
		admin, lawyer, other, obs := e.users[rAdmin].token, e.users[rLawA].token, e.users[rLawB].token, e.users[rObsA].token
		base := "/api/v1/cases/" + own.caseID + "/detainees"
		list := func(tok string) page {
			t.Helper()
			r := e.s.Do(testkit.Request{Method: "GET", Path: base, Token: tok})
			if r.StatusCode != 200 {
				t.Fatalf("list: %d %s", r.StatusCode, r.Body)
			}
			var pg page
			r.JSON(t, &pg)
			return pg
		}
		before, audited := list(admin).Total, auditCount(t, e.s, "case_detainee.create", audit.OK)
		fresh := must(e.svc.CreateDetainee(ctx, e.admin(), cases.DetaineeFields{Name: ptr("李和平")}))
		// fresh is visible to lawyer A through a case they hold.
		heldCase := must(e.svc.CreateCase(ctx, e.admin(), cases.CaseCreate{DetaineeID: fresh.ID}))
		must(e.svc.CreateAssignment(ctx, e.admin(), heldCase.ID, cases.AssignmentCreate{LawyerID: e.lawyerA.ID,
			AssignmentFields: cases.AssignmentFields{Role: ptr("org_appointed")}}))

		t.Run("refused input names the field and stores nothing", func(t *testing.T) {
			for _, c := range []struct {
				field  string
				status int
				body   map[string]any
			}{
				{"detainee_id", 400, map[string]any{"role": "co_defendant"}},
				{"role", 400, map[string]any{"detainee_id": fresh.ID}},
				{"role", 400, map[string]any{"detainee_id": fresh.ID, "role": "accomplice"}},
				{"colour", 400, map[string]any{"detainee_id": fresh.ID, "role": "co_defendant", "colour": "blue"}},
				// A detainee the lawyer does not see is unknown to them.
				{"detainee_id", 400, map[string]any{"detainee_id": foreign.detainee, "role": "co_defendant"}},
				{"detainee_id", 409, map[string]any{"detainee_id": own.detainee, "role": "co_defendant"}},
				{"detainee_id", 409, map[string]any{"detainee_id": own.codefendant, "role": "co_defendant"}},
			} {
				r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: lawyer, Body: c.body})
				if r.StatusCode != c.status || !strings.Contains(string(r.Body), `"`+c.field+`"`) {
					t.Errorf("%v: %d %s, want %d naming %s", c.body, r.StatusCode, r.Body, c.status, c.field)
				}
			}
			if n := list(admin).Total; n != before {
				t.Fatalf("refused requests stored links: %d, was %d", n, before)
			}
			if r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: other, Body: map[string]any{"detainee_id": fresh.ID, "role": "co_defendant"}}); r.StatusCode != 404 {
				t.Errorf("unassigned lawyer: %d", r.StatusCode)
			}
			if r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: obs, Body: map[string]any{"detainee_id": fresh.ID, "role": "co_defendant"}}); r.StatusCode != 403 {
				t.Errorf("observer: %d", r.StatusCode)
			}
		})

		t.Run("principal first, then the linked ones with their names", func(t *testing.T) {
			r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: lawyer, Body: map[string]any{"detainee_id": fresh.ID, "role": "witness"}})
			if r.StatusCode != 201 || r.Header.Get("Location") != base+"/"+fresh.ID {
				t.Fatalf("create: %d %s %s", r.StatusCode, r.Header.Get("Location"), r.Body)
			}
			pg := list(obs)
			if pg.Total != 3 || len(pg.Items) != 3 {
				t.Fatalf("list: %+v", pg)
			}
			if pg.Items[0]["principal"] != true || pg.Items[0]["detainee_id"] != own.detainee || pg.Items[0]["version"] != nil {
				t.Errorf("first item is not the principal: %v", pg.Items[0])
			}
			if pg.Items[1]["detainee_id"] != own.codefendant || pg.Items[2]["role"] != "witness" ||
				pg.Items[2]["detainee"].(map[string]any)["name"] != "李和平" {
				t.Errorf("linked items: %v", pg.Items[1:])
			}
			// limit 1: the principal alone, then one link a page.
			var seen []string
			o := record.ListOptions{Limit: 1}
			for range 4 {
				p := must(e.svc.ListCaseDetainees(ctx, e.admin(), own.caseID, o))
				for _, it := range p.Items {
					seen = append(seen, it.DetaineeID)
				}
				if len(p.Items) != 1 || p.NextCursor == nil {
					break
				}
				o.Cursor = *p.NextCursor
			}
			if strings.Join(seen, ",") != strings.Join([]string{own.detainee, own.codefendant, fresh.ID}, ",") {
				t.Errorf("pages of 1: %v", seen)
			}
			if n := auditCount(t, e.s, "case_detainee.create", audit.OK); n != audited+1 {
				t.Errorf("audited creates: %d, want %d", n, audited+1)
			}
		})

		t.Run("a co-defendant is seen through the case, not its other cases", func(t *testing.T) {
			// The co-defendant's own case, held by nobody lawyer A knows.
			coCase := must(e.svc.CreateCase(ctx, e.admin(), cases.CaseCreate{DetaineeID: own.codefendant}))
			for _, tok := range []string{lawyer, obs} {
				r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees/" + own.codefendant, Token: tok})
				var v struct {
					Name string
					In   []cases.CoDefendantCase `json:"co_defendant_in"`
				}
				r.JSON(t, &v)
				if r.StatusCode != 200 || len(v.In) != 1 || v.In[0].CaseID != own.caseID || v.In[0].Role != "co_defendant" {
					t.Errorf("co-defendant record: %d %s", r.StatusCode, r.Body)
				}
				if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + coCase.ID, Token: tok}); r.StatusCode != 404 {
					t.Errorf("co-defendant's other case: %d", r.StatusCode)
				}
				r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases?detainee_id=" + own.codefendant, Token: tok})
				var pg page
				r.JSON(t, &pg)
				if pg.Total != 1 || pg.Items[0]["id"] != own.caseID {
					t.Errorf("cases of the co-defendant: %s", r.Body)
				}
			}
			r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases?detainee_id=" + own.codefendant, Token: admin})
			var pg page
			r.JSON(t, &pg)
			if pg.Total != 2 {
				t.Errorf("admin: cases of the co-defendant, own and linked: %s", r.Body)
			}
			if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees/" + own.codefendant, Token: other}); r.StatusCode != 404 {
				t.Errorf("unassigned lawyer sees the co-defendant: %d", r.StatusCode)
			}
			// Seeing is not holding: no edit of the record, no relatives.
			v := must(e.svc.GetDetainee(ctx, e.admin(), own.codefendant)).Version
			r = e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/detainees/" + own.codefendant, Token: lawyer,
				Header: ifMatchHeader(v), Body: map[string]any{"occupation": "lawyer"}})
			if r.StatusCode != 403 {
				t.Errorf("lawyer edits a co-defendant's record: %d %s", r.StatusCode, r.Body)
			}
			r = e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees/" + own.codefendant + "/relatives", Token: lawyer,
				Body: map[string]any{"relation": "spouse", "name": "王峭岭"}})
			if r.StatusCode != 403 {
				t.Errorf("lawyer adds a relative of a co-defendant: %d %s", r.StatusCode, r.Body)
			}
		})

		t.Run("role change, unlink, guards", func(t *testing.T) {
			item := base + "/" + own.codefendant
			r := e.s.Do(testkit.Request{Method: "PATCH", Path: item, Token: lawyer, Header: ifMatchHeader(1), Body: map[string]any{"role": "defendant"}})
			if r.StatusCode != 200 || r.Header.Get("ETag") != `"2"` {
				t.Fatalf("patch: %d %s", r.StatusCode, r.Body)
			}
			if r := e.s.Do(testkit.Request{Method: "PATCH", Path: item, Token: lawyer, Header: ifMatchHeader(1), Body: map[string]any{"role": "witness"}}); r.StatusCode != 412 {
				t.Errorf("stale patch: %d", r.StatusCode)
			}
			if r := e.s.Do(testkit.Request{Method: "DELETE", Path: base + "/" + own.detainee, Token: admin, Header: ifMatchHeader(1)}); r.StatusCode != 409 {
				t.Errorf("unlink the principal: %d %s", r.StatusCode, r.Body)
			}
			if r := e.s.Do(testkit.Request{Method: "DELETE", Path: item, Token: obs, Header: ifMatchHeader(2)}); r.StatusCode != 403 {
				t.Errorf("observer unlinks: %d", r.StatusCode)
			}
			// A detainee linked to a case is not deleted.
			x := must(e.svc.CreateDetainee(ctx, e.admin(), cases.DetaineeFields{Name: ptr("谢燕益")}))
			must(e.svc.CreateCaseDetainee(ctx, e.admin(), foreign.caseID, cases.CaseDetaineeCreate{DetaineeID: &x.ID, Role: ptr("co_defendant")}))
			if r := e.s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/detainees/" + x.ID, Token: admin}); r.StatusCode != 409 {
				t.Errorf("delete a linked detainee: %d %s", r.StatusCode, r.Body)
			}
			if r := e.s.Do(testkit.Request{Method: "DELETE", Path: item, Token: lawyer, Header: ifMatchHeader(2)}); r.StatusCode != 204 {
				t.Fatalf("unlink: %d %s", r.StatusCode, r.Body)
			}
			if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees/" + own.codefendant, Token: lawyer}); r.StatusCode != 404 {
				t.Errorf("unlinked co-defendant still visible: %d", r.StatusCode)
			}
			if auditCount(t, e.s, "case_detainee.update", audit.OK) < 1 || auditCount(t, e.s, "case_detainee.delete", audit.OK) < 1 {
				t.Error("update and delete not audited")
			}
		})

		t.Run("a merge moves the links to the kept record", func(t *testing.T) {
			dup := must(e.svc.CreateDetainee(ctx, e.admin(), cases.DetaineeFields{Name: ptr("李和平 (dup)")}))
			must(e.svc.CreateCaseDetainee(ctx, e.admin(), foreign.caseID, cases.CaseDetaineeCreate{DetaineeID: &dup.ID, Role: ptr("witness")}))
			// fresh is linked to own.caseID already; dup is merged into fresh.
			must(e.svc.CreateCaseDetainee(ctx, e.admin(), own.caseID, cases.CaseDetaineeCreate{DetaineeID: &dup.ID, Role: ptr("co_defendant")}))
			r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees/" + dup.ID + "/merge", Token: admin, Header: ifMatchHeader(1),
				Body: map[string]any{"into": fresh.ID, "reason": "same person"}})
			if r.StatusCode != 200 {
				t.Fatalf("merge: %d %s", r.StatusCode, r.Body)
			}
			for _, c := range []struct {
				caseID, role string
			}{{own.caseID, "witness"}, {foreign.caseID, "witness"}} {
				v, err := e.svc.GetCaseDetainee(ctx, e.admin(), c.caseID, fresh.ID)
				if err != nil || v.Role != c.role {
					t.Errorf("case %s: %+v %v, want %s", c.caseID, v, err, c.role)
				}
			}
			if n := must(e.svc.ListCaseDetainees(ctx, e.admin(), own.caseID, record.ListOptions{})).Total; n != 2 {
				t.Errorf("own case after the merge: %d detainees, want 2 (principal, the kept record)", n)
			}
		})
	})
}

func ifMatchHeader(v int64) http.Header {
	return http.Header{"If-Match": {fmt.Sprintf(`"%d"`, v)}}
}
