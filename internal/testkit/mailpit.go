package testkit

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/config"
)

// Mailpit is a client of the test SMTP server started by
// scripts/ensure-mailpit.sh (STARTTLS and AUTH required): its SMTP address
// and credentials, and its HTTP API to read delivered messages.
//
// Test packages run at once against one server: give each test its own
// recipient (MailpitAddress) and look messages up by it, rather than
// deleting everything.
type Mailpit struct {
	// API is the base URL of mailpit's HTTP API (http://127.0.0.1:port).
	API string
	// Host and Port are the SMTP server's.
	Host string
	Port int
	// User and Password are the SMTP AUTH credentials it accepts.
	User, Password string
	// CAFile is the PEM of its self-signed STARTTLS certificate.
	CAFile string
	http   *http.Client
}

// NewMailpit returns the client for the server named by the
// HABEAS_TEST_MAILPIT_* environment (eval "$(scripts/ensure-mailpit.sh)";
// scripts/test.sh does it). It fails the test when that environment is
// missing: e-mail tests are never skipped.
func NewMailpit(t testing.TB) *Mailpit {
	t.Helper()
	need := func(k string) string {
		v := os.Getenv(k)
		if v == "" {
			t.Fatalf("%s is not set: start the test SMTP server with eval \"$(scripts/ensure-mailpit.sh)\" (make test does)", k)
		}
		return v
	}
	smtpAddr := need("HABEAS_TEST_MAILPIT_SMTP")
	host, port, err := net.SplitHostPort(smtpAddr)
	if err != nil {
		t.Fatalf("HABEAS_TEST_MAILPIT_SMTP %q: %v", smtpAddr, err)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		t.Fatalf("HABEAS_TEST_MAILPIT_SMTP %q: %v", smtpAddr, err)
	}
	return &Mailpit{
		API: need("HABEAS_TEST_MAILPIT_API"), Host: host, Port: p,
		User: need("HABEAS_TEST_MAILPIT_USER"), Password: need("HABEAS_TEST_MAILPIT_PASSWORD"),
		CAFile: need("HABEAS_TEST_MAILPIT_CA_FILE"),
		http:   &http.Client{Timeout: 10 * time.Second},
	}
}

// SMTPConfig is an SMTP configuration that reaches this server over
// STARTTLS with AUTH, trusting its certificate through the CA file.
func (m *Mailpit) SMTPConfig(from string) config.SMTP {
	return config.SMTP{Host: m.Host, Port: m.Port, TLS: "starttls", Username: m.User,
		Password: config.Secret(m.Password), From: from, CAFile: m.CAFile}
}

// MailpitAddress is a fresh recipient address for one test.
func MailpitAddress(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "rcpt-" + hex.EncodeToString(b) + "@example.org"
}

// MailpitAddressee is a sender or recipient as mailpit reports it.
type MailpitAddressee struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// MailpitSummary is a message in a listing.
type MailpitSummary struct {
	ID        string             `json:"ID"`
	MessageID string             `json:"MessageID"`
	From      MailpitAddressee   `json:"From"`
	To        []MailpitAddressee `json:"To"`
	Subject   string             `json:"Subject"`
	Created   time.Time          `json:"Created"`
}

// MailpitMessage is one message with its parts as mailpit decoded them.
type MailpitMessage struct {
	ID        string             `json:"ID"`
	MessageID string             `json:"MessageID"`
	From      MailpitAddressee   `json:"From"`
	To        []MailpitAddressee `json:"To"`
	Subject   string             `json:"Subject"`
	Text      string             `json:"Text"`
	HTML      string             `json:"HTML"`
}

func (m *Mailpit) do(t testing.TB, method, path string, out any) {
	t.Helper()
	req, err := http.NewRequest(method, m.API+path, nil)
	if err != nil {
		t.Fatalf("mailpit %s %s: %v", method, path, err)
	}
	resp, err := m.http.Do(req)
	if err != nil {
		t.Fatalf("mailpit %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s %s: HTTP %d %s %v", method, path, resp.StatusCode, body, err)
	}
	if out == nil {
		return
	}
	if raw, ok := out.(*string); ok {
		*raw = string(body)
		return
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("mailpit %s %s: %v in %.200s", method, path, err, body)
	}
}

// Messages lists the messages sent to the address (newest first).
func (m *Mailpit) Messages(t testing.TB, to string) []MailpitSummary {
	t.Helper()
	var res struct {
		Messages []MailpitSummary `json:"messages"`
	}
	m.do(t, http.MethodGet, "/api/v1/search?limit=1000&query="+url.QueryEscape(fmt.Sprintf("to:%q", to)), &res)
	var out []MailpitSummary
	for _, s := range res.Messages { // the search matches substrings: keep exact recipients
		for _, a := range s.To {
			if a.Address == to {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// WaitFor waits (up to 10s) until n messages were delivered to the address
// and returns them; it fails the test when they do not come, or when more
// than n come.
func (m *Mailpit) WaitFor(t testing.TB, to string, n int) []MailpitSummary {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := m.Messages(t, to)
		if len(got) > n {
			t.Fatalf("mailpit: %d messages to %s, want %d", len(got), to, n)
		}
		if len(got) == n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit: %d messages to %s after 10s, want %d", len(got), to, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Message returns one message (its text and HTML parts).
func (m *Mailpit) Message(t testing.TB, id string) MailpitMessage {
	t.Helper()
	var msg MailpitMessage
	m.do(t, http.MethodGet, "/api/v1/message/"+url.PathEscape(id), &msg)
	return msg
}

// Headers returns a message's headers.
func (m *Mailpit) Headers(t testing.TB, id string) map[string][]string {
	t.Helper()
	h := map[string][]string{}
	m.do(t, http.MethodGet, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	return h
}

// Raw returns a message's source as delivered.
func (m *Mailpit) Raw(t testing.TB, id string) string {
	t.Helper()
	var raw string
	m.do(t, http.MethodGet, "/api/v1/message/"+url.PathEscape(id)+"/raw", &raw)
	return raw
}

// DeleteAll deletes every message on the server. Other test packages share
// it: prefer a fresh address per test (MailpitAddress).
func (m *Mailpit) DeleteAll(t testing.TB) {
	t.Helper()
	m.do(t, http.MethodDelete, "/api/v1/messages", nil)
}
