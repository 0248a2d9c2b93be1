// Package access is Habeas's one access policy: who may see and do what to
// which case and the objects that hang from it. The visibility rules are
// compiled into SQL (gorm scopes and subqueries) so that every lookup, list,
// count, search and export is filtered by the database, never after loading;
// an object the caller may not see is simply not found.
//
// The rules (issue 5):
//   - admin and coordinator see every case, detainee and lawyer;
//   - a lawyer sees the cases where a lawyer record linked to their user holds
//     an ACTIVE assignment, the detainees of those cases, the lawyers assigned
//     to them and their own lawyer record;
//   - an observer sees the cases shared with them (share not revoked), the
//     detainees of those cases and the lawyers assigned to them, never a
//     confidential field and never a lawyer marked confidential ("must not
//     be named outside", issue 25) nor that lawyer's assignments;
//   - a detainee linked to a visible case as a co-defendant (issue 25) is
//     visible too, never that detainee's other cases;
//   - anonymous callers see nothing.
//
// Only admin and coordinator create detainees, cases, lawyers, assignments
// and shares; a lawyer edits the cases they hold (and their detainees).
package access

import (
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
)

// Scope is a gorm scope adding the visibility condition to a query.
type Scope = func(*gorm.DB) *gorm.DB

// Cond is a SQL condition with its bound arguments. The SQL text is built
// only from constants of this package; user input is only ever an argument.
// The type is declared in internal/db so that internal/audit, below this
// policy, can take the conditions it compiles.
type Cond = db.Cond

var (
	all  = Cond{SQL: "1 = 1"}
	none = Cond{SQL: "1 = 0"}
)

// seesAll reports whether p sees every case.
func seesAll(p *actor.Principal) bool {
	return p != nil && (p.Role == actor.Admin || p.Role == actor.Coordinator)
}

// CaseIDVisible returns the condition "the case id in column col is visible
// to p". col must be a column reference written in code ("cases.id"), never input.
func CaseIDVisible(p *actor.Principal, col string) Cond {
	switch {
	case p == nil || p.UserID == "":
		return none
	case seesAll(p):
		return all
	case p.Role == actor.Lawyer:
		return Cond{
			SQL: col + ` IN (SELECT acc_a.case_id FROM assignments acc_a JOIN lawyers acc_l ON acc_l.id = acc_a.lawyer_id` +
				` WHERE acc_l.user_id = ? AND acc_a.status = 'active')`,
			Args: []any{p.UserID},
		}
	case p.Role == actor.Observer:
		return Cond{
			SQL:  col + ` IN (SELECT acc_s.case_id FROM case_shares acc_s WHERE acc_s.user_id = ? AND acc_s.revoked_at IS NULL)`,
			Args: []any{p.UserID},
		}
	default:
		return none
	}
}

// DetaineeIDVisible returns the condition "the detainee id in column col is
// visible to p": a detainee is visible through any visible case, as its
// principal detainee (cases.detainee_id) or as one of the other detainees
// linked to it (case_detainees: co-defendants, issue 25). Seeing a
// co-defendant does not open the co-defendant's other cases. One IN over a
// UNION ALL, so that callers keep a single condition.
func DetaineeIDVisible(p *actor.Principal, col string) Cond {
	if p == nil || p.UserID == "" {
		return none
	}
	if seesAll(p) {
		return all
	}
	c := CaseIDVisible(p, "acc_c.id")
	l := CaseIDVisible(p, "acc_cd.case_id")
	return Cond{
		SQL: col + ` IN (SELECT acc_c.detainee_id FROM cases acc_c WHERE ` + c.SQL +
			` UNION ALL SELECT acc_cd.detainee_id FROM case_detainees acc_cd WHERE ` + l.SQL + `)`,
		Args: append(append([]any{}, c.Args...), l.Args...),
	}
}

// DetaineeIDHeld returns the condition "the detainee id in column col is
// the principal detainee of a case visible to p" (everyone for admin and
// coordinator). A lawyer edits the detainees of the cases they hold, and
// the relatives of a detainee follow the detainee's own cases: seeing a
// detainee as a co-defendant of a case gives neither (issue 25).
func DetaineeIDHeld(p *actor.Principal, col string) Cond {
	if p == nil || p.UserID == "" {
		return none
	}
	if seesAll(p) {
		return all
	}
	c := CaseIDVisible(p, "acc_c.id")
	return Cond{SQL: col + ` IN (SELECT acc_c.detainee_id FROM cases acc_c WHERE ` + c.SQL + `)`, Args: c.Args}
}

// LawyerIDVisible returns the condition "the lawyer row aliased table is
// visible to p": a lawyer sees their own record and the lawyers assigned to
// the cases they see; an observer the lawyers assigned to shared cases.
func LawyerIDVisible(p *actor.Principal, table string) Cond {
	if p == nil || p.UserID == "" {
		return none
	}
	if seesAll(p) {
		return all
	}
	c := CaseIDVisible(p, "acc_la.case_id")
	sql := table + `.id IN (SELECT acc_la.lawyer_id FROM assignments acc_la WHERE ` + c.SQL + `)`
	args := c.Args
	if p.Role == actor.Lawyer {
		sql = `(` + table + `.user_id = ? OR ` + sql + `)`
		args = append([]any{p.UserID}, args...)
	}
	out := Cond{SQL: sql, Args: args}
	if !SeesConfidential(p) {
		out = and(out, notConfidential(table))
	}
	return out
}

// AssignmentVisible returns the condition "the assignment row of table is
// visible to p": an assignment of a case p sees, except, for those who may
// not read confidential fields (observers), the assignments of a lawyer
// marked confidential.
func AssignmentVisible(p *actor.Principal, table string) Cond {
	c := CaseIDVisible(p, table+".case_id")
	if SeesConfidential(p) {
		return c
	}
	return and(c, LawyerNamed(p, table+".lawyer_id"))
}

// LawyerNamed returns the condition "the lawyer whose id is in column col
// may be named to p": every lawyer for those who read confidential fields,
// for the others (observers) the lawyers not marked confidential. A filter
// by lawyer (the case and detainee lists, the time-limit dashboard) adds
// it, so that an observer cannot learn which cases a confidential lawyer
// holds.
func LawyerNamed(p *actor.Principal, col string) Cond {
	if SeesConfidential(p) {
		return all
	}
	return Cond{SQL: col + ` NOT IN (SELECT acc_cl.id FROM lawyers acc_cl WHERE acc_cl.confidential = ?)`, Args: []any{true}}
}

// notConfidential is the condition "the row of table is not marked confidential".
func notConfidential(table string) Cond {
	return Cond{SQL: table + ".confidential = ?", Args: []any{false}}
}

// and is the conjunction of two conditions.
func and(a, b Cond) Cond {
	return Cond{SQL: "(" + a.SQL + ") AND (" + b.SQL + ")", Args: append(append([]any{}, a.Args...), b.Args...)}
}

func scope(c Cond) Scope {
	return func(db *gorm.DB) *gorm.DB { return db.Where(c.SQL, c.Args...) }
}

// Cases scopes a query on table cases to the cases p may see.
func Cases(p *actor.Principal) Scope { return scope(CaseIDVisible(p, "cases.id")) }

// Detainees scopes a query on table detainees to the detainees p may see.
func Detainees(p *actor.Principal) Scope { return scope(DetaineeIDVisible(p, "detainees.id")) }

// Lawyers scopes a query on table lawyers to the lawyers p may see.
func Lawyers(p *actor.Principal) Scope { return scope(LawyerIDVisible(p, "lawyers")) }

// SeesConfidential reports whether p may read confidential fields (family
// contacts, home address, lawyer contact, confidential notes). Observers never do.
func SeesConfidential(p *actor.Principal) bool {
	return p != nil && (p.Role == actor.Admin || p.Role == actor.Coordinator || p.Role == actor.Lawyer)
}

// SeesConfidentialExport reports whether an export made by p may carry
// confidential columns: only admin and coordinator.
func SeesConfidentialExport(p *actor.Principal) bool { return seesAll(p) }

// Manages reports whether p may create detainees, cases, lawyers,
// assignments and shares, delete them, and edit lawyers and assignments.
func Manages(p *actor.Principal) bool { return seesAll(p) }

// MayEditCase reports whether p may edit a case it can see (and the
// detainee of such a case, DetaineeIDHeld): admin, coordinator, and a
// lawyer (who only sees the cases they hold). It is also the rule of the
// other detainees linked to a case (MayEditCaseDetainees).
func MayEditCase(p *actor.Principal) bool {
	return seesAll(p) || (p != nil && p.Role == actor.Lawyer)
}

// MaySeeShares reports whether p may list who a case is shared with.
func MaySeeShares(p *actor.Principal) bool { return seesAll(p) }

// MayPickUsers reports whether p may look users up by name to share a case
// with an observer or link a lawyer record to a lawyer's account: admin and
// coordinator, the roles that manage shares and lawyers.
func MayPickUsers(p *actor.Principal) bool { return seesAll(p) }

// PickableRoles are the roles of the accounts MayPickUsers callers find: the
// observers a case is shared with and the lawyers a lawyer record links to.
// Admin and coordinator accounts are never listed to them.
var PickableRoles = []actor.Role{actor.Observer, actor.Lawyer}

// MayEditCaseDetainees reports whether p may link detainees to a case it
// sees, change their role and unlink them (issue 25): who may edit the case.
func MayEditCaseDetainees(p *actor.Principal) bool { return MayEditCase(p) }
