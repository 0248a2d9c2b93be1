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

func TestListFiltersAndPages(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := audit.NewLog(d)
		for i := 1; i <= 7; i++ {
			e := audit.Entry{Action: "case.read", ObjectType: "case", ObjectID: fmt.Sprint(i), CaseID: fmt.Sprint(i % 2), ActorID: "a"}
			if i%3 == 0 {
				e.Action, e.CaseID, e.ActorID = "auth.login", "", "b"
			}
			if err := l.Record(ctx, nil, e); err != nil {
				t.Fatal(err)
			}
		}
		p, err := l.List(ctx, audit.Filter{Limit: 3})
		if err != nil || len(p.Items) != 3 || p.Items[0].Seq != 7 || p.NextCursor != "5" {
			t.Fatalf("page 1: %+v %v", p, err)
		}
		var seen []int64
		cursor := int64(0)
		for {
			p, err := l.List(ctx, audit.Filter{Limit: 3, Before: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range p.Items {
				seen = append(seen, r.Seq)
			}
			if p.NextCursor == "" {
				break
			}
			fmt.Sscan(p.NextCursor, &cursor)
		}
		if fmt.Sprint(seen) != "[7 6 5 4 3 2 1]" {
			t.Fatalf("paging saw %v", seen)
		}
		for _, c := range []struct {
			name string
			f    audit.Filter
			want int
		}{
			{"actor", audit.Filter{ActorID: "b"}, 2},
			{"action", audit.Filter{Action: "case.read"}, 5},
			{"case", audit.Filter{CaseID: "1"}, 3},
			{"object", audit.Filter{ObjectType: "case", ObjectID: "4"}, 1},
			{"only cases", audit.Filter{OnlyCases: true}, 5},
			{"time range empty", audit.Filter{To: time.Now().Add(-time.Hour)}, 0},
			{"time range all", audit.Filter{From: time.Now().Add(-time.Hour), To: time.Now().Add(time.Hour)}, 7},
			{"sql meta characters", audit.Filter{ActorID: "' OR '1'='1"}, 0},
		} {
			p, err := l.List(ctx, c.f)
			if err != nil || len(p.Items) != c.want {
				t.Errorf("%s: %d items, %v; want %d", c.name, len(p.Items), err, c.want)
			}
		}
	})
}
