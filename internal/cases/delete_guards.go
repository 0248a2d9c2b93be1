package cases

import (
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
)

// caseDeletable returns why the case caseID may not be deleted, or nil:
// its evidence, timeline and support actions are never deleted with it.
func caseDeletable(tx *gorm.DB, caseID string) error {
	// Evidence is never deleted with its case (issue 7): the evidence
	// table's foreign key refuses it; say so instead of failing with a 500.
	var evidence int64
	if err := tx.Table("evidence").Where("case_id = ?", caseID).Count(&evidence).Error; err != nil {
		return err
	}
	if evidence > 0 {
		return apperr.New(apperr.ErrConflict, "case_has_evidence",
			"the case holds evidence items, which are never deleted with their case")
	}
	// Nor is its timeline (issue 6): events are never erased.
	for _, table := range []string{"case_events", "hearings"} {
		var n int64
		if err := tx.Table(table).Where("case_id = ?", caseID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.ErrConflict, "case_has_timeline",
				"the case has timeline events or hearings, which are never deleted with their case")
		}
	}
	// Support actions (issue 8) are the record of what was done for the
	// case: never deleted with it either.
	var actions int64
	if err := tx.Table("support_actions").Where("case_id = ?", caseID).Count(&actions).Error; err != nil {
		return err
	}
	if actions > 0 {
		return apperr.New(apperr.ErrConflict, "case_has_support_actions",
			"the case holds support actions, which are never deleted with their case; cancel them instead")
	}
	return nil
}
