package app

import (
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/notify"
	"github.com/habeas-org/habeas/internal/notify/email"
)

// setNotifyChannels gives the notifications service its e-mail sender
// (when SMTP is configured) and the job queue its deliveries go through.
func (a *App) setNotifyChannels() error {
	var mailer notify.Mailer
	if a.Config.SMTP.Enabled() {
		s, err := email.New(a.Config.SMTP)
		if err != nil {
			return &config.Error{Key: "HABEAS_SMTP_HOST", Msg: err.Error()}
		}
		mailer = s
	}
	a.Notifications.SetChannels(mailer, nil)
	return nil
}
