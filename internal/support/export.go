package support

import (
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/record"
)

// CaseActions reads, inside tx, the support actions of caseID that p may
// see, by due date, for a document export. It records no audit entry: the
// caller audits the export in tx. The caller has checked that p sees the case.
func CaseActions(tx *gorm.DB, p *actor.Principal, caseID string) ([]Action, error) {
	var rows []Action
	q := record.Where(tx.Model(&Action{}), access.SupportActionVisible(p, "support_actions")).Where("support_actions.case_id = ?", caseID)
	err := q.Order("support_actions.due_at, support_actions.id").Find(&rows).Error
	return rows, err
}

// Overdue reports whether a is still open after its due day; today is a
// day (YYYY-MM-DD) in China Standard Time, as Service.Today gives it.
func (a *Action) Overdue(today string) bool { return a.overdue(today) }
