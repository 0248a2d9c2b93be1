package httpapi_test

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

// countedRoutes are the main list and detail routes whose query count must
// not depend on how many rows they answer (no N+1). ":case" is the case that
// grows: more charges, assignments, events, hearings, evidence, actions.
var countedRoutes = []string{
	"/detainees",
	"/detainees?q=" + url.QueryEscape("许志") + "&issue=expression",
	"/detainees/:detainee",
	"/cases",
	"/cases?q=" + url.QueryEscape("许志") + "&status=open&charge=art105_inciting_subversion&detained_from=2019&detained_to=2024",
	"/cases?sort=detained_at&issue=expression&lawyer_id=:lawyer",
	"/cases/:case",
	"/cases/:case/timeline",
	"/cases/:case/hearings",
	"/cases/:case/assignments",
	"/cases/:case/evidence",
	"/cases/:case/deadlines",
	"/cases/:case/support-actions",
	"/hearings",
	"/support-actions",
	"/deadlines",
	"/lawyers",
	"/audit",
}

// TestQueryCountsDoNotGrowWithRows counts the SQL statements of each main
// list and detail request, as admin and as the assigned lawyer (whose
// queries carry the access subqueries), with a small data set and again
// after it has grown threefold: the counts must be equal (one query per
// kind of thing, never one per row).
func TestQueryCountsDoNotGrowWithRows(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		qc := testkit.CountQueries(t, d)
		g := &grower{e: e}
		g.grow(t, 2)
		small := g.measure(t, qc)
		g.grow(t, 4)
		large := g.measure(t, qc)
		var report []string
		for _, k := range sortedKeys(small) {
			s, l := small[k], large[k]
			if len(s) != len(l) {
				t.Errorf("%s: %d statements with the small data set, %d with the large one:\nsmall:%s\nlarge:%s",
					k, len(s), len(l), testkit.Summary(s), testkit.Summary(l))
			}
			report = append(report, fmt.Sprintf("%-110s %d", k, len(l)))
		}
		t.Logf("statements per request (%s):\n%s", d.Dialect, strings.Join(report, "\n"))
	})
}

// grower adds rows around one case and elsewhere.
type grower struct {
	e      *env
	caseID string
	det    string
	n      int
}

func (g *grower) grow(t *testing.T, k int) {
	t.Helper()
	ctx := context.Background()
	e, admin := g.e, g.e.admin()
	charges := []cases.ChargeInput{{Charge: "art105_inciting_subversion"}, {Charge: "art293_picking_quarrels"}}
	for range k {
		g.n++
		dt := must(e.svc.CreateDetainee(ctx, admin, cases.DetaineeFields{Name: ptr(fmt.Sprintf("许志永 %d", g.n)), Issue: ptr("expression")}))
		c := must(e.svc.CreateCase(ctx, admin, cases.CaseCreate{DetaineeID: dt.ID, CaseFields: cases.CaseFields{
			DetainedAt: ptr("2020-02"), Charges: &charges}}))
		if g.caseID == "" {
			g.caseID, g.det = c.ID, dt.ID
		}
		must(e.svc.CreateAssignment(ctx, admin, c.ID, cases.AssignmentCreate{LawyerID: e.lawyerA.ID, AssignmentFields: cases.AssignmentFields{Role: ptr("org_appointed")}}))
		must(e.svc.CreateShare(ctx, admin, c.ID, cases.ShareCreate{UserID: e.users[rObsA].p.UserID}))
		// The growing case gets more of everything that hangs from a case.
		l := must(e.svc.CreateLawyer(ctx, admin, cases.LawyerFields{Name: ptr(fmt.Sprintf("律师 %d", g.n))}))
		must(e.svc.CreateAssignment(ctx, admin, g.caseID, cases.AssignmentCreate{LawyerID: l.ID, AssignmentFields: cases.AssignmentFields{Role: ptr("family_retained")}}))
		for _, typ := range []string{"meeting_denied", "detention"} {
			must(e.s.App.Timeline.CreateEvent(ctx, admin, g.caseID, timeline.EventFields{Type: ptr(typ), OccurredAt: ptr(fmt.Sprintf("2020-03-%02d", g.n)), LawyerID: ptr(l.ID)}))
		}
		must(e.s.App.Timeline.CreateHearing(ctx, admin, g.caseID, timeline.HearingFields{
			ScheduledAt: ptr(time.Now().Add(time.Duration(24*g.n) * time.Hour).Format(time.RFC3339)), Type: ptr("trial")}))
		must(e.s.App.Support.CreateAction(ctx, admin, g.caseID, support.ActionFields{Type: ptr("embassy_trial_observation"),
			AssigneePartnerID: &e.partnerA, DueAt: ptr("2099-01-01")}))
		e.uploadEvidence(t, g.caseID)
	}
}

func (g *grower) measure(t *testing.T, qc *testkit.QueryCounter) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, role := range []string{rAdmin, rLawA} {
		// The session check reads the session once, then only the auth
		// epoch while it is cached (internal/auth, session_cache.go): count
		// the steady state, the session already checked once.
		if res := g.e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me", Token: g.e.users[role].token}); res.StatusCode != 200 {
			t.Fatalf("GET /me as %s: %d %s", role, res.StatusCode, res.Body)
		}
		for _, r := range countedRoutes {
			if r == "/audit" && role != rAdmin {
				continue
			}
			path := strings.NewReplacer(":case", g.caseID, ":detainee", g.det, ":lawyer", g.e.lawyerA.ID).Replace(r)
			qc.Start()
			res := g.e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1" + path, Token: g.e.users[role].token})
			stmts := qc.Stop()
			if res.StatusCode != 200 {
				t.Fatalf("%s as %s: %d %s", path, role, res.StatusCode, res.Body)
			}
			if !strings.Contains(r, "?") && strings.Contains(string(res.Body), `"items":[]`) {
				t.Fatalf("%s as %s: no items, the count would prove nothing: %s", path, role, res.Body)
			}
			out[role+" GET "+r] = stmts
		}
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
