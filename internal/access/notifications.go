package access

import "github.com/habeas-org/habeas/internal/actor"

// Notifications (issue 26): a user reads only their own notifications, and
// of those only the ones about objects they may still see now: access is
// checked when the inbox is read and when an e-mail is delivered, not only
// when the notification was made. A notification about a case, a time limit
// or an expected release follows the case; about an event, a hearing, a
// support action or a UN communication, that row (deleted rows are gone);
// about evidence, a user or the system (the admin rules), admins only.

// NotificationVisible returns the condition "the notification row of table
// belongs to p and is about something p may see now". table must be a
// table name or alias written in code.
func NotificationVisible(p *actor.Principal, table string) Cond {
	if p == nil || p.UserID == "" {
		return none
	}
	c := CaseIDVisible(p, table+".case_id")
	ev := TimelineRowVisible(p, "acc_ne")
	hr := TimelineRowVisible(p, "acc_nh")
	sa := SupportActionVisible(p, "acc_ns")
	un := UNCommunicationVisible(p, "acc_nu")
	adminOnly := none
	if p.Role == actor.Admin {
		adminOnly = all
	}
	sql := table + `.user_id = ? AND (` +
		`(` + table + `.object_type IN ('case', 'deadline', 'release') AND ` + c.SQL + `)` +
		` OR (` + table + `.object_type = 'case_event' AND EXISTS (SELECT 1 FROM case_events acc_ne WHERE acc_ne.id = ` + table +
		`.object_id AND acc_ne.deleted_at IS NULL AND ` + ev.SQL + `))` +
		` OR (` + table + `.object_type = 'hearing' AND EXISTS (SELECT 1 FROM hearings acc_nh WHERE acc_nh.id = ` + table +
		`.object_id AND ` + hr.SQL + `))` +
		` OR (` + table + `.object_type = 'support_action' AND EXISTS (SELECT 1 FROM support_actions acc_ns WHERE acc_ns.id = ` + table +
		`.object_id AND ` + sa.SQL + `))` +
		` OR (` + table + `.object_type = 'un_communication' AND EXISTS (SELECT 1 FROM un_communications acc_nu WHERE acc_nu.id = ` + table +
		`.object_id AND acc_nu.deleted_at IS NULL AND ` + un.SQL + `))` +
		` OR (` + table + `.object_type IN ('evidence', 'user', 'system') AND ` + adminOnly.SQL + `))`
	args := []any{p.UserID}
	for _, x := range [][]any{c.Args, ev.Args, hr.Args, sa.Args, un.Args, adminOnly.Args} {
		args = append(args, x...)
	}
	return Cond{SQL: sql, Args: args}
}
