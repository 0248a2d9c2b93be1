package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/metrics"
	"github.com/habeas-org/habeas/internal/notify/email"
	"github.com/habeas-org/habeas/internal/record"
)

// ErrPermanent marks a delivery that failed for good (the outbox row is
// failed): a retry cannot mend it. The delivery job stops retrying.
var ErrPermanent = errors.New("notify: delivery failed for good")

// Deliver works the outbox row id: sends its e-mail or webhook post unless
// it was sent (or withheld) already. It returns a time to try again when
// the user's quiet hours hold the e-mail, or an error to retry (a wrapped
// ErrPermanent when retrying is pointless: the row is then failed).
func (s *Service) Deliver(ctx context.Context, id string) (time.Time, error) {
	var o outboxRow
	if err := s.DB.DB.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&o).Error; err != nil {
		return time.Time{}, fmt.Errorf("notify: read outbox: %w", err)
	}
	if o.ID == "" || o.State != "pending" {
		return time.Time{}, nil // done before (or by another process)
	}
	var p outboxPayload
	if err := json.Unmarshal([]byte(o.Payload), &p); err != nil {
		return time.Time{}, s.finish(ctx, &o, "failed", "bad payload", nil)
	}
	switch o.Channel {
	case "email":
		return s.deliverEmail(ctx, &o, p)
	case "webhook":
		return time.Time{}, s.deliverWebhook(ctx, &o, p)
	}
	return time.Time{}, s.finish(ctx, &o, "failed", "unknown channel", nil)
}

// deliverEmail sends an e-mail row, after checking again that the user is
// active, still wants e-mail and may still see each notification.
func (s *Service) deliverEmail(ctx context.Context, o *outboxRow, p outboxPayload) (time.Time, error) {
	now := s.Now()
	var u user
	if err := s.DB.DB.WithContext(ctx).Table("users").Select("id, email, role, disabled").Where("id = ?", o.UserID).Limit(1).Find(&u).Error; err != nil {
		return time.Time{}, fmt.Errorf("notify: read user: %w", err)
	}
	if u.ID == "" || u.Disabled || u.Email == "" {
		return time.Time{}, s.finish(ctx, o, "withheld", "account disabled", nil)
	}
	prs, err := loadPrefs(s.DB.DB.WithContext(ctx), []string{u.ID})
	if err != nil {
		return time.Time{}, err
	}
	pr := prs[u.ID]
	if s.mailer == nil || pr.row.EmailMode == EmailOff {
		return time.Time{}, s.finish(ctx, o, "withheld", "e-mail off", nil)
	}
	if quiet, until := inQuiet(now, pr.loc, pr.row.QuietStart, pr.row.QuietEnd); quiet {
		return until, nil
	}
	// Access again, now: only what the user may still see.
	principal := &actor.Principal{UserID: u.ID, Role: actor.Role(u.Role)}
	var rows []row
	if len(p.Notifications) > 0 {
		q := record.Where(s.DB.DB.WithContext(ctx).Model(&row{}), access.NotificationVisible(principal, "notifications")).
			Where("notifications.id IN ?", p.Notifications)
		if err := q.Find(&rows).Error; err != nil {
			return time.Time{}, fmt.Errorf("notify: read notifications: %w", err)
		}
	}
	counts := map[Rule]*MailItem{}
	for _, r := range rows {
		if !pr.rules[r.Rule].Email {
			continue
		}
		it := counts[r.Rule]
		if it == nil {
			it = &MailItem{Rule: r.Rule}
			counts[r.Rule] = it
		}
		it.Count++
		if s.opts.IncludeNames && r.Subject != "" {
			it.Subjects = append(it.Subjects, r.Subject)
		}
		if r.DueAt != "" && (it.DueAt == "" || r.DueAt < it.DueAt) {
			it.DueAt = r.DueAt
		}
	}
	var items []MailItem
	for _, spec := range Rules {
		if it := counts[spec.Rule]; it != nil {
			items = append(items, *it)
		}
	}
	if len(items) == 0 {
		return time.Time{}, s.finish(ctx, o, "withheld", "nothing the user may still see", nil)
	}
	m := s.composeMail(pr.row.Language, items, p.Digest, pr.loc)
	m.To = u.Email
	m.MessageID = o.IdempotencyKey
	if err := s.mailer.Send(ctx, m); err != nil {
		return time.Time{}, s.failed(ctx, o, err, email.IsPermanent(err))
	}
	return time.Time{}, s.finish(ctx, o, "sent", "", map[string]any{"notifications": len(rows), "digest": p.Digest, "rules": rulesOf(items)})
}

// deliverWebhook posts a webhook row.
func (s *Service) deliverWebhook(ctx context.Context, o *outboxRow, p outboxPayload) error {
	if s.hook == nil {
		return s.finish(ctx, o, "withheld", "webhook off", nil)
	}
	ev := HookEvent{ID: o.IdempotencyKey, Rule: o.Rule, Count: len(p.Events), Link: s.link("/inbox"), CreatedAt: o.CreatedAt.UTC()}
	var subjects []string
	if s.opts.IncludeNames {
		var titles []string
		if err := s.DB.DB.WithContext(ctx).Table("cases").Select("DISTINCT cases.title").
			Joins("JOIN notification_events ne ON ne.case_id = cases.id").Where("ne.key IN ?", p.Events).Limit(20).Pluck("cases.title", &titles).Error; err != nil {
			return fmt.Errorf("notify: read case titles: %w", err)
		}
		subjects = titles
	}
	if len(p.Events) == 1 {
		var e eventRow
		if err := s.DB.DB.WithContext(ctx).Where("key = ?", p.Events[0]).Limit(1).Find(&e).Error; err != nil {
			return fmt.Errorf("notify: read event: %w", err)
		}
		ev.ObjectType, ev.ObjectID = e.ObjectType, e.ObjectID
	}
	ev.Text = s.hookText(o.Rule, ev.Count, subjects)
	if err := s.hook.Send(ctx, ev); err != nil {
		return s.failed(ctx, o, err, s.hook.Permanent(err))
	}
	return s.finish(ctx, o, "sent", "", map[string]any{"events": ev.Count, "rule": o.Rule})
}

// failed records a failed attempt: the row stays pending (the job retries)
// unless the failure is permanent.
func (s *Service) failed(ctx context.Context, o *outboxRow, err error, permanent bool) error {
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	if permanent {
		if ferr := s.finish(ctx, o, "failed", msg, nil); ferr != nil {
			return ferr
		}
		return fmt.Errorf("%w: %s", ErrPermanent, msg)
	}
	metrics.Notifications.WithLabelValues(o.Channel, "retry").Inc()
	if uerr := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&outboxRow{}).Where("id = ? AND state = 'pending'", o.ID).
			Updates(map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_error": msg}).Error
	}); uerr != nil {
		return fmt.Errorf("notify: record attempt: %w", uerr)
	}
	return fmt.Errorf("notify: %s delivery: %s", o.Channel, msg)
}

// finish ends a row as sent, withheld or failed, audited as
// notification.deliver (outcome error when failed).
func (s *Service) finish(ctx context.Context, o *outboxRow, state, reason string, details map[string]any) error {
	now := s.Now()
	return s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		upd := map[string]any{"state": state, "last_error": reason, "attempts": gorm.Expr("attempts + 1")}
		if state == "sent" {
			upd["sent_at"] = now
		}
		res := tx.Model(&outboxRow{}).Where("id = ? AND state = 'pending'", o.ID).Updates(upd)
		if res.Error != nil {
			return fmt.Errorf("notify: finish delivery: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil // finished by another process
		}
		metrics.Notifications.WithLabelValues(o.Channel, state).Inc()
		if details == nil {
			details = map[string]any{}
		}
		details["channel"], details["state"] = o.Channel, state
		if o.UserID != "" {
			details["user_id"] = o.UserID
		}
		if reason != "" && state != "sent" {
			details["reason"] = reason
		}
		outcome := audit.OK
		if state == "failed" {
			outcome = audit.Failed
		}
		return s.recordBatch(ctx, tx, []audit.Entry{{Action: "notification.deliver", ObjectType: "notification", ObjectID: o.ID,
			ActorRole: "system", Outcome: outcome, Details: details}})
	})
}

// link is the absolute address of the SPA path p (relative without a public URL).
func (s *Service) link(p string) string {
	return strings.TrimRight(s.opts.PublicURL, "/") + p
}

func rulesOf(items []MailItem) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.Rule)
	}
	sort.Strings(out)
	return out
}

// giveUp ends a pending row as failed after the last attempt of its job.
func (s *Service) giveUp(ctx context.Context, id string, cause error) error {
	var o outboxRow
	if err := s.DB.DB.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&o).Error; err != nil {
		return fmt.Errorf("notify: read outbox: %w", err)
	}
	if o.ID == "" || o.State != "pending" {
		return nil
	}
	msg := cause.Error()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return s.finish(ctx, &o, "failed", "gave up after the last attempt: "+msg, nil)
}
