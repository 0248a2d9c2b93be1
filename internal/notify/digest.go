package notify

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/habeas-org/habeas/internal/notify/schedule"
)

// Digests makes the daily digest e-mails that are due: for every user with
// notifications waiting for their digest whose digest hour (in their time
// zone) has come since their last digest, one e-mail of them all. A user
// who left daily mode gets what waited at once (immediate) or nothing
// (off). Idempotent: the outbox key is the user and the digest time.
func (s *Service) Digests(ctx context.Context) (int, error) {
	now := s.Now()
	var users []string
	if err := s.DB.DB.WithContext(ctx).Table("notifications").Distinct("user_id").Where("email_state = 'digest'").
		Limit(10000).Pluck("user_id", &users).Error; err != nil {
		return 0, fmt.Errorf("notify: read digests: %w", err)
	}
	if len(users) == 0 {
		return 0, nil
	}
	prs, err := loadPrefs(s.DB.DB.WithContext(ctx), users)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, u := range users {
		pr := prs[u]
		at := now
		switch pr.row.EmailMode {
		case EmailDaily:
			// The next digest hour after the last digest or, for the
			// first, after the oldest notification waiting for it.
			base := pr.row.LastDigestAt
			if base == nil {
				var oldest row
				if err := s.DB.DB.WithContext(ctx).Where("user_id = ? AND email_state = 'digest'", u).
					Order("created_at").Limit(1).Find(&oldest).Error; err != nil {
					return made, fmt.Errorf("notify: read digest items: %w", err)
				}
				if oldest.ID == "" {
					continue
				}
				base = &oldest.CreatedAt
			}
			at = schedule.NextDigest(*base, pr.row.DigestHour, pr.loc)
			if at.After(now) {
				continue
			}
		case EmailOff:
			if err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
				return tx.Model(&row{}).Where("user_id = ? AND email_state = 'digest'", u).Update("email_state", "none").Error
			}); err != nil {
				return made, fmt.Errorf("notify: drop digest: %w", err)
			}
			continue
		}
		err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
			var ids []string
			if err := tx.Model(&row{}).Where("user_id = ? AND email_state = 'digest'", u).Order("id").Limit(1000).Pluck("id", &ids).Error; err != nil {
				return fmt.Errorf("notify: read digest items: %w", err)
			}
			if len(ids) == 0 {
				return nil
			}
			if err := tx.Model(&row{}).Where("id IN ?", ids).Update("email_state", "queued").Error; err != nil {
				return fmt.Errorf("notify: queue digest items: %w", err)
			}
			r := pr.row
			r.LastDigestAt, r.UpdatedAt = &now, now
			if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
				DoUpdates: clause.Assignments(map[string]any{"last_digest_at": now})}).Create(&r).Error; err != nil {
				return fmt.Errorf("notify: record digest: %w", err)
			}
			key := fmt.Sprintf("digest:%s:%d", u, at.Unix())
			if err := s.addOutbox(ctx, tx, now, "email", key, u, "", outboxPayload{Notifications: ids, Digest: pr.row.EmailMode == EmailDaily}, now); err != nil {
				return err
			}
			made++
			return nil
		})
		if err != nil {
			return made, err
		}
	}
	return made, nil
}
