package httpapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

// deadlinesRoutes are the time-limit routes of the access matrix (issue 9).
func deadlinesRoutes() []route {
	return []route{
		{"case time limits", "GET", "/cases/:id/deadlines", nil, "", readRule, ""},
		{"time limits of visible cases", "GET", "/deadlines", nil, "", always(200), ""},
		{"time-limit counts of visible cases", "GET", "/deadlines/summary", nil, "", always(200), ""},
		{"expected releases of visible cases", "GET", "/releases", nil, "", always(200), ""},
	}
}

type deadlineItem struct {
	CaseID        string   `json:"case_id"`
	Rule          string   `json:"rule"`
	Basis         string   `json:"basis"`
	Status        string   `json:"status"`
	DueAt         *string  `json:"due_at"`
	DueAtLatest   *string  `json:"due_at_latest"`
	DaysRemaining *int     `json:"days_remaining"`
	DaysOverdue   *int     `json:"days_overdue"`
	Extensions    []string `json:"extensions"`
}

func deadlinesOf(t *testing.T, s *testkit.Server, token, path string) map[string]deadlineItem {
	t.Helper()
	r := s.Do(testkit.Request{Method: "GET", Path: path, Token: token})
	if r.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
	}
	var body struct{ Items []deadlineItem }
	r.JSON(t, &body)
	out := map[string]deadlineItem{}
	for _, it := range body.Items {
		out[it.CaseID+" "+it.Rule] = it
	}
	return out
}

// The limits of a case come from its dates and the timeline events the
// reader may see: an extension event moves the due date and says so; a
// confidential event counts for those who may read it and not for an
// observer; the dashboard filters by status and due span, across the
// visible cases only.
func TestDeadlinesOverHTTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, foreign := e.fixture(t)
		ctx := context.Background()
		// "now" is 2024-06-01 12:00 in Beijing.
		e.s.App.Deadlines.SetClock(func() time.Time { return time.Date(2024, 6, 1, 4, 0, 0, 0, time.UTC) })
		// Limits from key dates alone: the fixture's custody periods go (a
		// case with recorded periods is judged by its periods).
		for _, o := range []objects{own, foreign} {
			if err := e.svc.DeleteCustodyPeriod(ctx, e.admin(), o.caseID, o.custody, e.version(t, "custody", o)); err != nil {
				t.Fatal(err)
			}
		}
		v := e.version(t, "case", own)
		must(e.svc.UpdateCase(ctx, e.admin(), own.caseID, v, cases.CaseFields{DetainedAt: ptr("2024-01-10"), ArrestApprovedAt: ptr("2024-02-10")}))
		v = e.version(t, "case", foreign)
		must(e.svc.UpdateCase(ctx, e.admin(), foreign.caseID, v, cases.CaseFields{DetainedAt: ptr("2024-04-28")}))
		tl := e.s.App.Timeline
		// Family notified the day after detention, but recorded as confidential.
		must(tl.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("family_notified"), OccurredAt: ptr("2024-01-11"), Confidential: ptr(true)}))
		// Investigation custody: 2 months from arrest (10 April), extended by 1 month (10 May), then by 2 (10 July).
		must(tl.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("custody_extended"), OccurredAt: ptr("2024-04-08"), ExtensionMonths: ptr(1)}))
		must(tl.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("custody_extended"), OccurredAt: ptr("2024-05-08"), ExtensionMonths: ptr(2)}))

		path := "/api/v1/cases/" + own.caseID + "/deadlines"
		coord := deadlinesOf(t, e.s, e.users[rCoord].token, path)
		ic := coord[own.caseID+" investigation_custody"]
		if ic.Status != "pending" || ic.DueAt == nil || !strings.HasPrefix(*ic.DueAt, "2024-07-10T23:59:59+08:00") || len(ic.Extensions) != 2 {
			t.Errorf("investigation custody after two extensions: %+v (due %v), want pending, due 2024-07-10, 2 extensions", ic, deref(ic.DueAt))
		}
		if ic.Basis == "" || ic.DaysRemaining == nil || *ic.DaysRemaining != 39 {
			t.Errorf("investigation custody basis %q, days remaining %v, want an article and 39", ic.Basis, ic.DaysRemaining)
		}
		// 31 days: past the 14 days of Art. 91, within the 37 for major suspects.
		if a := coord[own.caseID+" arrest_approval"]; a.Status != "overdue_unless_extended" {
			t.Errorf("arrest approved after 31 days: %q, want overdue_unless_extended", a.Status)
		}
		if fn := coord[own.caseID+" family_notice_detention"]; fn.Status != "met" {
			t.Errorf("coordinator (sees the confidential notice): family notice %q, want met", fn.Status)
		}
		obs := deadlinesOf(t, e.s, e.users[rObsA].token, path)
		// The observer does not see the confidential notice, and nothing it
		// sees proves the family was not told: unknown, not overdue.
		if fn := obs[own.caseID+" family_notice_detention"]; fn.Status != "unknown" {
			t.Errorf("observer (the notice is confidential): family notice %q, want unknown", fn.Status)
		}

		// The dashboard: overdue across visible cases; the foreign case's arrest decision is pending.
		all := deadlinesOf(t, e.s, e.users[rCoord].token, "/api/v1/deadlines")
		// Detained 34 days ago, no arrest decision: past 14 days, not yet past 37.
		if a := all[foreign.caseID+" arrest_approval"]; a.Status != "overdue_unless_extended" || deref(a.DueAtLatest) != "2024-06-04T23:59:59+08:00" {
			t.Errorf("foreign case arrest approval on the coordinator's dashboard: %+v", a)
		}
		for key, it := range deadlinesOf(t, e.s, e.users[rCoord].token, "/api/v1/deadlines?status=overdue") {
			if it.Status != "overdue" {
				t.Errorf("status=overdue lists %s as %s", key, it.Status)
			}
		}
		soon := deadlinesOf(t, e.s, e.users[rCoord].token, "/api/v1/deadlines?due_within=40d")
		if _, ok := soon[own.caseID+" investigation_custody"]; !ok {
			t.Error("due_within=40d: nothing, want the own case's investigation custody (due 10 July)")
		}
		for key, it := range soon {
			if it.Status != "pending" || it.DaysRemaining == nil || *it.DaysRemaining > 40 {
				t.Errorf("due_within=40d lists %s: %+v", key, it)
			}
		}
		for key := range deadlinesOf(t, e.s, e.users[rLawA].token, "/api/v1/deadlines") {
			if strings.HasPrefix(key, foreign.caseID) {
				t.Errorf("the assigned lawyer's dashboard holds %s of a case they do not hold", key)
			}
		}
		for _, q := range []string{"?status=late", "?due_within=soon", "?due_within=-1d", "?due_within=400d"} {
			if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/deadlines" + q, Token: e.users[rCoord].token}); r.StatusCode != 400 {
				t.Errorf("GET /deadlines%s: %d, want 400", q, r.StatusCode)
			}
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
