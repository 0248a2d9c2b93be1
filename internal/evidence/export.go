package evidence

import (
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
)

// Index reads, inside tx, the available evidence items of caseID that p may
// see, in capture-date order, for an export's evidence index (metadata and
// digests, never content). withConfidential false leaves confidential items
// out whatever p's role. It records no audit entry: the caller audits the
// export in tx. The caller has checked that p sees the case.
func Index(tx *gorm.DB, p *actor.Principal, caseID string, withConfidential bool) ([]Item, error) {
	c := access.EvidenceVisible(p, "evidence")
	q := tx.Where(c.SQL, c.Args...).Where("evidence.case_id = ? AND evidence.status = ?", caseID, Available)
	if !withConfidential {
		q = q.Where("evidence.confidential = ?", false)
	}
	var items []Item
	err := q.Order("evidence.captured_at_sort, evidence.id").Find(&items).Error
	return items, err
}
