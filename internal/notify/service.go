package notify

import (
	"context"
	"log/slog"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
)

// Service is the notifications feature: the inbox, the settings, following
// cases, the scanner and the deliveries.
type Service struct {
	*record.Kit
	log    *slog.Logger
	mailer Mailer
	hook   Webhook
	queue  Enqueuer
	opts   Options
	// refresh brings the time-limit index up to date before a scan (the
	// deadlines service's RefreshOnce); nil in tests that need none.
	refresh func(context.Context) error
}

// Options are the organisation's notification settings (configuration).
type Options struct {
	// PublicURL is the address users open Habeas at (links in e-mails and
	// webhook posts); "" gives relative links.
	PublicURL string
	// IncludeNames puts subjects (case titles, which may name a detainee)
	// into e-mails and webhook posts. Off by default: "3 time limits need
	// attention in Habeas" with a link.
	IncludeNames bool
	// Language of the webhook texts (en or zh-Hans).
	Language string
}

// NewService returns the notifications service over d, recording into rec.
// mailer and hook may be nil (that channel is off).
func NewService(d *db.DB, rec audit.Recorder, log *slog.Logger, opts Options) *Service {
	if opts.Language == "" {
		opts.Language = "en"
	}
	return &Service{Kit: record.NewKit("notify", d, rec), log: log, opts: opts}
}

// SetRefresh sets what brings the time-limit index up to date before a scan.
func (s *Service) SetRefresh(fn func(context.Context) error) { s.refresh = fn }
