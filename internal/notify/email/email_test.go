package email

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/config"
)

// fakeSMTP is a scripted SMTP server on loopback (no TLS): replies maps a
// command verb (AUTH, MAIL, RCPT, DATA-END) to the reply; others get 250.
// A reply containing {AUTH} has the client's AUTH line echoed into it.
func fakeSMTP(t *testing.T, replies map[string]string) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				say := func(s string) { _, _ = c.Write([]byte(s + "\r\n")) }
				say("220 fake ESMTP")
				inData := false
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					line = strings.TrimRight(line, "\r\n")
					if inData {
						if line == "." {
							inData = false
							say(replyOr(replies, "DATA-END", "250 2.0.0 queued"))
						}
						continue
					}
					verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
					switch verb {
					case "EHLO":
						say("250-fake")
						say("250-AUTH PLAIN LOGIN")
						say("250 8BITMIME")
					case "DATA":
						inData = true
						say("354 go on")
					case "QUIT":
						say("221 bye")
						return
					default:
						say(strings.ReplaceAll(replyOr(replies, verb, "250 2.0.0 ok"), "{AUTH}", line))
					}
				}
			}(c)
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func replyOr(m map[string]string, k, def string) string {
	if v, ok := m[k]; ok {
		return v
	}
	if k == "AUTH" {
		return "235 2.7.0 ok"
	}
	return def
}

// The SMTP reply code decides: 4xx temporary, 5xx permanent, at each stage;
// a server that echoes the AUTH exchange back does not get the password
// into the error.
func TestReplyCodesClassified(t *testing.T) {
	const password = "correct-horse-battery-staple"
	cases := []struct {
		name      string
		replies   map[string]string
		permanent bool
		stage     string
		code      int
	}{
		{"accepted", nil, false, "", 0},
		{"recipient refused for now (451)", map[string]string{"RCPT": "451 4.3.0 try again later"}, false, "recipient", 451},
		{"recipient unknown (550)", map[string]string{"RCPT": "550 5.1.1 no such user"}, true, "recipient", 550},
		{"sender refused (553)", map[string]string{"MAIL": "553 5.7.1 sender not allowed"}, true, "sender", 553},
		{"greylisted at end of data (421)", map[string]string{"DATA-END": "421 4.7.0 greylisted"}, false, "data", 421},
		{"message refused (554)", map[string]string{"DATA-END": "554 5.6.0 content rejected"}, true, "data", 554},
		{"auth refused, server echoes the exchange (535)", map[string]string{"AUTH": "535 5.7.8 bad credentials: {AUTH}"}, true, "auth", 535},
		{"auth temporarily unavailable (454)", map[string]string{"AUTH": "454 4.7.0 try later: {AUTH}"}, false, "auth", 454},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			port := fakeSMTP(t, c.replies)
			s, err := New(config.SMTP{Host: "127.0.0.1", Port: port, TLS: "none", Username: "habeas",
				Password: config.Secret(password), From: "habeas@example.org"})
			if err != nil {
				t.Fatal(err)
			}
			m := TestMessage("en")
			m.To = "someone@example.org"
			err = s.Send(context.Background(), m)
			if c.stage == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Permanent != c.permanent || e.Stage != c.stage || e.Code != c.code {
				t.Fatalf("got %#v (%v), want permanent=%v stage=%s code=%d", e, err, c.permanent, c.stage, c.code)
			}
			for _, secret := range []string{password, base64.StdEncoding.EncodeToString([]byte("\x00habeas\x00" + password))} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the password is in the error: %v", err)
				}
			}
		})
	}
}

func TestNewAndMessageID(t *testing.T) {
	if _, err := New(config.SMTP{}); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("no host: %v", err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(bad, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{bad, filepath.Join(dir, "missing.pem")} {
		_, err := New(config.SMTP{Host: "smtp.example.org", TLS: "starttls", From: "h@example.org", CAFile: f})
		if err == nil || !strings.Contains(err.Error(), "HABEAS_SMTP_CA_FILE") {
			t.Errorf("%s: %v", f, err)
		}
	}
	if got := MessageID("notif-1.email"); got != "notif-1.email@habeas.invalid" {
		t.Errorf("safe key: %s", got)
	}
	for _, k := range []string{"a@b", "<x>", "has space", "..", "x\r\ny", strings.Repeat("k", 201)} {
		got := MessageID(k)
		if got != MessageID(k) || len(got) != 64+len("@habeas.invalid") {
			t.Errorf("%q: %s", k, got)
		}
	}
	if MessageID("") == MessageID("") {
		t.Error("empty keys get the same random id")
	}
}

func TestRender(t *testing.T) {
	many := make([]string, 13)
	for i := range many {
		many[i] = "case " + string(rune('A'+i))
	}
	d := Digest{IncludeNames: true, Link: "javascript:alert(1)", Items: []Item{
		{Rule: "case_event", Count: 13, Subjects: many},
		{Rule: "support_due", Count: 1, Subjects: []string{"line one\r\nBcc: x@example.org\u2028" + strings.Repeat("長", 300)}},
	}}
	m := Render("en", d)
	if !strings.Contains(m.Text, "and 3 more") || strings.Contains(m.Text, "case M") || !strings.Contains(m.Text, "case J") {
		t.Errorf("subjects not capped at %d:\n%s", MaxSubjects, m.Text)
	}
	if strings.Contains(m.Text, "\r") || strings.Contains(m.Text, "\nBcc") || strings.Contains(m.Text, strings.Repeat("長", 200)) {
		t.Errorf("a subject broke the lines or was not shortened:\n%s", m.Text)
	}
	if strings.Contains(m.HTML, "javascript:") {
		t.Errorf("an unsafe link reached the HTML: %s", m.HTML)
	}
	// Without IncludeNames the same digest names nothing.
	d.IncludeNames = false
	m = Render("zh-Hans", d)
	if strings.Contains(m.Text+m.HTML, "case A") || !strings.Contains(m.Text, "不包含姓名") {
		t.Errorf("names without IncludeNames:\n%s", m.Text)
	}
	if m.Language != "zh-Hans" || Render("xx", d).Language != "en" {
		t.Error("language")
	}
}

// A cancelled delivery is temporary and says why (errors.Is).
func TestCancelledIsTemporary(t *testing.T) {
	port := fakeSMTP(t, nil)
	s, err := New(config.SMTP{Host: "localhost", Port: port, TLS: "none", From: "habeas@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := TestMessage("en")
	m.To = "someone@example.org"
	err = s.Send(ctx, m)
	if !IsTemporary(err) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
