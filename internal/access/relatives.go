package access

import "github.com/habeas-org/habeas/internal/actor"

// Relatives and contacts of a detainee (issue 25, docs/relatives.md): a
// relative is visible exactly to who may see the detainee through its own
// cases (DetaineeIDHeld: not through a case where it is a co-defendant),
// except that callers who may not read confidential fields (observers)
// never see a confidential relative at all (not found, not listed, not
// counted, not exported) nor the contact or address of any relative. Consent records and
// the pressure events linked to a relative follow the relative. Admins,
// coordinators and a lawyer holding one of the detainee's cases write them
// (the rule of detainee edits, MayEditCase).

// RelativeVisible returns the condition "the relative row of table is
// visible to p". table must be a table name or alias written in code.
func RelativeVisible(p *actor.Principal, table string) Cond {
	c := DetaineeIDHeld(p, table+".detainee_id")
	if SeesConfidential(p) {
		return c
	}
	return Cond{SQL: "(" + c.SQL + ") AND " + table + ".confidential = ?", Args: append(append([]any{}, c.Args...), false)}
}

// SeesRelativeContact reports whether p may read the contact and address
// of a relative it sees (never an observer).
func SeesRelativeContact(p *actor.Principal) bool { return SeesConfidential(p) }

// MayEditRelatives reports whether p may add, edit and delete the relatives
// of a detainee it sees and record their consent.
func MayEditRelatives(p *actor.Principal) bool { return MayEditCase(p) }
