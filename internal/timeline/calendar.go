package timeline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/logging"
	"github.com/habeas-org/habeas/internal/record"
)

// The calendar feed: each user may have one secret URL serving, as
// iCalendar, the hearings they can see at the time of each fetch. The
// secret is 32 random bytes shown once; only its SHA-256 is stored.

const (
	// FeedPast is how far back a feed reaches; later hearings are all served.
	FeedPast = 90 * 24 * time.Hour
	// FeedMax caps the hearings of one feed.
	FeedMax = 1000
)

var (
	errNoFeed     = apperr.NotFound("calendar_feed")
	errFeedDenied = apperr.New(apperr.ErrForbidden, "forbidden", "your account may not have a calendar feed")
)

// FeedPath is the path of the feed with the given secret.
func FeedPath(token string) string { return "/api/v1/calendar-feeds/" + token + "/hearings.ics" }

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// activeFeed returns p's active feed, or nil.
func activeFeed(tx *gorm.DB, userID string) (*Feed, error) {
	var f Feed
	err := tx.Where("user_id = ? AND revoked_at IS NULL", userID).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &f, err
}

// FeedStatus says whether p has an active feed (never its secret).
func (s *Service) FeedStatus(ctx context.Context, p *actor.Principal) (FeedInfo, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (FeedInfo, error) {
		f, err := activeFeed(tx, p.UserID)
		if f == nil || err != nil {
			return FeedInfo{}, err
		}
		return FeedInfo{Active: true, CreatedAt: utc(&f.CreatedAt)}, nil
	})
}

// RotateFeed creates p's feed, or replaces it (the old URL stops working at
// once). The returned path holds the secret; it is shown only now.
func (s *Service) RotateFeed(ctx context.Context, p *actor.Principal) (FeedInfo, error) {
	if !access.MayHaveCalendarFeed(p) {
		if err := record.Authenticated(p); err != nil {
			return FeedInfo{}, err
		}
		return FeedInfo{}, errFeedDenied
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return FeedInfo{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (FeedInfo, error) {
		now := s.Now()
		old, err := activeFeed(tx, p.UserID)
		if err != nil {
			return FeedInfo{}, err
		}
		if old != nil {
			if err := tx.Model(&Feed{}).Where("id = ?", old.ID).Update("revoked_at", now).Error; err != nil {
				return FeedInfo{}, err
			}
		}
		f := Feed{ID: record.NewID(), UserID: p.UserID, TokenHash: hashToken(token), CreatedAt: now}
		if err := tx.Create(&f).Error; err != nil {
			return FeedInfo{}, err
		}
		action := "calendar.feed.create"
		if old != nil {
			action = "calendar.feed.rotate"
		}
		return FeedInfo{Active: true, CreatedAt: utc(&f.CreatedAt), URL: FeedPath(token)},
			s.Record(ctx, tx, p, audit.Entry{Action: action, ObjectType: "calendar_feed", ObjectID: f.ID})
	})
}

// RevokeFeed ends p's feed; without one it is not found.
func (s *Service) RevokeFeed(ctx context.Context, p *actor.Principal) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		f, err := activeFeed(tx, p.UserID)
		if err != nil {
			return err
		}
		if f == nil {
			return errNoFeed
		}
		if err := tx.Model(&Feed{}).Where("id = ?", f.ID).Update("revoked_at", s.Now()).Error; err != nil {
			return err
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "calendar.feed.revoke", ObjectType: "calendar_feed", ObjectID: f.ID})
	})
}

// feedOwner is the account a feed belongs to.
type feedOwner struct {
	ID       string
	Role     actor.Role
	Disabled bool
}

// FeedCalendar serves the feed with the given secret as iCalendar text: the
// non-confidential hearings the owner can see now, from FeedPast ago on.
// An unknown or revoked secret, or a disabled owner, is not found. Every
// use is audited: a fetch as the owner (calendar.feed.read), a refusal as
// calendar.feed.read denied with its reason and, when the secret names a
// feed, the feed and its owner (a seized device still polling a revoked
// feed shows up in the owner's audit trail).
func (s *Service) FeedCalendar(ctx context.Context, token string) ([]byte, error) {
	if len(token) != 43 {
		s.feedDenied(ctx, nil, "malformed secret")
		return nil, errNoFeed
	}
	var (
		out    []byte
		denied *Feed
		reason string
	)
	// A read: as in record.Read (which needs the principal first), its
	// audit entry is group-committed before the feed is served.
	err := audit.ReadTx(ctx, s.DB, s.Audit, func(tx *gorm.DB) error {
		var f Feed
		err := tx.Where("token_hash = ?", hashToken(token)).Take(&f).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			reason = "unknown secret"
			return errNoFeed
		}
		if err != nil {
			return err
		}
		if f.RevokedAt != nil {
			denied, reason = &f, "revoked feed"
			return errNoFeed
		}
		var u feedOwner
		if err := tx.Table("users").Select("id, role, disabled").Where("id = ?", f.UserID).Take(&u).Error; err != nil {
			return err
		}
		if u.Disabled || !u.Role.Valid() {
			denied, reason = &f, "owner disabled"
			return errNoFeed
		}
		p := access.FeedPrincipal(u.ID, u.Role)
		now := s.Now()
		var rows []feedRow
		err = calendarQuery(tx, p, HearingRange{From: now.Add(-FeedPast)}, true).
			Select("hearings.*, detainees.name AS detainee_name").
			Joins("JOIN cases tl_c ON tl_c.id = hearings.case_id").Joins("JOIN detainees ON detainees.id = tl_c.detainee_id").
			Order("hearings.scheduled_at, hearings.id").Limit(FeedMax).Find(&rows).Error
		if err != nil {
			return err
		}
		if out, err = renderICS(rows, now); err != nil {
			return err
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "calendar.feed.read", ObjectType: "calendar_feed",
			ObjectID: f.ID, Details: map[string]any{"hearings": len(rows)}})
	})
	if errors.Is(err, errNoFeed) && reason != "" {
		s.feedDenied(ctx, denied, reason)
	}
	return out, err
}

// feedDenied audits a refused feed fetch (f: the feed its secret names, if
// any). Nothing was served: a failure to record is logged, the refusal stands.
func (s *Service) feedDenied(ctx context.Context, f *Feed, reason string) {
	e := audit.Entry{Action: "calendar.feed.read", ObjectType: "calendar_feed", Outcome: audit.Denied,
		Details: map[string]any{"reason": reason}}
	if f != nil {
		e.ObjectID, e.Details["user_id"] = f.ID, f.UserID
	}
	if err := s.Audit.Record(ctx, nil, e); err != nil {
		logging.From(ctx).Error("audit entry not written", "action", e.Action, "error", err.Error())
	}
}
