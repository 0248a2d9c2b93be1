package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// UN communications over HTTP (issue 25): the 60-day default reply date,
// field errors naming the field with nothing stored, need-to-know as the
// case (an unassigned lawyer gets 404), observers on a shared case see the
// non-confidential ones only, every write audited, If-Match, and the reply
// clock in the case's time limits and the dashboard.
func TestUNCommunicationsHTTP(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		admin, lawyer, other, obs := e.users[rAdmin].token, e.users[rLawA].token, e.users[rLawB].token, e.users[rObsA].token
		base := "/api/v1/cases/" + own.caseID + "/un-communications"
		count := func() int {
			t.Helper()
			r := e.s.Do(testkit.Request{Method: "GET", Path: base, Token: admin})
			var pg page
			r.JSON(t, &pg)
			return pg.Total
		}
		before, audited := count(), auditCount(t, e.s, "un_communication.create", audit.OK)

		// Refused bodies name the field and store nothing.
		for field, body := range map[string]map[string]any{
			"kind":           {"reference": "UA CHN 5/2024"},
			"kind ":          {"kind": "petition"},
			"reply_due_at":   {"kind": "wgad_urgent", "transmitted_at": "2024-03-01", "reply_due_at": "2024-02-28"},
			"replied_at":     {"kind": "wgad_urgent", "transmitted_at": "2024-03-01", "replied_at": "2024-02-01"},
			"transmitted_at": {"kind": "wgad_regular", "submitted_at": "2024-03-02", "transmitted_at": "2024-03-01"},
			"opinion_number": {"kind": "wgad_regular", "opinion_number": "sixty-two"},
			"submitted_at":   {"kind": "wgad_regular", "submitted_at": "1 March 2024"},
			"colour":         {"kind": "wgad_regular", "colour": "blue"},
		} {
			field = strings.TrimSpace(field)
			r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: lawyer, Body: body})
			if r.StatusCode != 400 || !strings.Contains(string(r.Body), `"`+field+`"`) {
				t.Errorf("%s: %d %s, want 400 naming it", field, r.StatusCode, r.Body)
			}
		}
		if n := count(); n != before {
			t.Fatalf("refused requests stored communications: %d, was %d", n, before)
		}

		// Need-to-know: a lawyer not assigned to the case finds nothing.
		if r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: other, Body: map[string]any{"kind": "wgad_urgent"}}); r.StatusCode != 404 {
			t.Errorf("unassigned lawyer create: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: base, Token: other}); r.StatusCode != 404 {
			t.Errorf("unassigned lawyer list: %d", r.StatusCode)
		}

		// Create: reply due 60 days after transmission by default.
		// Days are counted in China Standard Time, as the time limits are.
		today := time.Now().In(civil.CST)
		transmitted := today.AddDate(0, 0, -10).Format(time.DateOnly)
		r := e.s.Do(testkit.Request{Method: "POST", Path: base, Token: lawyer, Body: map[string]any{
			"kind": "wgad_urgent", "reference": "UA CHN 5/2024", "body": "WGAD; SR on human rights defenders",
			"transmitted_at": transmitted, "opinion_number": "No. 62/2018"}})
		if r.StatusCode != 201 || r.Header.Get("ETag") != `"1"` || !strings.HasPrefix(r.Header.Get("Location"), base+"/") {
			t.Fatalf("create: %d %s %s %s", r.StatusCode, r.Header.Get("ETag"), r.Header.Get("Location"), r.Body)
		}
		var u struct {
			ID            string
			ReplyDueAt    *string `json:"reply_due_at"`
			OpinionNumber string  `json:"opinion_number"`
		}
		r.JSON(t, &u)
		wantDue := today.AddDate(0, 0, 50).Format(time.DateOnly)
		if u.ReplyDueAt == nil || *u.ReplyDueAt != wantDue || u.OpinionNumber != "62/2018" {
			t.Errorf("created: %s, want reply_due_at %s and opinion 62/2018", r.Body, wantDue)
		}
		if n := auditCount(t, e.s, "un_communication.create", audit.OK); n != audited+1 {
			t.Errorf("audited creations %d, want %d", n, audited+1)
		}

		// The reply clock is a time limit of the case and of the dashboard.
		clock := deadlinesOf(t, e.s, lawyer, "/api/v1/cases/"+own.caseID+"/deadlines")[own.caseID+" un_government_reply"]
		if clock.Status != "pending" || clock.DaysRemaining == nil || *clock.DaysRemaining != 50 || strings.Contains(clock.Basis, "CPL") {
			t.Errorf("reply clock %+v, want pending in 50 days, not resting on the CPL", clock)
		}
		if _, ok := deadlinesOf(t, e.s, e.users[rCoord].token, "/api/v1/deadlines")[own.caseID+" un_government_reply"]; !ok {
			t.Error("the dashboard lacks the reply clock")
		}

		// A confidential communication: observers neither see it nor its clock.
		r = e.s.Do(testkit.Request{Method: "POST", Path: base, Token: admin, Body: map[string]any{
			"kind": "special_procedures", "reference": "AL CHN 9/2024", "transmitted_at": "2024-01-05", "confidential": true,
			"follow_up": "source at risk"}})
		if r.StatusCode != 201 {
			t.Fatalf("confidential create: %d %s", r.StatusCode, r.Body)
		}
		var secret struct{ ID string }
		r.JSON(t, &secret)
		if r := e.s.Do(testkit.Request{Method: "GET", Path: base + "/" + secret.ID, Token: obs}); r.StatusCode != 404 {
			t.Errorf("observer GET confidential communication: %d", r.StatusCode)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: base, Token: obs})
		if r.StatusCode != 200 || strings.Contains(string(r.Body), secret.ID) || strings.Contains(string(r.Body), "AL CHN 9/2024") || !strings.Contains(string(r.Body), u.ID) {
			t.Errorf("observer list: %d %s", r.StatusCode, r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/deadlines", Token: obs})
		if strings.Contains(string(r.Body), "AL CHN 9/2024") || !strings.Contains(string(r.Body), "UA CHN 5/2024") {
			t.Errorf("observer time limits: %s", r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/deadlines", Token: admin})
		if !strings.Contains(string(r.Body), "no reply recorded by") {
			t.Errorf("the passed clock does not say no reply is recorded: %s", r.Body)
		}

		// PATCH: record the reply (If-Match); the clock is met.
		path := base + "/" + u.ID
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: path, Token: lawyer, Body: map[string]any{"replied_at": transmitted}}); r.StatusCode != 400 {
			t.Errorf("PATCH without If-Match: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: path, Token: lawyer, Header: http.Header{"If-Match": {`"1"`}},
			Body: map[string]any{"replied_at": "2000-01-01"}}); r.StatusCode != 400 || !strings.Contains(string(r.Body), `"replied_at"`) {
			t.Errorf("reply before transmission: %d %s", r.StatusCode, r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "PATCH", Path: path, Token: lawyer, Header: http.Header{"If-Match": {`"1"`}},
			Body: map[string]any{"replied_at": transmitted, "reply_summary": "the government denies detention"}})
		if r.StatusCode != 200 || r.Header.Get("ETag") != `"2"` {
			t.Fatalf("PATCH: %d %s", r.StatusCode, r.Body)
		}
		if c := deadlinesOf(t, e.s, lawyer, "/api/v1/cases/"+own.caseID+"/deadlines")[own.caseID+" un_government_reply"]; c.Status != "met" {
			t.Errorf("replied clock %+v, want met", c)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: path, Token: obs, Header: http.Header{"If-Match": {`"2"`}}}); r.StatusCode != 403 {
			t.Errorf("observer DELETE: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: path, Token: lawyer, Header: http.Header{"If-Match": {`"1"`}}}); r.StatusCode != 412 {
			t.Errorf("stale DELETE: %d", r.StatusCode)
		}
		if r := e.s.Do(testkit.Request{Method: "DELETE", Path: path, Token: lawyer, Header: http.Header{"If-Match": {`"2"`}}}); r.StatusCode != 204 {
			t.Errorf("DELETE: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: admin}); r.StatusCode != 404 {
			t.Errorf("deleted communication: %d", r.StatusCode)
		}
		if n := auditCount(t, e.s, "un_communication.delete", audit.OK); n != 1 {
			t.Errorf("audited deletions %d, want 1", n)
		}
	})
}

// The UN history in the documents (issue 25): the internal dossier and the
// WGAD draft list the communications with their reply and opinion; a
// passed reply day reads "no reply recorded by"; the external dossier an
// observer exports holds no confidential communication.
func TestUNCommunicationsInDocuments(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		ctx := context.Background()
		must(e.svc.CreateUNCommunication(ctx, e.admin(), own.caseID, cases.UNCommunicationFields{Kind: ptr("wgad_urgent"),
			Reference: ptr("UA CHN 5/2024"), Body: ptr("WGAD"), TransmittedAt: ptr("2024-03-01")}))
		must(e.svc.CreateUNCommunication(ctx, e.admin(), own.caseID, cases.UNCommunicationFields{Kind: ptr("wgad_regular"),
			Reference: ptr("CHN 3/2018"), TransmittedAt: ptr("2018-05-02"), RepliedAt: ptr("2018-06-20"), OpinionNumber: ptr("62/2018"), OpinionDate: ptr("2018-11-20")}))
		must(e.svc.CreateUNCommunication(ctx, e.admin(), own.caseID, cases.UNCommunicationFields{Kind: ptr("special_procedures"),
			Reference: ptr("AL CHN 9/2024"), TransmittedAt: ptr("2024-01-05"), Confidential: ptr(true)}))
		get := func(token, path string) string {
			t.Helper()
			r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + path, Token: token})
			if r.StatusCode != 200 {
				t.Fatalf("%s: %d %s", path, r.StatusCode, r.Body)
			}
			return strings.Join(strings.Fields(pdfText(t, r.Body)), " ")
		}
		internal := get(e.users[rCoord].token, "/dossier.pdf?audience=internal&lang=en")
		for _, want := range []string{"UN communications", "UA CHN 5/2024", "no reply recorded by 2024-04-30", "AL CHN 9/2024", "Opinion No. 62/2018", "replied 2018-06-20"} {
			if !strings.Contains(internal, want) {
				t.Errorf("internal dossier lacks %q", want)
			}
		}
		external := get(e.users[rObsA].token, "/dossier.pdf?audience=external&lang=en")
		if !strings.Contains(external, "UA CHN 5/2024") || strings.Contains(external, "AL CHN 9/2024") {
			t.Errorf("external dossier: UA present %v, confidential AL present %v", strings.Contains(external, "UA CHN 5/2024"), strings.Contains(external, "AL CHN 9/2024"))
		}
		wgad := get(e.users[rCoord].token, "/wgad-draft.pdf?lang=en")
		if strings.Contains(wgad, "AL CHN 9/2024") {
			t.Error("the WGAD draft (external content) prints a confidential communication")
		}
		for _, want := range []string{"UN communications on this case", "UA CHN 5/2024", "Opinion No. 62/2018"} {
			if !strings.Contains(wgad, want) {
				t.Errorf("WGAD draft lacks %q", want)
			}
		}
	})
}
