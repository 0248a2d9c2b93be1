package support_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
)

func ptr[T any](v T) *T { return &v }

// must returns v, or panics with err (the test fails).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestBoardCountersEqualTheActions (issue 21): after creates, workflow
// steps, and changes of status, type and due day made behind the service's
// back (UPDATE and DELETE on the table, as a repair or a restore would),
// the board's summary from the counters (an admin's board, filtered by
// nothing, status, type or both) equals the aggregation of the actions
// themselves, on several days; and a lawyer's board, which the counters do
// not serve, counts only the actions of the lawyer's cases.
func TestBoardCountersEqualTheActions(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := testkit.NewServer(t, d, nil)
		admin := &actor.Principal{UserID: testkit.CreateUser(t, s, actor.Admin).ID, Role: actor.Admin}
		lawyerUser := testkit.CreateUser(t, s, actor.Lawyer)
		lawyer := &actor.Principal{UserID: lawyerUser.ID, Role: actor.Lawyer}
		cs, sup := s.App.Cases, s.App.Support
		var caseIDs []string
		for i := 0; i < 3; i++ {
			det := must(cs.CreateDetainee(ctx, admin, cases.DetaineeFields{Name: ptr(fmt.Sprintf("计数 %d", i))}))
			caseIDs = append(caseIDs, must(cs.CreateCase(ctx, admin, cases.CaseCreate{DetaineeID: det.ID})).ID)
		}
		rec := must(cs.CreateLawyer(ctx, admin, cases.LawyerFields{Name: ptr("计数律师"), UserID: &lawyerUser.ID}))
		must(cs.CreateAssignment(ctx, admin, caseIDs[0], cases.AssignmentCreate{LawyerID: rec.ID,
			AssignmentFields: cases.AssignmentFields{Role: ptr("org_appointed")}}))
		partner := must(sup.CreatePartner(ctx, admin, support.PartnerFields{Name: ptr("Embassy"), Kind: ptr("government")})).ID
		types := []string{"wgad_communication", "demarche", "media_campaign", "bar_statement"}
		dues := []string{"", "2024-01-10", "2024-01-11", "2024-02-01", "2099-01-01"}
		var ids []string
		for i := 0; i < 24; i++ {
			in := support.ActionFields{Type: ptr(types[i%len(types)]), DueAt: ptr(dues[i%len(dues)]), RequestedAt: ptr("2024-01-01")}
			if i%3 != 0 {
				in.AssigneePartnerID = &partner
			}
			ids = append(ids, must(sup.CreateAction(ctx, admin, caseIDs[i%len(caseIDs)], in)).ID)
		}
		// Workflow steps through the service: some further on, some closed
		// or declined (no longer open).
		for i, id := range ids {
			steps := map[int][]string{1: {"in_progress"}, 2: {"in_progress", "submitted", "response_received", "closed"},
				4: {"declined"}, 5: {"in_progress", "submitted"}}[i%6]
			if i%12 == 11 {
				steps = append(steps, "response_received") // every open status is held by some action
			}
			for _, st := range steps {
				a := must(sup.GetAction(ctx, admin, id))
				must(sup.UpdateAction(ctx, admin, id, a.Version, support.ActionPatch{Status: ptr(st)}))
			}
		}
		// Behind the service's back: the triggers keep the counters.
		exec := func(sql string, args ...any) {
			t.Helper()
			if err := d.Exec(sql, args...).Error; err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		exec("UPDATE support_actions SET type = ? WHERE id = ?", "other", ids[0])
		exec("UPDATE support_actions SET due_at = ? WHERE id = ?", "2023-12-31", ids[7])
		exec("UPDATE support_actions SET status = ?, due_at = ? WHERE id = ?", "cancelled", "2024-01-05", ids[8])
		exec("UPDATE support_actions SET status = ? WHERE id = ?", "assigned", ids[4]) // declined -> open again
		exec("UPDATE support_actions SET notes = ? WHERE id = ?", "no count changes", ids[9])
		exec("DELETE FROM support_action_changes WHERE action_id IN (?, ?)", ids[10], ids[11])
		exec("DELETE FROM support_actions WHERE id IN (?, ?)", ids[10], ids[11])

		filters := []support.ActionFilter{{}, {Status: "proposed"}, {Status: "closed"}, {Type: "demarche"},
			{Status: "in_progress", Type: "media_campaign"}, {Type: "other"}}
		for _, day := range []string{"2024-01-11", "2024-01-12", "2024-03-01", "2100-01-01"} {
			at := must(time.ParseInLocation("2006-01-02 15:04", day+" 12:00", time.FixedZone("CST", 8*3600)))
			sup.SetClock(func() time.Time { return at.UTC() })
			for _, f := range filters {
				page := must(sup.ListActions(ctx, admin, f))
				want := must(sup.SummaryByQuery(ctx, admin, f))
				if !reflect.DeepEqual(page.Summary, want) {
					t.Errorf("on %s, filter %+v: counters %+v, actions %+v", day, f, page.Summary, want)
				}
				if page.Total != want.Total {
					t.Errorf("on %s, filter %+v: total %d, want %d", day, f, page.Total, want.Total)
				}
			}
		}
		if sum := must(sup.ListActions(ctx, admin, support.ActionFilter{})).Summary; sum.Total != 22 || sum.Overdue == 0 {
			t.Errorf("admin board: total %d (want 22), overdue %d (want some)", sum.Total, sum.Overdue)
		}
		// The lawyer sees only the actions of the case they hold: the 8
		// made on it (every third; the deleted ids[10] and ids[11] were on
		// cases 1 and 2), not the 22 of the counters.
		sum := must(sup.ListActions(ctx, lawyer, support.ActionFilter{})).Summary
		if want := must(sup.SummaryByQuery(ctx, lawyer, support.ActionFilter{})); !reflect.DeepEqual(sum, want) || sum.Total != 8 {
			t.Errorf("lawyer's board: %+v, want %+v with total 8", sum, want)
		}
	})
}
