package access

import "github.com/habeas-org/habeas/internal/actor"

// Timeline (issue 6): events and hearings are visible to whoever sees their
// case, except that confidential ones are hidden from those who may not read
// confidential fields (observers): the same rule as evidence. Admins,
// coordinators and the case's lawyers add, edit and soft-delete events and
// add and edit hearings (MayEditCase). Every signed-in user may have a
// calendar feed, which serves the hearings that user can see at the time of
// each fetch, never confidential ones.

// TimelineRowVisible returns the condition "the event or hearing row of table
// is visible to p". table must be a table name or alias written in code.
func TimelineRowVisible(p *actor.Principal, table string) Cond {
	c := CaseIDVisible(p, table+".case_id")
	if SeesConfidential(p) {
		return c
	}
	return Cond{SQL: "(" + c.SQL + ") AND " + table + ".confidential = ?", Args: append(append([]any{}, c.Args...), false)}
}

// MayEditTimeline reports whether p may add, edit and delete events and add
// and edit hearings of a case it sees.
func MayEditTimeline(p *actor.Principal) bool { return MayEditCase(p) }

// MayHaveCalendarFeed reports whether p may create, rotate and revoke their
// own calendar feed (every signed-in user).
func MayHaveCalendarFeed(p *actor.Principal) bool {
	return p != nil && p.UserID != "" && p.Role.Valid()
}

// FeedPrincipal is the principal a calendar feed acts as: its owner, with
// the role they hold now (a changed role or a lost assignment takes effect
// on the next fetch).
func FeedPrincipal(userID string, role actor.Role) *actor.Principal {
	return &actor.Principal{UserID: userID, Role: role}
}

// UNCommunicationVisible returns the condition "the UN communication row of
// table is visible to p": the rule of timeline rows (need-to-know as the
// case; observers only on cases shared with them, never confidential rows).
func UNCommunicationVisible(p *actor.Principal, table string) Cond {
	return TimelineRowVisible(p, table)
}

// MayEditUNCommunications reports whether p may add, edit and delete the UN
// communications of a case it sees (admins, coordinators, the case's lawyers).
func MayEditUNCommunications(p *actor.Principal) bool { return MayEditCase(p) }
