// Package notify tells people what needs their attention (issue 26,
// docs/notifications.md): time limits due or newly overdue, hearings
// tomorrow, support actions, UN reply clocks, expected releases, new events
// of followed cases and, for admins, integrity failures, failed operations
// and locked accounts. A scanner (a periodic job on internal/jobs, run by
// one replica at a time) reads the record, writes each event once
// (notification_events), one inbox row per recipient (notifications) and
// the e-mails and webhook posts to make (notification_outbox), all in one
// transaction with the delivery jobs. Access is checked when the scanner
// picks recipients and again whenever the inbox is read or an e-mail is
// delivered: a user who lost access to a case gets nothing more about it.
package notify

// Rule names a kind of notification. The names are part of the API
// (the Rule enum of api/openapi.yaml) and of the settings users store.
type Rule = string

// The rules.
const (
	DeadlineDue       Rule = "deadline_due"
	DeadlineOverdue   Rule = "deadline_overdue"
	HearingTomorrow   Rule = "hearing_tomorrow"
	SupportAssigned   Rule = "support_assigned"
	SupportDue        Rule = "support_due"
	UNReplyDue        Rule = "un_reply_due"
	ReleaseExpected   Rule = "release_expected"
	ReleaseUnrecorded Rule = "release_unrecorded"
	CaseEvent         Rule = "case_event"
	EvidenceIntegrity Rule = "evidence_integrity"
	OperationsFailed  Rule = "operations_failed"
	AccountLocked     Rule = "account_locked"
)

// RuleSpec is a rule and its defaults.
type RuleSpec struct {
	Rule Rule
	// Inbox and Email are the defaults of the two user channels.
	Inbox, Email bool
	// Days is the default look-ahead in days of the rules that have one
	// (0: the rule has none).
	Days int
	// AdminOnly rules reach admins only.
	AdminOnly bool
	// Webhook: events of the rule are posted to the organisation's webhook.
	Webhook bool
}

// Rules lists every rule, in the order the settings show them.
var Rules = []RuleSpec{
	{Rule: DeadlineDue, Inbox: true, Email: true, Days: 3, Webhook: true},
	{Rule: DeadlineOverdue, Inbox: true, Email: true, Webhook: true},
	{Rule: HearingTomorrow, Inbox: true, Email: true, Webhook: true},
	{Rule: SupportAssigned, Inbox: true, Email: true},
	{Rule: SupportDue, Inbox: true, Email: true, Days: 3},
	{Rule: UNReplyDue, Inbox: true, Email: true, Webhook: true},
	{Rule: ReleaseExpected, Inbox: true, Email: false, Webhook: true},
	{Rule: ReleaseUnrecorded, Inbox: true, Email: true, Webhook: true},
	{Rule: CaseEvent, Inbox: true, Email: false},
	{Rule: EvidenceIntegrity, Inbox: true, Email: true, AdminOnly: true, Webhook: true},
	{Rule: OperationsFailed, Inbox: true, Email: true, AdminOnly: true, Webhook: true},
	{Rule: AccountLocked, Inbox: true, Email: true, AdminOnly: true, Webhook: true},
}

// Spec returns the spec of rule r.
func Spec(r Rule) (RuleSpec, bool) {
	for _, s := range Rules {
		if s.Rule == r {
			return s, true
		}
	}
	return RuleSpec{}, false
}

// MaxDays is the largest look-ahead a user may choose.
const MaxDays = 30

// Windows the scanner looks back over, so that a restart or a first start
// does not bring up what is long past: a time limit overdue for longer than
// overdueLookback, an event or audit entry older than eventLookback.
const (
	overdueLookbackDays = 7
	eventLookbackHours  = 48
	unReplyAheadDays    = 7
	releaseAheadDays    = 30
)
