package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/dossier"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

// dossierRule: the external dossier for whoever sees the case; the internal
// one and the WGAD draft for those who read confidential fields (observers: 403).
func dossierRule(internal bool) func(string, bool) int {
	return func(role string, own bool) int {
		switch {
		case !sees(role, own):
			return 404
		case internal && role == rObsA:
			return 403
		default:
			return 200
		}
	}
}

// dossierRoutes are the PDF exports in the one access matrix (access_matrix_test.go):
// the external dossier (the default audience) for whoever sees the case, the
// WGAD draft for those who read confidential fields (observers: 403).
func dossierRoutes() []route {
	return []route{
		{"export the external dossier (PDF)", "GET", "/cases/:id/dossier.pdf", nil, "", dossierRule(false), ""},
		{"export the WGAD petition draft (PDF)", "GET", "/cases/:id/wgad-draft.pdf", nil, "", dossierRule(true), ""},
		{"export the WGAD petition draft (editable ODT)", "GET", "/cases/:id/wgad-draft.odt", nil, "", dossierRule(true), ""},
	}
}

// TestDossierAccessMatrix: the internal dossier for every role x {own,
// foreign} (the other exports are in the one access matrix), what a 200 and
// a 403 hold, and bad parameters.
func TestDossierAccessMatrix(t *testing.T) {
	paths := []struct {
		path   string
		expect func(string, bool) int
	}{
		{"/dossier.pdf?audience=internal", dossierRule(true)},
		{"/dossier.pdf?audience=external&lang=bilingual", dossierRule(false)},
		{"/wgad-draft.pdf?lang=zh", dossierRule(true)},
	}
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, foreign := e.fixture(t)
		for _, rt := range paths {
			for _, role := range matrixRoles {
				for _, isOwn := range []bool{true, false} {
					o := foreign
					if isOwn {
						o = own
					}
					want := 401
					if role != rAnon {
						want = rt.expect(role, isOwn)
					}
					r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + o.caseID + rt.path, Token: e.users[role].token})
					if r.StatusCode != want {
						t.Errorf("%s as %s (own %v): %d, want %d: %.200s", rt.path, role, isOwn, r.StatusCode, want, r.Body)
						continue
					}
					if want == 200 && (r.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.Body, []byte("%PDF-"))) {
						t.Errorf("%s as %s: not a PDF: %s", rt.path, role, r.Header.Get("Content-Type"))
					}
					if want == 403 && !strings.Contains(string(r.Body), "_forbidden") {
						t.Errorf("%s as %s: %s", rt.path, role, r.Body)
					}
				}
			}
		}
		for _, q := range []string{"?audience=everyone", "?lang=fr"} {
			if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/dossier.pdf" + q, Token: e.users[rAdmin].token}); r.StatusCode != 400 {
				t.Errorf("%s: %d, want 400", q, r.StatusCode)
			}
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/not-a-uuid/dossier.pdf", Token: e.users[rAdmin].token}); r.StatusCode != 404 {
			t.Errorf("malformed id: %d", r.StatusCode)
		}
	})
}

// uploadEvidence adds an evidence item through the API.
func uploadEvidence(t *testing.T, e *env, caseID, title string, confidential bool) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("title", title)
	_ = mw.WriteField("confidential", fmt.Sprint(confidential))
	fw, _ := mw.CreateFormFile("file", "note.txt")
	_, _ = fw.Write([]byte("content of " + title))
	_ = mw.Close()
	h := http.Header{}
	h.Set("Content-Type", mw.FormDataContentType())
	r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + caseID + "/evidence", Token: e.users[rAdmin].token, Body: b.Bytes(), Header: h})
	if r.StatusCode != 201 {
		t.Fatalf("upload: %d %s", r.StatusCode, r.Body)
	}
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext not found: install poppler-utils (scripts/ensure-fonts.sh does); this check must not be skipped")
	}
	path := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	info, err := exec.Command(strings.TrimSuffix(bin, "pdftotext")+"pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v %s", err, info)
	}
	return strings.Join(strings.Fields(string(out)), " ") + "\n" + string(info)
}

var docIDRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestDossierContentAndAudit: what the internal and external versions hold,
// and the audit entry written for each export with the id on the cover.
func TestDossierContentAndAudit(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		ctx := context.Background()
		v := e.version(t, "detainee", own)
		if _, err := e.svc.UpdateDetainee(ctx, e.admin(), own.detainee, v, cases.DetaineeFields{
			OtherNames:     &[]cases.OtherName{{Name: "丁家喜", Kind: "simplified"}, {Name: "丁家囍", Kind: "traditional"}, {Name: "Ding Jiaxi", Kind: "pinyin"}},
			FamilyContacts: ptr("wife: FAMILY-SECRET-1234"), ConfidentialNotes: ptr("NOTE-SECRET-5678"),
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.App.Support.CreateAction(ctx, e.admin(), own.caseID, support.ActionFields{
			Type: ptr("embassy_trial_observation"), Priority: ptr("high"), Addressee: ptr("Embassy of Ruritania"), RequestedAt: ptr("2019-12-01"), DueAt: ptr("2020-01-15"),
			Description: ptr("ACTION-DESCRIPTION-3456")}); err != nil {
			t.Fatalf("%v %v", err, err.(*apperr.Error).Fields)
		}
		uploadEvidence(t, e, own.caseID, "Public indictment", false)
		uploadEvidence(t, e, own.caseID, "EVIDENCE-SECRET-9012", true)
		tl := e.s.App.Timeline
		must(tl.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("meeting_denied"), OccurredAt: ptr("2020-03-05"),
			Description: ptr("EVENT-PUBLIC-7777 meeting refused")}))
		must(tl.CreateEvent(ctx, e.admin(), own.caseID, timeline.EventFields{Type: ptr("other"), OccurredAt: ptr("2020-04"),
			Description: ptr("EVENT-SECRET-4321"), Confidential: ptr(true)}))
		must(tl.CreateHearing(ctx, e.admin(), own.caseID, timeline.HearingFields{ScheduledAt: ptr("2020-06-01T09:30:00+08:00"),
			Type: ptr("trial"), Court: ptr("HEARING-COURT-2468")}))
		// Relatives (issue 25): the fixture's relative 罗胜春 is not
		// confidential (its contact is); this one is, by default.
		must(e.svc.CreateRelative(ctx, e.admin(), own.detainee, cases.RelativeFields{Relation: ptr("sibling"), Name: ptr("RELATIVE-SECRET-NAME"),
			Contact: ptr("RELCONTACT-SECRET"), Address: ptr("RELADDRESS-SECRET"), Place: ptr("PLACE9")}))
		secrets := []string{"secret street 1", "signal +1 555 0199", "FAMILY-SECRET-1234", "NOTE-SECRET-5678", "EVIDENCE-SECRET-9012", "EVENT-SECRET-4321",
			"RELATIVE-SECRET-NAME", "RELCONTACT-SECRET", "RELADDRESS-SECRET", "PLACE9", "139 0000 0000"}

		export := func(token, query string) (string, string) {
			r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/dossier.pdf" + query, Token: token})
			if r.StatusCode != 200 {
				t.Fatalf("%s: %d %s", query, r.StatusCode, r.Body)
			}
			text := pdfText(t, r.Body)
			return text, docIDRe.FindString(text)
		}
		intText, intID := export(e.users[rCoord].token, "?audience=internal&lang=bilingual")
		extText, extID := export(e.users[rObsA].token, "?audience=external&lang=zh")
		for _, s := range append(secrets, "Public indictment", "丁家囍", "Ding Jiaxi", "Embassy of Ruritania", "OVERDUE",
			"EVENT-PUBLIC-7777", "HEARING-COURT-2468", "Lawyer meeting denied", "罗胜春", "Relatives and contacts / 亲属及联系人",
			"Confidential — do not share / 保密——不得外传") {
			if !strings.Contains(intText, s) {
				t.Errorf("internal: %q missing", s)
			}
		}
		for _, s := range secrets {
			if strings.Contains(extText, s) {
				t.Errorf("external: confidential %q present", s)
			}
		}
		if strings.Contains(intText+extText, "ACTION-DESCRIPTION-3456") {
			t.Error("a support action's description is printed")
		}
		for _, s := range []string{"Public indictment", "丁家囍", "被羁押者概况", "EVENT-PUBLIC-7777", "HEARING-COURT-2468", "罗胜春", "亲属及联系人"} {
			if !strings.Contains(extText, s) {
				t.Errorf("external: %q missing", s)
			}
		}
		var ap auditPage
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?action=case.dossier_export", Token: e.users[rAdmin].token}).JSON(t, &ap)
		ids := map[string]string{}
		for _, it := range ap.Items {
			if it.CaseID == own.caseID {
				ids[fmt.Sprint(it.Details["document_id"])] = fmt.Sprint(it.Details["audience"])
			}
		}
		if intID == "" || ids[intID] != "internal" || extID == "" || ids[extID] != "external" {
			t.Errorf("audit entries %v do not match the covers' ids %q, %q", ids, intID, extID)
		}
	})
}

// TestDossierWithoutCJKFont: a missing CJK font is reported by /readyz
// (degraded, the server stays ready) and refuses documents that need it.
func TestDossierWithoutCJKFont(t *testing.T) {
	all := dossier.FindFonts("")
	if err := all.Check(); err != nil {
		t.Fatalf("fonts missing (run scripts/ensure-fonts.sh): %v", err)
	}
	noCJK := &dossier.Fonts{Latin: all.Latin, LatinBold: all.LatinBold, Problems: []string{"no CJK font found: Chinese text cannot be rendered"}}
	s := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), func(c *config.Config) { c.MFARequiredRoles = nil },
		app.WithPasswordParams(auth.FastTestParams), app.WithPDFFonts(noCJK))
	r := s.Do(testkit.Request{Method: "GET", Path: "/readyz"})
	var ready struct {
		Status string
		Checks map[string]struct{ Status, Error string }
	}
	r.JSON(t, &ready)
	if r.StatusCode != 200 || ready.Checks["pdf_fonts"].Status != "degraded" || !strings.Contains(ready.Checks["pdf_fonts"].Error, "CJK") {
		t.Fatalf("readyz: %d %s", r.StatusCode, r.Body)
	}
	ctx := context.Background()
	coord := &actor.Principal{UserID: must2(s.App.Auth.CreateUserAsSystem(ctx, auth.CreateUserInput{Email: "c@example.org", Name: "c", Role: actor.Coordinator, Password: password}, "user.create")).ID, Role: actor.Coordinator}
	res, err := s.App.Auth.Login(ctx, auth.LoginInput{Email: "c@example.org", Password: password})
	if err != nil || res.Tokens == nil {
		t.Fatalf("login: %v", err)
	}
	tok := res.Tokens.AccessToken
	caseOf := func(name string) string {
		d := must(s.App.Cases.CreateDetainee(ctx, coord, cases.DetaineeFields{Name: ptr(name)}))
		return must(s.App.Cases.CreateCase(ctx, coord, cases.CaseCreate{DetaineeID: d.ID})).ID
	}
	latin, chinese := caseOf("Jane Doe"), caseOf("丁家喜")
	for _, c := range []struct {
		caseID, lang string
		want         int
	}{{latin, "en", 200}, {latin, "bilingual", 503}, {chinese, "en", 503}} {
		r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + c.caseID + "/dossier.pdf?lang=" + c.lang, Token: tok})
		if r.StatusCode != c.want || (c.want == 503 && !strings.Contains(string(r.Body), "pdf_font_missing")) {
			t.Errorf("lang %s: %d, want %d: %.200s", c.lang, r.StatusCode, c.want, r.Body)
		}
	}
}
