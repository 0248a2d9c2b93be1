package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

func editRuleStatus(ok int) func(string, bool) int {
	return func(role string, own bool) int {
		if s := editRule(role, own); s != 200 {
			return s
		}
		return ok
	}
}

// timelineRoutes are the timeline routes of the access matrix (issue 6).
// The calendar feed itself is public (its secret URL is the credential):
// TestTimelineFeedAccess covers it, and revoking a feed that exists.
func timelineRoutes() []route {
	body := func(v map[string]any) func(*env, objects) any { return func(*env, objects) any { return v } }
	return []route{
		{"case timeline", "GET", "/cases/:id/timeline", nil, "", readRule, ""},
		{"create event", "POST", "/cases/:id/events", body(map[string]any{"type": "meeting_denied", "occurred_at": "2024-03-05",
			"description": "会见被拒", "confidential": false}), "", editRuleStatus(201), ""},
		{"get event", "GET", "/cases/:id/events/:eid", nil, "", readRule, ""},
		{"correct event", "PATCH", "/cases/:id/events/:eid", body(map[string]any{"description": "corrected"}), "event", editRule, ""},
		{"delete event", "DELETE", "/cases/:id/events/:eid", body(map[string]any{"reason": "duplicate"}), "", editRule, ""},
		{"list hearings", "GET", "/cases/:id/hearings", nil, "", readRule, ""},
		{"create hearing", "POST", "/cases/:id/hearings", body(map[string]any{"scheduled_at": "2024-06-01T09:30:00+08:00", "type": "trial",
			"court": "天津市第二中级人民法院"}), "", editRuleStatus(201), ""},
		{"get hearing", "GET", "/cases/:id/hearings/:hid", nil, "", readRule, ""},
		{"update hearing", "PATCH", "/cases/:id/hearings/:hid", body(map[string]any{"status": "postponed", "family_admitted": false}), "hearing", editRule, ""},
		{"hearing calendar", "GET", "/hearings", nil, "", always(200), ""},
		{"calendar feed status", "GET", "/me/calendar-feed", nil, "", always(200), ""},
		// Before "create": nobody has a feed yet.
		{"revoke calendar feed (none)", "DELETE", "/me/calendar-feed", nil, "", always(404), ""},
		{"create calendar feed", "POST", "/me/calendar-feed", nil, "", always(201), ""},
	}
}

// The feed URL works for its owner's role without a sign-in, an unknown
// secret is 404, any role revokes its own feed; nested ids of another case
// are not found.
func TestTimelineFeedAccess(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		for _, role := range matrixRoles {
			if role == rAnon {
				if r := e.s.Do(testkit.Request{Method: "GET", Path: timeline.FeedPath(strings.Repeat("A", 43))}); r.StatusCode != 404 {
					t.Errorf("unknown feed: %d", r.StatusCode)
				}
				continue
			}
			u := e.users[role]
			feed := must(e.s.App.Timeline.RotateFeed(ctx, u.p))
			if r := e.s.Do(testkit.Request{Method: "GET", Path: feed.URL}); r.StatusCode != 200 {
				t.Errorf("%s feed: %d %s", role, r.StatusCode, r.Body)
			}
			if r := e.s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/me/calendar-feed", Token: u.token}); r.StatusCode != 204 {
				t.Errorf("%s revokes their feed: %d", role, r.StatusCode)
			}
			if r := e.s.Do(testkit.Request{Method: "GET", Path: feed.URL}); r.StatusCode != 404 {
				t.Errorf("%s revoked feed: %d", role, r.StatusCode)
			}
		}
		own, foreign := e.fixture(t)
		admin := e.users[rAdmin].token
		for _, path := range []string{
			"/cases/" + own.caseID + "/events/" + foreign.event,
			"/cases/" + foreign.caseID + "/events/" + own.event,
			"/cases/" + own.caseID + "/hearings/" + foreign.hearing,
			"/cases/" + own.caseID + "/events/not-a-uuid",
			"/cases/" + uuid.Must(uuid.NewV7()).String() + "/timeline",
		} {
			if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1" + path, Token: admin}); r.StatusCode != 404 {
				t.Errorf("GET %s: %d, want 404", path, r.StatusCode)
			}
		}
		r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/cases/" + own.caseID + "/hearings/" + foreign.hearing, Token: admin,
			Body: map[string]any{"status": "held"}, Header: http.Header{"If-Match": {`"1"`}}})
		if r.StatusCode != 404 {
			t.Errorf("PATCH foreign hearing through own case: %d", r.StatusCode)
		}
		// A case with a timeline (and no evidence or support action) is not deleted.
		c := must(e.svc.CreateCase(ctx, e.admin(), cases.CaseCreate{DetaineeID: own.detainee}))
		must(e.s.App.Timeline.CreateEvent(ctx, e.admin(), c.ID, timeline.EventFields{Type: ptr("other"), OccurredAt: ptr("2024")}))
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/cases/" + c.ID, Token: admin}); r.StatusCode != 409 || !strings.Contains(string(r.Body), "case_has_timeline") {
			t.Errorf("delete case with timeline: %d %s", r.StatusCode, r.Body)
		}
	})
}

type eventBody struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Version     int64  `json:"version"`
	Deleted     bool   `json:"deleted"`
	Revisions   []struct {
		Version int64  `json:"version"`
		Change  string `json:"change"`
		Reason  string `json:"reason"`
		State   struct {
			Description  string `json:"description"`
			Confidential bool   `json:"confidential"`
		} `json:"state"`
	} `json:"revisions"`
}

type timelineItem struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"`
	SortKey string `json:"sort_key"`
	Date    string `json:"date"`
	Event   *struct {
		Description string   `json:"description"`
		EvidenceIDs []string `json:"evidence_ids"`
	} `json:"event"`
}

type timelineBody struct {
	Items []timelineItem `json:"items"`
	Next  *string        `json:"next_cursor"`
}

// item returns the item with the given id, or nil.
func (tl *timelineBody) item(id string) *timelineItem {
	for i := range tl.Items {
		if tl.Items[i].ID == id {
			return &tl.Items[i]
		}
	}
	return nil
}

// Acceptance: an event edited twice shows three revisions; the timeline
// shows the latest; the audit log has all three entries.
func TestTimelineEventRevisions(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		law := e.users[rLawA].token
		base := "/api/v1/cases/" + own.caseID
		r := e.s.Do(testkit.Request{Method: "POST", Path: base + "/events", Token: law, Body: map[string]any{
			"type": "meeting_denied", "occurred_at": "2024-03-05", "description": "看守所拒绝会见", "place": "天津市第一看守所",
			"source": "lawyer", "source_reliability": "A", "information_credibility": "1", "lawyer_id": e.lawyerA.ID, "confidential": false}})
		if r.StatusCode != 201 || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		var ev eventBody
		r.JSON(t, &ev)
		for i, desc := range []string{"second: 看守所以疫情为由拒绝会见", "third: 以国家安全为由拒绝会见"} {
			r = e.s.Do(testkit.Request{Method: "PATCH", Path: base + "/events/" + ev.ID, Token: law, Body: map[string]any{"description": desc},
				Header: http.Header{"If-Match": {fmt.Sprintf(`"%d"`, i+1)}}})
			if r.StatusCode != 200 {
				t.Fatalf("edit %d: %d %s", i, r.StatusCode, r.Body)
			}
		}
		// A stale edit changes nothing.
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: base + "/events/" + ev.ID, Token: law, Body: map[string]any{"description": "stale"}, Header: http.Header{"If-Match": {`"1"`}}})
		if r.StatusCode != 412 {
			t.Errorf("stale edit: %d", r.StatusCode)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: base + "/events/" + ev.ID, Token: e.users[rObsA].token})
		r.JSON(t, &ev)
		if r.StatusCode != 200 || len(ev.Revisions) != 3 || ev.Version != 3 || r.Header.Get("ETag") != `"3"` {
			t.Fatalf("get: %d %s", r.StatusCode, r.Body)
		}
		for i, want := range []string{"看守所拒绝会见", "second: 看守所以疫情为由拒绝会见", "third: 以国家安全为由拒绝会见"} {
			rv := ev.Revisions[i]
			if rv.Version != int64(i+1) || rv.State.Description != want || rv.Change != map[bool]string{true: "create", false: "update"}[i == 0] {
				t.Errorf("revision %d: %+v", i, rv)
			}
		}
		var tl timelineBody
		r = e.s.Do(testkit.Request{Method: "GET", Path: base + "/timeline?kind=event", Token: law})
		r.JSON(t, &tl)
		if it := tl.item(ev.ID); it == nil || it.Event == nil || it.Event.Description != "third: 以国家安全为由拒绝会见" {
			t.Fatalf("timeline: %s", r.Body)
		}
		page, err := e.s.App.Audit.List(context.Background(), audit.Filter{ObjectType: "event", ObjectID: ev.ID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, row := range page.Items {
			count[row.Action]++
			if row.CaseID != own.caseID {
				t.Errorf("audit entry without the case: %+v", row)
			}
		}
		if count["event.create"] != 1 || count["event.update"] != 2 {
			t.Errorf("audit: %v", count)
		}
		// Soft delete: a fourth revision with the reason; gone from the timeline, still readable.
		r = e.s.Do(testkit.Request{Method: "DELETE", Path: base + "/events/" + ev.ID, Token: law, Body: map[string]any{}})
		if r.StatusCode != 400 {
			t.Errorf("delete without reason: %d", r.StatusCode)
		}
		r = e.s.Do(testkit.Request{Method: "DELETE", Path: base + "/events/" + ev.ID, Token: law, Body: map[string]any{"reason": "entered twice"}})
		if r.StatusCode != 200 {
			t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: base + "/events/" + ev.ID, Token: law})
		r.JSON(t, &ev)
		if !ev.Deleted || len(ev.Revisions) != 4 || ev.Revisions[3].Change != "delete" || ev.Revisions[3].Reason != "entered twice" {
			t.Errorf("deleted event: %s", r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: base + "/timeline?kind=event", Token: law})
		r.JSON(t, &tl)
		if tl.item(ev.ID) != nil {
			t.Errorf("deleted event on the timeline: %s", r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: base + "/events/" + ev.ID, Token: law, Body: map[string]any{"description": "x"}, Header: http.Header{"If-Match": {`"4"`}}})
		if r.StatusCode != 409 {
			t.Errorf("edit of a deleted event: %d", r.StatusCode)
		}
		page, _ = e.s.App.Audit.List(context.Background(), audit.Filter{ObjectType: "event", ObjectID: ev.ID, Action: "event.delete", Limit: 5})
		if len(page.Items) != 1 {
			t.Errorf("delete not audited")
		}
	})
}

// Order with partial dates and time zones, across kinds and pages (see docs/timeline.md).
func TestTimelineOrder(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		own, _ := e.fixture(t) // the case was detained "2020-02"
		c := must(e.svc.GetCase(ctx, e.admin(), own.caseID))
		must(e.svc.UpdateCase(ctx, e.admin(), own.caseID, c.Version, cases.CaseFields{DetainedAt: ptr("2019-03"), ArrestApprovedAt: ptr("2019-04-10~")}))
		law := e.users[rLawA].token
		base := "/api/v1/cases/" + own.caseID
		ids := map[string]string{}
		for _, at := range []string{"2019-03-05T23:30:00+08:00", "2019-03-05", "2019-03-04T17:00:00Z", "2019-03~", "2019", "2019-03-06"} {
			r := e.s.Do(testkit.Request{Method: "POST", Path: base + "/events", Token: law, Body: map[string]any{"type": "other", "occurred_at": at}})
			if r.StatusCode != 201 {
				t.Fatalf("%s: %d %s", at, r.StatusCode, r.Body)
			}
			var v eventBody
			r.JSON(t, &v)
			ids[v.ID] = at
		}
		// 2019-03-05T16:30Z is 00:30 on 6 March in Beijing: after the day-only "2019-03-06".
		r := e.s.Do(testkit.Request{Method: "POST", Path: base + "/hearings", Token: law, Body: map[string]any{"scheduled_at": "2019-03-06T00:30", "type": "pre_trial_meeting"}})
		if r.StatusCode != 201 || !strings.Contains(string(r.Body), `"scheduled_at":"2019-03-05T16:30:00Z"`) ||
			!strings.Contains(string(r.Body), `"local_time":"2019-03-06T00:30:00+08:00"`) || !strings.Contains(string(r.Body), `"time_zone":"Asia/Shanghai"`) {
			t.Fatalf("hearing: %d %s", r.StatusCode, r.Body)
		}
		var h struct{ ID string }
		r.JSON(t, &h)
		ids[h.ID] = "hearing"
		ids["detained_at"], ids["arrest_approved_at"] = "detained_at", "arrest_approved_at"
		want := []string{"2019", "2019-03~", "detained_at", "2019-03-05", "2019-03-04T17:00:00Z", "2019-03-05T23:30:00+08:00",
			"2019-03-06", "hearing", "arrest_approved_at"}
		// Pages of two: the keyset cursor must carry the order across sources.
		var got []string
		cursor := ""
		for range 10 {
			path := base + "/timeline?limit=2"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			var tl timelineBody
			r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: law})
			r.JSON(t, &tl)
			for _, it := range tl.Items {
				if ids[it.ID] != "" { // the fixture's own event (2024-03) and hearing come later
					got = append(got, ids[it.ID])
				}
			}
			if tl.Next == nil {
				break
			}
			cursor = *tl.Next
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("order:\n got %v\nwant %v", got, want)
		}
		var tl timelineBody
		r = e.s.Do(testkit.Request{Method: "GET", Path: base + "/timeline?kind=hearing&kind=key_date", Token: law})
		r.JSON(t, &tl)
		if len(tl.Items) != 4 || tl.item(own.event) != nil || tl.item(own.hearing) == nil || tl.item("detained_at") == nil {
			t.Errorf("kind filter: %s", r.Body)
		}
		for _, q := range []string{"kind=support", "limit=0", "limit=201", "cursor=%21%21", "obstacle=yes"} {
			if r := e.s.Do(testkit.Request{Method: "GET", Path: base + "/timeline?" + q, Token: law}); r.StatusCode != 400 {
				t.Errorf("?%s: %d", q, r.StatusCode)
			}
		}
	})
}

// Validation, confidentiality and links to evidence and lawyers.
func TestTimelineEventsValidationAndConfidentiality(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, foreign := e.fixture(t)
		law, obs, admin := e.users[rLawA].token, e.users[rObsA].token, e.users[rAdmin].token
		base := "/api/v1/cases/" + own.caseID
		for name, body := range map[string]map[string]any{
			"unknown type":     {"type": "picnic", "occurred_at": "2024"},
			"no date":          {"type": "other"},
			"bad date":         {"type": "other", "occurred_at": "2024-02-30"},
			"unknown field":    {"type": "other", "occurred_at": "2024", "obstacle": true},
			"bad grade":        {"type": "other", "occurred_at": "2024", "source_reliability": "Z"},
			"foreign lawyer":   {"type": "other", "occurred_at": "2024", "lawyer_id": foreign.lawyer},
			"unknown evidence": {"type": "other", "occurred_at": "2024", "evidence_ids": []string{uuid.Must(uuid.NewV7()).String()}},
			"months on other":  {"type": "other", "occurred_at": "2024", "extension_months": 2},
		} {
			if r := e.s.Do(testkit.Request{Method: "POST", Path: base + "/events", Token: law, Body: body}); r.StatusCode != 400 {
				t.Errorf("%s: %d %s", name, r.StatusCode, r.Body)
			}
		}
		// Evidence of this case (one confidential) and of the other case.
		ownEv, secretEv, foreignEv := evidenceRow(t, d, own.caseID, false), evidenceRow(t, d, own.caseID, true), evidenceRow(t, d, foreign.caseID, false)
		r := e.s.Do(testkit.Request{Method: "POST", Path: base + "/events", Token: law, Body: map[string]any{"type": "other", "occurred_at": "2024", "evidence_ids": []string{foreignEv}}})
		if r.StatusCode != 400 {
			t.Errorf("evidence of another case: %d", r.StatusCode)
		}
		r = e.s.Do(testkit.Request{Method: "POST", Path: base + "/events", Token: law, Body: map[string]any{"type": "custody_extended", "occurred_at": "2024-05-01",
			"extension_months": 1, "evidence_ids": []string{ownEv, secretEv}, "description": "延长侦查羁押期限"}})
		if r.StatusCode != 201 {
			t.Fatalf("event with evidence: %d %s", r.StatusCode, r.Body)
		}
		var linked eventBody
		r.JSON(t, &linked)
		var tl timelineBody
		e.s.Do(testkit.Request{Method: "GET", Path: base + "/timeline?kind=event", Token: obs}).JSON(t, &tl)
		if it := tl.item(linked.ID); it == nil || strings.Join(it.Event.EvidenceIDs, ",") != ownEv {
			t.Errorf("observer sees confidential evidence ids: %+v", tl.Items)
		}
		// A confidential event: hidden from the observer everywhere.
		r = e.s.Do(testkit.Request{Method: "POST", Path: base + "/events", Token: law, Body: map[string]any{"type": "harassment", "occurred_at": "2024-05-02", "description": "source: 家属", "confidential": true}})
		var secret eventBody
		r.JSON(t, &secret)
		if r := e.s.Do(testkit.Request{Method: "GET", Path: base + "/events/" + secret.ID, Token: obs}); r.StatusCode != 404 {
			t.Errorf("observer reads a confidential event: %d", r.StatusCode)
		}
		e.s.Do(testkit.Request{Method: "GET", Path: base + "/timeline", Token: obs}).JSON(t, &tl)
		for _, it := range tl.Items {
			if it.ID == secret.ID {
				t.Errorf("confidential event on the observer's timeline")
			}
		}
		// Made public later: the observer sees it, but not its confidential revision.
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: base + "/events/" + secret.ID, Token: law, Body: map[string]any{"confidential": false, "description": "lawyer followed"}, Header: http.Header{"If-Match": {`"1"`}}})
		if r.StatusCode != 200 {
			t.Fatalf("unmark: %d %s", r.StatusCode, r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: base + "/events/" + secret.ID, Token: obs})
		r.JSON(t, &secret)
		if r.StatusCode != 200 || len(secret.Revisions) != 1 || strings.Contains(string(r.Body), "家属") {
			t.Errorf("observer sees the confidential revision: %s", r.Body)
		}
		// Evidence links to events: only events of the item's own case.
		for id, want := range map[string]int{linked.ID: 200, foreignEvent(t, e, foreign.caseID): 400} {
			r := e.s.Do(testkit.Request{Method: "PATCH", Path: base + "/evidence/" + ownEv, Token: admin, Body: map[string]any{"version": evidenceVersion(t, d, ownEv), "linked_events": []string{id}}})
			if r.StatusCode != want {
				t.Errorf("evidence linked to event %s: %d, want %d: %s", id, r.StatusCode, want, r.Body)
			}
		}
	})
}

// evidenceRow inserts an available evidence item (metadata only).
func evidenceRow(t *testing.T, d *db.DB, caseID string, confidential bool) string {
	t.Helper()
	id, now := uuid.Must(uuid.NewV7()).String(), time.Now().UTC()
	if err := d.Exec("INSERT INTO evidence (id, case_id, status, title, confidential, object_key, sha256, created_at, updated_at) VALUES (?, ?, 'available', 'scan', ?, ?, ?, ?, ?)",
		id, caseID, confidential, "obj-"+id, strings.Repeat("a", 64), now, now).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

func evidenceVersion(t *testing.T, d *db.DB, id string) int64 {
	var v int64
	if err := d.Raw("SELECT version FROM evidence WHERE id = ?", id).Scan(&v).Error; err != nil {
		t.Fatal(err)
	}
	return v
}

func foreignEvent(t *testing.T, e *env, caseID string) string {
	return must(e.s.App.Timeline.CreateEvent(context.Background(), e.admin(), caseID, timeline.EventFields{Type: ptr("other"), OccurredAt: ptr("2024")})).ID
}

// Hearings: defaults, local times, validation, the cross-case calendar.
func TestHearingsAndCalendar(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, foreign := e.fixture(t)
		law, admin := e.users[rLawA].token, e.users[rAdmin].token
		for name, body := range map[string]map[string]any{
			"no time":      {"type": "trial"},
			"no type":      {"scheduled_at": "2024-06-01T09:30:00+08:00"},
			"bad zone":     {"scheduled_at": "2024-06-01T09:30:00+08:00", "type": "trial", "time_zone": "Mars/Olympus"},
			"bad status":   {"scheduled_at": "2024-06-01T09:30:00+08:00", "type": "trial", "status": "adjourned sine die"},
			"bad time":     {"scheduled_at": "June 1st", "type": "trial"},
			"unknown key":  {"scheduled_at": "2024-06-01T09:30:00+08:00", "type": "trial", "judge": "x"},
			"admitted str": {"scheduled_at": "2024-06-01T09:30:00+08:00", "type": "trial", "family_admitted": "no"},
		} {
			if r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + own.caseID + "/hearings", Token: law, Body: body}); r.StatusCode != 400 {
				t.Errorf("%s: %d %s", name, r.StatusCode, r.Body)
			}
		}
		mk := func(caseID, at, zone string, confidential bool) string {
			body := map[string]any{"scheduled_at": at, "type": "trial", "court": "北京市第一中级人民法院", "confidential": confidential}
			if zone != "" {
				body["time_zone"] = zone
			}
			r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + caseID + "/hearings", Token: admin, Body: body})
			if r.StatusCode != 201 {
				t.Fatalf("hearing: %d %s", r.StatusCode, r.Body)
			}
			var h struct{ ID string }
			r.JSON(t, &h)
			return h.ID
		}
		h1 := mk(own.caseID, "2024-06-01T09:30", "", false)
		h2 := mk(own.caseID, "2024-06-02T09:00", "Asia/Hong_Kong", true)
		h3 := mk(foreign.caseID, "2024-06-01T10:00:00+08:00", "", false)
		mk(own.caseID, "2024-08-01T09:00:00Z", "UTC", false)
		r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/cases/" + own.caseID + "/hearings/" + h1, Token: law,
			Body: map[string]any{"status": "held", "defense_lawyer_admitted": false, "family_admitted": nil, "diplomats_admitted": false, "outcome": "休庭"}, Header: http.Header{"If-Match": {`"1"`}}})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"defense_lawyer_admitted":false`) || !strings.Contains(string(r.Body), `"family_admitted":null`) ||
			!strings.Contains(string(r.Body), `"scheduled_at":"2024-06-01T01:30:00Z"`) {
			t.Errorf("update: %d %s", r.StatusCode, r.Body)
		}
		ids := func(token, q string) []string {
			var pg struct {
				Items []struct {
					ID           string `json:"id"`
					DetaineeName string `json:"detainee_name"`
				} `json:"items"`
			}
			r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/hearings?" + q, Token: token})
			if r.StatusCode != 200 {
				t.Fatalf("calendar %s: %d %s", q, r.StatusCode, r.Body)
			}
			r.JSON(t, &pg)
			var out []string
			for _, it := range pg.Items {
				if it.DetaineeName == "" {
					t.Errorf("calendar item without the detainee's name")
				}
				out = append(out, it.ID)
			}
			return out
		}
		june := "from=2024-06-01&to=2024-07-01"
		for role, want := range map[string][]string{rAdmin: {h1, h3, h2}, rLawA: {h1, h2}, rObsA: {h1}, rObsB: nil, rLawB: nil} {
			if got := ids(e.users[role].token, june); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s calendar: %v, want %v", role, got, want)
			}
		}
		// from is inclusive at midnight in Asia/Shanghai: h1 (09:30 Beijing on 1 June) but not before.
		if got := ids(admin, "from=2024-06-01T01:30:00Z&to=2024-06-01T02:00:00Z"); len(got) != 1 || got[0] != h1 {
			t.Errorf("instant range: %v", got)
		}
		for _, q := range []string{"from=yesterday", "to=2024-13-01", "from=2024-06-02&to=2024-06-01", "limit=0", "cursor=zz"} {
			if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/hearings?" + q, Token: admin}); r.StatusCode != 400 {
				t.Errorf("?%s: %d", q, r.StatusCode)
			}
		}
		// Pagination of the calendar.
		var pg struct {
			Items []struct{ ID string } `json:"items"`
			Next  *string               `json:"next_cursor"`
		}
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/hearings?limit=2&" + june, Token: admin}).JSON(t, &pg)
		if len(pg.Items) != 2 || pg.Next == nil {
			t.Fatalf("page 1: %+v", pg)
		}
		first := pg.Items[1].ID
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/hearings?limit=2&" + june + "&cursor=" + *pg.Next, Token: admin}).JSON(t, &pg)
		if len(pg.Items) != 1 || pg.Items[0].ID == first || pg.Next != nil {
			t.Errorf("page 2: %+v", pg)
		}
	})
}

// The iCalendar feed: a real parser reads it; it holds only the hearings
// its owner can see now, never confidential ones; rotation and revocation
// end the old URL; only the secret's hash is stored; fetches are audited.
func TestCalendarFeed(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		own, foreign := e.fixture(t)
		law := e.users[rLawA]
		soon := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Second)
		visible := must(e.s.App.Timeline.CreateHearing(ctx, e.admin(), own.caseID, timeline.HearingFields{
			ScheduledAt: ptr(soon.Format(time.RFC3339)), Type: ptr("trial"), Court: ptr("天津市第二中级人民法院"), Notes: ptr("private note")}))
		secret := must(e.s.App.Timeline.CreateHearing(ctx, e.admin(), own.caseID, timeline.HearingFields{
			ScheduledAt: ptr(soon.Add(time.Hour).Format(time.RFC3339)), Type: ptr("sentencing"), Confidential: ptr(true)}))
		other := must(e.s.App.Timeline.CreateHearing(ctx, e.admin(), foreign.caseID, timeline.HearingFields{
			ScheduledAt: ptr(soon.Format(time.RFC3339)), Type: ptr("trial")}))
		old := must(e.s.App.Timeline.CreateHearing(ctx, e.admin(), own.caseID, timeline.HearingFields{
			ScheduledAt: ptr(time.Now().Add(-200 * 24 * time.Hour).Format(time.RFC3339)), Type: ptr("trial")}))

		r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me/calendar-feed", Token: law.token})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"active":false`) {
			t.Errorf("status before: %s", r.Body)
		}
		var feed struct {
			URL string `json:"url"`
		}
		r = e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/me/calendar-feed", Token: law.token})
		r.JSON(t, &feed)
		if r.StatusCode != 201 || !strings.HasPrefix(feed.URL, "/api/v1/calendar-feeds/") {
			t.Fatalf("create feed: %d %s", r.StatusCode, r.Body)
		}
		token := strings.Split(feed.URL, "/")[4]
		var stored int64
		if err := d.Raw("SELECT COUNT(*) FROM calendar_feeds WHERE token_hash = ? OR token_hash LIKE ?", token, "%"+token+"%").Scan(&stored).Error; err != nil || stored != 0 {
			t.Errorf("the secret is stored in clear: %d %v", stored, err)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me/calendar-feed", Token: law.token})
		if !strings.Contains(string(r.Body), `"active":true`) || strings.Contains(string(r.Body), token) {
			t.Errorf("status shows the secret or is not active: %s", r.Body)
		}

		uids := func(path string) map[string]*goical.Event {
			t.Helper()
			r := e.s.Do(testkit.Request{Method: "GET", Path: path})
			if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") {
				t.Fatalf("feed: %d %s %s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
			}
			cal, err := goical.NewDecoder(bytes.NewReader(r.Body)).Decode()
			if err != nil {
				t.Fatalf("the feed does not parse: %v\n%s", err, r.Body)
			}
			// The encoder checks the required and single-valued properties of every component.
			if err := goical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
				t.Fatalf("the feed is not a valid calendar: %v\n%s", err, r.Body)
			}
			out := map[string]*goical.Event{}
			for _, ev := range cal.Events() {
				uid, err := ev.Props.Text(goical.PropUID)
				if err != nil {
					t.Fatal(err)
				}
				out[strings.TrimSuffix(uid, "@habeas")] = &ev
			}
			return out
		}
		got := uids(feed.URL)
		if len(got) != 2 || got[visible.ID] == nil || got[own.hearing] == nil {
			t.Fatalf("feed hearings: %v (want only %s and %s; not the confidential %s, the foreign %s or the old %s)",
				got, visible.ID, own.hearing, secret.ID, other.ID, old.ID)
		}
		ev := got[visible.ID]
		if start, err := ev.DateTimeStart(time.UTC); err != nil || !start.Equal(soon) {
			t.Errorf("DTSTART %v %v, want %v", start, err, soon)
		}
		summary, _ := ev.Props.Text(goical.PropSummary)
		location, _ := ev.Props.Text(goical.PropLocation)
		desc, _ := ev.Props.Text(goical.PropDescription)
		if !strings.Contains(summary, "own 丁家喜") || location != "天津市第二中级人民法院" || strings.Contains(desc, "private note") {
			t.Errorf("event: %q %q %q", summary, location, desc)
		}
		// Audited as the owner.
		page, err := e.s.App.Audit.List(ctx, audit.Filter{Action: "calendar.feed.read", ActorID: law.p.UserID, Limit: 10})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("feed read not audited: %v %v", page.Items, err)
		}
		// The lawyer loses the case: the next fetch no longer has its hearing.
		if err := e.svc.DeleteAssignment(ctx, e.admin(), own.caseID, own.assignment); err != nil {
			t.Fatal(err)
		}
		if got := uids(feed.URL); len(got) != 0 {
			t.Errorf("hearing of a case no longer visible: %v", got)
		}
		// Rotation ends the old URL; revocation the new one.
		r = e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/me/calendar-feed", Token: law.token})
		var rotated struct {
			URL string `json:"url"`
		}
		r.JSON(t, &rotated)
		if rotated.URL == feed.URL {
			t.Fatal("rotation kept the secret")
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: feed.URL}); r.StatusCode != 404 {
			t.Errorf("old URL after rotation: %d", r.StatusCode)
		}
		uids(rotated.URL)
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/me/calendar-feed", Token: law.token}); r.StatusCode != 204 {
			t.Errorf("revoke: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: rotated.URL}); r.StatusCode != 404 {
			t.Errorf("URL after revocation: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/me/calendar-feed", Token: law.token}); r.StatusCode != 404 {
			t.Errorf("revoke twice: %d", r.StatusCode)
		}
		// An admin's feed has the foreign hearing but never the confidential one.
		adminFeed := must(e.s.App.Timeline.RotateFeed(ctx, e.admin()))
		got = uids(adminFeed.URL)
		if got[other.ID] == nil || got[visible.ID] == nil || got[secret.ID] != nil {
			t.Errorf("admin feed: %v", got)
		}
	})
}

// Support actions join the case timeline: one item per action with every
// status it entered, seen by whoever sees the action (an observer only the
// actions of their own partner), never by whoever does not.
func TestTimelineShowsSupportActions(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t) // its action is assigned to partner A (observer with share)
		ctx := context.Background()
		sup := e.s.App.Support
		a := must(sup.GetAction(ctx, e.admin(), own.action))
		must(sup.UpdateAction(ctx, e.admin(), a.ID, a.Version, support.ActionPatch{Status: ptr("in_progress")}))
		other := must(sup.CreateAction(ctx, e.admin(), own.caseID, support.ActionFields{Type: ptr("bar_statement"),
			AssigneePartnerID: &e.partnerB}))
		changes := func(role string) (map[string][]string, int) {
			r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/timeline?kind=support_action", Token: e.users[role].token})
			if r.StatusCode != 200 {
				return nil, r.StatusCode
			}
			var page struct {
				Items []struct {
					Kind          string
					ID            string
					SupportAction struct {
						ID            string
						Status        string
						ChangedByName *string `json:"changed_by_name"`
						Changes       []struct {
							Status        string
							ChangedByName *string `json:"changed_by_name"`
						}
					} `json:"support_action"`
				}
			}
			r.JSON(t, &page)
			got := map[string][]string{}
			for _, it := range page.Items {
				if it.Kind != "support_action" || it.ID != it.SupportAction.ID {
					t.Errorf("item %s/%s in a support_action timeline", it.Kind, it.ID)
				}
				if _, twice := got[it.ID]; twice {
					t.Errorf("%s: action %s twice", role, it.ID)
				}
				sees := role == rAdmin || role == rCoord
				for _, ch := range it.SupportAction.Changes {
					got[it.ID] = append(got[it.ID], ch.Status)
					if (ch.ChangedByName != nil) != sees || (sees && *ch.ChangedByName != rAdmin) {
						t.Errorf("%s sees who changed %s: %v", role, it.ID, ch.ChangedByName)
					}
				}
				if n := len(it.SupportAction.Changes); n == 0 || it.SupportAction.Changes[n-1].Status != it.SupportAction.Status {
					t.Errorf("%s: current status %q is not the latest change's", it.ID, it.SupportAction.Status)
				}
			}
			return got, 200
		}
		for _, c := range []struct {
			role        string
			own, others bool
		}{
			{rAdmin, true, true}, {rCoord, true, true}, {rLawA, true, true}, {rObsA, true, false},
		} {
			got, status := changes(c.role)
			if status != 200 {
				t.Fatalf("%s: %d", c.role, status)
			}
			if want := "assigned in_progress"; c.own && strings.Join(got[own.action], " ") != want {
				t.Errorf("%s sees the statuses %v of the partner A action, want %q", c.role, got[own.action], want)
			}
			if _, ok := got[other.ID]; ok != c.others {
				t.Errorf("%s sees the partner B action on the timeline: %v, want %v", c.role, ok, c.others)
			}
		}
		if _, status := changes(rObsB); status != 404 {
			t.Errorf("observer of partner B on a case not shared with them: %d, want 404", status)
		}
	})
}

// One support action is one timeline item however many statuses it went
// through, placed at its first change: paging one item at a time, with a
// status changed between pages, shows every action exactly once.
func TestTimelineGroupsSupportActions(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		ctx := context.Background()
		sup := e.s.App.Support
		ids := []string{own.action}
		for range 3 {
			a := must(sup.CreateAction(ctx, e.admin(), own.caseID, support.ActionFields{Type: ptr("demarche"), AssigneePartnerID: &e.partnerA}))
			ids = append(ids, a.ID)
		}
		move := func(id string) {
			a := must(sup.GetAction(ctx, e.admin(), id))
			if len(support.AllowedFrom(a.Status)) == 0 {
				return // final: nothing to move
			}
			must(sup.UpdateAction(ctx, e.admin(), id, a.Version, support.ActionPatch{Status: ptr(support.AllowedFrom(a.Status)[0])}))
		}
		for _, id := range ids[:3] { // several changes each, the first action the most
			move(id)
			move(id)
		}
		for _, role := range []string{rAdmin, rLawA, rObsA} {
			seen := map[string]int{}
			cursor, pages := "", 0
			for {
				path := "/api/v1/cases/" + own.caseID + "/timeline?limit=1&kind=support_action"
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: e.users[role].token})
				if r.StatusCode != 200 {
					t.Fatalf("%s page %d: %d %s", role, pages, r.StatusCode, r.Body)
				}
				var page struct {
					Items []struct {
						ID            string
						SupportAction struct {
							Status  string
							Changes []struct{ Status string }
						} `json:"support_action"`
					}
					NextCursor *string `json:"next_cursor"`
				}
				r.JSON(t, &page)
				for _, it := range page.Items {
					seen[it.ID]++
					if it.ID == ids[0] && len(it.SupportAction.Changes) < 3 {
						t.Errorf("%s: first action has %d changes, want at least 3", role, len(it.SupportAction.Changes))
					}
				}
				if pages == 0 && len(page.Items) == 1 {
					move(page.Items[0].ID) // a change while paging must not bring it back
				}
				pages++
				if page.NextCursor == nil || pages > 20 {
					break
				}
				cursor = url.QueryEscape(*page.NextCursor)
			}
			if len(seen) != len(ids) {
				t.Errorf("%s saw %d actions, want %d: %v", role, len(seen), len(ids), seen)
			}
			for _, id := range ids {
				if seen[id] != 1 {
					t.Errorf("%s saw action %s %d times", role, id, seen[id])
				}
			}
		}
	})
}
