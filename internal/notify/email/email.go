// Package email sends notification e-mails over SMTP (github.com/wneessen/go-mail):
// STARTTLS (required, never a fall-back to plain text) or implicit TLS,
// SMTP AUTH, a text and an HTML part, and a Message-ID derived from the
// caller's idempotency key so that a retried delivery is recognisably the
// same message. Delivery errors say whether retrying can help (Temporary)
// or not (Permanent) and never carry the SMTP password. What the messages
// say is built by Render and TestMessage from the catalogue in
// internal/notify/text. See docs/notifications.md, E-mail.
package email

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"os"
	"regexp"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/notify/text"
)

// MessageIDDomain is the right-hand side of every Message-ID Habeas sets:
// a reserved domain (RFC 2606), so the ids never pretend to be a real host's.
const MessageIDDomain = "habeas.invalid"

// ErrNotConfigured is returned by New when no SMTP host is configured
// (e-mail is off: the settings API says email_available=false).
var ErrNotConfigured = errors.New("e-mail is not configured (HABEAS_SMTP_HOST is empty)")

// Message is one e-mail to one recipient.
type Message struct {
	// To is the recipient's address.
	To string
	// Language is the message's language tag ("en", "zh-Hans"): sent as
	// Content-Language and the HTML part's lang attribute.
	Language string
	Subject  string
	// Text is the plain-text part (always sent).
	Text string
	// HTML is the HTML part, sent as an alternative to Text when not empty.
	HTML string
	// MessageID is the caller's idempotency key for this delivery; the
	// header becomes <MessageID@habeas.invalid> (a key with other
	// characters than letters, digits and ._=+- is hashed first), the same
	// on every retry. Empty: a random id.
	MessageID string
}

// Mailer sends a Message; *Sender is the SMTP one. Callers that queue
// e-mails can take a Mailer so their tests may count deliveries.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

var _ Mailer = (*Sender)(nil)

// Sender sends messages through the configured SMTP relay. It is safe for
// concurrent use: each Send opens its own connection.
type Sender struct {
	host     string
	port     int
	mode     string
	username string
	password config.Secret
	from     string
	tls      *tls.Config
	timeout  time.Duration
}

// New checks the SMTP configuration and returns a Sender; ErrNotConfigured
// when no host is set. The CA file, when set, is read here: an unreadable
// or empty one is an error naming HABEAS_SMTP_CA_FILE. Nothing is dialled.
func New(c config.SMTP) (*Sender, error) {
	if !c.Enabled() {
		return nil, ErrNotConfigured
	}
	if c.From == "" {
		return nil, fmt.Errorf("e-mail: HABEAS_SMTP_FROM is required with HABEAS_SMTP_HOST")
	}
	tc := &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("e-mail: HABEAS_SMTP_CA_FILE: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("e-mail: HABEAS_SMTP_CA_FILE %s holds no PEM certificate", c.CAFile)
		}
		tc.RootCAs = pool
	}
	mode := c.TLS
	if mode == "" {
		mode = "starttls"
	}
	return &Sender{host: c.Host, port: c.PortOrDefault(), mode: mode, username: c.Username, password: c.Password,
		from: c.From, tls: tc, timeout: 30 * time.Second}, nil
}

// From is the sender address messages go out with.
func (s *Sender) From() string { return s.from }

// Send delivers m. It returns nil once the relay accepted the message, else
// an *Error telling a Permanent failure (a 5xx reply, an unusable address:
// do not retry) from a Temporary one (connection, TLS, timeout, a 4xx
// reply: retry later). ctx bounds the whole delivery (and a 30s timeout
// each step).
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.timeout), gomail.WithTLSConfig(s.tls)}
	switch s.mode {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.username != "" {
		// The strongest mechanism both sides know over TLS; PLAIN without
		// TLS only in mode none, which config allows to a loopback relay only.
		auth := gomail.SMTPAuthAutoDiscover
		if s.mode == "none" {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(s.username), gomail.WithPassword(s.password.Reveal()))
	}
	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return s.classify(ctx, "connect", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return s.classify(ctx, "", err)
	}
	return nil
}

var headerUnsafe = regexp.MustCompile(`[\x00-\x1f\x7f]`)

func (s *Sender) build(m Message) (*gomail.Msg, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil || headerUnsafe.MatchString(m.To) {
		return nil, &Error{Permanent: true, Stage: "address", msg: "recipient is not an e-mail address"}
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.from); err != nil {
		return nil, &Error{Permanent: true, Stage: "address", msg: "sender (HABEAS_SMTP_FROM) is not an e-mail address"}
	}
	if err := msg.To(to.String()); err != nil {
		return nil, &Error{Permanent: true, Stage: "address", msg: "recipient is not an e-mail address"}
	}
	msg.Subject(headerUnsafe.ReplaceAllString(m.Subject, " "))
	msg.SetMessageIDWithValue(MessageID(m.MessageID))
	msg.SetDate()
	msg.SetUserAgent("Habeas")
	lang := text.Lang(m.Language)
	msg.SetGenHeader(gomail.HeaderContentLang, lang)
	// RFC 3834: a machine sent this; out-of-office replies are not wanted.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

var idSafe = regexp.MustCompile(`^[A-Za-z0-9._=+-]{1,200}$`)

// MessageID is the Message-ID (without the angle brackets) for an
// idempotency key: key@habeas.invalid when the key is made of letters,
// digits and ._=+- (at most 200), else the hex SHA-256 of the key; a random
// id for an empty key.
func MessageID(key string) string {
	if key == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b) + "@" + MessageIDDomain
	}
	if !idSafe.MatchString(key) || strings.HasPrefix(key, ".") || strings.HasSuffix(key, ".") || strings.Contains(key, "..") {
		sum := sha256.Sum256([]byte(key))
		key = hex.EncodeToString(sum[:])
	}
	return key + "@" + MessageIDDomain
}

// Error is a failed delivery. Its text names the stage and the SMTP reply
// code, never the password.
type Error struct {
	// Permanent: retrying cannot help (a 5xx reply such as a refused
	// recipient or wrong credentials, an unusable address).
	Permanent bool
	// Stage is where it failed: address, connect, tls, auth, sender,
	// recipient, data or server.
	Stage string
	// Code is the SMTP reply code (4xx, 5xx), 0 when the server gave none.
	Code  int
	msg   string
	cause error // only a context error (errors.Is(err, context.DeadlineExceeded))
}

func (e *Error) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	if e.Code != 0 {
		return fmt.Sprintf("e-mail %s failure at %s (SMTP %d): %s", kind, e.Stage, e.Code, e.msg)
	}
	return fmt.Sprintf("e-mail %s failure at %s: %s", kind, e.Stage, e.msg)
}

// Unwrap returns the context error when the delivery was cancelled or timed out.
func (e *Error) Unwrap() error { return e.cause }

// IsPermanent reports whether err is a delivery failure that retrying cannot fix.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// IsTemporary reports whether err is a delivery failure worth retrying.
func IsTemporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && !e.Permanent
}

// classify turns a go-mail error into an *Error. The rule: permanent when
// the server answered 5xx (or the address is unusable), temporary for
// everything else (4xx, connection, TLS, timeouts, a server without the
// expected extension: these can be fixed or pass without changing the message).
func (s *Sender) classify(ctx context.Context, stage string, err error) error {
	e := &Error{Stage: stage, msg: s.redact(err.Error())}
	if ctx.Err() != nil {
		e.cause = ctx.Err()
	}
	var se *gomail.SendError
	var tp *textproto.Error
	var ne net.Error
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	var re tls.RecordHeaderError
	switch {
	case errors.As(err, &se):
		e.Code = se.ErrorCode()
		switch se.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts:
			e.Stage, e.Permanent = "address", true
		case gomail.ErrSMTPMailFrom:
			e.Stage = "sender"
		case gomail.ErrSMTPRcptTo:
			e.Stage = "recipient"
		case gomail.ErrSMTPData, gomail.ErrSMTPDataClose, gomail.ErrWriteContent, gomail.ErrNoUnencoded:
			e.Stage = "data"
		default:
			e.Stage = "server"
		}
	case errors.As(err, &tp):
		e.Code = tp.Code
		e.Stage = "server"
		if tp.Code >= 530 && tp.Code <= 535 || tp.Code == 454 || tp.Code == 432 {
			e.Stage = "auth"
		}
	case errors.As(err, &cv), errors.As(err, &ua), errors.As(err, &he), errors.As(err, &ci), errors.As(err, &re):
		e.Stage = "tls"
	case strings.Contains(strings.ToLower(err.Error()), "tls"):
		e.Stage = "tls"
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		e.Stage = "connect"
	case strings.Contains(strings.ToLower(err.Error()), "auth"):
		e.Stage = "auth"
	}
	if e.Stage == "" {
		e.Stage = "server"
	}
	if e.Code >= 500 && e.Code < 600 {
		e.Permanent = true
	}
	if e.Code == 0 && e.Stage != "address" {
		e.Code = replyCode(e.msg)
		if e.Code >= 500 && e.Code < 600 {
			e.Permanent = true
		}
	}
	return e
}

var leadingCode = regexp.MustCompile(`(?:^|: )([45][0-9][0-9])[ -]`)

// replyCode finds an SMTP reply code in an error text go-mail wrapped as text.
func replyCode(s string) int {
	m := leadingCode.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	return int(m[1][0]-'0')*100 + int(m[1][1]-'0')*10 + int(m[1][2]-'0')
}

// redact removes the password, in clear and in the base64 forms SMTP AUTH
// sends it in, from an error text.
func (s *Sender) redact(msg string) string {
	p := s.password.Reveal()
	if p == "" {
		return msg
	}
	for _, v := range []string{
		base64.StdEncoding.EncodeToString([]byte("\x00" + s.username + "\x00" + p)),
		base64.StdEncoding.EncodeToString([]byte(s.username + "\x00" + s.username + "\x00" + p)),
		base64.StdEncoding.EncodeToString([]byte(p)),
		p,
	} {
		msg = strings.ReplaceAll(msg, v, "[redacted]")
	}
	return msg
}
