package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// limitsOf answers the limits of a case by rule (the first of each rule),
// in the language asked for.
func limitsOf(t *testing.T, e *env, caseID, acceptLanguage string) map[string]map[string]any {
	t.Helper()
	r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + caseID + "/deadlines", Token: e.users[rCoord].token,
		Header: http.Header{"Accept-Language": {acceptLanguage}}})
	if r.StatusCode != 200 {
		t.Fatalf("deadlines: %d %s", r.StatusCode, r.Body)
	}
	var body struct{ Items []map[string]any }
	r.JSON(t, &body)
	out := map[string]map[string]any{}
	for _, it := range body.Items {
		if rule := it["rule"].(string); out[rule] == nil {
			out[rule] = it
		}
	}
	return out
}

// The chronologies of issue 19 that made Habeas assert violations its
// record did not prove, through the API on each database: the limits are
// computed from what was stored (key dates, custody periods, events).
func TestLimitsNamedChronologies(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		admin := e.users[rAdmin].token
		e.s.App.Deadlines.SetClock(func() time.Time { return time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC) })
		newCase := func(t *testing.T, body map[string]any) string {
			t.Helper()
			body["detainee_id"] = own.detainee
			r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases", Token: admin, Body: body})
			if r.StatusCode != 201 {
				t.Fatalf("create case: %d %s", r.StatusCode, r.Body)
			}
			var c struct{ ID string }
			r.JSON(t, &c)
			return c.ID
		}
		post := func(t *testing.T, path string, body map[string]any) {
			t.Helper()
			if r := e.s.Do(testkit.Request{Method: "POST", Path: path, Token: admin, Body: body}); r.StatusCode != 201 {
				t.Fatalf("POST %s: %d %s", path, r.StatusCode, r.Body)
			}
		}

		t.Run("later arrest date", func(t *testing.T) {
			id := newCase(t, map[string]any{"detained_at": "2015-08-03", "rsdl_start_at": "2015-08-04"})
			if a := limitsOf(t, e, id, "en")["arrest_approval"]; a["status"] != "met" || a["met_at"] != "2015-08-04" {
				t.Fatalf("before the arrest date: %v", a)
			}
			r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/cases/" + id, Token: admin, Header: http.Header{"If-Match": {`"1"`}},
				Body: map[string]any{"arrest_approved_at": "2016-01-08"}})
			if r.StatusCode != 200 {
				t.Fatalf("PATCH: %d %s", r.StatusCode, r.Body)
			}
			if a := limitsOf(t, e, id, "en")["arrest_approval"]; a["status"] != "met" || a["met_at"] != "2015-08-04" {
				t.Errorf("a later arrest date changed Art. 91: %v, want met on 2015-08-04", a)
			}
			if a := limitsOf(t, e, id, "zh-CN,zh;q=0.9")["arrest_approval"]; !strings.Contains(a["basis"].(string), "《中华人民共和国刑事诉讼法》第九十一条") {
				t.Errorf("Chinese basis: %v", a["basis"])
			}
		})
		t.Run("counting after release", func(t *testing.T) {
			id := newCase(t, map[string]any{"arrest_approved_at": "2019-01-10", "release_at": "2020-06-01"})
			post(t, "/api/v1/cases/"+id+"/events", map[string]any{"type": "meeting_requested", "occurred_at": "2019-03-01"})
			m := limitsOf(t, e, id, "en")["lawyer_meeting"]
			if m["status"] != "overdue" || m["days_overdue"] != float64(456) {
				t.Errorf("lawyer meeting: %v, want overdue by 456 days (to the release, not to today)", m)
			}
		})
		t.Run("missing arrest date", func(t *testing.T) {
			id := newCase(t, map[string]any{"detained_at": "2014-01-15", "verdict_at": "2014-09-23", "sentence_kind": "life",
				"charges": []map[string]any{{"charge": "art103_splittism"}}})
			ls := limitsOf(t, e, id, "en")
			if a := ls["arrest_approval"]; a["status"] != "unknown" || !strings.Contains(a["missing"].(string), "arrest") {
				t.Errorf("Art. 91: %v, want unknown naming the arrest date", a)
			}
			for rule, it := range ls {
				if it["status"] == "overdue" {
					t.Errorf("%s asserted overdue on a record that does not prove it: %v", rule, it)
				}
				if n, ok := it["days_overdue"].(float64); ok && n > 300 {
					t.Errorf("%s: %v days overdue", rule, n)
				}
			}
		})
		t.Run("unlogged extensions", func(t *testing.T) {
			id := newCase(t, map[string]any{"arrest_approved_at": "2024-01-10"})
			if ic := limitsOf(t, e, id, "en")["investigation_custody"]; ic["status"] != "overdue_unless_extended" {
				t.Errorf("investigation custody with no extension logged: %v, want overdue_unless_extended", ic)
			}
		})
		t.Run("straight into RSDL", func(t *testing.T) {
			id := newCase(t, map[string]any{})
			post(t, "/api/v1/cases/"+id+"/custody-periods", map[string]any{"measure": "rsdl", "started_at": "2026-05-15",
				"facility": map[string]any{"kind": "rsdl_site", "city": "Beijing"}})
			ls := limitsOf(t, e, id, "en")
			for _, rule := range []string{"family_notice_detention", "transfer_detention_centre", "arrest_approval"} {
				if it, ok := ls[rule]; ok && it["status"] != "not_applicable" {
					t.Errorf("%s applied to someone never in criminal detention: %v", rule, it)
				}
			}
			if it := ls["rsdl_max"]; it["status"] != "pending" {
				t.Errorf("rsdl_max: %v, want pending", it)
			}
		})
	})
}
