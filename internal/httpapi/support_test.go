package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
)

// supportEnv is the case-records env (whose partner A is linked to the
// account of "observer with share", partner B to "observer without share").
type supportEnv struct {
	*env
	sup *support.Service
}

func newSupportEnv(t *testing.T, d *db.DB) *supportEnv {
	t.Helper()
	e := &supportEnv{env: newEnv(t, d)}
	e.sup = e.s.App.Support
	return e
}

// supportFixture is the case-records fixture: the own side (the case of the
// assigned lawyer and of the observer with share, an action assigned to
// partner A) and the foreign side (a case nobody but managers sees, an
// action assigned to partner B, whose observer does not see the case).
func (e *supportEnv) supportFixture(t *testing.T) (own, foreign objects) {
	t.Helper()
	return e.fixture(t)
}

// seesAction: managers see every action; the assigned lawyer the actions of
// their case; each observer the actions of their own partner only.
func seesAction(role string, own bool) bool {
	return manages(role) || (own && (role == rLawA || role == rObsA)) || (!own && role == rObsB)
}

// seesPartner: managers see every partner, an observer their own.
func seesPartner(role string, own bool) bool {
	return manages(role) || (own && role == rObsA) || (!own && role == rObsB)
}

func isObserver(role string) bool { return role == rObsA || role == rObsB }

// supportRoutes are the support routes of the access matrix.
func supportRoutes() []route {
	body := func(m map[string]any) func(*env, objects) any {
		return func(*env, objects) any { return m }
	}
	actionRead := func(role string, own bool) int {
		if seesAction(role, own) {
			return 200
		}
		return 404
	}
	// observer fields (status, response, notes): managers and the action's observer.
	observerEdit := func(role string, own bool) int {
		switch {
		case !seesAction(role, own):
			return 404
		case manages(role) || isObserver(role):
			return 200
		default:
			return 403
		}
	}
	managerEdit := func(role string, own bool) int {
		switch {
		case !seesAction(role, own):
			return 404
		case manages(role):
			return 200
		default:
			return 403
		}
	}
	partnerRule := func(ok int) func(string, bool) int {
		return func(role string, own bool) int {
			switch {
			case !seesPartner(role, own):
				return 404
			case manages(role):
				return ok
			default:
				return 403
			}
		}
	}
	partnerRead := func(role string, own bool) int {
		if seesPartner(role, own) {
			return 200
		}
		return 404
	}
	return []route{
		{"support vocabularies", "GET", "/support-vocabularies", nil, "", always(200), ""},
		{"list case support actions", "GET", "/cases/:id/support-actions", nil, "", actionRead, ""},
		{"create support action", "POST", "/cases/:id/support-actions", body(map[string]any{"type": "wgad_communication", "addressee": "WGAD"}), "", manageRule(201), ""},
		{"support board", "GET", "/support-actions", nil, "", always(200), ""},
		{"my support work", "GET", "/me/support-actions", nil, "", always(200), ""},
		{"get support action", "GET", "/support-actions/:id", nil, "", actionRead, ""},
		{"update action notes", "PATCH", "/support-actions/:id", body(map[string]any{"notes": "court refused entry", "response": "none yet"}), "action", observerEdit, ""},
		{"move action to in_progress", "PATCH", "/support-actions/:id", body(map[string]any{"status": "in_progress"}), "action", observerEdit, ""},
		{"update action priority", "PATCH", "/support-actions/:id", body(map[string]any{"priority": "urgent"}), "action", managerEdit, ""},
		{"cancel action", "PATCH", "/support-actions/:id", body(map[string]any{"status": "cancelled"}), "action", managerEdit, ""},
		{"list partners", "GET", "/partners", nil, "", always(200), ""},
		{"create partner", "POST", "/partners", body(map[string]any{"name": "OHCHR desk", "kind": "un_body", "country": "CH"}), "", createRule, ""},
		{"get partner", "GET", "/partners/:id", nil, "", partnerRead, ""},
		{"update partner", "PATCH", "/partners/:id", body(map[string]any{"notes": "new desk officer"}), "partner", partnerRule(200), ""},
		{"delete partner with actions", "DELETE", "/partners/:id", nil, "", partnerRule(409), ""},
	}
}

// What each role reads: lists hold only visible actions; observers never
// see partner contacts; the observer of a case not shared with them gets
// no detainee name.
func TestSupportVisibleContent(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newSupportEnv(t, d)
		own, foreign := e.supportFixture(t)
		for _, role := range matrixRoles[:6] {
			for _, path := range []string{"/api/v1/support-actions", "/api/v1/me/support-actions"} {
				var pg struct {
					Items []map[string]any `json:"items"`
				}
				r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: e.users[role].token})
				r.JSON(t, &pg)
				ids := map[string]bool{}
				for _, it := range pg.Items {
					ids[it["id"].(string)] = true
				}
				mine := path == "/api/v1/me/support-actions"
				for _, side := range []struct {
					o   objects
					own bool
				}{{own, true}, {foreign, false}} {
					want := seesAction(role, side.own) && (!mine || isObserver(role))
					if ids[side.o.action] != want {
						t.Errorf("%s GET %s: action of %v side listed %v, want %v", role, path, side.own, ids[side.o.action], want)
					}
				}
			}
		}
		var a map[string]any
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/support-actions/" + foreign.action, Token: e.users[rObsB].token}).JSON(t, &a)
		if a["detainee_name"] != nil || a["assignee_partner_name"] != "Bar B" {
			t.Errorf("observer B on an unshared case: %v", a)
		}
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/support-actions/" + own.action, Token: e.users[rObsA].token}).JSON(t, &a)
		if a["detainee_name"] != "own 丁家喜" {
			t.Errorf("observer A on a shared case: %v", a["detainee_name"])
		}
		var pt map[string]any
		r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/partners/" + e.partnerA, Token: e.users[rObsA].token})
		r.JSON(t, &pt)
		if _, leak := pt["contacts"]; leak || strings.Contains(string(r.Body), "desk officer") || strings.Contains(string(r.Body), "slow to answer") {
			t.Errorf("observer sees partner contacts or notes: %s", r.Body)
		}
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/partners/" + e.partnerA, Token: e.users[rCoord].token}).JSON(t, &pt)
		if pt["contacts"] != "desk officer +49 30 0000" {
			t.Errorf("coordinator: contacts %v", pt["contacts"])
		}
		var pp struct {
			Items []map[string]any `json:"items"`
		}
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/partners", Token: e.users[rObsA].token}).JSON(t, &pp)
		if len(pp.Items) != 1 || pp.Items[0]["id"] != e.partnerA {
			t.Errorf("observer A partners: %v", pp.Items)
		}
		// Observers may not close or re-assign, nor touch other fields.
		for _, b := range []map[string]any{{"status": "closed"}, {"status": "cancelled"}, {"impact": "x"}, {"assignee_partner_id": ""}} {
			v := e.version(t, "action", own)
			r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/support-actions/" + own.action, Token: e.users[rObsA].token,
				Body: b, Header: http.Header{"If-Match": {fmt.Sprintf(`"%d"`, v)}}})
			if r.StatusCode != 403 {
				t.Errorf("observer PATCH %v: %d", b, r.StatusCode)
			}
		}
	})
}

// allowedTransitions is the workflow, written out independently of the code.
var allowedTransitions = map[[2]string]bool{
	{"proposed", "assigned"}: true, {"assigned", "in_progress"}: true, {"in_progress", "submitted"}: true,
	{"submitted", "response_received"}: true, {"response_received", "closed"}: true,
}

func init() {
	for _, from := range []string{"proposed", "assigned", "in_progress", "submitted", "response_received"} {
		allowedTransitions[[2]string{from, "declined"}] = true
		allowedTransitions[[2]string{from, "cancelled"}] = true
	}
}

// pathTo is how the fixture reaches each status from a new proposed action.
var pathTo = map[string][]string{
	"proposed":          nil,
	"assigned":          {"assigned"},
	"in_progress":       {"assigned", "in_progress"},
	"submitted":         {"assigned", "in_progress", "submitted"},
	"response_received": {"assigned", "in_progress", "submitted", "response_received"},
	"closed":            {"assigned", "in_progress", "submitted", "response_received", "closed"},
	"declined":          {"declined"},
	"cancelled":         {"cancelled"},
}

// Every pair of statuses: the allowed transitions work (with their status
// history and audit entry); every other answers 409 and changes nothing.
func TestSupportTransitions(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newSupportEnv(t, d)
		own, _ := e.supportFixture(t)
		ctx := context.Background()
		statuses := []string{"proposed", "assigned", "in_progress", "submitted", "response_received", "closed", "declined", "cancelled"}
		for _, from := range statuses {
			for _, to := range statuses {
				t.Run(from+"->"+to, func(t *testing.T) {
					a := must(e.sup.CreateAction(ctx, e.admin(), own.caseID, support.ActionFields{Type: ptr("demarche")}))
					for i, st := range pathTo[from] {
						in := support.ActionPatch{Status: ptr(st)}
						if i == 0 && st == "assigned" {
							in.AssigneePartnerID = &e.partnerA
						}
						a = must(e.sup.UpdateAction(ctx, e.admin(), a.ID, a.Version, in))
					}
					if a.Status != from {
						t.Fatalf("fixture in %s, want %s", a.Status, from)
					}
					body := map[string]any{"status": to}
					if from == "proposed" {
						body["assignee_partner_id"] = e.partnerA
					}
					before := objectAuditCount(t, d, a.ID)
					r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/support-actions/" + a.ID, Token: e.users[rCoord].token,
						Body: body, Header: http.Header{"If-Match": {fmt.Sprintf(`"%d"`, a.Version)}}})
					after := must(e.sup.GetAction(ctx, e.admin(), a.ID))
					if allowedTransitions[[2]string{from, to}] {
						if r.StatusCode != 200 || after.Status != to || after.Version != a.Version+1 {
							t.Fatalf("allowed %s->%s: %d %s (now %s v%d)", from, to, r.StatusCode, r.Body, after.Status, after.Version)
						}
						var entry audit.Row
						if err := d.Where("object_id = ? AND action = ?", a.ID, "support_action.transition").Order("seq DESC").Take(&entry).Error; err != nil {
							t.Fatalf("no audit entry: %v", err)
						}
						if !strings.Contains(entry.Details, `"from_status":"`+from+`"`) || !strings.Contains(entry.Details, `"to_status":"`+to+`"`) || entry.ActorID != e.users[rCoord].p.UserID {
							t.Errorf("audit entry %+v", entry)
						}
						var n int64
						d.Model(&support.Change{}).Where("action_id = ? AND from_status = ? AND to_status = ?", a.ID, from, to).Count(&n)
						if n != 1 {
							t.Errorf("status history rows %s->%s: %d", from, to, n)
						}
						return
					}
					if r.StatusCode != 409 || !strings.Contains(string(r.Body), "invalid_transition") {
						t.Fatalf("%s->%s: %d %s, want 409 invalid_transition", from, to, r.StatusCode, r.Body)
					}
					if after.Status != from || after.Version != a.Version || objectAuditCount(t, d, a.ID) != before {
						t.Errorf("refused %s->%s changed something: %s v%d", from, to, after.Status, after.Version)
					}
				})
			}
		}
		// The timeline holds each status entered, oldest first, as the caller sees them.
		items := must(e.sup.Timeline(ctx, e.admin(), own.caseID))
		if len(items) == 0 || items[0].Kind != "support_action" || items[0].Confidential || items[0].ID != own.action ||
			items[0].Status != "assigned" || items[0].FromStatus != "" || items[0].Date == "" || !strings.Contains(items[0].Title, "Embassy trial observation") ||
			items[0].Type != "embassy_trial_observation" || items[0].Addressee != "Intermediate People's Court" {
			t.Fatalf("timeline %+v", items)
		}
		obsItems := must(e.sup.Timeline(ctx, e.users[rObsB].p, own.caseID))
		if len(obsItems) != 0 {
			t.Errorf("observer of partner B sees %d timeline items of partner A's actions", len(obsItems))
		}
		if lawyerItems := must(e.sup.Timeline(ctx, e.users[rLawB].p, own.caseID)); len(lawyerItems) != 0 {
			t.Errorf("unassigned lawyer sees %d timeline items", len(lawyerItems))
		}
	})
}

func objectAuditCount(t *testing.T, d *db.DB, objectID string) int64 {
	t.Helper()
	var n int64
	if err := d.Model(&audit.Row{}).Where("object_id = ?", objectID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

type boardPage struct {
	Items []struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Type    string `json:"type"`
		Overdue bool   `json:"overdue"`
	} `json:"items"`
	Next    *string         `json:"next_cursor"`
	Total   int64           `json:"total"`
	Summary support.Summary `json:"summary"`
}

// The board's summary counts equal the rows each caller can page through,
// for every role, with and without filters.
func TestSupportBoardCounts(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newSupportEnv(t, d)
		ctx := context.Background()
		e.sup.SetClock(func() time.Time { return time.Date(2024, 5, 1, 16, 30, 0, 0, time.UTC) }) // 2 May 00:30 in CST
		own, foreign := e.supportFixture(t)
		mk := func(caseID, typ, partner, due string, steps ...string) {
			in := support.ActionFields{Type: ptr(typ), DueAt: ptr(due), RequestedAt: ptr("2024-01-01")}
			if partner != "" {
				in.AssigneePartnerID = &partner
			}
			a := must(e.sup.CreateAction(ctx, e.admin(), caseID, in))
			for _, st := range steps {
				a = must(e.sup.UpdateAction(ctx, e.admin(), a.ID, a.Version, support.ActionPatch{Status: ptr(st)}))
			}
		}
		mk(own.caseID, "wgad_communication", e.partnerA, "2024-05-01", "in_progress")           // overdue (due day over in CST)
		mk(own.caseID, "media_campaign", e.partnerA, "2024-05-02")                              // due today: not overdue
		mk(own.caseID, "legal_fee_grant", e.partnerB, "2024-04-01", "in_progress", "submitted") // overdue
		mk(own.caseID, "demarche", "", "2024-04-01", "cancelled")                               // final: never overdue
		mk(foreign.caseID, "bar_statement", e.partnerB, "2024-04-30", "declined")
		mk(foreign.caseID, "wgad_communication", e.partnerA, "2024-03-01")
		mk(foreign.caseID, "medical_advocacy", "", "")
		queries := []string{"", "status=assigned", "type=wgad_communication", "overdue=true", "overdue=false",
			"partner=" + e.partnerB, "case=" + own.caseID, "sort=due_at"}
		for _, role := range matrixRoles[:6] {
			for _, base := range []string{"/api/v1/support-actions", "/api/v1/me/support-actions"} {
				for _, q := range queries {
					var rows []string
					var first *boardPage
					byStatus, byType, openByType, overdue := map[string]int64{}, map[string]int64{}, map[string]int64{}, int64(0)
					cursor := ""
					for pages := 0; pages < 20; pages++ {
						path := base + "?limit=2&" + q
						if cursor != "" {
							path += "&cursor=" + cursor
						}
						r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: e.users[role].token})
						if r.StatusCode != 200 {
							t.Fatalf("%s %s: %d %s", role, path, r.StatusCode, r.Body)
						}
						var pg boardPage
						r.JSON(t, &pg)
						if first == nil {
							first = &pg
						}
						for _, it := range pg.Items {
							rows = append(rows, it.ID)
							byStatus[it.Status]++
							byType[it.Type]++
							if support.IsOpen(it.Status) {
								openByType[it.Type]++
							}
							if it.Overdue {
								overdue++
							}
						}
						if pg.Next == nil {
							break
						}
						cursor = *pg.Next
					}
					s := first.Summary
					if int64(len(rows)) != s.Total || first.Total != s.Total || overdue != s.Overdue {
						t.Errorf("%s %s?%s: %d rows, %d overdue; summary %+v", role, base, q, len(rows), overdue, s)
					}
					for k, n := range s.ByStatus {
						if byStatus[k] != n {
							t.Errorf("%s %s?%s: status %s: %d rows, summary %d", role, base, q, k, byStatus[k], n)
						}
					}
					for k, n := range s.ByType {
						if byType[k] != n {
							t.Errorf("%s %s?%s: type %s: %d rows, summary %d", role, base, q, k, byType[k], n)
						}
					}
					if len(s.OpenByType) != len(support.ActionTypes) {
						t.Errorf("%s %s?%s: open_by_type has %d types, want every one", role, base, q, len(s.OpenByType))
					}
					for k, n := range s.OpenByType {
						if openByType[k] != n {
							t.Errorf("%s %s?%s: open of type %s: %d rows, summary %d", role, base, q, k, openByType[k], n)
						}
					}
					// The cancelled demarche of the own case is counted by type but not as open.
					if q == "case="+own.caseID && base == "/api/v1/support-actions" && manages(role) &&
						s.OpenByType["demarche"] >= s.ByType["demarche"] {
						t.Errorf("%s: demarche open %d, all %d: the cancelled one counted as open", role, s.OpenByType["demarche"], s.ByType["demarche"])
					}
					if q == "overdue=true" && base == "/api/v1/support-actions" && manages(role) && s.Total != 3 {
						t.Errorf("%s: %d overdue actions, want 3", role, s.Total)
					}
				}
			}
		}
		// What each observer sees on the board: their partner's actions only,
		// never a confidential one (the legal-fee grant assigned to partner B
		// is confidential by default, issue 25).
		want := map[string]int64{rAdmin: 9, rCoord: 9, rLawA: 5, rLawB: 0, rObsA: 4, rObsB: 2}
		for role, n := range want {
			var pg boardPage
			e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/support-actions", Token: e.users[role].token}).JSON(t, &pg)
			if pg.Total != n {
				t.Errorf("%s sees %d actions, want %d", role, pg.Total, n)
			}
		}
	})
}

// Bad input is a clear 400 and nothing is stored; a case holding support
// actions cannot be deleted.
func TestSupportValidation(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newSupportEnv(t, d)
		own, foreign := e.supportFixture(t)
		tok := e.users[rCoord].token
		path := "/api/v1/cases/" + own.caseID + "/support-actions"
		for _, b := range []map[string]any{
			{},
			{"type": "petition"},
			{"type": "wgad_communication", "amount": "100", "currency": "EUR"},
			{"type": "legal_fee_grant", "amount": "100.005", "currency": "EUR"},
			{"type": "legal_fee_grant", "amount": "100.5", "currency": "JPY"},
			{"type": "legal_fee_grant", "amount": "100"},
			{"type": "legal_fee_grant", "amount": "100", "currency": "EURO"},
			{"type": "demarche", "due_at": "2024-02-30"},
			{"type": "demarche", "requested_at": "2024-03-01", "due_at": "2024-02-01"},
			{"type": "demarche", "assignee_user_id": e.users[rLawA].p.UserID},
			{"type": "demarche", "assignee_user_id": e.users[rObsA].p.UserID, "assignee_partner_id": e.partnerA},
			{"type": "demarche", "assignee_partner_id": foreign.detainee},
			{"type": "demarche", "evidence_ids": []string{foreign.caseID}},
			{"type": "demarche", "status": "closed"},
		} {
			if r := e.s.Do(testkit.Request{Method: "POST", Path: path, Token: tok, Body: b}); r.StatusCode != 400 {
				t.Errorf("POST %v: %d %s", b, r.StatusCode, r.Body)
			}
		}
		var a map[string]any
		r := e.s.Do(testkit.Request{Method: "POST", Path: path, Token: tok, Body: map[string]any{
			"type": "legal_fee_grant", "amount": "1500.5", "currency": "eur", "assignee_user_id": e.users[rObsA].p.UserID}})
		r.JSON(t, &a)
		if r.StatusCode != 201 || a["amount"] != "1500.50" || a["amount_minor"] != float64(150050) || a["currency"] != "EUR" || a["status"] != "assigned" {
			t.Errorf("grant: %d %s", r.StatusCode, r.Body)
		}
		var n int64
		d.Model(&support.Action{}).Where("case_id = ?", own.caseID).Count(&n)
		if n != 2 {
			t.Errorf("%d actions stored, want 2 (fixture and grant)", n)
		}
		// Stale or missing If-Match.
		id := own.action
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/support-actions/" + id, Token: tok, Body: map[string]any{"notes": "x"}}); r.StatusCode != 400 {
			t.Errorf("no If-Match: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/support-actions/" + id, Token: tok, Body: map[string]any{"notes": "x"},
			Header: http.Header{"If-Match": {`"7"`}}}); r.StatusCode != 412 {
			t.Errorf("stale If-Match: %d", r.StatusCode)
		}
		// An assigned action cannot lose its assignee.
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/support-actions/" + id, Token: tok, Body: map[string]any{"assignee_partner_id": ""},
			Header: http.Header{"If-Match": {`"1"`}}}); r.StatusCode != 409 {
			t.Errorf("unassign: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/cases/" + own.caseID, Token: tok}); r.StatusCode != 409 {
			t.Errorf("delete case with actions: %d", r.StatusCode)
		}
		// A partner observer account must be an observer, linked to one partner only.
		for _, b := range []map[string]any{
			{"name": "X", "kind": "ngo", "user_ids": []string{e.users[rLawA].p.UserID}},
			{"name": "X", "kind": "ngo", "user_ids": []string{e.users[rObsA].p.UserID}},
			{"name": "X", "kind": "ngo", "country": "XX"},
			{"name": "", "kind": "ngo"},
			{"name": "X", "kind": "club"},
		} {
			if r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/partners", Token: tok, Body: b}); r.StatusCode != 400 {
				t.Errorf("POST partner %v: %d %s", b, r.StatusCode, r.Body)
			}
		}
	})
}
