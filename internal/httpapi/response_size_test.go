package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/seed"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

// The response-size walk (issue 21, item 5): every GET route of the access
// matrix, on a database seeded with hundreds of rows of every kind that a
// route lists, answers at most maxResponseBytes, holds no JSON array longer
// than a page (record.MaxLimit), and, where it lists, honours limit=1 with
// a cursor to the next page.

// maxResponseBytes bounds every answer of a GET route.
const maxResponseBytes = 2 << 20

// knownUnpaginated are the GET routes that still answer a whole list, each
// with the work that will page it. The walk fails when one of them answers
// bounded pages after all: remove it from here then.
var knownUnpaginated = map[string]string{}

// wholeLists are the GET routes that answer a whole list by design, each
// with the most items it can hold: a fixed set, not rows that grow.
var wholeLists = map[string]int{
	// One item per applicable rule of deadlines.Rules.
	"GET /api/v1/cases/:id/deadlines": len(deadlines.Rules),
}

// streamedDocuments are the GET routes that answer one whole record as a
// download, written while it is read (constant memory on the server, a
// batch of rows at a time: docs/case-export.md). Their arrays are the
// record's rows, not a page, so the walk checks only that they are served
// as attachments.
var streamedDocuments = map[string]bool{
	"GET /api/v1/cases/:id/export.json": true,
}

// listOf returns the items of a JSON list answer ({"items": [...]} or a bare
// array), its next_cursor, and whether body is such a list.
func listOf(body []byte) (items []any, next string, ok bool) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil, "", false
	}
	switch x := v.(type) {
	case []any:
		return x, "", true
	case map[string]any:
		items, ok := x["items"].([]any)
		next, _ := x["next_cursor"].(string)
		return items, next, ok
	}
	return nil, "", false
}

// longArrays returns the paths of the JSON arrays in v longer than max.
func longArrays(v any, path string, max int) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		if len(x) > max {
			out = append(out, fmt.Sprintf("%s holds %d elements", path, len(x)))
		}
		for i, e := range x {
			out = append(out, longArrays(e, fmt.Sprintf("%s[%d]", path, i), max)...)
		}
	case map[string]any:
		for k, e := range x {
			out = append(out, longArrays(e, path+"."+k, max)...)
		}
	}
	return out
}

// sizeProblems reports why an answer is not bounded: too many bytes, or a
// JSON array longer than a page anywhere in it (a list that is not paged,
// or a view that embeds every row of a kind).
func sizeProblems(body []byte, contentType string) []string {
	var out []string
	if len(body) > maxResponseBytes {
		out = append(out, fmt.Sprintf("%d bytes, more than %d", len(body), maxResponseBytes))
	}
	if strings.HasPrefix(contentType, "application/json") {
		var v any
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return append(out, "not JSON: "+err.Error())
		}
		for _, a := range longArrays(v, "$", record.MaxLimit) {
			out = append(out, a+fmt.Sprintf(" (a page holds at most %d)", record.MaxLimit))
		}
	}
	return out
}

// pagingProblems compares a list's default answer (full) with its answer to
// limit=1 (probe): a list that holds two or more items must answer one item
// and a cursor to the next page.
func pagingProblems(full, probe []byte) []string {
	items, _, ok := listOf(full)
	if !ok || len(items) < 2 {
		return nil
	}
	got, next, ok := listOf(probe)
	switch {
	case !ok:
		return []string{"limit=1 answered no list"}
	case len(got) != 1:
		return []string{fmt.Sprintf("limit=1 answered %d items (default page: %d): the list is not paginated", len(got), len(items))}
	case next == "":
		return []string{fmt.Sprintf("limit=1 answered no next_cursor although the list holds %d items", len(items))}
	}
	return nil
}

// withQuery adds q to path's query string.
func withQuery(path, q string) string {
	if strings.Contains(path, "?") {
		return path + "&" + q
	}
	return path + "?" + q
}

// seedForWalk fills the database with hundreds of rows of every kind a
// global list answers (detainees, cases, lawyers, hearings, support actions,
// audit entries) and gives the own case more than a page of events and two
// or more of every other kind of row it lists.
func seedForWalk(t *testing.T, e *env, own objects) {
	t.Helper()
	ctx := context.Background()
	o := seed.Options{Detainees: 250, CasesPerDetainee: 1.5, EventsPerCase: 2, HearingsPerCase: 1, SupportPerCase: 1,
		Lawyers: 250, Seed: 21, Append: true, ObserverUserIDs: []string{e.users[rObsA].p.UserID}}
	if _, err := seed.Run(ctx, e.s.App.DB, e.s.App.Audit, o); err != nil {
		t.Fatalf("seed: %v", err)
	}
	a := e.admin()
	for i := 0; i < record.MaxLimit+10; i++ {
		must(e.s.App.Timeline.CreateEvent(ctx, a, own.caseID, timeline.EventFields{Type: ptr("meeting_denied"),
			OccurredAt: ptr(fmt.Sprintf("2023-%02d-%02d", i%12+1, i%28+1)), Description: ptr(fmt.Sprintf("refused meeting %d", i))}))
	}
	must(e.s.App.Timeline.CreateHearing(ctx, a, own.caseID, timeline.HearingFields{ScheduledAt: ptr("2031-05-01T09:00:00Z"), Type: ptr("trial")}))
	must(e.s.App.Support.CreateAction(ctx, a, own.caseID, support.ActionFields{Type: ptr("demarche"), AssigneePartnerID: &e.partnerA}))
	must(e.svc.CreateCustodyPeriod(ctx, a, own.caseID, cases.CustodyPeriodFields{Measure: ptr("criminal_detention"), StartedAt: ptr("2019-06"),
		Facility: &cases.FacilityFields{Name: ptr("北京市第二看守所"), Kind: ptr("detention_centre")}}))
	free := must(e.svc.CreateLawyer(ctx, a, cases.LawyerFields{Name: ptr("second lawyer")}))
	must(e.svc.CreateAssignment(ctx, a, own.caseID, cases.AssignmentCreate{LawyerID: free.ID, AssignmentFields: cases.AssignmentFields{Role: ptr("org_appointed")}}))
	must(e.svc.CreateShare(ctx, a, own.caseID, cases.ShareCreate{UserID: e.obsD.UserID}))
	e.uploadEvidence(t, own.caseID)
	// Sentenced cases whose expected release has passed (GET /releases).
	for i := 0; i < 3; i++ {
		months := 12
		d := must(e.svc.CreateDetainee(ctx, a, cases.DetaineeFields{Name: ptr(fmt.Sprintf("已判刑 %d", i))}))
		c := must(e.svc.CreateCase(ctx, a, cases.CaseCreate{DetaineeID: d.ID, CaseFields: cases.CaseFields{DetainedAt: ptr("2019-03"),
			SentenceKind: ptr("fixed_term"), SentenceTermMonths: cases.NullInt{Set: true, Value: &months}}}))
		must(e.svc.CreateCustodyPeriod(ctx, a, c.ID, cases.CustodyPeriodFields{Measure: ptr("criminal_detention"), StartedAt: ptr("2019-03-01"),
			Facility: &cases.FacilityFields{Name: ptr("北京市第三看守所"), Kind: ptr("detention_centre")}}))
	}
}

// TestGETResponsesAreBounded walks every GET route of the access matrix as
// every signed-in role, on its own and a foreign object, on a seeded
// database, and fails on an answer larger than maxResponseBytes, a JSON
// array longer than a page, or a list that ignores limit=1.
func TestGETResponsesAreBounded(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.related = true // every route has its objects
		own, foreign := e.fixture(t)
		seedForWalk(t, e, own)
		exceptions := map[string]int{}
		probed := map[string]bool{} // lists answered with two items or more
		gets := 0
		for _, rt := range matrixRoutes() {
			if rt.method != "GET" {
				continue
			}
			gets++
			for _, role := range matrixRoles {
				if role == rAnon {
					continue
				}
				for _, side := range []struct {
					name string
					o    objects
				}{{"own", own}, {"foreign", foreign}} {
					path := rt.path(side.o)
					req := testkit.Request{Method: "GET", Path: path, Token: e.users[role].token, Header: http.Header{}}
					r := e.s.Do(req)
					if r.StatusCode != 200 {
						continue
					}
					if streamedDocuments[rt.key()] {
						if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
							t.Errorf("GET %s as %s (%s): a streamed document answered Content-Disposition %q, want an attachment", path, role, side.name, cd)
						}
						continue
					}
					problems := sizeProblems(r.Body, r.Header.Get("Content-Type"))
					if bound, whole := wholeLists[rt.key()]; whole {
						if items, _, _ := listOf(r.Body); len(items) > bound {
							problems = append(problems, fmt.Sprintf("%d items, more than the %d it can hold", len(items), bound))
						}
					} else if items, _, isList := listOf(r.Body); isList {
						req.Path = withQuery(path, "limit=1")
						probe := e.s.Do(req)
						problems = append(problems, pagingProblems(r.Body, probe.Body)...)
						if len(items) >= 2 {
							probed[rt.key()] = true
						}
					}
					if _, known := knownUnpaginated[rt.key()]; known {
						exceptions[rt.key()] += len(problems)
						continue
					}
					for _, p := range problems {
						t.Errorf("GET %s as %s (%s): %s", path, role, side.name, p)
					}
				}
			}
		}
		if gets < 30 {
			t.Fatalf("only %d GET routes in the access matrix: the walk lost its routes", gets)
		}
		// The seeded data must give the paging check something to page:
		// each of the 20 list routes holds two rows or more.
		if len(probed) < 20 {
			t.Errorf("only %d list routes held two items or more (%v): the seeded data no longer exercises the paging check", len(probed), probed)
		}
		for key, why := range knownUnpaginated {
			if exceptions[key] == 0 {
				t.Errorf("%s answers bounded pages now (%s): remove it from knownUnpaginated", key, why)
			}
		}
	})
}

// TestBoundChecksCatchUnpagedLists: the checks of the walk fail on the
// answers of lists that are not paged, and pass real pages.
func TestBoundChecksCatchUnpagedLists(t *testing.T) {
	list := func(n int, next string) []byte {
		items := make([]map[string]any, n)
		for i := range items {
			items[i] = map[string]any{"id": fmt.Sprint(i)}
		}
		body := map[string]any{"items": items}
		if next != "" {
			body["next_cursor"] = next
		}
		return must(json.Marshal(body))
	}
	const js = "application/json; charset=utf-8"
	if p := sizeProblems(list(record.MaxLimit+1, ""), js); len(p) != 1 {
		t.Errorf("a list of %d items: %v, want one problem", record.MaxLimit+1, p)
	}
	if p := sizeProblems(list(record.MaxLimit, "c"), js); len(p) != 0 {
		t.Errorf("a full page: %v, want none", p)
	}
	nested := must(json.Marshal(map[string]any{"id": "x", "charges": make([]int, record.MaxLimit+1)}))
	if p := sizeProblems(nested, js); len(p) != 1 || !strings.Contains(p[0], "$.charges") {
		t.Errorf("a view embedding %d rows: %v, want one problem at $.charges", record.MaxLimit+1, p)
	}
	if p := sizeProblems(bytes.Repeat([]byte("x"), maxResponseBytes+1), "application/pdf"); len(p) != 1 {
		t.Errorf("a document over the bound: %v, want one problem", p)
	}
	if p := pagingProblems(list(3, ""), list(3, "")); len(p) != 1 {
		t.Errorf("a list that ignores limit: %v, want one problem", p)
	}
	if p := pagingProblems(list(3, ""), list(1, "")); len(p) != 1 {
		t.Errorf("limit=1 without a cursor: %v, want one problem", p)
	}
	if p := pagingProblems(list(3, ""), list(1, "c")); len(p) != 0 {
		t.Errorf("a paged list: %v, want none", p)
	}
	if p := pagingProblems([]byte(`[1,2,3]`), []byte(`[1,2,3]`)); len(p) != 1 {
		t.Errorf("a bare array that ignores limit: %v, want one problem", p)
	}
}
