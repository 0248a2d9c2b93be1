package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

type auditPage struct {
	Items []struct {
		Seq     int64          `json:"seq"`
		Action  string         `json:"action"`
		CaseID  string         `json:"case_id"`
		Details map[string]any `json:"details"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func TestAuditAPI(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		admin, _ := testkit.UserToken(t, s, actor.Admin)
		coord, _ := testkit.UserToken(t, s, actor.Coordinator)
		lawyer, _ := testkit.UserToken(t, s, actor.Lawyer)
		observer, _ := testkit.UserToken(t, s, actor.Observer)

		// A case, so that coordinators have case entries to read.
		r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: coord, Body: map[string]any{"name": "丁家喜"}})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("create detainee: %d %s", r.StatusCode, r.Body)
		}
		var det struct{ ID string }
		r.JSON(t, &det)
		r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/cases", Token: coord, Body: map[string]any{"detainee_id": det.ID, "detained_at": "2019-12-26"}})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("create case: %d %s", r.StatusCode, r.Body)
		}
		var cs struct{ ID string }
		r.JSON(t, &cs)

		for _, c := range []struct {
			name, token, path string
			status            int
		}{
			{"anonymous", "", "/api/v1/audit", 401},
			{"lawyer", lawyer, "/api/v1/audit", 403},
			{"observer", observer, "/api/v1/audit", 403},
			{"coordinator verify", coord, "/api/v1/audit/verify", 403},
			{"lawyer verify", lawyer, "/api/v1/audit/verify", 403},
			{"bad limit", admin, "/api/v1/audit?limit=201", 400},
			{"bad time", admin, "/api/v1/audit?from=yesterday", 400},
			{"bad cursor", admin, "/api/v1/audit?cursor=-4", 400},
			{"sql in filter", admin, "/api/v1/audit?actor_id=%27%20OR%20%271%27%3D%271", 200},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := s.Do(testkit.Request{Method: "GET", Path: c.path, Token: c.token})
				if r.StatusCode != c.status {
					t.Fatalf("status %d, want %d: %s", r.StatusCode, c.status, r.Body)
				}
			})
		}

		// Admin reads everything, in pages, newest first.
		var all auditPage
		r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?limit=200", Token: admin})
		if r.StatusCode != 200 {
			t.Fatalf("admin list: %d %s", r.StatusCode, r.Body)
		}
		r.JSON(t, &all)
		if len(all.Items) < 3 {
			t.Fatalf("admin sees %d entries", len(all.Items))
		}
		for i := 1; i < len(all.Items); i++ {
			if all.Items[i].Seq >= all.Items[i-1].Seq {
				t.Fatalf("not newest first at %d", i)
			}
		}
		var p1 auditPage
		s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?limit=2", Token: admin}).JSON(t, &p1)
		if len(p1.Items) != 2 || p1.NextCursor == nil {
			t.Fatalf("page of 2: %+v", p1)
		}
		var p2 auditPage
		s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?limit=2&cursor=" + *p1.NextCursor, Token: admin}).JSON(t, &p2)
		if len(p2.Items) == 0 || p2.Items[0].Seq >= p1.Items[1].Seq {
			t.Fatalf("second page does not follow the first: %+v then %+v", p1.Items, p2.Items)
		}

		// A coordinator reads only entries of cases.
		var cp auditPage
		r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?limit=200", Token: coord})
		if r.StatusCode != 200 {
			t.Fatalf("coordinator list: %d %s", r.StatusCode, r.Body)
		}
		r.JSON(t, &cp)
		if len(cp.Items) == 0 {
			t.Fatal("coordinator sees no case entries")
		}
		for _, e := range cp.Items {
			if e.CaseID == "" {
				t.Errorf("coordinator sees a non-case entry: %+v", e)
			}
		}
		var byCase auditPage
		s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?case_id=" + cs.ID, Token: coord}).JSON(t, &byCase)
		if len(byCase.Items) == 0 || byCase.Items[0].CaseID != cs.ID {
			t.Errorf("case filter: %+v", byCase.Items)
		}

		// Reading the log is itself in the log.
		var reads auditPage
		s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?action=audit.read", Token: admin}).JSON(t, &reads)
		if len(reads.Items) < 3 {
			t.Errorf("audit reads not recorded: %d entries", len(reads.Items))
		}

		// Verify: intact, and itself recorded.
		var v struct {
			Intact  bool  `json:"intact"`
			Entries int64 `json:"entries"`
		}
		r = s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit/verify", Token: admin})
		if r.StatusCode != 200 {
			t.Fatalf("verify: %d %s", r.StatusCode, r.Body)
		}
		r.JSON(t, &v)
		if !v.Intact || v.Entries < int64(len(all.Items)) {
			t.Fatalf("verify: %+v", v)
		}
	})
}

// A change whose audit entry cannot be written is rolled back and answers 5xx.
func TestChangeFailsClosedWhenAuditUnwritable(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		admin, _ := testkit.UserToken(t, s, actor.Admin)
		if err := d.Exec("ALTER TABLE audit_log RENAME TO audit_log_unwritable").Error; err != nil {
			t.Fatal(err)
		}
		r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/detainees", Token: admin, Body: map[string]any{"name": "Ilham Tohti"}})
		if r.StatusCode < 500 {
			t.Fatalf("status %d with the audit log unwritable: %s", r.StatusCode, r.Body)
		}
		if err := d.Exec("ALTER TABLE audit_log_unwritable RENAME TO audit_log").Error; err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := d.Table("detainees").Count(&n).Error; err != nil || n != 0 {
			t.Fatalf("detainee stored although its audit entry failed: %d, %v", n, err)
		}
	})
}
