package audit

import (
	"context"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
)

var errAuditForbidden = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not read the audit log")

// Read lists the entries p may see (the Policy's Entries rule) matching f. Reading
// the log is itself recorded: who looked at which slice of it. A refusal is
// not written here, one entry per request (any signed-in user could then
// grow the log without bound by asking): the HTTP layer counts it with
// every other refusal, one access.denied entry per actor, route and minute
// (Denials).
func (l *Log) Read(ctx context.Context, p *actor.Principal, f Filter) (Page, error) {
	cond, ok := l.policy.entries(p)
	if !ok {
		return Page{}, errAuditForbidden
	}
	f.visible = &cond
	page, err := l.List(ctx, f)
	if err != nil {
		return Page{}, err
	}
	details := map[string]any{"results": len(page.Items)}
	for k, v := range map[string]string{"actor_id": f.ActorID, "case_id": f.CaseID, "object_type": f.ObjectType,
		"object_id": f.ObjectID, "action": f.Action} {
		if v != "" {
			details[k] = v
		}
	}
	if err := l.Record(ctx, nil, Entry{Action: "audit.read", ObjectType: "audit_log", CaseID: f.CaseID, Details: details}); err != nil {
		return Page{}, err // a read that cannot be recorded is not served
	}
	return page, nil
}

// VerifyAs runs Verify for p (the Policy's MayVerify rule: admins) and records that it ran and what it found.
// A refusal is counted by the HTTP layer, as for Read.
func (l *Log) VerifyAs(ctx context.Context, p *actor.Principal) (Report, error) {
	if !l.policy.mayVerify(p) {
		return Report{}, apperr.New(apperr.ErrForbidden, "forbidden", "only an admin may verify the audit log")
	}
	rep, err := l.Verify(ctx, nil)
	if err != nil {
		return Report{}, err
	}
	details := map[string]any{"entries": rep.Entries, "intact": rep.OK()}
	if !rep.OK() {
		details["first_bad_seq"] = rep.Problem.Seq
	}
	if err := l.Record(ctx, nil, Entry{Action: "audit.verify", ObjectType: "audit_log", Details: details}); err != nil {
		return Report{}, err
	}
	return rep, nil
}
