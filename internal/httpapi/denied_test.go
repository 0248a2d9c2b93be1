package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Issue 22, finding 2: a lawyer of another case probing a case's objects
// gets the 404 of a missing object (same body) and leaves a trace: denied
// entries in the audit trail, one per actor, route and minute with the
// count, however many probes; refused changes (403) too. The chain stays
// intact.
func TestDeniedProbesAreAudited(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		admin, prober, obs, other := e.users[rAdmin].token, e.users[rLawB].token, e.users[rObsA].token, e.users[rObsB].token
		clock := time.Date(2026, 12, 7, 10, 0, 5, 0, time.UTC)
		e.s.App.Denials.SetClock(func() time.Time { return clock })

		body := func(r *testkit.Response) map[string]any {
			var m map[string]any
			if err := json.Unmarshal(r.Body, &m); err != nil {
				t.Fatalf("%s: %v", r.Body, err)
			}
			delete(m, "request_id")
			return m
		}
		// The 404 of a foreign object is the 404 of a missing one (asked by
		// an observer of another case).
		missing := "01900000-0000-7000-8000-000000000000"
		for _, c := range []struct{ real, fake string }{
			{"/api/v1/cases/" + own.caseID, "/api/v1/cases/" + missing},
			{"/api/v1/detainees/" + own.detainee, "/api/v1/detainees/" + missing},
			{"/api/v1/cases/" + own.caseID + "/evidence/" + own.evidence, "/api/v1/cases/" + own.caseID + "/evidence/" + missing},
		} {
			a := e.s.Do(testkit.Request{Method: "GET", Path: c.real, Token: other})
			b := e.s.Do(testkit.Request{Method: "GET", Path: c.fake, Token: other})
			ba, bb := body(a), body(b)
			if a.StatusCode != 404 || b.StatusCode != 404 || ba["code"] != bb["code"] || ba["message"] != bb["message"] || len(ba) != len(bb) {
				t.Errorf("%s: %d %s; missing: %d %s", c.real, a.StatusCode, a.Body, b.StatusCode, b.Body)
			}
		}

		probes := []testkit.Request{
			{Method: "GET", Path: "/api/v1/cases/" + own.caseID},
			{Method: "GET", Path: "/api/v1/detainees/" + own.detainee},
			{Method: "GET", Path: "/api/v1/cases/" + own.caseID + "/evidence/" + own.evidence + "/content"},
			{Method: "PATCH", Path: "/api/v1/cases/" + own.caseID, Header: http.Header{"If-Match": {`"1"`}}, Body: map[string]any{"summary": "x"}},
		}
		// 40 probes in one minute, 40 in the next.
		for minute := 0; minute < 2; minute++ {
			for i := 0; i < 10; i++ {
				for _, p := range probes {
					p.Token = prober
					if r := e.s.Do(p); r.StatusCode != 404 {
						t.Fatalf("%s %s: %d %s", p.Method, p.Path, r.StatusCode, r.Body)
					}
				}
			}
			clock = clock.Add(time.Minute)
		}
		// An observer's refused change: 403, counted too.
		for i := 0; i < 3; i++ {
			r := e.s.Do(testkit.Request{Method: "PATCH", Path: "/api/v1/cases/" + own.caseID, Token: obs,
				Header: http.Header{"If-Match": {`"1"`}}, Body: map[string]any{"summary": "x"}})
			if r.StatusCode != 403 {
				t.Fatalf("observer PATCH: %d %s", r.StatusCode, r.Body)
			}
		}
		if err := e.s.App.Denials.Close(context.Background()); err != nil {
			t.Fatal(err)
		}

		var pg struct {
			Items []struct {
				ActorID   string         `json:"actor_id"`
				ActorRole string         `json:"actor_role"`
				Action    string         `json:"action"`
				Outcome   string         `json:"outcome"`
				ObjectID  string         `json:"object_id"`
				CaseID    string         `json:"case_id"`
				Details   map[string]any `json:"details"`
			} `json:"items"`
		}
		r := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?action=access.denied&limit=200", Token: admin})
		if r.StatusCode != 200 {
			t.Fatalf("audit: %d %s", r.StatusCode, r.Body)
		}
		r.JSON(t, &pg)
		perActor := map[string]int{}
		entries := map[string]int{}
		for _, it := range pg.Items {
			if it.Outcome != "denied" {
				t.Errorf("entry %+v: outcome %s", it, it.Outcome)
			}
			n, _ := it.Details["count"].(float64)
			perActor[it.ActorID] += int(n)
			entries[it.ActorID]++
			if it.ActorID == e.users[rLawB].p.UserID {
				if it.CaseID != own.caseID && !strings.HasPrefix(it.ObjectID, "GET /api/v1/detainees/") {
					t.Errorf("probe entry %s names case %q, want %s", it.ObjectID, it.CaseID, own.caseID)
				}
				if int(n) != 10 || it.ActorRole != "lawyer" {
					t.Errorf("probe entry %s: count %v role %s, want 10 a minute by a lawyer", it.ObjectID, it.Details["count"], it.ActorRole)
				}
			}
		}
		prob, obsID, otherID := e.users[rLawB].p.UserID, e.users[rObsA].p.UserID, e.users[rObsB].p.UserID
		if perActor[prob] != 80 || entries[prob] != 2*len(probes) {
			t.Errorf("prober: %d denials in %d entries, want 80 in %d (one per route and minute)", perActor[prob], entries[prob], 2*len(probes))
		}
		if perActor[obsID] != 3 || entries[obsID] != 1 {
			t.Errorf("observer's refused change: %d denials in %d entries, want 3 in 1", perActor[obsID], entries[obsID])
		}
		if perActor[otherID] != 6 || entries[otherID] != 3 {
			t.Errorf("foreign and missing objects: %d denials in %d entries, want 6 in 3", perActor[otherID], entries[otherID])
		}
		var rep struct {
			Intact bool `json:"intact"`
		}
		v := e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit/verify", Token: admin})
		v.JSON(t, &rep)
		if v.StatusCode != 200 || !rep.Intact {
			t.Errorf("verify: %d %s", v.StatusCode, v.Body)
		}
	})
}

// A refused read of the audit log is counted like every other refusal (one
// access.denied entry per actor, route and minute), not written as an entry
// of its own per request: any signed-in user could otherwise grow the log
// without bound by asking for it.
func TestRefusedAuditReadsAreCounted(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		admin, obs := e.users[rAdmin].token, e.users[rObsA].token
		e.s.App.Denials.SetClock(func() time.Time { return time.Date(2026, 12, 7, 10, 0, 5, 0, time.UTC) })
		for i := 0; i < 25; i++ {
			for _, path := range []string{"/api/v1/audit", "/api/v1/audit/verify"} {
				if r := e.s.Do(testkit.Request{Method: "GET", Path: path, Token: obs}); r.StatusCode != 403 {
					t.Fatalf("observer GET %s: %d %s", path, r.StatusCode, r.Body)
				}
			}
		}
		if err := e.s.App.Denials.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		type page struct {
			Items []struct {
				ActorID  string         `json:"actor_id"`
				Action   string         `json:"action"`
				Outcome  string         `json:"outcome"`
				ObjectID string         `json:"object_id"`
				Details  map[string]any `json:"details"`
			} `json:"items"`
		}
		obsID := e.users[rObsA].p.UserID
		for _, action := range []string{"audit.read", "audit.verify"} {
			var pg page
			e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?limit=200&action=" + action + "&actor_id=" + obsID, Token: admin}).JSON(t, &pg)
			if len(pg.Items) != 0 {
				t.Errorf("%s: %d entries of their own for the observer's refusals, want 0 (counted instead)", action, len(pg.Items))
			}
		}
		var pg page
		e.s.Do(testkit.Request{Method: "GET", Path: "/api/v1/audit?limit=200&action=access.denied&actor_id=" + obsID, Token: admin}).JSON(t, &pg)
		counts := map[string]float64{}
		for _, it := range pg.Items {
			n, _ := it.Details["count"].(float64)
			counts[it.ObjectID] += n
		}
		if len(pg.Items) != 2 || counts["GET /api/v1/audit"] != 25 || counts["GET /api/v1/audit/verify"] != 25 {
			t.Errorf("access.denied of the observer: %d entries %v, want 2 entries counting 25 each", len(pg.Items), counts)
		}
	})
}
