package access

import "github.com/habeas-org/habeas/internal/actor"

// CaseLinkVisible returns the condition "the case link row of table, read
// from the case whose id is bound as the argument of the caller, is visible
// to p": a link is seen only by those who see BOTH its cases (issue 25). A
// link to a case p may not see is not shown at all, nor counted.
func CaseLinkVisible(p *actor.Principal, table string) Cond {
	return and(CaseIDVisible(p, table+".case_id"), CaseIDVisible(p, table+".other_case_id"))
}

// MayEditCaseLinks reports whether p may link a case it can see to another
// case it can see, change or remove such a link: those who may edit the
// case (admin, coordinator, a lawyer holding both cases).
func MayEditCaseLinks(p *actor.Principal) bool { return MayEditCase(p) }

// MayLinkLawyerDetainee reports whether p may link a lawyer record to the
// detainee record that is the same person: those who manage lawyers.
func MayLinkLawyerDetainee(p *actor.Principal) bool { return Manages(p) }
