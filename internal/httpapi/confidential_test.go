package httpapi_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

// Confidential support actions, partners and lawyers (issue 25, item 3):
// one server per database, a legal-fee grant to the family (confidential by
// default), a lawyer who must not be named outside and a confidential
// partner on the fixture's own case (shared with the observer, whose
// partner the grant is assigned to). The matrix: who gets each object by
// id. Then every read path an observer has, each checked against the
// admin's answer (the control: the object is there for the admin), and the
// PDFs: text, raw bytes and metadata.
func TestConfidentialEverywhere(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		ctx, sup := context.Background(), e.s.App.Support
		grant := must(sup.CreateAction(ctx, e.admin(), own.caseID, support.ActionFields{Type: ptr("legal_fee_grant"),
			Addressee: ptr("FAMILY-GRANT-5150"), AssigneePartnerID: &e.partnerA, Amount: ptr("2000"), Currency: ptr("EUR")}))
		if !grant.Confidential {
			t.Fatal("a legal-fee grant is not confidential by default")
		}
		if plain := must(sup.GetAction(ctx, e.admin(), own.action)); plain.Confidential {
			t.Fatal("an embassy trial observation is confidential by default")
		}
		unnamed := must(e.svc.CreateLawyer(ctx, e.admin(), cases.LawyerFields{Name: ptr("UNNAMED-LAWYER-7702"), Confidential: ptr(true)}))
		asg := must(e.svc.CreateAssignment(ctx, e.admin(), own.caseID, cases.AssignmentCreate{LawyerID: unnamed.ID,
			AssignmentFields: cases.AssignmentFields{Role: ptr("family_retained")}}))
		quiet := must(sup.CreatePartner(ctx, e.admin(), support.PartnerFields{Name: ptr("QUIET-FUND-3391"), Kind: ptr("ngo"), Confidential: ptr(true)}))
		// An event the observer sees (not confidential) that names the
		// unnamed lawyer: its lawyer_id is null for the observer everywhere,
		// as for an event linked to a confidential relative.
		named := must(e.s.App.Timeline.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("meeting_denied"),
			OccurredAt: ptr("2024-03-05"), LawyerID: &unnamed.ID}))
		must(e.s.App.Timeline.UpdateEvent(ctx, e.admin(), own.caseID, named.ID, named.Version, timeline.EventFields{Place: ptr("Tianjin")}))
		secrets := []string{grant.ID, "FAMILY-GRANT-5150", unnamed.ID, "UNNAMED-LAWYER-7702", asg.ID, quiet.ID, "QUIET-FUND-3391"}

		t.Run("matrix", func(t *testing.T) {
			caseTeam := map[string]int{rAdmin: 200, rCoord: 200, rLawA: 200, rLawB: 404, rObsA: 404, rObsB: 404, rAnon: 401}
			managers := map[string]int{rAdmin: 200, rCoord: 200, rLawA: 404, rLawB: 404, rObsA: 404, rObsB: 404, rAnon: 401}
			for path, want := range map[string]map[string]int{
				"/api/v1/support-actions/" + grant.ID:                            caseTeam,
				"/api/v1/lawyers/" + unnamed.ID:                                  caseTeam,
				"/api/v1/cases/" + own.caseID + "/assignments/" + asg.ID:         caseTeam,
				"/api/v1/partners/" + quiet.ID:                                   managers,
				"/api/v1/support-actions/" + own.action:                          {rObsA: 200}, // the control: not confidential
				"/api/v1/cases/" + own.caseID + "/assignments/" + own.assignment: {rObsA: 200},
			} {
				for role, status := range want {
					if r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: e.users[role].token}); r.StatusCode != status {
						t.Errorf("%s GET %s: %d, want %d", role, path, r.StatusCode, status)
					}
				}
			}
		})

		t.Run("read paths", func(t *testing.T) {
			get := func(role, path string) string {
				r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: e.users[role].token})
				if r.StatusCode != 200 {
					t.Fatalf("%s GET %s: %d %s", role, path, r.StatusCode, r.Body)
				}
				return string(r.Body)
			}
			// Each read path, with what the admin's answer must hold (the control).
			for path, control := range map[string]string{
				"/api/v1/cases/" + own.caseID + "/support-actions":     grant.ID,
				"/api/v1/support-actions":                              grant.ID,
				"/api/v1/support-actions?type=legal_fee_grant":         grant.ID,
				"/api/v1/cases/" + own.caseID + "/timeline":            grant.ID,
				"/api/v1/lawyers":                                      unnamed.ID,
				"/api/v1/lawyers?q=UNNAMED-LAWYER":                     unnamed.ID,
				"/api/v1/cases/" + own.caseID + "/assignments":         unnamed.ID,
				"/api/v1/partners":                                     quiet.ID,
				"/api/v1/cases?lawyer_id=" + unnamed.ID:                own.caseID,
				"/api/v1/detainees?lawyer_id=" + unnamed.ID:            own.detainee,
				"/api/v1/detainees/export.csv?lawyer_id=" + unnamed.ID: "own 丁家喜",
				"/api/v1/deadlines?lawyer_id=" + unnamed.ID:            own.caseID,
				"/api/v1/cases/" + own.caseID + "/events/" + named.ID:  unnamed.ID, // the event and its revisions
				"/api/v1/cases/" + own.caseID + "/timeline?kind=event": unnamed.ID,
				"/api/v1/cases/" + own.caseID + "/export.json":         unnamed.ID,
			} {
				if !strings.Contains(get(rAdmin, path), control) {
					t.Errorf("admin GET %s: %s missing (the control)", path, control)
				}
				body := get(rObsA, path)
				for _, s := range secrets {
					if strings.Contains(body, s) {
						t.Errorf("observer GET %s: %q listed", path, s)
					}
				}
				// A filter by the unnamed lawyer finds nothing for the observer
				// (it would tell them which case the lawyer holds).
				if strings.Contains(path, "lawyer_id=") && strings.Contains(body, control) {
					t.Errorf("observer GET %s: the unnamed lawyer's case is found", path)
				}
			}
			// The counts: the grant is not counted for the observer.
			var pg struct {
				Summary support.Summary `json:"summary"`
			}
			e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/support-actions", Token: e.users[rObsA].token}).JSON(t, &pg)
			if pg.Summary.ByType["legal_fee_grant"] != 0 || pg.Summary.Total != 1 {
				t.Errorf("observer's board summary counts the grant: %+v", pg.Summary)
			}
			// Observers have no audit view at all.
			if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit", Token: e.users[rObsA].token}); r.StatusCode != 403 {
				t.Errorf("observer GET /audit: %d", r.StatusCode)
			}
		})

		t.Run("pdf", func(t *testing.T) {
			pdf := func(role, path string) (text string, raw []byte) {
				r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + path, Token: e.users[role].token})
				if r.StatusCode != 200 {
					t.Fatalf("%s %s: %d %s", role, path, r.StatusCode, r.Body)
				}
				return pdfText(t, r.Body), r.Body
			}
			names := []string{"FAMILY-GRANT-5150", "UNNAMED-LAWYER-7702"}
			meta := regexp.MustCompile(`(?m)^(Author|Creator|Subject|Keywords):\s+(.*)$`)
			for _, c := range []struct {
				role, path string
				internal   bool
			}{
				{rAdmin, "/dossier.pdf?audience=external&lang=bilingual", false},
				{rObsA, "/dossier.pdf?audience=external&lang=zh", false},
				{rCoord, "/wgad-draft.pdf", false},
				{rAdmin, "/dossier.pdf?audience=internal&lang=bilingual", true},
			} {
				text, raw := pdf(c.role, c.path)
				for _, s := range names {
					switch {
					case c.internal && !strings.Contains(text, s):
						t.Errorf("%s %s: %q missing from the internal dossier", c.role, c.path, s)
					case !c.internal && (strings.Contains(text, s) || bytes.Contains(raw, []byte(s)) || bytes.Contains(raw, utf16be(s))):
						t.Errorf("%s %s: %q printed", c.role, c.path, s)
					}
				}
				if c.internal && !strings.Contains(text, "[CONFIDENTIAL / 保密] Legal fee grant") {
					t.Errorf("internal dossier: the grant's row is not marked confidential")
				}
				fields := meta.FindAllStringSubmatch(text, -1)
				if len(fields) != 4 {
					t.Errorf("%s %s: metadata %v, want author, creator, subject and keywords", c.role, c.path, fields)
				}
				for _, f := range fields {
					if !strings.HasPrefix(f[2], "Habeas") {
						t.Errorf("%s %s: %s is %q, not the organisation", c.role, c.path, f[1], f[2])
					}
				}
				for _, m := range e.users {
					if bytes.Contains(raw, []byte(m.p.Email)) || bytes.Contains(raw, utf16be(m.p.Email)) ||
						(!c.internal && strings.Contains(text, m.p.Email)) {
						t.Errorf("%s %s: names the user %s", c.role, c.path, m.p.Email)
					}
				}
			}
		})

		t.Run("the observer's own partner marked confidential", func(t *testing.T) {
			path := "/api/v1/partners/" + e.partnerA
			if r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: e.users[rObsA].token}); r.StatusCode != 200 {
				t.Fatalf("before: %d", r.StatusCode)
			}
			v := must(sup.GetPartner(ctx, e.admin(), e.partnerA))
			must(sup.UpdatePartner(ctx, e.admin(), e.partnerA, v.Version, support.PartnerFields{Confidential: ptr(true)}))
			if r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: e.users[rObsA].token}); r.StatusCode != 404 {
				t.Errorf("after: %d, want 404", r.StatusCode)
			}
			// The (not confidential) action assigned to it no longer names it.
			r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/support-actions/" + own.action, Token: e.users[rObsA].token})
			if r.StatusCode != 200 || strings.Contains(string(r.Body), "Embassy A") {
				t.Errorf("observer's action: %d %s", r.StatusCode, r.Body)
			}
		})
	})
}

// utf16be is s as the UTF-16 big-endian bytes PDF text strings use.
func utf16be(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}
