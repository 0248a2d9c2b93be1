package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/lang"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Custody periods over HTTP (issue 19): the contract of each verb, field
// errors naming the field with nothing stored, If-Match, confidentiality
// towards observers, and the case's key dates kept in step.
func TestCustodyPeriodsHTTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		admin, lawyer, obs := e.users[rAdmin].token, e.users[rLawA].token, e.users[rObsA].token
		base := "/api/v1/cases/" + own.caseID + "/custody-periods"
		count := func() int {
			t.Helper()
			r := e.s.Do(testkit.Request{Method: "GET", Path: base, Token: admin})
			var pg page
			r.JSON(t, &pg)
			return pg.Total
		}
		before := count()

		// Refused bodies name the field and store nothing.
		for field, body := range map[string]map[string]any{
			"measure":       {"started_at": "2015-08-03"},
			"started_at":    {"measure": "rsdl"},
			"ended_at":      {"measure": "rsdl", "started_at": "2015-08-04", "ended_at": "2015-08-03"},
			"facility.kind": {"measure": "rsdl", "started_at": "2015-08-04", "facility": map[string]any{"kind": "hotel"}},
			"facility.door": {"measure": "rsdl", "started_at": "2015-08-04", "facility": map[string]any{"door": "red"}},
		} {
			r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: lawyer, Body: body})
			if r.StatusCode != 400 || !strings.Contains(string(r.Body), `"`+field+`"`) {
				t.Errorf("%s: %d %s, want 400 naming it", field, r.StatusCode, r.Body)
			}
		}
		if n := count(); n != before {
			t.Fatalf("refused requests stored periods: %d, was %d", n, before)
		}

		// Create: 201 with Location and ETag; key dates follow.
		r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: lawyer, Body: map[string]any{
			"measure": "criminal_detention", "started_at": "2015-08-03", "ended_at": "2015-08-04",
			"facility":  map[string]any{"name": "天津市公安局", "kind": "police_station", "city": "天津", "province": "天津"},
			"authority": "Tianjin PSB", "source": "China Change", "source_reliability": "B"}})
		if r.StatusCode != 201 || r.Header.Get("ETag") != `"1"` || !strings.HasPrefix(r.Header.Get("Location"), "/api/v1"+strings.TrimPrefix(base, "/api/v1")+"/") {
			t.Fatalf("create: %d %s %s %s", r.StatusCode, r.Header.Get("ETag"), r.Header.Get("Location"), r.Body)
		}
		var cp struct {
			ID       string
			Facility struct{ Kind string }
			EndedAt  *string `json:"ended_at"`
		}
		r.JSON(t, &cp)
		if cp.Facility.Kind != "police_station" || cp.EndedAt == nil || *cp.EndedAt != "2015-08-04" {
			t.Errorf("created: %s", r.Body)
		}
		var k map[string]any
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID, Token: admin}).JSON(t, &k)
		if k["detained_at"] != "2015-08-03" {
			t.Errorf("detained_at %v, want 2015-08-03 (the earliest criminal detention)", k["detained_at"])
		}

		// A confidential period: no key date moves, observers do not see it.
		r = e.s.Do(testkit.Request{Method: "POST", Path: base, Token: admin, Body: map[string]any{
			"measure": "criminal_detention", "started_at": "2015-07-01", "confidential": true, "notes": "from a source at risk"}})
		if r.StatusCode != 201 {
			t.Fatalf("confidential create: %d %s", r.StatusCode, r.Body)
		}
		var secret struct{ ID string }
		r.JSON(t, &secret)
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID, Token: admin}).JSON(t, &k)
		if k["detained_at"] != "2015-08-03" {
			t.Errorf("a confidential period moved detained_at to %v", k["detained_at"])
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: base + "/" + secret.ID, Token: obs}); r.StatusCode != 404 {
			t.Errorf("observer GET confidential period: %d", r.StatusCode)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: base, Token: obs})
		if r.StatusCode != 200 || strings.Contains(string(r.Body), secret.ID) || strings.Contains(string(r.Body), "source at risk") {
			t.Errorf("observer list: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: base + "/" + secret.ID, Token: lawyer}); r.StatusCode != 200 {
			t.Errorf("lawyer GET confidential period: %d", r.StatusCode)
		}

		// PATCH and DELETE need the current version.
		path := base + "/" + cp.ID
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: path, Token: lawyer, Body: map[string]any{"notes": "x"}}); r.StatusCode != 400 {
			t.Errorf("PATCH without If-Match: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: path, Token: lawyer, Body: map[string]any{"notes": "x"}, Header: http.Header{"If-Match": {`"2"`}}}); r.StatusCode != 412 {
			t.Errorf("stale PATCH: %d", r.StatusCode)
		}
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: path, Token: lawyer, Body: map[string]any{"ended_at": "", "facility": map[string]any{"kind": "detention_centre"}},
			Header: http.Header{"If-Match": {`"1"`}}})
		if r.StatusCode != 200 || r.Header.Get("ETag") != `"2"` || !strings.Contains(string(r.Body), `"ended_at":null`) {
			t.Fatalf("PATCH: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: path, Token: lawyer}); r.StatusCode != 400 {
			t.Errorf("DELETE without If-Match: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: path, Token: lawyer, Header: http.Header{"If-Match": {`"1"`}}}); r.StatusCode != 412 {
			t.Errorf("stale DELETE: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: path, Token: obs, Header: http.Header{"If-Match": {`"2"`}}}); r.StatusCode != 403 {
			t.Errorf("observer DELETE: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: path, Token: lawyer, Header: http.Header{"If-Match": {`"2"`}}}); r.StatusCode != 204 {
			t.Errorf("DELETE: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: admin}); r.StatusCode != 404 {
			t.Errorf("deleted period: %d", r.StatusCode)
		}
	})
}

// Existing clients: a case without periods takes its key dates as before,
// and the new case and detainee fields go through the API (the observer
// without who consented).
func TestCaseKeyDatesAndSentenceHTTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		admin, obs := e.users[rAdmin].token, e.users[rObsA].token
		own, _ := e.fixture(t)
		// A case of its own, without periods.
		r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases", Token: admin, Body: map[string]any{"detainee_id": own.detainee, "detained_at": "2019-12-26"}})
		if r.StatusCode != 201 {
			t.Fatalf("create case: %d %s", r.StatusCode, r.Body)
		}
		var k map[string]any
		r.JSON(t, &k)
		id := k["id"].(string)
		if k["expected_release_at"] != nil || fmt.Sprint(k["expected_release_basis"]) != "[no sentence recorded]" || k["sentence_term_months"] != nil {
			t.Errorf("new case: %s", r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/cases/" + id, Token: admin, Header: http.Header{"If-Match": {`"1"`}},
			Body: map[string]any{"detained_at": "2019-12-27", "arrest_approved_at": "2020-06-19", "release_at": ""}})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"detained_at":"2019-12-27"`) || !strings.Contains(string(r.Body), `"arrest_approved_at":"2020-06-19"`) {
			t.Fatalf("PATCH key dates: %d %s", r.StatusCode, r.Body)
		}
		// Sentence: refused values name the field; nothing changes.
		for field, body := range map[string]map[string]any{
			"sentence_term_months": {"sentence_kind": "fixed_term", "sentence_term_months": 601},
			"sentence_kind":        {"sentence_kind": "forever"},
			"un_consent_method":    {"un_consent_method": "pigeon"},
		} {
			r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/cases/" + id, Token: admin, Header: http.Header{"If-Match": {`"2"`}}, Body: body})
			if r.StatusCode != 400 || !strings.Contains(string(r.Body), `"`+field+`"`) {
				t.Errorf("%s: %d %s", field, r.StatusCode, r.Body)
			}
		}
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/cases/" + id, Token: admin, Header: http.Header{"If-Match": {`"2"`}},
			Body: map[string]any{"sentence_term_months": "ten"}}); r.StatusCode != 400 {
			t.Errorf("a term in words: %d", r.StatusCode)
		}
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/cases/" + id, Token: admin, Header: http.Header{"If-Match": {`"2"`}}, Body: map[string]any{
			"sentence_kind": "fixed_term", "sentence_term_months": 144, "political_rights_months": 36, "sentence_in_force_at": "2023-04-10",
			"un_consent_by": "Luo Shengchun (wife)", "un_consent_at": "2023-05", "un_consent_method": "written"}})
		if r.StatusCode != 200 || r.Header.Get("ETag") != `"3"` || !strings.Contains(string(r.Body), `"sentence_term_months":144`) {
			t.Fatalf("PATCH sentence: %d %s", r.StatusCode, r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/cases/" + id, Token: admin, Header: http.Header{"If-Match": {`"3"`}}, Body: map[string]any{"political_rights_months": nil}})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"political_rights_months":null`) || !strings.Contains(string(r.Body), `"sentence_term_months":144`) {
			t.Errorf("null clears: %d %s", r.StatusCode, r.Body)
		}
		must(e.svc.CreateShare(context.Background(), e.admin(), id, cases.ShareCreate{UserID: e.users[rObsA].p.UserID}))
		r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + id, Token: obs})
		if r.StatusCode != 200 || strings.Contains(string(r.Body), "un_consent_by") || strings.Contains(string(r.Body), "Luo Shengchun") || !strings.Contains(string(r.Body), `"un_consent_method":"written"`) {
			t.Errorf("observer case: %d %s", r.StatusCode, r.Body)
		}
		// Nationality on the detainee.
		v := e.version(t, "detainee", own)
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/detainees/" + own.detainee, Token: admin, Header: http.Header{"If-Match": {fmt.Sprintf(`"%d"`, v)}},
			Body: map[string]any{"nationality": "China"}})
		if r.StatusCode != 200 || !strings.Contains(string(r.Body), `"nationality":"China"`) {
			t.Errorf("nationality: %d %s", r.StatusCode, r.Body)
		}
		// The vocabularies of issue 19 are served with the others.
		r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/vocabularies", Token: obs})
		for _, want := range []string{`"custody_measures"`, `"sentence_kinds"`, `"consent_methods"`, `"value":"home"`, `"value":"sentence_commuted"`, `"value":"un_submission"`} {
			if !strings.Contains(string(r.Body), want) {
				t.Errorf("vocabularies lack %s", want)
			}
		}
	})
}

// Every request carries the language of its Accept-Language header.
func TestRequestLanguage(t *testing.T) {
	s := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), nil, app.WithExtraRoutes(func(r *gin.Engine) {
		r.GET("/test/lang", func(c *gin.Context) { c.String(http.StatusOK, string(lang.From(c.Request.Context()))) })
	}))
	for header, want := range map[string]string{"": "en", "zh-CN,zh;q=0.9,en;q=0.8": "zh", "en-GB": "en", "fr, zh-TW;q=0.5": "zh"} {
		r := s.Do(testkit.Request{Method: "GET", Path: "/test/lang", Header: http.Header{"Accept-Language": {header}}})
		if string(r.Body) != want {
			t.Errorf("Accept-Language %q: %q, want %q", header, r.Body, want)
		}
		if !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Accept-Language") {
			t.Errorf("no Vary: Accept-Language")
		}
	}
}
