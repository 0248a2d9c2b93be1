package auth

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
)

// A user's calendar feed (internal/timeline) is served to whoever holds its
// secret URL, with no session: it is a credential of the user like a
// session, and ends with the user's credentials. Every change here that
// ends all of a user's sessions (an admin ending them, a password change or
// reset, disabling) or changes what they may see (a role change) also ends
// their feed, in the same transaction; an admin may end it alone
// (RevokeUserFeed). The feed's table belongs to internal/timeline; this is
// the one statement that ends feeds from here.

// errNoFeed is a user without an active calendar feed.
var errNoFeed = apperr.NotFound("calendar_feed")

// revokeFeeds ends the active calendar feed(s) of userID and audits each
// (calendar.feed.revoke, with the reason) as part of tx. It returns how many
// it ended.
func (s *Service) revokeFeeds(ctx context.Context, tx *gorm.DB, userID, reason string) (int64, error) {
	var ids []string
	if err := tx.Table("calendar_feeds").Where("user_id = ? AND revoked_at IS NULL", userID).Order("id").Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("read calendar feeds: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	res := tx.Table("calendar_feeds").Where("id IN ? AND revoked_at IS NULL", ids).Update("revoked_at", s.now())
	if res.Error != nil {
		return 0, fmt.Errorf("revoke calendar feeds: %w", res.Error)
	}
	for _, id := range ids {
		if err := s.record(ctx, tx, audit.Entry{Action: "calendar.feed.revoke", ObjectType: "calendar_feed", ObjectID: id,
			Outcome: audit.OK, Details: map[string]any{"reason": reason, "user_id": userID}}); err != nil {
			return 0, err
		}
	}
	return res.RowsAffected, nil
}

// RevokeUserFeed ends a user's calendar feed (admin only): a seized device
// loses the hearing calendar at once. A user without an active feed is
// not found, as is an unknown user.
func (s *Service) RevokeUserFeed(ctx context.Context, p *actor.Principal, id string) error {
	if err := requireAdmin(p); err != nil {
		return err
	}
	if _, err := s.user(ctx, id); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *gorm.DB) error {
		n, err := s.revokeFeeds(ctx, tx, id, "ended by admin")
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoFeed
		}
		return nil
	})
}
