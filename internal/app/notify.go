package app

import (
	"github.com/habeas-org/habeas/internal/config"
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
