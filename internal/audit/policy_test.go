package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// TestReadsFollowThePolicy: a log built without a policy serves no caller,
// not even an admin; with one, Read applies its condition and VerifyAs its
// rule, and every refusal is itself recorded.
func TestReadsFollowThePolicy(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		admin := &actor.Principal{UserID: "u-admin", Role: actor.Admin}
		for _, caseID := range []string{"c1", "c2", ""} {
			if err := audit.NewLog(d).Record(ctx, nil, audit.Entry{Action: "case.read", ObjectType: "case", CaseID: caseID}); err != nil {
				t.Fatal(err)
			}
		}

		bare := audit.NewLog(d)
		if _, err := bare.Read(ctx, admin, audit.Filter{}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("read without a policy: %v, want forbidden", err)
		}
		if _, err := bare.VerifyAs(ctx, admin); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("verify without a policy: %v, want forbidden", err)
		}

		onlyC1 := audit.NewLog(d, audit.WithPolicy(audit.Policy{
			Entries: func(p *actor.Principal) (db.Cond, bool) {
				return db.Cond{SQL: "audit_log.case_id = ?", Args: []any{"c1"}}, p.Role == actor.Admin
			},
			MayVerify: func(p *actor.Principal) bool { return p.Role == actor.Admin },
		}))
		page, err := onlyC1.Read(ctx, admin, audit.Filter{Action: "case.read"})
		if err != nil || len(page.Items) != 1 || page.Items[0].CaseID != "c1" {
			t.Fatalf("read under the policy: %+v %v", page, err)
		}
		if _, err := onlyC1.Read(ctx, &actor.Principal{UserID: "u-obs", Role: actor.Observer}, audit.Filter{}); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("observer read: %v, want forbidden", err)
		}
		if rep, err := onlyC1.VerifyAs(ctx, admin); err != nil || !rep.OK() {
			t.Fatalf("admin verify: %+v %v", rep, err)
		}
		denied, err := onlyC1.List(ctx, audit.Filter{Action: "audit.read"})
		if err != nil {
			t.Fatal(err)
		}
		var refusals int
		for _, r := range denied.Items {
			if r.Outcome == string(audit.Denied) {
				refusals++
			}
		}
		// Refusals are counted by the HTTP layer (one access.denied entry per
		// actor, route and minute: TestRefusedAuditReadsAreCounted), never
		// written one per request here.
		if refusals != 0 {
			t.Fatalf("read refusals written one by one = %d, want 0", refusals)
		}
	})
}
