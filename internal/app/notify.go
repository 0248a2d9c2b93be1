package app

import (
	"context"
	"time"

	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/instance"
	"github.com/habeas-org/habeas/internal/notify"
	"github.com/habeas-org/habeas/internal/notify/email"
	"github.com/habeas-org/habeas/internal/notify/webhook"
)

// setNotifyChannels gives the notifications service its e-mail sender
// (when SMTP is configured) and its signed webhook (when
// HABEAS_WEBHOOK_URL is set).
func (a *App) setNotifyChannels() error {
	var mailer notify.Mailer
	if a.Config.SMTP.Enabled() {
		s, err := email.New(a.Config.SMTP)
		if err != nil {
			return &config.Error{Key: "HABEAS_SMTP_HOST", Msg: err.Error()}
		}
		mailer = s
	}
	hook, err := webhook.FromConfig(a.Config, a.Logger)
	if err != nil {
		return &config.Error{Key: "HABEAS_WEBHOOK_SECRET", Msg: err.Error()}
	}
	var h notify.Webhook
	if hook != nil {
		h = WebhookChannel{Client: hook}
		a.Webhook = h
	}
	a.Notifications.SetChannels(mailer, h)
	return nil
}

// rescueJobsLoop makes the jobs left running by a process that is gone
// (killed, crashed) retryable: at once, then every heartbeat interval, until
// ctx ends. Which processes are gone is the instance census (a process of
// this machine at once, another after its heartbeat timeout).
func (a *App) rescueJobsLoop(ctx context.Context) {
	t := time.NewTicker(instance.HeartbeatInterval)
	defer t.Stop()
	for {
		c, err := a.Instance.Census(ctx)
		if err == nil {
			var n int
			if n, err = a.Jobs.RescueOrphans(ctx, c.Live); n > 0 {
				a.Logger.Warn("jobs of a process that is gone made retryable", "jobs", n)
			}
		}
		if err != nil && ctx.Err() == nil {
			a.Logger.Warn("rescuing jobs of gone processes failed; trying again later", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
