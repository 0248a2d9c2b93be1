package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// A flood of refusals adds one entry per actor, route and minute, naming at
// most ten objects; a window is written only once it has ended (Flush) or at
// Close; pairs beyond the cap go into one overflow entry; the chain verifies.
func TestDenialsAreBounded(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := audit.NewLog(d)
		den := audit.NewDenials(l)
		now := time.Date(2026, 12, 7, 10, 0, 1, 0, time.UTC)
		den.SetClock(func() time.Time { return now })
		count := func() int {
			t.Helper()
			p, err := l.List(ctx, audit.Filter{Action: audit.DeniedAction, Limit: audit.MaxPage})
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Items)
		}

		for i := 0; i < 5000; i++ {
			den.Note(audit.Denial{ActorID: "u-prober", ActorRole: "lawyer", Route: "GET /api/v1/cases/:id", Status: 404,
				Code: "case_not_found", CaseID: fmt.Sprintf("c-%d", i%3), Objects: []string{fmt.Sprintf("id=c-%d", i)}, ClientIP: "192.0.2.9"})
		}
		den.Note(audit.Denial{ActorID: "u-prober", ActorRole: "lawyer", Route: "PATCH /api/v1/cases/:id", Status: 403, CaseID: "c-1"})
		if err := den.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Fatalf("%d entries written while their minute is open", n)
		}
		now = now.Add(time.Minute)
		if err := den.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		p, err := l.List(ctx, audit.Filter{Action: audit.DeniedAction})
		if err != nil || len(p.Items) != 2 {
			t.Fatalf("after the minute: %d entries, %v; want 2", len(p.Items), err)
		}
		byRoute := map[string]audit.Row{}
		for _, r := range p.Items {
			byRoute[r.ObjectID] = r
		}
		get := byRoute["GET /api/v1/cases/:id"]
		want := `{"case_ids":["c-0","c-1","c-2"],"codes":{"case_not_found":5000},"count":5000,"first_at":"2026-12-07T10:00:01.000000Z",` +
			`"last_at":"2026-12-07T10:00:01.000000Z","objects":["id=c-0","id=c-1","id=c-2","id=c-3","id=c-4","id=c-5","id=c-6","id=c-7","id=c-8","id=c-9"],` +
			`"objects_omitted":4990,"statuses":{"404":5000},"window_start":"2026-12-07T10:00:00Z"}`
		if get.Details != want || get.Outcome != "denied" || get.ActorID != "u-prober" || get.ActorRole != "lawyer" || get.CaseID != "" ||
			get.ClientIP != "192.0.2.9" || get.ObjectType != "route" {
			t.Errorf("GET entry: %+v\nwant details %s", get, want)
		}
		if patch := byRoute["PATCH /api/v1/cases/:id"]; patch.CaseID != "c-1" {
			t.Errorf("PATCH entry of one case: %+v", patch)
		}

		// More (actor, route) pairs than the cap: the rest in one overflow entry.
		audit.SetMaxDenialBuckets(den, 3)
		for i := 0; i < 10; i++ {
			den.Note(audit.Denial{ActorID: fmt.Sprintf("u-%d", i), ActorRole: "observer", Route: "GET /api/v1/detainees/:id", Status: 404})
		}
		if err := den.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 2+3+1 {
			t.Errorf("%d entries, want 6 (3 pairs and one overflow entry)", n)
		}
		over, err := l.List(ctx, audit.Filter{Action: audit.DeniedAction, ObjectID: "(overflow)"})
		if err != nil || len(over.Items) != 1 || over.Items[0].Details != `{"count":7,"note":"more actors and routes than counted separately","window_start":"2026-12-07T10:01:00Z"}` {
			t.Errorf("overflow: %+v %v", over.Items, err)
		}
		if rep, err := l.Verify(ctx, nil); err != nil || !rep.OK() {
			t.Errorf("verify: %+v %v", rep, err)
		}
	})
}
