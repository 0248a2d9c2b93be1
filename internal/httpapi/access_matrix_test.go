package httpapi_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.yaml.in/yaml/v3"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// The access matrix (issue 13): every route the server registers is either
// listed here as public, or has an entry in matrixRoutes, which
// TestAccessMatrix runs for every role against an object of the caller's
// own case and one of a foreign case, and TestBadTokensOnEveryRoute runs
// with tokens that must never open it. TestRouteCoverage fails when a route
// is registered without one of the two, so no route ships without a
// reviewed access rule.

// publicRoutes answer without a sign-in, by design.
var publicRoutes = map[string]string{
	"GET /livez":                "liveness probe",
	"GET /readyz":               "readiness probe (no data, only check names and states)",
	"GET /api/openapi.yaml":     "the API contract",
	"GET /api/docs":             "the API reference page",
	"POST /api/v1/auth/login":   "sign-in (throttled per account and address, see login_test.go, throttle_test.go)",
	"POST /api/v1/auth/refresh": "refresh cookie or token in the body (see sessions_test.go)",
	"POST /api/v1/auth/logout":  "ends the session of the refresh cookie/token it is given",
	// The MFA step takes the short-lived MFA-pending token, never an access
	// token: it is covered by mfa_test.go and by TestBadTokensOnEveryRoute
	// (an access token there is refused).
	"POST /api/v1/auth/totp/verify": "MFA step of sign-in (MFA-pending token)",
	// Passkeys (passkey_test.go): sign-in with a passkey alone needs no
	// token (the passkey is the credential; failures throttle the address);
	// the second-factor step takes the MFA-pending token only, an access
	// token there is refused (TestBadTokensOnEveryRoute).
	"POST /api/v1/auth/passkeys/login/begin":   "passkey sign-in: a single-use challenge (address throttle)",
	"POST /api/v1/auth/passkeys/login/finish":  "passkey sign-in: the signed challenge",
	"POST /api/v1/auth/passkeys/verify/begin":  "passkey as the MFA step of sign-in (MFA-pending token)",
	"POST /api/v1/auth/passkeys/verify/finish": "passkey as the MFA step of sign-in (MFA-pending token)",
	// Calendar apps cannot sign in: the secret in the URL is the credential
	// (only its hash is stored; revocable). See timeline_test.go.
	"GET /api/v1/calendar-feeds/:token/hearings.ics": "a user's iCalendar hearing feed, by its secret URL",
	// A browser navigating to a download cannot send a bearer token: the
	// single-use, one-minute link is the credential (only its hash is
	// stored); its user's access is checked again when it is used. See
	// internal/evidence/tus_test.go.
	"GET /api/v1/evidence-downloads/:token": "a single-use evidence download link",
}

// path fills the route's parameters from o; the object a parameter names is
// the resource the segment before it names.
func (r route) path(o objects) string {
	segs := strings.Split(r.tmpl, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") || i == 0 {
			continue
		}
		switch segs[i-1] {
		case "detainees":
			segs[i] = o.detainee
			if i >= 3 && segs[i-3] == "cases" { // a detainee of a case: the linked co-defendant
				segs[i] = o.codefendant
			}
		case "cases":
			segs[i] = o.caseID
		case "assignments":
			segs[i] = o.assignment
		case "shares":
			segs[i] = o.share
		case "lawyers":
			segs[i] = o.lawyer
		case "evidence":
			segs[i] = o.evidence
		case "uploads":
			segs[i] = o.upload
		case "users":
			segs[i] = o.user
		case "partners":
			segs[i] = o.partner
		case "support-actions":
			segs[i] = o.action
		case "events":
			segs[i] = o.event
		case "hearings":
			segs[i] = o.hearing
		case "custody-periods":
			segs[i] = o.custody
		case "un-communications":
			segs[i] = o.un
		case "relatives":
			segs[i] = o.relative
		case "campaigns":
			segs[i] = o.campaign
		case "links":
			segs[i] = o.link
		case "notifications":
			segs[i] = "0190c1d2-0000-7000-8000-000000000001" // nobody's: 404 to all
		case "jobs":
			segs[i] = "987654321" // no fixture job: the admin is told it does not exist
		case "passkeys":
			segs[i] = "0190c1d2-0000-7000-8000-000000000000" // the body is refused before the lookup
		default:
			panic("access matrix: no fixture object for " + r.tmpl)
		}
	}
	return "/api/v1" + strings.Join(segs, "/")
}

// key is how gin lists the route.
func (r route) key() string { return r.method + " /api/v1" + r.tmpl }

// matrixRoutes are all routes that need a sign-in, with their rules.
func matrixRoutes() []route {
	var all []route
	for _, part := range [][]route{caseRoutes(), evidenceRoutes(), identityRoutes(), auditRoutes(), supportRoutes(), dossierRoutes(), timelineRoutes(), deadlinesRoutes(), caseExportRoutes(), campaignRoutes(), notificationRoutes(), jobRoutes()} {
		all = append(all, part...)
	}
	return all
}

func adminOnly(ok int) func(string, bool) int {
	return func(role string, _ bool) int {
		if role == rAdmin {
			return ok
		}
		return 403
	}
}

// readRuleStatus is readRule answering ok instead of 200.
func readRuleStatus(ok int) func(string, bool) int {
	return func(role string, own bool) int {
		if s := readRule(role, own); s != 200 {
			return s
		}
		return ok
	}
}

// uploadRule: whoever may edit the case adds evidence to it.
func uploadRule(role string, own bool) int {
	if editRule(role, own) == 200 {
		return 201
	}
	return editRule(role, own)
}

// evidenceUpload is a multipart upload body and its Content-Type.
func evidenceUpload() ([]byte, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("title", "会见记录 meeting notes")
	f, _ := w.CreateFormFile("file", "notes.txt")
	_, _ = f.Write([]byte("the lawyer was refused a meeting on 5 March"))
	_ = w.Close()
	return b.Bytes(), w.FormDataContentType()
}

// uploadEvidence adds one evidence item to the case (as admin).
func (e *env) uploadEvidence(t *testing.T, caseID string) string {
	t.Helper()
	body, ct := evidenceUpload()
	r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + caseID + "/evidence", Body: body,
		Header: http.Header{"Content-Type": {ct}}, Token: e.users[rAdmin].token})
	if r.StatusCode != 201 {
		t.Fatalf("upload fixture evidence: %d %s", r.StatusCode, r.Body)
	}
	var v struct{ ID string }
	r.JSON(t, &v)
	return v.ID
}

func evidenceRoutes() []route {
	upload, ct := evidenceUpload()
	return []route{
		{"upload evidence", "POST", "/cases/:id/evidence", func(*env, objects) any { return upload }, "", uploadRule, ct},
		{"list evidence", "GET", "/cases/:id/evidence", nil, "", readRule, ""},
		{"get evidence", "GET", "/cases/:id/evidence/:eid", nil, "", readRule, ""},
		{"download evidence", "GET", "/cases/:id/evidence/:eid/content", nil, "", readRule, ""},
		// The fixture item is a text file: whoever may see it is told it has no thumbnail.
		{"thumbnail of a non-image item", "GET", "/cases/:id/evidence/:eid/thumbnail", nil, "", readRuleStatus(415), ""},
		{"evidence custody", "GET", "/cases/:id/evidence/:eid/custody", nil, "", readRule, ""},
		{"case custody", "GET", "/cases/:id/custody", nil, "", readRule, ""},
		{"update evidence", "PATCH", "/cases/:id/evidence/:eid", func(*env, objects) any {
			return map[string]any{"version": 1, "description": "notes of the refused meeting"}
		}, "", editRule, ""},
		{"delete evidence", "DELETE", "/cases/:id/evidence/:eid", func(*env, objects) any { return map[string]any{"reason": "duplicate"} }, "", manageRule(200), ""},
		{"evidence download link", "POST", "/cases/:id/evidence/:eid/download-link", nil, "", editRuleStatus201ForReaders, ""},
		// Resumable uploads (tus): creating one is uploading; an upload is
		// its creator's alone (the fixture's are the admin's): 404 to anyone else.
		{"create resumable upload", "POST", "/cases/:id/evidence/uploads", func(*env, objects) any { return []byte{} }, "", uploadRule, ""},
		{"resumable upload offset", "HEAD", "/cases/:id/evidence/uploads/:uid", nil, "", creatorOnly(200), ""},
		{"resumable upload status", "GET", "/cases/:id/evidence/uploads/:uid", nil, "", creatorOnly(200), ""},
		{"resumable upload bytes", "PATCH", "/cases/:id/evidence/uploads/:uid", func(*env, objects) any { return []byte("ab") }, "", creatorOnly(204), ""},
		{"cancel resumable upload", "DELETE", "/cases/:id/evidence/uploads/:uid", nil, "", creatorOnly(204), ""},
	}
}

// editRuleStatus201ForReaders: whoever may read the item gets a link (201).
func editRuleStatus201ForReaders(role string, own bool) int {
	if s := readRule(role, own); s != 200 {
		return s
	}
	return 201
}

// creatorOnly: the admin created the fixture's uploads; nobody else finds them.
func creatorOnly(ok int) func(string, bool) int {
	return func(role string, _ bool) int {
		if role == rAdmin {
			return ok
		}
		return 404
	}
}

// tusHeaders adds the tus protocol headers to a request of a resumable
// upload route of the matrix.
func tusHeaders(rt route, req *testkit.Request) {
	if !strings.Contains(rt.tmpl, "/evidence/uploads") {
		return
	}
	req.Header.Set("Tus-Resumable", "1.0.0")
	switch rt.method {
	case "POST":
		req.Header.Set("Upload-Length", "5")
		req.Header.Set("Upload-Metadata", "title "+base64.StdEncoding.EncodeToString([]byte("会见记录")))
	case "PATCH":
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		req.Header.Set("Upload-Offset", "0")
	}
}

// createUpload creates a resumable upload of 5 bytes on the case (as admin).
func (e *env) createUpload(t *testing.T, caseID string) string {
	t.Helper()
	req := testkit.Request{Method: "POST", Path: "/api/v1/cases/" + caseID + "/evidence/uploads", Token: e.users[rAdmin].token, Header: http.Header{}}
	tusHeaders(route{method: "POST", tmpl: "/cases/:id/evidence/uploads"}, &req)
	r := e.s.Do(req)
	if r.StatusCode != 201 {
		t.Fatalf("create fixture upload: %d %s", r.StatusCode, r.Body)
	}
	return path.Base(r.Header.Get("Location"))
}

// identityRoutes: the caller's own account (any role) and user
// administration (admin only; users are not case objects, so own and
// foreign are the same).
func identityRoutes() []route {
	empty := func(*env, objects) any { return map[string]any{} }
	return []route{
		{"me", "GET", "/me", nil, "", always(200), ""},
		{"change own password (no body)", "POST", "/auth/password", empty, "", always(400), ""},
		{"start TOTP enrolment", "POST", "/auth/totp/enroll", nil, "", always(200), ""},
		{"confirm TOTP (no code)", "POST", "/auth/totp/confirm", empty, "", always(400), ""},
		{"disable TOTP (no body)", "POST", "/auth/totp/disable", empty, "", always(400), ""},
		{"own sign-in activity", "GET", "/me/sign-in-activity", nil, "", always(200), ""},
		{"begin passkey registration (no name)", "POST", "/auth/passkeys/register/begin", empty, "", always(400), ""},
		{"finish passkey registration (no answer)", "POST", "/auth/passkeys/register/finish", empty, "", always(400), ""},
		{"list own passkeys", "GET", "/auth/passkeys", nil, "", always(200), ""},
		{"remove own passkey (no password)", "POST", "/auth/passkeys/:id/remove", empty, "", always(400), ""},
		{"list users", "GET", "/users", nil, "", adminOnly(200), ""},
		{"create user", "POST", "/users", func(*env, objects) any {
			return map[string]any{"email": fmt.Sprintf("new-%d@example.org", time.Now().UnixNano()), "name": "New", "role": "observer"}
		}, "", adminOnly(201), ""},
		{"get user", "GET", "/users/:id", nil, "", adminOnly(200), ""},
		{"update user", "PATCH", "/users/:id", func(*env, objects) any { return map[string]any{"name": "Renamed", "version": 1} }, "", adminOnly(200), ""},
		{"reset password", "POST", "/users/:id/reset-password", nil, "", adminOnly(200), ""},
		{"end a user's sessions", "POST", "/users/:id/sessions/revoke", nil, "", adminOnly(200), ""},
		{"a user's sign-in activity", "GET", "/users/:id/sign-in-activity", nil, "", adminOnly(200), ""},
		{"revoke a user's calendar feed (none)", "DELETE", "/users/:id/calendar-feed", nil, "", adminOnly(404), ""},
	}
}

func auditRoutes() []route {
	return []route{
		{"audit log", "GET", "/audit", nil, "", func(role string, _ bool) int {
			if manages(role) {
				return 200
			}
			return 403
		}, ""},
		{"verify audit chain", "GET", "/audit/verify", nil, "", adminOnly(200), ""},
	}
}

// jobRoutes: the background job queue's admin view (issue 26), admin only.
func jobRoutes() []route {
	return []route{
		{"background jobs", "GET", "/admin/jobs", nil, "", adminOnly(200), ""},
		{"retry a background job (none)", "POST", "/admin/jobs/:id/retry", nil, "", adminOnly(404), ""},
	}
}

// registeredRoutes lists the routes of the server's engine as "METHOD path".
func registeredRoutes(t *testing.T, s *testkit.Server) []string {
	t.Helper()
	eng := s.App.Router
	if eng == nil {
		t.Fatal("the app has no router")
	}
	var out []string
	for _, r := range eng.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	sort.Strings(out)
	return out
}

// uncovered returns the registered routes that are neither public nor in
// the matrix.
func uncovered(routes []string) []string {
	inMatrix := map[string]bool{}
	for _, r := range matrixRoutes() {
		inMatrix[r.key()] = true
	}
	var out []string
	for _, r := range routes {
		if publicRoutes[r] == "" && !inMatrix[r] {
			out = append(out, r)
		}
	}
	return out
}

// TestRouteCoverage: every registered route has a reviewed access rule, and
// every rule names a route that exists and is in the API contract.
func TestRouteCoverage(t *testing.T) {
	s := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), nil)
	routes := registeredRoutes(t, s)
	if missing := uncovered(routes); len(missing) > 0 {
		t.Errorf("routes without an access-matrix entry (add them to matrixRoutes or publicRoutes):\n  %s", strings.Join(missing, "\n  "))
	}
	registered := map[string]bool{}
	for _, r := range routes {
		registered[r] = true
	}
	for _, r := range matrixRoutes() {
		if !registered[r.key()] {
			t.Errorf("matrix entry %q (%s) names no registered route", r.key(), r.name)
		}
	}
	for r := range publicRoutes {
		if !registered[r] {
			t.Errorf("public entry %q names no registered route", r)
		}
	}
	// Every registered route is in the contract (gin :param = OpenAPI {param}).
	raw, err := os.ReadFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		segs := strings.Split(path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, ":") {
				segs[i] = "{" + s[1:] + "}"
			}
		}
		if _, ok := spec.Paths[strings.Join(segs, "/")][strings.ToLower(method)]; !ok {
			t.Errorf("%s is registered but not in api/openapi.yaml", r)
		}
	}

	// The check itself: a route added without an entry is reported.
	withDummy := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), nil, app.WithExtraRoutes(func(r *gin.Engine) {
		r.GET("/api/v1/unreviewed", func(c *gin.Context) { c.Status(http.StatusOK) })
	}))
	if got := uncovered(registeredRoutes(t, withDummy)); len(got) != 1 || got[0] != "GET /api/v1/unreviewed" {
		t.Errorf("a route registered without a matrix entry: uncovered = %v, want [GET /api/v1/unreviewed]", got)
	}
}

// TestBadTokensOnEveryRoute: on every route that needs a sign-in, a token
// that is expired, belongs to a disabled user, is a refresh token or an
// MFA-pending token is refused with 401.
func TestBadTokensOnEveryRoute(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.related = true // every route has its objects
		own, _ := e.fixture(t)
		// Expired: signed with the server's own key, valid but for its times.
		now := time.Now().Unix()
		lawyer := e.users[rLawA]
		meResp := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/me", Token: lawyer.token})
		var m struct {
			SessionID string `json:"session_id"`
		}
		meResp.JSON(t, &m)
		header := map[string]any{"alg": "EdDSA", "typ": "at+jwt", "kid": auth.KeyID(e.key.Public().(ed25519.PublicKey))}
		claims := map[string]any{"iss": "habeas", "aud": []string{"habeas:api"}, "sub": lawyer.p.UserID, "sid": m.SessionID,
			"typ": "access", "iat": now - 7200, "nbf": now - 7200, "exp": now - 3600, "jti": "expired-1"}
		expired := forge(header, claims, func(in []byte) []byte { return ed25519.Sign(e.key, in) })
		// A disabled user's token, issued before the account was disabled.
		gone := testkit.CreateUser(t, e.s, actor.Coordinator)
		goneTok := testkit.Login(t, e.s, gone)
		if r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + gone.ID, Token: e.users[rAdmin].token,
			Body: map[string]any{"disabled": true, "version": 1}}); r.StatusCode != 200 {
			t.Fatalf("disable user: %d %s", r.StatusCode, r.Body)
		}
		// An MFA-pending token: the user has TOTP, the second step is owed.
		mfaUser := testkit.CreateUser(t, e.s, actor.Lawyer)
		testkit.EnrollTOTP(t, e.s, mfaUser, testkit.Login(t, e.s, mfaUser).Access)
		lr := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": mfaUser.Email, "password": mfaUser.Password}})
		var pending testkit.TokenResponse
		lr.JSON(t, &pending)
		if pending.MFAToken == "" {
			t.Fatalf("no MFA-pending token: %s", lr.Body)
		}
		tokens := map[string]string{
			"expired access token":              expired,
			"token of a disabled user":          goneTok.Access,
			"refresh token as access token":     testkit.Login(t, e.s, testkit.CreateUser(t, e.s, actor.Admin)).Refresh,
			"MFA-pending token as access token": pending.MFAToken,
		}
		// The control: the lawyer's own valid token opens its case.
		if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID, Token: lawyer.token}); r.StatusCode != 200 {
			t.Fatalf("control: %d", r.StatusCode)
		}
		for _, rt := range matrixRoutes() {
			for name, tok := range tokens {
				if rt.tmpl == "/auth/totp/enroll" || rt.tmpl == "/auth/totp/confirm" ||
					rt.tmpl == "/auth/passkeys/register/begin" || rt.tmpl == "/auth/passkeys/register/finish" {
					if name == "MFA-pending token as access token" {
						continue // enrolment takes MFA-pending tokens by design (first sign-in)
					}
				}
				req := testkit.Request{Method: rt.method, Path: rt.path(own), Token: tok, Header: http.Header{}}
				if rt.body != nil {
					req.Body = rt.body(e, own)
				}
				if rt.multipart != "" {
					req.Header.Set("Content-Type", rt.multipart)
				}
				if r := e.s.Do(req); r.StatusCode != 401 {
					t.Errorf("%s %s with %s: %d, want 401: %.200s", rt.method, rt.tmpl, name, r.StatusCode, r.Body)
				}
			}
		}
		// totp/verify and the passkey step take only MFA-pending tokens: an
		// access token (or any bad token) is refused.
		if r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/auth/totp/verify", Token: lawyer.token,
			Body: map[string]string{"code": "123456"}}); r.StatusCode != 401 {
			t.Errorf("totp/verify with an access token: %d, want 401", r.StatusCode)
		}
		tokens["access token"] = lawyer.token
		for _, path := range []string{"/api/v1/auth/passkeys/verify/begin", "/api/v1/auth/passkeys/verify/finish"} {
			for name, tok := range tokens {
				if name == "MFA-pending token as access token" {
					continue
				}
				if r := e.s.Do(testkit.Request{Method: "POST", Path: path, Token: tok, Body: map[string]any{}}); r.StatusCode != 401 {
					t.Errorf("%s with %s: %d, want 401", path, name, r.StatusCode)
				}
			}
		}

	})
}

// matrixMarkdown renders the access matrix as the table of docs/security.md.
func matrixMarkdown() string {
	var b strings.Builder
	b.WriteString("| Route | What | admin | coordinator | lawyer, own case | lawyer, other case | observer, shared case | observer, other case | no sign-in |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	cell := func(rt route, role string, own bool) string {
		if role == rAnon {
			return "401"
		}
		return fmt.Sprint(rt.expect(role, own))
	}
	for _, rt := range matrixRoutes() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", rt.key(), rt.name,
			cell(rt, rAdmin, true), cell(rt, rCoord, true), cell(rt, rLawA, true), cell(rt, rLawB, false),
			cell(rt, rObsA, true), cell(rt, rObsB, false), cell(rt, rAnon, true))
	}
	b.WriteString("\nPublic routes (no sign-in by design):\n\n")
	keys := make([]string, 0, len(publicRoutes))
	for k := range publicRoutes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "- `%s`: %s\n", k, publicRoutes[k])
	}
	return b.String()
}

// docs/security.md carries the matrix as the test runs it; regenerate with
// HABEAS_UPDATE_DOCS=1 go test ./internal/httpapi -run TestSecurityDocMatrix.
func TestSecurityDocMatrix(t *testing.T) {
	const file, start, end = "../../docs/security.md", "<!-- access-matrix:start -->\n", "<!-- access-matrix:end -->"
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, start), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the %q ... %q markers", file, start, end)
	}
	want := doc[:i+len(start)] + matrixMarkdown() + doc[j:]
	if want == doc {
		return
	}
	if os.Getenv("HABEAS_UPDATE_DOCS") == "1" {
		if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date with the access matrix; run HABEAS_UPDATE_DOCS=1 go test ./internal/httpapi -run TestSecurityDocMatrix", file)
}
