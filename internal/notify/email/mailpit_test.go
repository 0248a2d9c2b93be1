package email_test

import (
	"context"
	"errors"
	"github.com/habeas-org/habeas/internal/notify/email"
	"net"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/testkit"
)

const (
	detainee     = "Wang Quanzhang"
	confidential = "CONFIDENTIAL-visit-notes-7731"
	link         = "https://habeas.example.org/notifications"
	settingsLink = "https://habeas.example.org/settings/notifications"
)

// E-mails delivered to a real SMTP server (mailpit: STARTTLS and AUTH
// required, its certificate trusted only through the CA file) and read back
// through its API: content and language, nothing named without
// IncludeNames, digests, a stable Message-ID, and how failures are told
// apart. One server, one sender, subtests.
func TestDeliveryThroughMailpit(t *testing.T) {
	mp := testkit.NewMailpit(t)
	cfg := mp.SMTPConfig("Habeas <habeas@example.org>")
	s, err := email.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	send := func(t *testing.T, m email.Message) testkit.MailpitMessage {
		t.Helper()
		if err := s.Send(ctx, m); err != nil {
			t.Fatalf("send: %v", err)
		}
		got := mp.WaitFor(t, m.To, 1)
		return mp.Message(t, got[0].ID)
	}
	items := []email.Item{
		{Rule: "deadline_due", Count: 2, Subjects: []string{detainee + " — detention review", confidential}, DueAt: "2026-12-10"},
		{Rule: "deadline_overdue", Count: 1, Subjects: []string{detainee}},
	}

	t.Run("english, STARTTLS and AUTH, no names or confidential text by default", func(t *testing.T) {
		m := email.Render("en", email.Digest{Items: items, Link: link, SettingsLink: settingsLink})
		m.To, m.MessageID = testkit.MailpitAddress(t), "notification-0193a1b2.email"
		got := send(t, m)
		if got.Subject != "3 time limits need attention in Habeas" || got.From.Address != "habeas@example.org" {
			t.Errorf("subject %q from %q", got.Subject, got.From.Address)
		}
		for _, want := range []string{"2 time limits are due soon", "1 time limit has passed", link, settingsLink, "no names"} {
			if !strings.Contains(got.Text, want) || !strings.Contains(got.HTML, want) {
				t.Errorf("text or HTML lacks %q:\n%s\n%s", want, got.Text, got.HTML)
			}
		}
		raw := mp.Raw(t, got.ID) + got.Text + got.HTML + got.Subject
		for _, secret := range []string{"Wang", "Quanzhang", confidential, "2026-12-10"} {
			if strings.Contains(raw, secret) {
				t.Errorf("the message carries %q without IncludeNames:\n%s", secret, raw)
			}
		}
		if !strings.Contains(got.HTML, `<html lang="en"`) {
			t.Errorf("HTML without lang: %s", got.HTML)
		}
		h := mp.Headers(t, got.ID)
		if id := h["Message-Id"]; len(id) != 1 || id[0] != "<notification-0193a1b2.email@habeas.invalid>" {
			t.Errorf("Message-ID %v", id)
		}
		if h["Content-Language"][0] != "en" || h["Auto-Submitted"][0] != "auto-generated" {
			t.Errorf("headers %v", h)
		}
	})

	t.Run("chinese digest of several rules, names listed and escaped when allowed", func(t *testing.T) {
		d := email.Digest{Digest: true, IncludeNames: true, Link: link, SettingsLink: settingsLink, Items: []email.Item{
			{Rule: "hearing_tomorrow", Count: 1, Subjects: []string{"王全璋案 <b>二审</b>"}, DueAt: "2026-12-09T01:30:00Z"},
			{Rule: "case_event", Count: 4},
			{Rule: "support_assigned", Count: 1, Subjects: []string{detainee}},
		}}
		m := email.Render("zh-Hans", d)
		m.To = testkit.MailpitAddress(t)
		got := send(t, m)
		if got.Subject != "Habeas 每日摘要：6 条通知需要您关注" {
			t.Errorf("subject %q", got.Subject)
		}
		for _, want := range []string{"您的 Habeas 每日摘要", "明天有一场庭审", "您关注的案件有 4 条新动态", "有 1 项支援行动分配给了您",
			"王全璋案", detainee, "2026-12-09 01:30 UTC", "通知设置", settingsLink} {
			if !strings.Contains(got.Text, want) || !strings.Contains(got.HTML, want) {
				t.Errorf("text or HTML lacks %q:\n%s\n%s", want, got.Text, got.HTML)
			}
		}
		if !strings.Contains(got.HTML, `<html lang="zh-Hans"`) || !strings.Contains(got.HTML, "&lt;b&gt;二审&lt;/b&gt;") || strings.Contains(got.HTML, "<b>") {
			t.Errorf("HTML lang or escaping: %s", got.HTML)
		}
		if strings.Contains(got.Text, "no names") || strings.Contains(got.Text, "time limit") {
			t.Errorf("English in the Chinese message:\n%s", got.Text)
		}
		if h := mp.Headers(t, got.ID); h["Content-Language"][0] != "zh-Hans" {
			t.Errorf("Content-Language %v", h["Content-Language"])
		}
	})

	t.Run("a retried delivery has the same Message-ID", func(t *testing.T) {
		m := email.Render("en", email.Digest{Items: items[:1], Link: link})
		m.To, m.MessageID = testkit.MailpitAddress(t), "job:42/attempt-independent key" // hashed: not id-safe
		for i := 0; i < 2; i++ {
			if err := s.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		got := mp.WaitFor(t, m.To, 2)
		want := email.MessageID(m.MessageID)
		if got[0].MessageID != want || got[1].MessageID != want || !strings.HasSuffix(want, "@habeas.invalid") || strings.ContainsAny(want, ":/ ") {
			t.Errorf("Message-IDs %q %q, want both %q", got[0].MessageID, got[1].MessageID, want)
		}
	})

	t.Run("the admin's test e-mail in both languages", func(t *testing.T) {
		for lang, want := range map[string]string{"en": "Habeas test e-mail", "zh-Hans": "Habeas 测试邮件", "fr": "Habeas test e-mail"} {
			m := email.TestMessage(lang)
			m.To = testkit.MailpitAddress(t)
			if got := send(t, m); got.Subject != want || !strings.Contains(got.HTML, `lang="`+m.Language+`"`) {
				t.Errorf("%s: %q %s", lang, got.Subject, got.HTML)
			}
		}
	})

	t.Run("failures: permanent or temporary, never the password", func(t *testing.T) {
		to := testkit.MailpitAddress(t)
		m := email.TestMessage("en")
		m.To = to
		closed, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closedPort := closed.Addr().(*net.TCPAddr).Port
		closed.Close()

		wrong := cfg
		wrong.Password = "wrong-" + cfg.Password
		noCA := cfg
		noCA.CAFile = ""
		unreachable := cfg
		unreachable.Port = closedPort
		plain := cfg // implicit TLS against a STARTTLS port
		plain.TLS = "tls"
		cases := []struct {
			name      string
			sender    func() *email.Sender
			to        string
			permanent bool
			stage     string
			code      int
		}{
			{"wrong password: the server says 535", func() *email.Sender { return mustNew(t, wrong) }, to, true, "auth", 535},
			{"unreachable port", func() *email.Sender { return mustNew(t, unreachable) }, to, false, "connect", 0},
			{"certificate not trusted", func() *email.Sender { return mustNew(t, noCA) }, to, false, "tls", 0},
			{"TLS mode does not match the server", func() *email.Sender { return mustNew(t, plain) }, to, false, "tls", 0},
			{"not an address", func() *email.Sender { return s }, "not an address", true, "address", 0},
			{"header injection in the address", func() *email.Sender { return s }, to + "\r\nBcc: x@example.org", true, "address", 0},
		}
		for _, c := range cases {
			mm := m
			mm.To = c.to
			err := c.sender().Send(ctx, mm)
			var e *email.Error
			if !errors.As(err, &e) || e.Permanent != c.permanent || e.Stage != c.stage || e.Code != c.code ||
				email.IsPermanent(err) != c.permanent || email.IsTemporary(err) == c.permanent {
				t.Errorf("%s: %#v (%v)", c.name, e, err)
				continue
			}
			if strings.Contains(err.Error(), cfg.Password.Reveal()) || strings.Contains(err.Error(), wrong.Password.Reveal()) {
				t.Errorf("%s: the password is in the error: %v", c.name, err)
			}
		}
		if got := mp.Messages(t, to); len(got) != 0 {
			t.Errorf("failed sends delivered %d messages", len(got))
		}
	})
}

func mustNew(t *testing.T, c config.SMTP) *email.Sender {
	t.Helper()
	s, err := email.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
