package app

import (
	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
)

// auditPolicy is who reads and verifies the audit log: internal/access's
// rules, handed to internal/audit (which sits below the policy).
var auditPolicy = audit.Policy{Entries: access.AuditEntries, MayVerify: access.MayVerifyAudit}

// NewAuditLog returns the audit log stored in d, serving callers' reads
// under the access policy.
func NewAuditLog(d *db.DB) *audit.Log {
	return audit.NewLog(d, audit.WithPolicy(auditPolicy))
}
