package access

import "github.com/habeas-org/habeas/internal/actor"

// AuditEntries returns which audit entries p may read: an admin every entry,
// a coordinator the entries that concern a case they can see; ok is false
// for every other role (a role-level refusal, 403).
func AuditEntries(p *actor.Principal) (c Cond, ok bool) {
	switch {
	case p == nil || p.UserID == "":
		return none, false
	case p.Role == actor.Admin:
		return all, true
	case p.Role == actor.Coordinator:
		v := CaseIDVisible(p, "audit_log.case_id")
		return Cond{SQL: "audit_log.case_id <> '' AND " + v.SQL, Args: v.Args}, true
	default:
		return none, false
	}
}

// MayVerifyAudit reports whether p may run the audit chain verification (admin).
func MayVerifyAudit(p *actor.Principal) bool {
	return p != nil && p.UserID != "" && p.Role == actor.Admin
}
