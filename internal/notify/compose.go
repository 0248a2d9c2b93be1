package notify

import (
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/notify/email"
	"github.com/habeas-org/habeas/internal/notify/text"
)

// Mailer sends e-mails: internal/notify/email's Sender over SMTP (tests
// give a recorder). email.IsPermanent tells a failure no retry can mend.
type Mailer = email.Mailer

// MailItem is one line of an e-mail: a rule, how many notifications of it,
// their subjects (shown only when the organisation allows names) and when
// the earliest is due.
type MailItem = text.Item

// settingsPath is the web page of a user's notification settings.
const settingsPath = "/settings/notifications"

// composeMail renders an e-mail of items in lang (safe by default: counts
// and a link; subjects only with IncludeNames), times in loc.
func (s *Service) composeMail(lang string, items []MailItem, digest bool, loc *time.Location) email.Message {
	return email.Render(lang, email.Digest{Items: items, Link: s.link("/inbox"), SettingsLink: s.link(settingsPath),
		IncludeNames: s.opts.IncludeNames, Digest: digest, Location: loc})
}

// hookText is a webhook post's text in the organisation's language: the
// rule's count phrase, and what it is about only with IncludeNames.
func (s *Service) hookText(rule Rule, count int, subjects []string) string {
	t := text.Summary(s.opts.Language, rule, count)
	if s.opts.IncludeNames && len(subjects) > 0 {
		t += ": " + strings.Join(subjects, "; ")
	}
	return t
}

// testMail is the admin's test e-mail in lang.
func (s *Service) testMail(lang string) email.Message { return email.TestMessage(lang) }
