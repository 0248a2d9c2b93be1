package notify

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// followRow is a row of case_follows.
type followRow struct {
	UserID    string `gorm:"primaryKey"`
	CaseID    string `gorm:"primaryKey"`
	CreatedAt time.Time
}

func (followRow) TableName() string { return "case_follows" }

// Following reports whether p follows the case (404 when p may not see it).
func (s *Service) Following(ctx context.Context, p *actor.Principal, caseID string) (bool, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (bool, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return false, err
		}
		var n int64
		if err := tx.Model(&followRow{}).Where("user_id = ? AND case_id = ?", p.UserID, caseID).Count(&n).Error; err != nil {
			return false, fmt.Errorf("notify: read follow: %w", err)
		}
		return n > 0, nil
	})
}

// SetFollowing makes p follow the case (on) or stop following it: new
// events of a followed case reach p. 404 when p may not see the case.
// Audited as case.follow / case.unfollow.
func (s *Service) SetFollowing(ctx context.Context, p *actor.Principal, caseID string, on bool) (bool, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (bool, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return false, err
		}
		action := "case.unfollow"
		if on {
			action = "case.follow"
			r := followRow{UserID: p.UserID, CaseID: caseID, CreatedAt: s.Now()}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
				return false, fmt.Errorf("notify: follow: %w", err)
			}
		} else if err := tx.Where("user_id = ? AND case_id = ?", p.UserID, caseID).Delete(&followRow{}).Error; err != nil {
			return false, fmt.Errorf("notify: unfollow: %w", err)
		}
		return on, s.Record(ctx, tx, p, audit.Entry{Action: action, ObjectType: "case", ObjectID: caseID, CaseID: caseID})
	})
}
