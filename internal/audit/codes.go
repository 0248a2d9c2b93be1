package audit

// Actions lists every audit action the server writes. The web shows each in
// the reader's language (web/src/i18n: audit.actions.<action>); api/openapi.yaml
// enumerates the same list (AuditEntry.action). A test checks that every
// action written in the Go source is listed here and in the API description,
// and the web's tests that both languages translate each.
var Actions = []string{
	DeniedAction,
	"assignment.create", "assignment.delete", "assignment.update",
	"audit.read", "audit.verify",
	"auth.activity.read", "auth.lockout", "auth.login", "auth.logout", "auth.mfa.verify",
	"auth.passkey.clone_warning", "auth.passkey.register", "auth.passkey.remove",
	"auth.password.change", "auth.password.check", "auth.refresh", "auth.session.revoke", "auth.token_refused",
	"auth.totp.confirm", "auth.totp.disable", "auth.totp.enroll",
	"authz.role",
	"backup.create", "backup.restore",
	"calendar.feed.create", "calendar.feed.read", "calendar.feed.revoke", "calendar.feed.rotate",
	"campaign.case_add", "campaign.case_remove", "campaign.create", "campaign.delete", "campaign.update",
	"case.create", "case.csv_export", "case.deadlines.read", "case.delete", "case.dossier_export", "case.follow", "case.import",
	"case.json_export", "case.read", "case.timeline.read", "case.unfollow", "case.update", "case.wgad_draft_export",
	"case_detainee.create", "case_detainee.delete", "case_detainee.update",
	"case_link.create", "case_link.delete", "case_link.update",
	"custody_period.create", "custody_period.delete", "custody_period.update",
	"deadlines.read", "deadlines.summary.read",
	"detainee.create", "detainee.delete", "detainee.export", "detainee.import", "detainee.import_dry_run",
	"detainee.merge", "detainee.read", "detainee.update",
	"event.create", "event.delete", "event.read", "event.update",
	"evidence.delete", "evidence.download", "evidence.download_link", "evidence.purge", "evidence.read", "evidence.reconcile", "evidence.thumbnail",
	"evidence.update",
	"evidence.upload", "evidence.upload_abandoned", "evidence.upload_completed", "evidence.upload_created", "evidence.verify",
	"hearing.calendar", "hearing.create", "hearing.read", "hearing.update",
	"job.retry",
	"lawyer.create", "lawyer.delete", "lawyer.read", "lawyer.update",
	"notification.create", "notification.deliver", "notification.read_all", "notification.settings.update", "notification.test_email",
	"partner.create", "partner.delete", "partner.read", "partner.update",
	"relative.consent", "relative.create", "relative.delete", "relative.list", "relative.read", "relative.update",
	"releases.read",
	"seed.load",
	"share.create", "share.revoke",
	"support_action.create", "support_action.transition", "support_action.update",
	"un_communication.create", "un_communication.delete", "un_communication.update",
	"user.activity.read", "user.bootstrap", "user.create", "user.password.reset", "user.sessions.revoke", "user.update",
}

// ObjectTypes lists every object type of audit entries ("" for entries about
// no object is not listed). Like Actions, api/openapi.yaml enumerates it and
// the web translates each (audit.objects.<type>).
var ObjectTypes = []string{
	"assignment", "audit_log", "backup", "calendar_feed", "campaign", "case", "case_detainee", "case_link", "custody_period", "database", "deadlines",
	"detainee", "event", "evidence", "evidence_upload", "hearing", "job", "lawyer", "notification", "partner", "passkey", "relative", "releases", "route", "session",
	"share", "support_action", "un_communication", "user",
}
