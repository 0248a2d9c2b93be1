package caseexport_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/campaigns"
	"github.com/habeas-org/habeas/internal/caseexport"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// TestCaseExportRoundTrip exports a rich case from one server, imports it
// into an empty one, exports it there and compares both documents field by
// field (ids, versions, authors and timestamps aside; references compared
// through what they point to). On the way: observers get no confidential
// field or row, a lawyer not on the case gets 404, a bad document names
// the JSON path of its bad field and stores nothing, only managers import.
func TestCaseExportRoundTrip(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		src := testkit.NewServer(t, d, nil)
		admin, _ := testkit.UserToken(t, src, actor.Admin)
		obsTok, obs := testkit.UserToken(t, src, actor.Observer)
		otherLawyer, _ := testkit.UserToken(t, src, actor.Lawyer)
		do := func(s *testkit.Server, tok, method, path string, body any, want int, hdr ...string) map[string]any {
			t.Helper()
			r := testkit.Request{Method: method, Path: "/api/v1" + path, Token: tok, Body: body}
			if len(hdr) == 2 {
				r.Header = http.Header{hdr[0]: {hdr[1]}}
			}
			resp := s.Do(r)
			if resp.StatusCode != want {
				t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, resp.Body, want)
			}
			out := map[string]any{}
			if len(resp.Body) > 0 && resp.Body[0] == '{' {
				resp.JSON(t, &out)
			}
			return out
		}
		det := do(src, admin, "POST", "/detainees", map[string]any{
			"name": "丁家喜", "other_names": []map[string]string{{"name": "Ding Jiaxi", "kind": "pinyin"}},
			"sex": "male", "born_at": "1967", "home_province": "Hubei", "family_contacts": "wife: +1 555 0100",
			"confidential_notes": "source is his sister"}, 201)
		cs := do(src, admin, "POST", "/cases", map[string]any{"detainee_id": det["id"], "title": "Xiamen gathering",
			"stage": "first_instance_trial", "case_numbers": []string{"(2021)鲁10刑初5号"},
			"charges":     []map[string]string{{"charge": "art105_subversion", "detail": "the Xiamen gathering"}},
			"detained_at": "2019-12-26", "court": "Linshu County People's Court", "confidential_notes": "do not share",
			"sentence_kind": "fixed_term", "sentence_term_months": 144}, 201)
		caseID := cs["id"].(string)
		base := "/cases/" + caseID
		la := do(src, admin, "POST", "/lawyers", map[string]any{"name": "Peng Jian", "law_firm": "Firm A", "contact": "wechat pj"}, 201)
		lb := do(src, admin, "POST", "/lawyers", map[string]any{"name": "Xie Yanyi", "risk_status": []string{"disbarred"}}, 201)
		do(src, admin, "POST", base+"/assignments", map[string]any{"lawyer_id": la["id"], "role": "family_retained", "started_at": "2020-01"}, 201)
		do(src, admin, "POST", base+"/assignments", map[string]any{"lawyer_id": lb["id"], "role": "org_appointed", "status": "forced_withdrawal"}, 201)
		do(src, admin, "POST", base+"/custody-periods", map[string]any{"measure": "rsdl", "started_at": "2019-12-26", "ended_at": "2020-06-19",
			"facility": map[string]any{"name": "Linyi RSDL site", "city": "Linyi"}}, 201)
		do(src, admin, "POST", base+"/custody-periods", map[string]any{"measure": "criminal_detention", "started_at": "2020-06-19",
			"facility": map[string]any{"name": "Secret place"}, "confidential": true}, 201)
		do(src, admin, "POST", base+"/un-communications", map[string]any{"kind": "wgad_urgent", "reference": "UA CHN 5/2020",
			"transmitted_at": "2020-03-01", "opinion_number": "62/2018"}, 201)
		do(src, admin, "POST", base+"/hearings", map[string]any{"scheduled_at": "2022-06-24T09:00:00+08:00", "type": "trial",
			"court": "Linshu County People's Court", "family_admitted": false}, 201)
		do(src, admin, "POST", base+"/support-actions", map[string]any{"type": "legal_fee_grant", "addressee": "family",
			"amount": "1500.50", "currency": "EUR", "notes": "via partner"}, 201)
		ev := do(src, admin, "POST", base+"/events", map[string]any{"type": "meeting_denied", "occurred_at": "2020-02-03",
			"place": "临沂", "lawyer_id": la["id"], "description": "first refusal"}, 201)
		do(src, admin, "PATCH", base+"/events/"+ev["id"].(string), map[string]any{"description": "first refusal (edited)"}, 200, "If-Match", `"1"`)
		// Campaigns: one the target will have (same id), one it will not.
		camp709 := do(src, admin, "POST", "/campaigns", map[string]any{"name": "709 crackdown", "started_at": "2015-07-09"}, 201)
		campXM := do(src, admin, "POST", "/campaigns", map[string]any{"name": "Xiamen gathering"}, 201)
		for _, c := range []map[string]any{camp709, campXM} {
			do(src, admin, "POST", "/campaigns/"+c["id"].(string)+"/cases", map[string]any{"case_id": caseID}, 201)
		}
		lc := do(src, admin, "POST", "/lawyers", map[string]any{"name": "Chang Weiping"}, 201) // named by an event, never assigned
		do(src, admin, "POST", base+"/events", map[string]any{"type": "meeting_denied", "occurred_at": "2020-04-01", "lawyer_id": lc["id"]}, 201)
		do(src, admin, "POST", base+"/events", map[string]any{"type": "meeting_denied", "occurred_at": "2020-03~",
			"description": "confidential refusal", "confidential": true}, 201)
		// Relatives: a confidential one (the default) with contact and
		// address, a public one; each gave then withdrew a consent; an event
		// is linked to the confidential one (pressure on the family).
		rels := "/detainees/" + det["id"].(string) + "/relatives"
		wife := do(src, admin, "POST", rels, map[string]any{"relation": "spouse", "name": "罗胜春",
			"other_names": []map[string]string{{"name": "Luo Shengchun", "kind": "pinyin"}}, "contact": "SPOUSE-PHONE-4417",
			"address": "SPOUSE-ADDRESS-9 Main St", "place": "Washington DC", "notes": "speaks to the press"}, 201)
		sister := do(src, admin, "POST", rels, map[string]any{"relation": "sibling", "name": "Ding Jiamei", "confidential": false,
			"contact": "SISTER-MAIL-2290", "place": "Wuhan"}, 201)
		for _, r := range []map[string]any{wife, sister} {
			path := rels + "/" + r["id"].(string) + "/consents"
			do(src, admin, "POST", path, map[string]any{"kind": "un_submission", "status": "given", "given_by": r["name"],
				"given_at": "2020-01-05", "method": "written", "notes": "signed form"}, 201)
			do(src, admin, "POST", path, map[string]any{"kind": "un_submission", "status": "withdrawn", "given_by": r["name"],
				"given_at": "2021-03~", "method": "phone"}, 201)
			do(src, admin, "POST", path, map[string]any{"kind": "publicity", "status": "given", "given_at": "2020"}, 201)
		}
		do(src, admin, "POST", base+"/events", map[string]any{"type": "harassment", "occurred_at": "2021-05-01",
			"relative_id": wife["id"], "description": "police at the door"}, 201)
		do(src, admin, "POST", base+"/events", map[string]any{"type": "harassment", "occurred_at": "2021-06-01",
			"relative_id": sister["id"]}, 201)
		var mb bytes.Buffer
		mw := multipart.NewWriter(&mb)
		_ = mw.WriteField("title", "Indictment")
		fw, _ := mw.CreateFormFile("file", "indictment.txt")
		_, _ = fw.Write([]byte("the indictment"))
		_ = mw.Close()
		up := src.Do(testkit.Request{Method: "POST", Path: "/api/v1" + base + "/evidence", Token: admin, Body: mb.Bytes(),
			Header: http.Header{"Content-Type": {mw.FormDataContentType()}}})
		if up.StatusCode != 201 {
			t.Fatalf("upload: %d %s", up.StatusCode, up.Body)
		}
		do(src, admin, "POST", base+"/shares", map[string]any{"user_id": obs.ID}, 201)
		// Two other detainees of the case (issue 25): references outside the case.
		co1 := do(src, admin, "POST", "/detainees", map[string]any{"name": "许志永", "other_names": []map[string]string{{"name": "Xu Zhiyong", "kind": "pinyin"}}}, 201)
		co2 := do(src, admin, "POST", "/detainees", map[string]any{"name": "Zhang Zhongshun"}, 201)
		do(src, admin, "POST", base+"/detainees", map[string]any{"detainee_id": co1["id"], "role": "co_defendant"}, 201)
		do(src, admin, "POST", base+"/detainees", map[string]any{"detainee_id": co2["id"], "role": "witness", "note": "held under RSDL"}, 201)

		export := func(s *testkit.Server, tok, path string) (map[string]any, []byte) {
			t.Helper()
			r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1" + path + "/export.json", Token: tok})
			if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") ||
				!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("export: %d %v %s", r.StatusCode, r.Header, r.Body)
			}
			var doc map[string]any
			dec := json.NewDecoder(bytes.NewReader(r.Body))
			dec.UseNumber()
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("export is not JSON: %v", err)
			}
			return doc, r.Body
		}
		a, raw := export(src, admin, base)
		if p := os.Getenv("HABEAS_EXPORT_DUMP"); p != "" {
			_ = os.WriteFile(p, raw, 0o600)
		}
		if a["schema"] != "habeas.case-export/1" || a["confidential_included"] != true {
			t.Fatalf("header: %v %v", a["schema"], a["confidential_included"])
		}
		for sec, want := range map[string]int{"lawyers": 3, "assignments": 2, "custody_periods": 2, "un_communications": 1,
			"hearings": 1, "support_actions": 1, "evidence": 1, "events": 5, "relatives": 2, "detainees": 2} {
			if n := len(list(a, sec)); n != want {
				t.Errorf("%s: %d records, want %d", sec, n, want)
			}
		}
		if len(list(a, "time_limits")) == 0 {
			t.Error("no time limits exported")
		}
		evs := list(a, "events")
		if revs := list(evs[0].(map[string]any), "revisions"); len(revs) != 2 {
			t.Errorf("first event: %d revisions, want 2", len(revs))
		}
		if e := list(a, "evidence")[0].(map[string]any); len(fmt.Sprint(e["sha256"])) != 64 || e["content"] != nil {
			t.Errorf("evidence metadata: %v", e)
		}
		for i, r := range list(a, "relatives") {
			rm := r.(map[string]any)
			consents := list(rm, "consents")
			if len(consents) != 3 || list(a, "relatives")[i].(map[string]any)["consent"].(map[string]any)["un_submission"] != "withdrawn" ||
				consents[0].(map[string]any)["status"] != "given" || consents[1].(map[string]any)["status"] != "withdrawn" {
				t.Errorf("relative %v: consents %v", rm["name"], consents)
			}
		}
		if evs[3].(map[string]any)["relative_id"] != wife["id"] || evs[4].(map[string]any)["relative_id"] != sister["id"] {
			t.Errorf("events linked to relatives: %v, %v", evs[3], evs[4])
		}
		if !bytes.Contains(raw, []byte("wife: +1 555 0100")) || !bytes.Contains(raw, []byte("Secret place")) ||
			!bytes.Contains(raw, []byte("SPOUSE-ADDRESS-9")) || !bytes.Contains(raw, []byte("SISTER-MAIL-2290")) {
			t.Error("the admin's export lacks confidential content")
		}

		// Observer: only what they may see.
		o, oraw := export(src, obsTok, base)
		if o["confidential_included"] != false || len(list(o, "custody_periods")) != 1 || len(list(o, "events")) != 4 {
			t.Errorf("observer export: confidential %v, %d periods, %d events", o["confidential_included"],
				len(list(o, "custody_periods")), len(list(o, "events")))
		}
		if orels := list(o, "relatives"); len(orels) != 1 || orels[0].(map[string]any)["id"] != sister["id"] ||
			orels[0].(map[string]any)["contact"] != nil || len(list(orels[0].(map[string]any), "consents")) != 3 {
			t.Errorf("observer relatives: %v", orels)
		}
		for _, ev := range list(o, "events") {
			if rid := ev.(map[string]any)["relative_id"]; rid != nil && rid != sister["id"] {
				t.Errorf("observer event linked to a relative they may not see: %v", ev)
			}
		}
		for _, secret := range []string{"wife: +1 555 0100", "source is his sister", "do not share", "Secret place", "confidential refusal", "wechat pj",
			wife["id"].(string), "罗胜春", "Luo Shengchun", "SPOUSE-PHONE-4417", "SPOUSE-ADDRESS-9", "SISTER-MAIL-2290"} {
			if bytes.Contains(oraw, []byte(secret)) {
				t.Errorf("observer export holds %q", secret)
			}
		}
		if r := src.Do(testkit.Request{Method: "GET", Path: "/api/v1" + base + "/export.json", Token: otherLawyer}); r.StatusCode != 404 {
			t.Errorf("lawyer not on the case: %d, want 404", r.StatusCode)
		}

		// The case list as CSV: the caller's cases, the list's filters,
		// formula-safe cells, audited.
		do(src, admin, "POST", "/cases", map[string]any{"detainee_id": det["id"], "title": "=HYPERLINK(\"http://x\")", "stage": "released"}, 201)
		rows := csvRows(t, src, admin, "")
		if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(caseexport.CSVColumns, ",") {
			t.Fatalf("admin CSV: %d rows, header %v", len(rows), rows[0])
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		var mine []string
		for _, r := range rows[1:] {
			if r[col["id"]] == caseID {
				mine = r
			} else if r[col["title"]] != "'=HYPERLINK(\"http://x\")" {
				t.Errorf("formula cell not guarded: %q", r[col["title"]])
			}
		}
		for k, want := range map[string]string{"reference": "(2021)鲁10刑初5号", "detainee_name": "丁家喜", "stage": "first_instance_trial",
			"charges": "art105_subversion", "detained_at": "2019-12-26", "assigned_lawyers": "1"} {
			if mine == nil || mine[col[k]] != want {
				t.Errorf("CSV %s: %v, want %q", k, mine, want)
			}
		}
		if rows := csvRows(t, src, admin, "?stage=first_instance_trial"); len(rows) != 2 {
			t.Errorf("stage filter: %d rows, want 2", len(rows))
		}
		if rows := csvRows(t, src, obsTok, ""); len(rows) != 2 || rows[1][0] != caseID {
			t.Errorf("observer CSV: %v, want the shared case only", rows)
		}
		if r := src.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/export.csv?stage=exile", Token: admin}); r.StatusCode != 400 ||
			!strings.Contains(string(r.Body), `"stage"`) {
			t.Errorf("bad filter: %d %s", r.StatusCode, r.Body)
		}
		for action, want := range map[string]int{"case.csv_export": 3, "case.json_export": 2} {
			if n := audited(t, src, action); n != want {
				t.Errorf("%s audited %d times, want %d", action, n, want)
			}
		}

		// Import into an empty server.
		dst := testkit.NewServer(t, testkit.NewDB(t, d.Dialect), nil)
		admin2, _ := testkit.UserToken(t, dst, actor.Coordinator)
		lawyer2, _ := testkit.UserToken(t, dst, actor.Lawyer)
		caseCount := func() float64 {
			t.Helper()
			return do(dst, admin2, "GET", "/cases", nil, 200)["total"].(float64)
		}
		imp := func(tok string, body []byte) *testkit.Response {
			t.Helper()
			return dst.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/import", Token: tok, Body: body,
				Header: http.Header{"Content-Type": {"application/json"}}})
		}
		if r := imp(lawyer2, raw); r.StatusCode != 403 {
			t.Errorf("lawyer import: %d, want 403", r.StatusCode)
		}
		// A bad field deep in the document: 400 naming its path, nothing stored.
		for path, mutate := range map[string]func(m map[string]any){
			"events[1].occurred_at":      func(m map[string]any) { list(m, "events")[1].(map[string]any)["occurred_at"] = "3 March" },
			"assignments[0].lawyer_id":   func(m map[string]any) { list(m, "assignments")[0].(map[string]any)["lawyer_id"] = "nobody" },
			"custody_periods[0].measure": func(m map[string]any) { list(m, "custody_periods")[0].(map[string]any)["measure"] = "exile" },
			"detainee.name":              func(m map[string]any) { m["detainee"].(map[string]any)["name"] = 5 },
			"schema":                     func(m map[string]any) { m["schema"] = "habeas.case-export/2" },
			"colour":                     func(m map[string]any) { m["colour"] = "blue" },
			"relatives[1].relation":      func(m map[string]any) { list(m, "relatives")[1].(map[string]any)["relation"] = "cousin-in-law" },
			"relatives[0].consents[1].status": func(m map[string]any) {
				list(list(m, "relatives")[0].(map[string]any), "consents")[1].(map[string]any)["status"] = "maybe"
			},
			"events[3].relative_id": func(m map[string]any) { list(m, "events")[3].(map[string]any)["relative_id"] = wife["detainee_id"] },
			"detainees[1].role":     func(m map[string]any) { list(m, "detainees")[1].(map[string]any)["role"] = "accomplice" },
		} {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			mutate(m)
			body, _ := json.Marshal(m)
			r := imp(admin2, body)
			if r.StatusCode != 400 || !strings.Contains(string(r.Body), `"`+path+`"`) {
				t.Errorf("%s: %d %s, want 400 naming it", path, r.StatusCode, r.Body)
			}
		}
		if n := caseCount(); n != 0 {
			t.Fatalf("refused imports stored %v cases", n)
		}
		// The target has the 709 campaign (same id), not the Xiamen one.
		if err := dst.App.Campaigns.DB.Create(&campaigns.Campaign{ID: camp709["id"].(string), Name: "709 crackdown", NameKey: "709 crackdown",
			Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}).Error; err != nil {
			t.Fatal(err)
		}
		r := imp(admin2, raw)
		if r.StatusCode != 201 {
			t.Fatalf("import: %d %s", r.StatusCode, r.Body)
		}
		var res struct {
			CaseID      string                              `json:"case_id"`
			Created     map[string]int                      `json:"created"`
			NotImported map[string]int                      `json:"not_imported"`
			Skipped     []struct{ Path, ID, Reason string } `json:"skipped"`
		}
		r.JSON(t, &res)
		skippedIn := func(prefix string) (out []struct{ Path, ID, Reason string }) {
			for _, k := range res.Skipped {
				if strings.HasPrefix(k.Path, prefix) {
					out = append(out, k)
				}
			}
			return out
		}
		if sc := skippedIn("campaigns["); res.Created["campaigns"] != 1 || len(sc) != 1 || sc[0].ID != campXM["id"] || !strings.Contains(sc[0].Reason, "Xiamen gathering") {
			t.Errorf("campaigns of the import: joined %d, skipped %+v", res.Created["campaigns"], res.Skipped)
		}
		// The other detainees do not exist in the empty server: skipped, named.
		if sd := skippedIn("detainees["); len(sd) != 2 || sd[0].ID != co1["id"] || sd[0].Path != "detainees[0].detainee_id" || !strings.Contains(sd[0].Reason, "许志永") || res.Created["case_detainees"] != 0 {
			t.Errorf("skipped links: %+v, created %d", res.Skipped, res.Created["case_detainees"])
		}
		if res.Created["events"] != 5 || res.Created["relatives"] != 2 || res.Created["relative_consents"] != 6 || res.NotImported["evidence"] != 1 || r.Header.Get("Location") != "/api/v1/cases/"+res.CaseID {
			t.Errorf("import answer: %+v %s", res, r.Header.Get("Location"))
		}
		if n := audited(t, dst, "case.import"); n != 1 {
			t.Errorf("case.import audited %d times, want 1", n)
		}
		b, _ := export(dst, admin2, "/cases/"+res.CaseID)
		if got := list(b, "campaigns"); len(got) != 1 || got[0].(map[string]any)["id"] != camp709["id"] {
			t.Errorf("campaigns of the imported case: %v", got)
		}
		if got := list(a, "campaigns"); len(got) != 2 {
			t.Errorf("campaigns exported: %v", got)
		}
		// The skipped campaign is the one difference (checked above).
		delete(a, "campaigns")
		delete(b, "campaigns")
		if len(list(b, "detainees")) != 0 {
			t.Errorf("links to absent detainees imported: %v", b["detainees"])
		}
		adet := a["detainees"]
		delete(a, "detainees")
		delete(b, "detainees")
		na, nb := normalize(a), normalize(b)
		compare(t, "", na, nb)
		// Imported where the detainees exist (the same Habeas): the links are recreated.
		a["detainees"] = adet
		r = src.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/import", Token: admin, Body: raw,
			Header: http.Header{"Content-Type": {"application/json"}}})
		res.Skipped = nil
		r.JSON(t, &res)
		if r.StatusCode != 201 || res.Created["case_detainees"] != 2 || len(res.Skipped) != 0 {
			t.Fatalf("import where the detainees exist: %d %s", r.StatusCode, r.Body)
		}
		c, _ := export(src, admin, "/cases/"+res.CaseID)
		for i, x := range list(c, "detainees") {
			want := list(a, "detainees")[i].(map[string]any)
			if xm := x.(map[string]any); xm["detainee_id"] != want["detainee_id"] || xm["role"] != want["role"] || xm["note"] != want["note"] {
				t.Errorf("recreated link %d: %v, want %v", i, xm, want)
			}
		}
	})
}

func csvRows(t *testing.T, s *testkit.Server, tok, query string) [][]string {
	t.Helper()
	r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/export.csv" + query, Token: tok})
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV export: %d %s", r.StatusCode, r.Body)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV export is not CSV: %v", err)
	}
	return rows
}

func audited(t *testing.T, s *testkit.Server, action string) int {
	t.Helper()
	p, err := s.App.Audit.List(context.Background(), audit.Filter{Action: action, Limit: audit.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Items)
}

func list(m map[string]any, key string) []any {
	l, _ := m[key].([]any)
	return l
}

// volatile are the keys whose values differ between a case and its import
// by design: ids, versions, authors, timestamps, computed and not imported
// sections.
var volatile = map[string]bool{"id": true, "case_id": true, "detainee_id": true, "version": true, "created_at": true,
	"updated_at": true, "created_by": true, "updated_by": true, "exported_at": true, "exported_by_role": true,
	"revisions": true, "evidence": true, "evidence_ids": true, "user_id": true, "requested_at": true}

// normalize drops the volatile keys and replaces each lawyer id by the
// lawyer's name and each custody period id by its position, so references
// compare by what they point to.
func normalize(doc map[string]any) map[string]any {
	names := map[string]any{}
	for _, l := range list(doc, "lawyers") {
		names[fmt.Sprint(l.(map[string]any)["id"])] = l.(map[string]any)["name"]
	}
	for _, r := range list(doc, "relatives") {
		names[fmt.Sprint(r.(map[string]any)["id"])] = "relative " + fmt.Sprint(r.(map[string]any)["name"])
	}
	for i, cp := range list(doc, "custody_periods") {
		names[fmt.Sprint(cp.(map[string]any)["id"])] = fmt.Sprintf("custody_periods[%d]", i)
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, e := range x {
				switch {
				case volatile[k]:
				case (k == "lawyer_id" || k == "period_id" || k == "relative_id") && e != nil && e != "":
					out[k] = names[fmt.Sprint(e)]
				default:
					out[k] = walk(e)
				}
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i := range x {
				out[i] = walk(x[i])
			}
			return out
		}
		return v
	}
	return walk(doc).(map[string]any)
}

// compare reports every path where a and b differ.
func compare(t *testing.T, path string, a, b any) {
	t.Helper()
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			t.Errorf("%s: %v vs %v", path, a, b)
			return
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			compare(t, path+"."+k, x[k], y[k])
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			t.Errorf("%s: %v vs %v", path, a, b)
			return
		}
		for i := range x {
			compare(t, fmt.Sprintf("%s[%d]", path, i), x[i], y[i])
		}
	default:
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %v (exported) vs %v (imported)", path, a, b)
		}
	}
}
