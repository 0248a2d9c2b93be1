package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Links between cases and a lawyer linked to a detainee (issue 25, item
// 2): a link is listed from both cases with its direction, only to those
// who see both cases (not counted otherwise); a link to a case the caller
// may not see is refused as a case that does not exist; self links,
// duplicates and unknown kinds name the field and store nothing; the JSON
// export carries the links and the import recreates those whose other
// case exists. A lawyer's detainee_id and a detainee's lawyer_id are shown
// only to who may see the other record.
func TestCaseLinksHTTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.related = true // every route has its objects
		own, foreign := e.fixture(t)
		admin, coord, lawyer, obs := e.users[rAdmin].token, e.users[rCoord].token, e.users[rLawA].token, e.users[rObsA].token
		links := func(caseID string) string { return "/api/v1/cases/" + caseID + "/links" }
		list := func(token, caseID string) (pg struct {
			Items []cases.CaseLinkView `json:"items"`
			Total int                  `json:"total"`
		}) {
			t.Helper()
			r := e.s.Do(testkit.Request{Method: "GET", Path: links(caseID), Token: token})
			if r.StatusCode != 200 {
				t.Fatalf("list %s: %d %s", caseID, r.StatusCode, r.Body)
			}
			r.JSON(t, &pg)
			return pg
		}
		audited := auditCount(t, e.s, "case_link.create", audit.OK)

		// The coordinator links the lawyer's case to a case the lawyer does not hold.
		r := e.s.Do(testkit.Request{Method: "POST", Path: links(own.caseID), Token: coord,
			Body: map[string]any{"case_id": foreign.caseID, "kind": "lawyer_detained", "note": "Yu Wensheng"}})
		if r.StatusCode != 201 || r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") == "" {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		var made cases.CaseLinkView
		r.JSON(t, &made)
		if made.CaseID != foreign.caseID || made.Direction != "outgoing" || made.OtherCase.DetaineeName == "" {
			t.Errorf("created link: %+v", made)
		}
		if n := auditCount(t, e.s, "case_link.create", audit.OK); n != audited+1 {
			t.Errorf("audit case_link.create: %d, want %d", n, audited+1)
		}
		// Shown from both cases, direction resolved for the caller.
		if pg := list(admin, own.caseID); pg.Total != 2 {
			t.Errorf("admin, own case: %d links, want 2 (fixture + new)", pg.Total)
		}
		back := list(admin, foreign.caseID) // the fixture's link and the new one
		if back.Total != 2 || back.Items[1].CaseID != own.caseID || back.Items[1].Direction != "incoming" || back.Items[1].Kind != "lawyer_detained" {
			t.Errorf("from the other case: %+v", back)
		}
		// The lawyer and observer of the own case see only the link between two cases they see.
		for name, tok := range map[string]string{"lawyer": lawyer, "observer": obs} {
			pg := list(tok, own.caseID)
			if pg.Total != 1 || len(pg.Items) != 1 || pg.Items[0].CaseID != own.linkedCase {
				t.Errorf("%s sees %+v, want only the link to the second own case", name, pg)
			}
			if r := e.s.Do(testkit.Request{Method: "GET", Path: links(own.caseID) + "/" + made.ID, Token: tok}); r.StatusCode != 404 {
				t.Errorf("%s get of the link to a foreign case: %d", name, r.StatusCode)
			}
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: links(own.caseID) + "/" + made.ID, Token: lawyer}); r.StatusCode != 404 {
			t.Errorf("lawyer delete of the link to a foreign case: %d", r.StatusCode)
		}

		// Refusals name the field and store nothing; a case the lawyer may
		// not see is refused exactly as one that does not exist.
		before := list(admin, own.caseID).Total
		missing := e.s.Do(testkit.Request{Method: "POST", Path: links(own.caseID), Token: lawyer,
			Body: map[string]any{"case_id": "0190c1d2-0000-7000-8000-000000000000", "kind": "related"}})
		hidden := e.s.Do(testkit.Request{Method: "POST", Path: links(own.caseID), Token: lawyer,
			Body: map[string]any{"case_id": foreign.caseID, "kind": "related"}})
		var m1, m2 struct{ Message, Field string }
		missing.JSON(t, &m1)
		hidden.JSON(t, &m2)
		if missing.StatusCode != 400 || hidden.StatusCode != 400 || m1 != m2 || !strings.Contains(string(hidden.Body), `"case_id"`) {
			t.Errorf("hidden case: %d %s; missing case: %d %s", hidden.StatusCode, hidden.Body, missing.StatusCode, missing.Body)
		}
		for field, c := range map[string]struct {
			path string
			body map[string]any
		}{
			"case_id": {links(own.caseID), map[string]any{"case_id": own.caseID, "kind": "related"}},
			// The reverse of a same-proceedings link is the same link.
			"case_id ": {links(own.linkedCase), map[string]any{"case_id": own.caseID, "kind": "same_proceedings"}},
			"kind":     {links(own.caseID), map[string]any{"case_id": own.linkedCase, "kind": "sibling"}},
			"kind ":    {links(own.caseID), map[string]any{"case_id": own.linkedCase}},
		} {
			r := e.s.Do(testkit.Request{Method: "POST", Path: c.path, Token: lawyer, Body: c.body})
			if r.StatusCode != 400 || !strings.Contains(string(r.Body), `"`+strings.TrimSpace(field)+`"`) {
				t.Errorf("%s: %d %s, want 400 naming it", field, r.StatusCode, r.Body)
			}
		}
		if n := list(admin, own.caseID).Total; n != before {
			t.Errorf("refused requests stored links: %d, was %d", n, before)
		}
		// The observer reads but may not write.
		if r := e.s.Do(testkit.Request{Method: "POST", Path: links(own.caseID), Token: obs,
			Body: map[string]any{"case_id": own.linkedCase, "kind": "related"}}); r.StatusCode != 403 {
			t.Errorf("observer create: %d", r.StatusCode)
		}

		// Export and import: the links travel with the case; a link to a
		// case not in this instance is listed as skipped.
		r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/export.json", Token: admin})
		var doc map[string]any
		r.JSON(t, &doc)
		exported, _ := doc["links"].([]any)
		if len(exported) != 2 {
			t.Fatalf("export links: %v", doc["links"])
		}
		doc["links"] = append(exported, map[string]any{"case_id": "0190c1d2-0000-7000-8000-000000000001", "kind": "related", "direction": "incoming", "note": ""})
		raw, _ := json.Marshal(doc)
		r = e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/import", Token: admin, Body: json.RawMessage(raw)})
		var res struct {
			CaseID  string         `json:"case_id"`
			Created map[string]int `json:"created"`
			Skipped []struct {
				Path string `json:"path"`
				ID   string `json:"id"`
			} `json:"skipped"`
		}
		r.JSON(t, &res)
		if r.StatusCode != 200 && r.StatusCode != 201 || res.Created["links"] != 2 || len(res.Skipped) != 1 || res.Skipped[0].Path != "links[2].case_id" {
			t.Fatalf("import: %d %s", r.StatusCode, r.Body)
		}
		if pg := list(admin, res.CaseID); pg.Total != 2 {
			t.Errorf("imported case: %d links, want 2", pg.Total)
		}

		// A lawyer record linked to the detainee record of the same person.
		lawyerPath := "/api/v1/lawyers/" + e.lawyerA.ID
		v := must(e.svc.GetLawyer(context.Background(), e.admin(), e.lawyerA.ID)).Version
		for _, bad := range []string{"0190c1d2-0000-7000-8000-000000000000", "not-an-id"} {
			r = e.s.Do(testkit.Request{Method: "PATCH", Path: lawyerPath, Token: coord, Header: ifMatch(v), Body: map[string]any{"detainee_id": bad}})
			if r.StatusCode != 400 || !strings.Contains(string(r.Body), `"detainee_id"`) {
				t.Errorf("unknown detainee %s: %d %s", bad, r.StatusCode, r.Body)
			}
		}
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: lawyerPath, Token: coord, Header: ifMatch(v), Body: map[string]any{"detainee_id": foreign.detainee}})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"detainee_id":"`+foreign.detainee+`"`) {
			t.Fatalf("link lawyer to detainee: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: lawyerPath, Token: lawyer, Header: ifMatch(v + 1), Body: map[string]any{"detainee_id": ""}}); r.StatusCode != 403 {
			t.Errorf("lawyer unlinks: %d", r.StatusCode)
		}
		// The lawyer sees their own record but not the foreign detainee: null.
		if r := e.s.Do(testkit.Request{Method: "GET", Path: lawyerPath, Token: lawyer}); !strings.Contains(string(r.Body), `"detainee_id":null`) {
			t.Errorf("lawyer's own record shows a detainee they may not see: %s", r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/detainees/" + foreign.detainee, Token: admin}); !strings.Contains(string(r.Body), `"lawyer_id":"`+e.lawyerA.ID+`"`) {
			t.Errorf("detainee's lawyer_id for the admin: %s", r.Body)
		}
		// A confidential lawyer of the own case is the own detainee: the
		// lawyer of the case sees the link, the observer never does.
		conf := must(e.svc.CreateLawyer(context.Background(), e.admin(), cases.LawyerFields{Name: ptr("秘密律师"), Confidential: ptr(true), DetaineeID: &own.detainee}))
		must(e.svc.CreateAssignment(context.Background(), e.admin(), own.caseID, cases.AssignmentCreate{LawyerID: conf.ID, AssignmentFields: cases.AssignmentFields{Role: ptr("family_retained")}}))
		detPath := "/api/v1/detainees/" + own.detainee
		if r := e.s.Do(testkit.Request{Method: "GET", Path: detPath, Token: lawyer}); !strings.Contains(string(r.Body), `"lawyer_id":"`+conf.ID+`"`) {
			t.Errorf("lawyer of the case: %s", r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: detPath, Token: obs}); r.StatusCode != 200 || !strings.Contains(string(r.Body), `"lawyer_id":null`) {
			t.Errorf("observer sees a confidential lawyer's id: %d %s", r.StatusCode, r.Body)
		}
		// A second lawyer record may not be the same detainee.
		var ae *apperr.Error
		if _, err := e.svc.CreateLawyer(context.Background(), e.admin(), cases.LawyerFields{Name: ptr("again"), DetaineeID: &own.detainee}); !errors.As(err, &ae) || ae.Fields["detainee_id"] == "" {
			t.Errorf("second lawyer for one detainee: %v", err)
		}

		// Export and import again: the lawyer who is the case's own detainee
		// becomes the new detainee record; the lawyer who is the foreign
		// detainee is skipped (that detainee is already another lawyer record).
		r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/export.json", Token: admin})
		var doc2 struct {
			Lawyers []struct {
				ID         string  `json:"id"`
				DetaineeID *string `json:"detainee_id"`
			} `json:"lawyers"`
		}
		r.JSON(t, &doc2)
		r = e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/import", Token: admin, Body: json.RawMessage(r.Body)})
		var res2 struct {
			DetaineeID string `json:"detainee_id"`
			Skipped    []struct {
				Path string `json:"path"`
				ID   string `json:"id"`
			} `json:"skipped"`
		}
		r.JSON(t, &res2)
		var linked []string
		if err := d.Table("lawyers").Where("detainee_id = ?", res2.DetaineeID).Pluck("name", &linked).Error; err != nil {
			t.Fatal(err)
		}
		skipped := 0
		for _, sk := range res2.Skipped {
			if strings.HasSuffix(sk.Path, ".detainee_id") && sk.ID == foreign.detainee {
				skipped++
			}
		}
		if r.StatusCode >= 300 || len(linked) != 1 || linked[0] != "秘密律师" || skipped != 1 {
			t.Errorf("import of lawyers' detainee records: %d, linked %v, skipped %+v", r.StatusCode, linked, res2.Skipped)
		}
	})
}

// ifMatch is the If-Match header of version v.
func ifMatch(v int64) http.Header {
	return http.Header{"If-Match": []string{fmt.Sprintf(`"%d"`, v)}}
}
