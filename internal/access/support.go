package access

import "github.com/habeas-org/habeas/internal/actor"

// International support (issue 8):
//   - admin and coordinator see, create, assign and edit every partner and
//     every support action;
//   - a lawyer sees the support actions of the cases they see (read-only) and
//     no partner record;
//   - an observer sees only the support actions assigned to them or to the
//     partner their account is linked to, whether or not the case is shared
//     with them (the case itself stays as visible as before), and may change
//     only their status (within ObserverTargetStatuses), response and notes;
//     they see only their own partner, without its contacts and notes;
//   - confidential support actions and partners (issue 25) are never seen by
//     an observer, not even when assigned to them or when the partner is
//     their own: not in lists, counts, the board, the case timeline, exports
//     or documents (an observer asking for one by id gets 404);
//   - anonymous callers see nothing.

// partnerOf is the subquery "the partner of user ?".
const partnerOf = `(SELECT acc_pu.partner_id FROM partner_users acc_pu WHERE acc_pu.user_id = ?)`

// SupportActionVisible returns the condition "the support action row of
// table is visible to p". table must be a table name or alias written in code.
func SupportActionVisible(p *actor.Principal, table string) Cond {
	switch {
	case p == nil || p.UserID == "":
		return none
	case seesAll(p):
		return all
	case p.Role == actor.Lawyer:
		return CaseIDVisible(p, table+".case_id")
	case p.Role == actor.Observer:
		return and(SupportActionMine(p, table), notConfidential(table))
	default:
		return none
	}
}

// SeesAllSupportActions reports whether p sees every support action (admin
// and coordinator): counts kept over all actions, such as the board's
// counters, are then p's counts. For anyone else they are not, and what p
// may count must come from a query under SupportActionVisible.
func SeesAllSupportActions(p *actor.Principal) bool { return seesAll(p) }

// SupportActionMine returns the condition "the support action row of table
// is assigned to p or to p's partner" (the caller's own work).
func SupportActionMine(p *actor.Principal, table string) Cond {
	if p == nil || p.UserID == "" {
		return none
	}
	return Cond{
		SQL:  `(` + table + `.assignee_user_id = ? OR ` + table + `.assignee_partner_id IN ` + partnerOf + `)`,
		Args: []any{p.UserID, p.UserID},
	}
}

// PartnerVisible returns the condition "the partner row of table is visible
// to p": all for admin and coordinator, their own partner for an observer.
func PartnerVisible(p *actor.Principal, table string) Cond {
	switch {
	case p == nil || p.UserID == "":
		return none
	case seesAll(p):
		return all
	case p.Role == actor.Observer:
		return and(Cond{SQL: table + `.id IN ` + partnerOf, Args: []any{p.UserID}}, notConfidential(table))
	default:
		return none
	}
}

// PartnerNamed returns the condition "the partner row of table may be named
// to p" (its name shown as the assignee of an action p sees): every
// partner for those who read confidential fields, the partners not marked
// confidential for the others (observers).
func PartnerNamed(p *actor.Principal, table string) Cond {
	if SeesConfidential(p) {
		return all
	}
	return notConfidential(table)
}

// ManagesSupport reports whether p may create partners and support actions,
// assign them and edit every field.
func ManagesSupport(p *actor.Principal) bool { return seesAll(p) }

// MayUpdateSupportAction reports whether p may change a support action it
// sees at all: admin and coordinator every field, an observer only the
// fields ObserverSupportFields (lawyers read only).
func MayUpdateSupportAction(p *actor.Principal) bool {
	return seesAll(p) || (p != nil && p.Role == actor.Observer)
}

// ObserverSupportFields are the JSON fields of a support action that an
// observer may change on the actions they see.
var ObserverSupportFields = []string{"status", "response", "notes"}

// ObserverTargetStatuses are the statuses an observer may move an action
// to (when the workflow allows the transition): assigning, closing and
// cancelling stay with the coordinators.
var ObserverTargetStatuses = []string{"in_progress", "submitted", "response_received", "declined"}

// SeesPartnerConfidential reports whether p may read a partner's contacts,
// notes and linked accounts: admin and coordinator only.
func SeesPartnerConfidential(p *actor.Principal) bool { return seesAll(p) }
