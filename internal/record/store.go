package record

import (
	"errors"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
)

// ErrStale is the answer to a change made on an outdated version (412).
var ErrStale = apperr.New(apperr.ErrPrecondition, "version_mismatch",
	"the record was changed since you read it; reload it and apply your change again")

// NotFound maps gorm's record-not-found to the not-found error of object
// ("case" gives case_not_found); other errors pass unchanged.
func NotFound(err error, object string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.NotFound(object)
	}
	return err
}

// Where adds an access condition to q.
func Where(q *gorm.DB, c access.Cond) *gorm.DB { return q.Where(c.SQL, c.Args...) }

// SaveVersioned writes every column of m if its version is still old; m's
// Version must already be old+1. A stale version is ErrStale.
func SaveVersioned(tx *gorm.DB, m any, old int64) error {
	res := tx.Model(m).Where("version = ?", old).Select("*").Omit("id", "created_at", "created_by").Updates(m)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrStale
	}
	return nil
}

// CaseVisible returns nil when p sees the case, and case_not_found when it
// does not exist or p may not see it.
func CaseVisible(tx *gorm.DB, p *actor.Principal, caseID string) error {
	var n int64
	if err := tx.Table("cases").Scopes(access.Cases(p)).Where("cases.id = ?", caseID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return apperr.NotFound("case")
	}
	return nil
}
