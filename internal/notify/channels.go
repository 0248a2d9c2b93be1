package notify

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// HookEvent is one webhook post: safe by default (no names), in the
// organisation's language.
type HookEvent struct {
	ID         string
	Rule       Rule
	Count      int
	Text       string
	Link       string
	ObjectType string
	ObjectID   string
	CreatedAt  time.Time
}

// Webhook posts to the organisation's signed webhook
// (internal/notify/webhook, wired in internal/app).
type Webhook interface {
	Send(ctx context.Context, e HookEvent) error
	Permanent(err error) bool
}

// Enqueuer inserts the delivery job of an outbox row inside tx (the
// scanner's transaction), to run at or after at (internal/jobs, wired in
// internal/app).
type Enqueuer interface {
	EnqueueDelivery(ctx context.Context, tx *gorm.DB, outboxID string, at time.Time) error
}

// SetChannels sets the e-mail and webhook senders (nil: that channel is
// off).
func (s *Service) SetChannels(m Mailer, h Webhook) {
	s.mailer, s.hook = m, h
}

// SetEnqueuer sets what queues deliveries (Register sets the job queue;
// tests give their own).
func (s *Service) SetEnqueuer(q Enqueuer) { s.queue = q }
