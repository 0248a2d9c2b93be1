package notify

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// row is a row of notifications.
type row struct {
	ID         string `gorm:"primaryKey"`
	UserID     string
	EventKey   string
	Rule       string
	ObjectType string
	ObjectID   string
	CaseID     string
	Subject    string
	DueAt      string
	EmailState string
	CreatedAt  time.Time
	ReadAt     *time.Time
}

func (row) TableName() string { return "notifications" }

// Notification is one item of the inbox (GET /notifications).
type Notification struct {
	ID         string     `json:"id"`
	Rule       Rule       `json:"rule"`
	ObjectType string     `json:"object_type"`
	ObjectID   string     `json:"object_id"`
	CaseID     *string    `json:"case_id"`
	Link       string     `json:"link"`
	Subject    string     `json:"subject"`
	DueAt      *string    `json:"due_at"`
	CreatedAt  time.Time  `json:"created_at"`
	ReadAt     *time.Time `json:"read_at"`
}

// link is the SPA path that opens what r is about.
func link(r *row) string {
	switch {
	case r.ObjectType == "support_action":
		return "/support/" + r.ObjectID
	case r.CaseID != "":
		return "/cases/" + r.CaseID
	case r.ObjectType == "user":
		return "/admin/users"
	case r.ObjectType == "system":
		return "/admin/jobs"
	}
	return "/inbox"
}

func toNotification(r *row) Notification {
	n := Notification{ID: r.ID, Rule: r.Rule, ObjectType: r.ObjectType, ObjectID: r.ObjectID, Link: link(r),
		Subject: r.Subject, CreatedAt: r.CreatedAt.UTC(), ReadAt: r.ReadAt}
	if r.CaseID != "" {
		id := r.CaseID
		n.CaseID = &id
	}
	if r.DueAt != "" {
		d := r.DueAt
		n.DueAt = &d
	}
	return n
}

var inboxKeyset = record.Keyset[row]{
	Table:       "notifications",
	Sorts:       record.Sorts[row]{"id": {Column: "notifications.id", Value: func(r *row) string { return r.ID }}},
	DefaultSort: "-id",
	ID:          func(r *row) string { return r.ID },
	Count:       true,
}

// List returns a page of p's notifications, newest first (unread only when
// unreadOnly), only those about what p may see now. Not audited: a user's
// own inbox holds references, the objects' reads are audited when opened.
func (s *Service) List(ctx context.Context, p *actor.Principal, unreadOnly bool, o record.ListOptions) (record.Page[Notification], error) {
	if o.Sort != "" {
		return record.Page[Notification]{}, apperr.Field("sort", "the inbox is newest first only")
	}
	o.Sort = "-id"
	page, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[row], error) {
		return inboxKeyset.Page(func() *gorm.DB {
			q := record.Where(tx.Model(&row{}), access.NotificationVisible(p, "notifications"))
			if unreadOnly {
				q = q.Where("notifications.read_at IS NULL")
			}
			return q
		}, o)
	})
	if err != nil {
		return record.Page[Notification]{}, err
	}
	return record.Map(page, toNotification), nil
}

// UnreadCount is the number of p's unread notifications about what p may
// see now, up to record.CountCap.
func (s *Service) UnreadCount(ctx context.Context, p *actor.Principal) (int64, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (int64, error) {
		q := record.Where(tx.Model(&row{}), access.NotificationVisible(p, "notifications")).Where("notifications.read_at IS NULL")
		n, _, err := record.CountCapped(q)
		if err != nil {
			return 0, fmt.Errorf("notify: count unread: %w", err)
		}
		return n, nil
	})
}

// MarkRead marks p's notification id read (404 when it is not p's or is
// about something p may no longer see).
func (s *Service) MarkRead(ctx context.Context, p *actor.Principal, id string) error {
	id, ok := record.ParseID(id)
	if !ok {
		return apperr.NotFound("notification")
	}
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		q := record.Where(tx.Model(&row{}), access.NotificationVisible(p, "notifications")).Where("notifications.id = ?", id)
		var n int64
		if err := q.Count(&n).Error; err != nil {
			return fmt.Errorf("notify: find notification: %w", err)
		}
		if n == 0 {
			return apperr.NotFound("notification")
		}
		if err := tx.Model(&row{}).Where("id = ? AND read_at IS NULL", id).Update("read_at", s.Now()).Error; err != nil {
			return fmt.Errorf("notify: mark read: %w", err)
		}
		return nil
	})
}

// MarkAllRead marks every unread notification of p read and says how many.
func (s *Service) MarkAllRead(ctx context.Context, p *actor.Principal) (int64, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (int64, error) {
		visible := record.Where(tx.Model(&row{}).Select("notifications.id"), access.NotificationVisible(p, "notifications"))
		res := tx.Model(&row{}).Where("user_id = ? AND read_at IS NULL AND id IN (?)", p.UserID, visible).Update("read_at", s.Now())
		if res.Error != nil {
			return 0, fmt.Errorf("notify: mark all read: %w", res.Error)
		}
		return res.RowsAffected, s.Record(ctx, tx, p, audit.Entry{Action: "notification.read_all", ObjectType: "user", ObjectID: p.UserID,
			Details: map[string]any{"marked": res.RowsAffected}})
	})
}
