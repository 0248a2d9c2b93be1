package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// newFeed has u create a calendar feed and returns its URL (which works).
func newFeed(t *testing.T, s *testkit.Server, token string) string {
	t.Helper()
	r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/me/calendar-feed", Token: token})
	wantStatus(t, r, 201, "")
	var f struct {
		URL string `json:"url"`
	}
	r.JSON(t, &f)
	wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: f.URL}), 200, "")
	return f.URL
}

// Issue 22, finding 3: a seized device keeps no calendar feed. Ending all of
// the user's sessions, a password reset or change, disabling, a role change
// and an admin's revocation each end the feed at once.
func TestCalendarFeedEndsWithCredentials(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		admin, _ := testkit.UserToken(t, s, actor.Admin)
		cases := []struct {
			name string
			end  func(t *testing.T, u *testkit.TestUser, token string)
		}{
			{"admin ends all sessions", func(t *testing.T, u *testkit.TestUser, _ string) {
				wantStatus(t, post(s, "/api/v1/users/"+u.ID+"/sessions/revoke", admin, nil), 200, "")
			}},
			{"admin resets the password", func(t *testing.T, u *testkit.TestUser, _ string) {
				wantStatus(t, post(s, "/api/v1/users/"+u.ID+"/reset-password", admin, map[string]any{}), 200, "")
			}},
			{"user changes the password", func(t *testing.T, u *testkit.TestUser, token string) {
				wantStatus(t, post(s, "/api/v1/auth/password", token, map[string]string{
					"current_password": u.Password, "new_password": "Another-Quiet-Lake-93"}), 200, "")
			}},
			{"admin disables the user", func(t *testing.T, u *testkit.TestUser, _ string) {
				wantStatus(t, s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + u.ID, Token: admin,
					Body: map[string]any{"disabled": true}}), 200, "")
				// Enabled again: the old feed stays dead.
				wantStatus(t, s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + u.ID, Token: admin,
					Body: map[string]any{"disabled": false}}), 200, "")
			}},
			{"admin changes the role", func(t *testing.T, u *testkit.TestUser, _ string) {
				wantStatus(t, s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/users/" + u.ID, Token: admin,
					Body: map[string]any{"role": "observer"}}), 200, "")
			}},
			{"admin revokes the feed", func(t *testing.T, u *testkit.TestUser, _ string) {
				wantStatus(t, s.Do(testkit.Request{Method: "DELETE", Path: "/api/v1/users/" + u.ID + "/calendar-feed", Token: admin}), 204, "")
			}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				token, u := testkit.UserToken(t, s, actor.Lawyer)
				url := newFeed(t, s, token)
				c.end(t, u, token)
				wantStatus(t, s.Do(testkit.Request{Method: "GET", Path: url}), 404, "")
				// Both the revocation and the refused use are on record.
				if n := auditWith(t, s, "calendar.feed.revoke", audit.OK, u.ID); n != 1 {
					t.Errorf("%d calendar.feed.revoke entries naming the user, want 1", n)
				}
				if n := auditWith(t, s, "calendar.feed.read", audit.Denied, u.ID); n != 1 {
					t.Errorf("%d refused feed reads naming the user, want 1", n)
				}
			})
		}
	})
}

// auditWith counts the entries of action with outcome whose details mention s.
func auditWith(t *testing.T, srv *testkit.Server, action string, outcome audit.Outcome, s string) int {
	t.Helper()
	p, err := srv.App.Audit.List(context.Background(), audit.Filter{Action: action, Limit: audit.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range p.Items {
		if r.Outcome == string(outcome) && strings.Contains(r.Details, s) {
			n++
		}
	}
	return n
}
