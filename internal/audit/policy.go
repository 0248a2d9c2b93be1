package audit

import (
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
)

// Policy says who may read and verify the log. The rules are internal/access's
// (access.AuditEntries and access.MayVerifyAudit); internal/app hands them to
// NewLog, so this package, below the policy, does not decide them. A nil
// field refuses everyone: a log built without a policy serves no reads.
type Policy struct {
	// Entries returns the condition on audit_log rows p may read; ok false
	// refuses p altogether (403).
	Entries func(p *actor.Principal) (c db.Cond, ok bool)
	// MayVerify reports whether p may run the chain verification.
	MayVerify func(p *actor.Principal) bool
}

// Option configures a Log built by NewLog.
type Option func(*Log)

// WithPolicy makes l serve Read and VerifyAs under pol.
func WithPolicy(pol Policy) Option {
	return func(l *Log) { l.policy = pol }
}

// entries applies the Entries rule; without one, nobody reads.
func (pol Policy) entries(p *actor.Principal) (db.Cond, bool) {
	if pol.Entries == nil {
		return db.Cond{}, false
	}
	return pol.Entries(p)
}

// mayVerify applies the MayVerify rule; without one, nobody verifies.
func (pol Policy) mayVerify(p *actor.Principal) bool {
	return pol.MayVerify != nil && pol.MayVerify(p)
}
