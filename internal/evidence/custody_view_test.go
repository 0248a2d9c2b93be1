package evidence_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Issue 22, finding 4: an observer's custody view (one item and the whole
// case) says what happened and when, and the role that did it, but not which
// staff member (no user id, no request id) and no global audit sequence
// number, in the entries or in the cursor. Staff still see them.
func TestCustodyViewOfObservers(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		adminTok, admin := testkit.UserToken(t, s, actor.Admin)
		lawTok, lawyer := testkit.UserToken(t, s, actor.Lawyer)
		obsTok, obs := testkit.UserToken(t, s, actor.Observer)
		cid := evCase(t, d)
		evAssign(t, d, cid, lawyer.ID)
		evShare(t, d, cid, obs.ID)
		var v evView
		upload(t, s, lawTok, cid, []part{{"title", "t"}}, "x.txt", []byte("x"), nil).JSON(t, &v)
		for _, tok := range []string{adminTok, lawTok, obsTok} {
			if r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/cases/" + cid + "/evidence/" + v.ID + "/content", Token: tok}); r.StatusCode != 200 {
				t.Fatalf("download: %d", r.StatusCode)
			}
		}
		staffIDs := []string{admin.ID, lawyer.ID, obs.ID}

		type page struct {
			Items      []map[string]any `json:"items"`
			NextCursor string           `json:"next_cursor"`
		}
		walk := func(tok, path string) (entries []map[string]any, cursors []string) {
			cursor := ""
			for {
				r := s.Do(testkit.Request{Method: "GET", Path: path + "?limit=1&cursor=" + cursor, Token: tok})
				if r.StatusCode != 200 {
					t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
				}
				for _, id := range staffIDs {
					if tok == obsTok && strings.Contains(string(r.Body), id) {
						t.Errorf("observer's %s names user %s: %s", path, id, r.Body)
					}
				}
				var p page
				r.JSON(t, &p)
				entries = append(entries, p.Items...)
				if p.NextCursor == "" {
					return entries, cursors
				}
				cursors = append(cursors, p.NextCursor)
				cursor = p.NextCursor
			}
		}
		for _, path := range []string{"/api/v1/cases/" + cid + "/evidence/" + v.ID + "/custody", "/api/v1/cases/" + cid + "/custody"} {
			staff, _ := walk(adminTok, path)
			seqs := map[string]bool{}
			roles := map[any]bool{}
			for _, e := range staff {
				if e["actor_id"] == nil || e["actor_id"] == "" || e["seq"] == nil {
					t.Errorf("admin's %s entry lacks actor_id or seq: %v", path, e)
				}
				if f, ok := e["seq"].(float64); ok {
					seqs[strconv.FormatInt(int64(f), 10)] = true
				}
				roles[e["actor_role"]] = true
			}
			if len(staff) < 4 || !roles["admin"] || !roles["lawyer"] || !roles["observer"] {
				t.Fatalf("admin's %s: %d entries, roles %v", path, len(staff), roles)
			}
			seen, cursors := walk(obsTok, path)
			if len(seen) != len(staff) {
				t.Errorf("observer's %s: %d entries, admin sees %d", path, len(seen), len(staff))
			}
			for i, e := range seen {
				for _, k := range []string{"actor_id", "seq", "request_id"} {
					if _, ok := e[k]; ok {
						t.Errorf("observer's %s entry %d has %s: %v", path, i, k, e)
					}
				}
				if e["at"] == nil || e["action"] == nil || e["actor_role"] == nil {
					t.Errorf("observer's %s entry %d lacks what happened, when or by which role: %v", path, i, e)
				}
				if i < len(staff) && (e["action"] != staff[i]["action"] || e["at"] != staff[i]["at"] || e["actor_role"] != staff[i]["actor_role"]) {
					t.Errorf("observer's %s entry %d is %v, admin's is %v", path, i, e, staff[i])
				}
			}
			for _, c := range cursors {
				if _, err := strconv.ParseInt(c, 10, 64); err == nil || seqs[c] {
					t.Errorf("observer's %s cursor %q is a sequence number", path, c)
				}
				if raw, err := json.Marshal(c); err == nil && strings.Contains(string(raw), "seq") {
					t.Errorf("observer's %s cursor %q names seq", path, c)
				}
			}
		}
	})
}
