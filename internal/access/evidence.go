package access

import "github.com/habeas-org/habeas/internal/actor"

// Evidence (issue 7): an item is visible to whoever sees its case, except
// that confidential items are hidden from those who may not read
// confidential fields (observers). Admins, coordinators and the case's
// lawyers add evidence and edit its metadata (MayEditCase); only admins and
// coordinators delete it.

// EvidenceVisible returns the condition "the evidence row of table is
// visible to p". table must be a table name or alias written in code.
func EvidenceVisible(p *actor.Principal, table string) Cond {
	c := CaseIDVisible(p, table+".case_id")
	if SeesConfidential(p) {
		return c
	}
	return Cond{SQL: "(" + c.SQL + ") AND " + table + ".confidential = ?", Args: append(append([]any{}, c.Args...), false)}
}

// MayDeleteEvidence reports whether p may soft-delete evidence of a case it sees.
func MayDeleteEvidence(p *actor.Principal) bool { return seesAll(p) }

// SeesWhoActed reports whether p may learn which user did what to the
// evidence of a case it sees (the user ids and request ids of its chain of
// custody, and the audit sequence numbers whose gaps reveal activity
// elsewhere). Observers are outside the defense team: they see what
// happened, when, and the role that did it, never which staff member.
func SeesWhoActed(p *actor.Principal) bool { return p != nil && p.Role != actor.Observer }
