package httpapi_test

import (
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

type userBody struct {
	ID                 string `json:"id"`
	Email              string `json:"email"`
	Role               string `json:"role"`
	Disabled           bool   `json:"disabled"`
	MustChangePassword bool   `json:"must_change_password"`
	Version            int64  `json:"version"`
	GeneratedPassword  string `json:"generated_password"`
}

func TestUsersAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		adminTok, admin := testkit.UserToken(t, s, actor.Admin)

		// Create: 201 with the id; the new user signs in.
		r := post(s, "/api/v1/users", adminTok, map[string]string{"email": "Li.Wei@Example.org", "name": "李伟", "role": "lawyer", "password": "Plum-Blossom-River-88"})
		wantStatus(t, r, 201, "")
		var created userBody
		r.JSON(t, &created)
		if created.ID == "" || created.Email != "li.wei@example.org" || created.Role != "lawyer" || created.GeneratedPassword != "" {
			t.Fatalf("created %+v", created)
		}
		lawyer := &testkit.TestUser{ID: created.ID, Email: "LI.WEI@example.org", Password: "Plum-Blossom-River-88", Role: actor.Lawyer}
		lawyerTok := testkit.Login(t, s, lawyer).Access

		// Same email in another case: 409. Bad input: 400 naming the fields.
		wantStatus(t, post(s, "/api/v1/users", adminTok, map[string]string{"email": "li.wei@EXAMPLE.org", "role": "lawyer", "password": "Plum-Blossom-River-99"}), 409, "email_taken")
		wantStatus(t, post(s, "/api/v1/users", adminTok, map[string]string{"email": "not-an-email", "role": "king", "password": "Plum-Blossom-River-99"}), 400, "validation_failed")
		for _, weak := range []string{"short", "Password2024!", "qwertyuiop123", "aaaaaaaaaaaaaaaa", "correct horse battery staple", "Li.Wei-1234567"} {
			r := post(s, "/api/v1/users", adminTok, map[string]string{"email": "weak@example.org", "name": "Li Wei", "role": "observer", "password": weak})
			wantStatus(t, r, 400, "validation_failed")
		}
		wantStatus(t, post(s, "/api/v1/users", adminTok, map[string]any{"email": "x@example.org", "role": "observer", "is_admin": true}), 400, "unknown_field")

		// Generated password, shown once.
		r = post(s, "/api/v1/users", adminTok, map[string]any{"email": "obs@example.org", "role": "observer", "must_change_password": true})
		wantStatus(t, r, 201, "")
		var obs userBody
		r.JSON(t, &obs)
		if len(obs.GeneratedPassword) < 20 || !obs.MustChangePassword {
			t.Fatalf("generated: %+v", obs)
		}

		// Non-admins: 403 on the whole users API.
		wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users", Token: lawyerTok}), 403, "forbidden")
		wantStatus(t, post(s, "/api/v1/users", lawyerTok, map[string]string{"email": "e@example.org", "role": "admin", "password": "Plum-Blossom-River-77"}), 403, "")

		// List with paging.
		r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users?limit=2", Token: adminTok})
		wantStatus(t, r, 200, "")
		var page struct {
			Items      []userBody `json:"items"`
			NextCursor string     `json:"next_cursor"`
		}
		r.JSON(t, &page)
		if len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("page 1: %s", r.Body)
		}
		seen := len(page.Items)
		for page.NextCursor != "" {
			r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users?limit=2&after=" + page.NextCursor, Token: adminTok})
			wantStatus(t, r, 200, "")
			page.NextCursor = ""
			r.JSON(t, &page)
			seen += len(page.Items)
		}
		if seen != 4 { // bootstrap admin@localhost, the test admin, the lawyer, the observer
			t.Errorf("listed %d users, want 4", seen)
		}
		wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users?limit=9999", Token: adminTok}), 400, "")

		// Patch: role, version check, unknown id.
		r = s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + created.ID, Token: adminTok, Body: map[string]any{"role": "observer", "version": created.Version}})
		wantStatus(t, r, 200, "")
		var patched userBody
		r.JSON(t, &patched)
		if patched.Role != "observer" || patched.Version != created.Version+1 {
			t.Fatalf("patched %+v", patched)
		}
		r = me(s, lawyerTok) // the role applies from the next request
		if !contains(r.Body, `"role":"observer"`) {
			t.Errorf("role change not seen by /me: %s", r.Body)
		}
		wantStatus(t, s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + created.ID, Token: adminTok, Body: map[string]any{"name": "x", "version": created.Version}}), 412, "version_mismatch")
		wantStatus(t, s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/not-a-uuid", Token: adminTok, Body: map[string]any{"name": "x"}}), 404, "user_not_found")
		wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users/019a0000-0000-7000-8000-000000000000", Token: adminTok}), 404, "user_not_found")
		wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users/" + created.ID, Token: adminTok}), 200, "")

		// Reset password: sessions end, a change is forced before anything else.
		r = post(s, "/api/v1/users/"+created.ID+"/reset-password", adminTok, map[string]any{"password": "Temporary-Lantern-55"})
		wantStatus(t, r, 200, "")
		lawyer.Password = "Temporary-Lantern-55"
		tk := testkit.Login(t, s, lawyer)
		wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: "/api/v1/users", Token: tk.Access}), 403, "password_change_required")
		r = me(s, tk.Access)
		wantStatus(t, r, 200, "")
		if !contains(r.Body, `"must_change_password":true`) {
			t.Errorf("me: %s", r.Body)
		}
		r = post(s, "/api/v1/auth/password", tk.Access, map[string]string{"current_password": "Temporary-Lantern-55", "new_password": "My-Own-Secret-Garden-7"})
		wantStatus(t, r, 200, "")
		var nt testkit.TokenResponse
		r.JSON(t, &nt)
		if nt.MustChangePassword {
			t.Error("still must change password")
		}
		wantStatus(t, me(s, tk.Access), 401, "") // the old session ended with the change

		// The last enabled admin can be neither demoted nor disabled.
		// Disable the bootstrap admin first, so the test admin is the last.
		boot := s.App.Bootstrap
		if boot == nil || !boot.Created || boot.PasswordFile == "" {
			t.Fatalf("bootstrap: %+v", boot)
		}
		var bootID string
		d.Raw("SELECT id FROM users WHERE email = 'admin@localhost'").Scan(&bootID)
		wantStatus(t, s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + bootID, Token: adminTok, Body: map[string]any{"disabled": true}}), 200, "")
		wantStatus(t, s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + admin.ID, Token: adminTok, Body: map[string]any{"role": "lawyer"}}), 409, "last_admin")
		wantStatus(t, s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + admin.ID, Token: adminTok, Body: map[string]any{"disabled": true}}), 409, "last_admin")

		for _, a := range []string{"user.create", "user.update", "user.password.reset", "auth.password.change"} {
			if auditCount(t, s, a, audit.OK) == 0 {
				t.Errorf("%s not audited", a)
			}
		}
		if auditCount(t, s, "authz.role", audit.Denied) != 2 {
			t.Error("role refusals not audited")
		}
	})
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
