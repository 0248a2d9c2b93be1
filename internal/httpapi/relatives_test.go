package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Relatives of a detainee over HTTP (issue 25): confidential by default,
// field errors naming the field with nothing stored, observers never see a
// confidential relative nor any contact, consent history with the current
// state per kind (unknown when none), deletion with a reason, reads of
// contact data audited, and pressure events linked to a relative of the
// case's detainee only.
func TestRelativesHTTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, foreign := e.fixture(t)
		admin, lawyer, other, obs := e.users[rAdmin].token, e.users[rLawA].token, e.users[rLawB].token, e.users[rObsA].token
		base := "/api/v1/detainees/" + own.detainee + "/relatives"
		list := func(tok string) page {
			t.Helper()
			var pg page
			e.s.Do(testkit.Request{Method: "GET", Path: base, Token: tok}).JSON(t, &pg)
			return pg
		}
		before := list(admin).Total

		// Refused bodies name the field and store nothing.
		for field, body := range map[string]map[string]any{
			"relation":            {"name": "罗胜春"},
			"relation ":           {"relation": "cousin-in-law", "name": "x"},
			"name":                {"relation": "spouse"},
			"name ":               {"relation": "spouse", "name": "  "},
			"other_names[0].kind": {"relation": "spouse", "name": "x", "other_names": []map[string]any{{"name": "Luo", "kind": "klingon"}}},
			"colour":              {"relation": "spouse", "name": "x", "colour": "blue"},
		} {
			field = strings.TrimSpace(field)
			r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: lawyer, Body: body})
			if r.StatusCode != 400 || !strings.Contains(string(r.Body), `"`+field+`"`) {
				t.Errorf("%s: %d %s, want 400 naming it", field, r.StatusCode, r.Body)
			}
		}
		if n := list(admin).Total; n != before {
			t.Fatalf("refused requests stored relatives: %d, was %d", n, before)
		}
		// Need-to-know: a lawyer not holding the detainee's case finds nothing.
		if r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: other, Body: map[string]any{"relation": "spouse", "name": "x"}}); r.StatusCode != 404 {
			t.Errorf("unassigned lawyer create: %d %s", r.StatusCode, r.Body)
		}

		// Created confidential by default (the assigned lawyer writes).
		created := auditCount(t, e.s, "relative.create", audit.OK)
		r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: lawyer, Body: map[string]any{
			"relation": "spouse", "name": "王峭岭", "other_names": []map[string]any{{"name": "Wang Qiaoling", "kind": "pinyin"}},
			"contact": "SECRET-PHONE-139", "address": "SECRET-ADDRESS-1", "place": "Beijing"}})
		if r.StatusCode != 201 || r.Header.Get("ETag") != `"1"` || !strings.HasPrefix(r.Header.Get("Location"), base+"/") {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		var rel struct {
			ID           string
			Confidential bool
			Contact      *string
			Consent      map[string]string
			Events       []struct{ ID string }
		}
		r.JSON(t, &rel)
		if !rel.Confidential || rel.Consent["un_submission"] != "unknown" || rel.Consent["publicity"] != "unknown" {
			t.Fatalf("created: %+v", rel)
		}
		if n := auditCount(t, e.s, "relative.create", audit.OK); n != created+1 {
			t.Errorf("create audited %d times", n-created)
		}
		one := base + "/" + rel.ID

		// Observers: the confidential relative is not found, not listed, not
		// counted; the visible one shows no contact nor address.
		if r := e.s.Do(testkit.Request{Method: "GET", Path: one, Token: obs}); r.StatusCode != 404 {
			t.Errorf("observer reads a confidential relative: %d", r.StatusCode)
		}
		op := list(obs)
		if raw, _ := json.Marshal(op); op.Total != before || strings.Contains(string(raw), "SECRET") || strings.Contains(string(raw), "139 0000") {
			t.Errorf("observer list: %+v", op)
		}
		for _, it := range op.Items {
			if it["contact"] != nil || it["address"] != nil {
				t.Errorf("observer sees contact data: %v", it)
			}
		}
		// The lawyer's read shows the contact and is audited.
		reads := auditCount(t, e.s, "relative.read", audit.OK)
		r = e.s.Do(testkit.Request{Method: "GET", Path: one, Token: lawyer})
		r.JSON(t, &rel)
		if r.StatusCode != 200 || rel.Contact == nil || *rel.Contact != "SECRET-PHONE-139" {
			t.Fatalf("lawyer read: %d %s", r.StatusCode, r.Body)
		}
		if n := auditCount(t, e.s, "relative.read", audit.OK); n != reads+1 {
			t.Errorf("read audited %d times", n-reads)
		}

		// Consent: append-only, the latest record per kind is the state.
		cbase := one + "/consents"
		if r := e.s.Do(testkit.Request{Method: "POST", Path: cbase, Token: lawyer, Body: map[string]any{"kind": "un_submission", "status": "maybe"}}); r.StatusCode != 400 || !strings.Contains(string(r.Body), `"status"`) {
			t.Errorf("bad status: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "POST", Path: cbase, Token: lawyer, Body: map[string]any{"kind": "un_submission", "status": "given", "given_at": "2019-13"}}); r.StatusCode != 400 || !strings.Contains(string(r.Body), `"given_at"`) {
			t.Errorf("bad date: %d %s", r.StatusCode, r.Body)
		}
		for _, body := range []map[string]any{
			{"kind": "un_submission", "status": "given", "given_by": "王峭岭", "given_at": "2019-05", "method": "in_person"},
			{"kind": "un_submission", "status": "withdrawn", "given_by": "王峭岭", "given_at": "2019-06-02", "method": "via_lawyer"},
			{"kind": "publicity", "status": "given", "method": "phone"},
		} {
			if r := e.s.Do(testkit.Request{Method: "POST", Path: cbase, Token: lawyer, Body: body}); r.StatusCode != 201 {
				t.Fatalf("consent %v: %d %s", body, r.StatusCode, r.Body)
			}
		}
		var hist page
		e.s.Do(testkit.Request{Method: "GET", Path: cbase, Token: admin}).JSON(t, &hist)
		if hist.Total != 3 || hist.Items[0]["kind"] != "publicity" || hist.Items[1]["status"] != "withdrawn" || hist.Items[2]["given_at"] != "2019-05" {
			t.Errorf("history: %+v", hist)
		}
		e.s.Do(testkit.Request{Method: "GET", Path: one, Token: admin}).JSON(t, &rel)
		if rel.Consent["un_submission"] != "withdrawn" || rel.Consent["publicity"] != "given" || rel.Consent["contact"] != "unknown" {
			t.Errorf("consent state: %v", rel.Consent)
		}

		// Pressure: an event of the case links to the relative; a relative
		// of another detainee is refused naming relative_id.
		ev := "/api/v1/cases/" + own.caseID + "/events"
		if r := e.s.Do(testkit.Request{Method: "POST", Path: ev, Token: admin, Body: map[string]any{"type": "harassment", "occurred_at": "2019-07",
			"relative_id": foreign.relative}}); r.StatusCode != 400 || !strings.Contains(string(r.Body), `"relative_id"`) {
			t.Errorf("foreign relative linked: %d %s", r.StatusCode, r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "POST", Path: ev, Token: lawyer, Body: map[string]any{"type": "harassment", "occurred_at": "2019-07",
			"description": "followed by police", "relative_id": rel.ID}})
		if r.StatusCode != 201 {
			t.Fatalf("linked event: %d %s", r.StatusCode, r.Body)
		}
		var evv struct{ ID string }
		r.JSON(t, &evv)
		e.s.Do(testkit.Request{Method: "GET", Path: one, Token: lawyer}).JSON(t, &rel)
		if len(rel.Events) != 1 || rel.Events[0].ID != evv.ID {
			t.Errorf("relative's events: %+v", rel.Events)
		}
		// The observer sees the event, not its link to a confidential relative.
		r = e.s.Do(testkit.Request{Method: "GET", Path: ev + "/" + evv.ID, Token: obs})
		if r.StatusCode != 200 || strings.Contains(string(r.Body), rel.ID) {
			t.Errorf("observer event: %d %s", r.StatusCode, r.Body)
		}

		// Delete: If-Match and a reason are required.
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: one, Token: lawyer, Header: http.Header{"If-Match": {`"1"`}}, Body: map[string]any{"reason": ""}}); r.StatusCode != 400 || !strings.Contains(string(r.Body), `"reason"`) {
			t.Errorf("delete without reason: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: one, Token: lawyer, Header: http.Header{"If-Match": {`"1"`}}, Body: map[string]any{"reason": "recorded twice"}}); r.StatusCode != 204 {
			t.Errorf("delete: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: one, Token: admin}); r.StatusCode != 404 {
			t.Errorf("deleted relative: %d", r.StatusCode)
		}
	})
}
