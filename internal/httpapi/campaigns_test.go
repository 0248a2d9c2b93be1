package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/campaigns"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
)

// campaignRoutes are the campaign routes in the one access matrix
// (access_matrix_test.go): each fixture side has a campaign holding its
// case, so a campaign is visible exactly to who sees the case (readRule);
// admins and coordinators write (403 to the others who see it, 404 to
// those who do not).
func campaignRoutes() []route {
	return []route{
		{"list campaigns", "GET", "/campaigns", nil, "", always(200), ""},
		{"create campaign", "POST", "/campaigns", func(*env, objects) any {
			return map[string]any{"name": "Hong Kong NSL " + newName(), "started_at": "2020-06-30"}
		}, "", createRule, ""},
		{"get campaign", "GET", "/campaigns/:id", nil, "", readRule, ""},
		{"update campaign", "PATCH", "/campaigns/:id", func(*env, objects) any {
			return map[string]any{"description": "mass detention of rights lawyers"}
		}, "campaign", manageRule(200), ""},
		{"delete campaign with cases", "DELETE", "/campaigns/:id", nil, "", manageRule(409), ""},
		{"campaign summary", "GET", "/campaigns/:id/summary", nil, "", readRule, ""},
		{"list cases of a campaign", "GET", "/campaigns/:id/cases", nil, "", readRule, ""},
		{"add a case to a campaign", "POST", "/campaigns/:id/cases", func(e *env, _ objects) any {
			d := must(e.svc.CreateDetainee(context.Background(), e.admin(), cases.DetaineeFields{Name: ptr("王全璋")}))
			c := must(e.svc.CreateCase(context.Background(), e.admin(), cases.CaseCreate{DetaineeID: d.ID}))
			return map[string]any{"case_id": c.ID}
		}, "", manageRule(201), ""},
		{"remove a case from a campaign", "DELETE", "/campaigns/:id/cases/:caseId", nil, "", manageRule(204), ""},
		{"campaigns of a case", "GET", "/cases/:id/campaigns", nil, "", readRule, ""},
	}
}

var nameSeq int

// newName is a fresh suffix for campaign names (names are unique).
func newName() string {
	nameSeq++
	return strings.Repeat("I", nameSeq%7+1) + "-" + string(rune('a'+nameSeq%26)) + string(rune('a'+nameSeq/26%26)) + string(rune('a'+nameSeq/676%26))
}

// campaignOf makes a campaign holding caseID (fixture).
func (e *env) campaignOf(t *testing.T, caseID string) string {
	t.Helper()
	ctx := context.Background()
	c := must(e.s.App.Campaigns.Create(ctx, e.admin(), campaigns.Fields{Name: ptr("709 crackdown " + newName()), StartedAt: ptr("2015-07")}))
	must(e.s.App.Campaigns.AddCase(ctx, e.admin(), c.ID, campaigns.CaseAdd{CaseID: caseID}))
	return c.ID
}

// TestCampaignsHTTP: refused bodies name the field and store nothing;
// a lawyer and an observer see a campaign only through its cases they see,
// and every count is over those; delete only when empty; audited.
func TestCampaignsHTTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, foreign := e.fixture(t)
		coord, lawyer, obs, other := e.users[rCoord].token, e.users[rLawA].token, e.users[rObsA].token, e.users[rLawB].token
		do := func(method, path, tok string, body any) *testkit.Response {
			return e.s.Do(testkit.Request{Method: method, Path: "/api/v1" + path, Token: tok, Body: body})
		}
		count := func(tok string) int {
			var pg page
			do("GET", "/campaigns", tok, nil).JSON(t, &pg)
			return pg.Total
		}
		before := count(coord)
		created := auditCount(t, e.s, "campaign.create", audit.OK)
		r := do("POST", "/campaigns", coord, map[string]any{"name": "709 crackdown", "description": "Lawyers detained from 9 July 2015",
			"started_at": "2015-07-09", "ended_at": "2016"})
		if r.StatusCode != 201 || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		var camp struct {
			ID        string
			StartedAt string `json:"started_at"`
			Cases     int64
		}
		r.JSON(t, &camp)
		if n := auditCount(t, e.s, "campaign.create", audit.OK); n != created+1 {
			t.Errorf("create audited %d times", n-created)
		}

		// Refused bodies name the field and store nothing.
		for field, body := range map[string]map[string]any{
			"name":       {"description": "x"},
			"name ":      {"name": "  "},
			"name  ":     {"name": "709 CRACKDOWN"}, // duplicate, case folded
			"ended_at":   {"name": "Xinjiang", "started_at": "2017-04", "ended_at": "2016"},
			"started_at": {"name": "Xinjiang", "started_at": "2017-02-30"},
			"colour":     {"name": "Xinjiang", "colour": "red"},
		} {
			field = strings.TrimSpace(field)
			r := do("POST", "/campaigns", coord, body)
			if r.StatusCode/100 != 4 || !strings.Contains(string(r.Body), `"`+field+`"`) {
				t.Errorf("%s: %d %s, want 4xx naming it", field, r.StatusCode, r.Body)
			}
		}
		if n := count(coord); n != before+1 {
			t.Fatalf("refused requests stored campaigns: %d, want %d", n, before+1)
		}
		base := "/campaigns/" + camp.ID
		for _, body := range []map[string]any{{"case_id": "0190c1d2-0000-7000-8000-000000000000"}, {"case_id": ""}, {}} {
			if r := do("POST", base+"/cases", coord, body); r.StatusCode != 400 || !strings.Contains(string(r.Body), `"case_id"`) {
				t.Errorf("add %v: %d %s, want 400 naming case_id", body, r.StatusCode, r.Body)
			}
		}
		// Writers only: a lawyer may not create.
		if r := do("POST", "/campaigns", lawyer, map[string]any{"name": "mine"}); r.StatusCode != 403 {
			t.Errorf("lawyer create: %d", r.StatusCode)
		}

		// Two cases: the own one (the lawyer's, shared with the observer), the foreign one.
		for _, c := range []string{own.caseID, foreign.caseID} {
			if r := do("POST", base+"/cases", coord, map[string]any{"case_id": c}); r.StatusCode != 201 {
				t.Fatalf("add case: %d %s", r.StatusCode, r.Body)
			}
		}
		if r := do("POST", base+"/cases", coord, map[string]any{"case_id": own.caseID}); r.StatusCode != 409 {
			t.Errorf("add twice: %d %s", r.StatusCode, r.Body)
		}
		// A confidential grant on the own case, assigned to the observer's
		// partner: counted for the coordinator and the lawyer, never for
		// the observer.
		must(e.s.App.Support.CreateAction(context.Background(), e.admin(), own.caseID, support.ActionFields{Type: ptr("legal_fee_grant"),
			Addressee: ptr("family"), AssigneePartnerID: &e.partnerA, Confidential: ptr(true)}))
		// Every reader counts only the cases they see.
		for _, c := range []struct {
			tok     string
			cases   int
			actions int64
		}{{coord, 2, 3}, {lawyer, 1, 2}, {obs, 1, 1}} {
			var sum campaigns.Summary
			if r := do("GET", base+"/summary", c.tok, nil); r.StatusCode != 200 {
				t.Fatalf("summary: %d %s", r.StatusCode, r.Body)
			} else {
				r.JSON(t, &sum)
			}
			var pg page
			do("GET", base+"/cases", c.tok, nil).JSON(t, &pg)
			if sum.Cases != int64(c.cases) || pg.Total != c.cases {
				t.Errorf("reader sees %d cases in the summary, %d listed; want %d", sum.Cases, pg.Total, c.cases)
			}
			// From July 2015 (the start) to now, at most MaxMonths (the
			// last ones). The fixture cases were detained in 2020-02,
			// never released: in custody at the end of the current month.
			if len(sum.Months) == 0 || (!sum.MonthsCapped && sum.Months[0].Month != "2015-07") || len(sum.Months) > campaigns.MaxMonths ||
				sum.Months[len(sum.Months)-1].InCustody != int64(c.cases) {
				t.Errorf("months: %+v", sum.Months[len(sum.Months)-1])
			}
			// Each fixture case has one support action; the observer sees
			// the own one (assigned to their partner), not the grant.
			var actions int64
			for _, n := range sum.Support {
				actions += n
			}
			if actions != c.actions {
				t.Errorf("support actions counted: %d, want %d (%v)", actions, c.actions, sum.Support)
			}
		}
		// A lawyer holding no case of the campaign does not find it.
		if r := do("GET", base, other, nil); r.StatusCode != 404 {
			t.Errorf("unrelated lawyer: %d", r.StatusCode)
		}
		if n := count(other); n != 0 {
			t.Errorf("unrelated lawyer lists %d campaigns", n)
		}
		// The case shows its campaigns.
		var of struct{ Items []campaigns.Membership }
		do("GET", "/cases/"+own.caseID+"/campaigns", lawyer, nil).JSON(t, &of)
		if len(of.Items) == 0 || of.Items[len(of.Items)-1].ID == "" {
			t.Errorf("campaigns of the case: %+v", of.Items)
		}
		// Delete only when empty.
		if r := do("DELETE", base, coord, nil); r.StatusCode != 409 {
			t.Errorf("delete non-empty: %d %s", r.StatusCode, r.Body)
		}
		for _, c := range []string{own.caseID, foreign.caseID} {
			if r := do("DELETE", base+"/cases/"+c, coord, nil); r.StatusCode != 204 {
				t.Fatalf("remove case: %d %s", r.StatusCode, r.Body)
			}
		}
		if r := do("DELETE", base, coord, nil); r.StatusCode != 204 {
			t.Errorf("delete empty: %d %s", r.StatusCode, r.Body)
		}
		if n := auditCount(t, e.s, "campaign.case_remove", audit.OK); n < 2 {
			t.Errorf("case removals audited %d times", n)
		}
	})
}
