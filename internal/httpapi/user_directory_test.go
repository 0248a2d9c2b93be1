package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

type userRefPage struct {
	Items []struct {
		ID, Name, Role string
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Total      int     `json:"total"`
}

func (e *env) findUsers(t *testing.T, role, query string) (int, userRefPage, string) {
	t.Helper()
	r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/user-directory?" + query, Token: e.users[role].token})
	var p userRefPage
	if r.StatusCode == http.StatusOK {
		r.JSON(t, &p)
	}
	return r.StatusCode, p, string(r.Body)
}

func names(p userRefPage) []string {
	out := make([]string, 0, len(p.Items))
	for _, u := range p.Items {
		out = append(out, u.Name+"/"+u.Role)
	}
	return out
}

// TestUserDirectory: admins and coordinators find observer and lawyer
// accounts by name (id, name, role only; never admins, coordinators or
// disabled accounts); lawyers and observers are refused; unlinked keeps the
// lawyer accounts no lawyer record links to.
func TestUserDirectory(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		free := must2(e.s.App.Auth.CreateUserAsSystem(ctx, auth.CreateUserInput{Email: "wang.free@example.org", Name: "王 Free Lawyer",
			Role: actor.Lawyer, Password: password}, "user.create"))
		gone := must2(e.s.App.Auth.CreateUserAsSystem(ctx, auth.CreateUserInput{Email: "gone.observer@example.org", Name: "Gone observer",
			Role: actor.Observer, Password: password}, "user.create"))
		v := int64(1)
		dis := true
		if _, err := e.s.App.Auth.UpdateUser(ctx, e.admin(), gone.ID, auth.UpdateUserInput{Disabled: &dis, Version: &v}); err != nil {
			t.Fatal(err)
		}

		for _, role := range []string{rLawA, rLawB, rObsA, rObsB} {
			if st, _, body := e.findUsers(t, role, "q=observer"); st != http.StatusForbidden {
				t.Errorf("%s looks up accounts: %d, want 403: %s", role, st, body)
			}
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/user-directory"}); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous: %d, want 401", r.StatusCode)
		}
		for _, role := range []string{rAdmin, rCoord} {
			st, p, body := e.findUsers(t, role, "limit=200")
			if st != http.StatusOK {
				t.Fatalf("%s: %d %s", role, st, body)
			}
			got := strings.Join(names(p), ",")
			for _, want := range []string{"observer c/observer", "observer d/observer", "assigned lawyer/lawyer", "王 Free Lawyer/lawyer"} {
				if !strings.Contains(got, want) {
					t.Errorf("%s: %s missing from %s", role, want, got)
				}
			}
			for _, never := range []string{"/admin", "/coordinator", "Gone observer"} {
				if strings.Contains(got, never) {
					t.Errorf("%s: the directory lists %q: %s", role, never, got)
				}
			}
			if strings.Contains(body, "@example.org") {
				t.Errorf("%s: the directory sends emails: %s", role, body)
			}
		}
		// By part of the name, any case, any script; filtered by role.
		if _, p, _ := e.findUsers(t, rCoord, "q=OBSERVER%20D"); strings.Join(names(p), ",") != "observer d/observer" {
			t.Errorf("q=OBSERVER D: %v", names(p))
		}
		if _, p, _ := e.findUsers(t, rCoord, "q="+url.QueryEscape("王")); strings.Join(names(p), ",") != "王 Free Lawyer/lawyer" {
			t.Errorf("q=王: %v", names(p))
		}
		if _, p, _ := e.findUsers(t, rCoord, "role=observer&q=lawyer"); len(p.Items) != 0 {
			t.Errorf("role=observer&q=lawyer: %v", names(p))
		}
		// Unlinked: the two lawyers with records are left out.
		if _, p, _ := e.findUsers(t, rCoord, "role=lawyer&unlinked=true"); strings.Join(names(p), ",") != "王 Free Lawyer/lawyer" {
			t.Errorf("unlinked lawyers: %v", names(p))
		}
		// id resolves given accounts.
		if _, p, _ := e.findUsers(t, rCoord, "id="+free.ID+"&id="+e.obsD.UserID); strings.Join(names(p), ",") != "observer d/observer,王 Free Lawyer/lawyer" {
			t.Errorf("by id: %v", names(p))
		}
		// Paginated by name: one a page, every page different, in order.
		var seen []string
		cursor := ""
		for i := 0; i < 20; i++ {
			q := "role=observer&limit=1"
			if cursor != "" {
				q += "&cursor=" + url.QueryEscape(cursor)
			}
			_, p, body := e.findUsers(t, rCoord, q)
			if len(p.Items) != 1 {
				t.Fatalf("page %d: %s", i, body)
			}
			seen = append(seen, p.Items[0].Name)
			if p.NextCursor == nil {
				break
			}
			cursor = *p.NextCursor
		}
		if strings.Join(seen, ",") != "observer c,observer d,observer with share,observer without share" {
			t.Errorf("observer pages: %v", seen)
		}
		for _, bad := range []string{"role=admin", "unlinked=true", "role=lawyer&unlinked=maybe", "id=x", "limit=500", "cursor=zz"} {
			if st, _, body := e.findUsers(t, rCoord, bad); st != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400: %s", bad, st, body)
			}
		}
	})
}

// TestSharesNameTheObserver: a share is listed with the observer's display
// name and role, so nobody reads a bare id under "Shared with".
func TestSharesNameTheObserver(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		r := e.s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases/" + own.caseID + "/shares", Token: e.users[rCoord].token,
			Body: map[string]any{"user_id": e.obsD.UserID}})
		if r.StatusCode != http.StatusCreated || !strings.Contains(string(r.Body), `"user_name":"observer d"`) {
			t.Fatalf("share: %d %s", r.StatusCode, r.Body)
		}
		r = e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/shares", Token: e.users[rCoord].token})
		var p struct {
			Items []cases.ShareView `json:"items"`
		}
		r.JSON(t, &p)
		got := map[string]string{}
		for _, s := range p.Items {
			got[s.UserID] = s.UserName + "/" + string(s.UserRole)
		}
		if got[e.obsD.UserID] != "observer d/observer" || got[e.users[rObsA].p.UserID] != "observer with share/observer" {
			t.Errorf("shares: %v", got)
		}
	})
}

// TestCoordinatorLinksLawyerAccount: a coordinator links a lawyer record to
// a lawyer's account (audited); the lawyer then sees the cases the record
// is assigned to. An account of another role, or one already linked, is
// refused with a field reason.
func TestCoordinatorLinksLawyerAccount(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		coord := e.users[rCoord].token
		tu := testkit.CreateUser(t, e.s, actor.Lawyer)
		tok := testkit.Login(t, e.s, tu).Access
		// The record is assigned to the case, but nobody is linked to it.
		rec := must(e.svc.CreateLawyer(context.Background(), e.admin(), cases.LawyerFields{Name: ptr("赵律师")}))
		must(e.svc.CreateAssignment(context.Background(), e.admin(), own.caseID, cases.AssignmentCreate{LawyerID: rec.ID,
			AssignmentFields: cases.AssignmentFields{Role: ptr("family_retained")}}))
		if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID, Token: tok}); r.StatusCode != http.StatusNotFound {
			t.Fatalf("before the link the lawyer sees the case: %d", r.StatusCode)
		}
		patch := func(userID string, version int64) *testkit.Response {
			return e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/lawyers/" + rec.ID, Token: coord,
				Header: http.Header{"If-Match": {`"` + strconv.FormatInt(version, 10) + `"`}}, Body: map[string]any{"user_id": userID}})
		}
		// Another role's account: 400 with the reason.
		if r := patch(e.obsD.UserID, 1); r.StatusCode != http.StatusBadRequest || !strings.Contains(string(r.Body), `"field_codes":{"user_id":"wrong_role"}`) {
			t.Errorf("link an observer: %d %s", r.StatusCode, r.Body)
		}
		// An account linked to another record: 409.
		if r := patch(e.users[rLawB].p.UserID, 1); r.StatusCode != http.StatusConflict {
			t.Errorf("link an already linked account: %d %s", r.StatusCode, r.Body)
		}
		if r := patch(tu.ID, 1); r.StatusCode != http.StatusOK || !strings.Contains(string(r.Body), tu.ID) {
			t.Fatalf("coordinator links the account: %d %s", r.StatusCode, r.Body)
		}
		if r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + own.caseID, Token: tok}); r.StatusCode != http.StatusOK {
			t.Errorf("after the link the lawyer does not see the case: %d", r.StatusCode)
		}
		// The directory no longer offers the account as unlinked.
		if _, p, _ := e.findUsers(t, rCoord, "role=lawyer&unlinked=true"); strings.Contains(strings.Join(names(p), ","), "Test lawyer") {
			t.Errorf("a linked account is offered as unlinked: %v", names(p))
		}
		// Audited: lawyer.update by the coordinator, naming the account.
		r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?action=lawyer.update&object_id=" + rec.ID, Token: e.users[rAdmin].token})
		var a auditPage
		r.JSON(t, &a)
		if len(a.Items) != 1 || !strings.Contains(string(r.Body), e.users[rCoord].p.UserID) {
			t.Fatalf("audit of the link: %s", r.Body)
		}
		if f, _ := a.Items[0].Details["fields"].(map[string]any); f["user_id"] != tu.ID {
			t.Errorf("audit details: %v", a.Items[0].Details)
		}
	})
}
