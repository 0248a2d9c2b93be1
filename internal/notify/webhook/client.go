package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/habeas-org/habeas/internal/config"
)

// UserAgent is the User-Agent of every delivery.
const UserAgent = "Habeas-Webhook/1"

// DefaultTimeout bounds one delivery (connect, TLS, request and response).
const DefaultTimeout = 10 * time.Second

// maxResponse is how much of a response body is read (then dropped).
const maxResponse = 4 << 10

// Options configure a Client.
type Options struct {
	// URL receives the deliveries (http or https).
	URL string
	// Key is the HMAC key (LoadSecret).
	Key []byte
	// Format is the body's shape (FormatHabeas when empty).
	Format Format
	// Timeout bounds one delivery (DefaultTimeout when 0).
	Timeout time.Duration
	// HTTPClient, when set, is used as is except that redirects are never
	// followed (tests); its Timeout is replaced by Timeout.
	HTTPClient *http.Client
	// Now is the clock of webhook-timestamp (time.Now).
	Now func() time.Time
}

// Client delivers events to one webhook URL. It is safe for concurrent use.
type Client struct {
	url      string
	redacted string
	key      []byte
	format   Format
	http     *http.Client
	now      func() time.Time
}

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("webhook: URL is not an absolute http(s) URL")
	}
	if len(opts.Key) == 0 {
		return nil, errors.New("webhook: no signing key")
	}
	f, err := ParseFormat(string(opts.Format))
	if err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	hc := &http.Client{}
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		hc = &c
	}
	hc.Timeout = timeout
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Client{url: opts.URL, redacted: Redact(opts.URL), key: opts.Key, format: f, http: hc, now: now}, nil
}

// FromConfig returns the Client of the process's configuration, or nil
// (and no error) when no webhook URL is configured. A secret generated into
// the data dir is logged by its path only.
func FromConfig(c *config.Config, log *slog.Logger) (*Client, error) {
	if !c.Webhook.Enabled() {
		return nil, nil
	}
	key, path, created, err := LoadSecret(c.Webhook.Secret.Reveal(), c.DataDir)
	if err != nil {
		return nil, fmt.Errorf("webhook secret: %w", err)
	}
	if created && log != nil {
		log.Info("webhook signing secret generated: give it to the receiver", "path", path)
	}
	cl, err := New(Options{URL: c.Webhook.URL.Reveal(), Key: key, Format: Format(c.Webhook.Format)})
	if err != nil {
		return nil, err
	}
	if log != nil {
		log.Info("webhooks on", "target", cl.redacted, "format", string(cl.format))
	}
	return cl, nil
}

// Target is the URL with its path and query hidden (scheme://host/…), the
// only form of it that logs and errors show.
func (c *Client) Target() string { return c.redacted }

// Format is the client's payload format.
func (c *Client) Format() Format { return c.format }

// Redact returns scheme://host of raw, followed by "/…" when it has a path
// or query: webhook URLs (Slack, hookshot) carry their token there.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(webhook URL)"
	}
	out := u.Scheme + "://" + u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		out += "/…"
	}
	return out
}

// Error is a failed delivery. It never holds the URL's path or query, the
// key or the body.
type Error struct {
	// Target is the redacted URL.
	Target string
	// Status is the HTTP status received (0: no response).
	Status int
	// Permanent: retrying the same delivery cannot succeed.
	Permanent bool
	// Err is the cause when there was no response.
	Err error
}

func (e *Error) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	if e.Status != 0 {
		return fmt.Sprintf("webhook %s: HTTP %d %s (%s)", e.Target, e.Status, http.StatusText(e.Status), kind)
	}
	return fmt.Sprintf("webhook %s: %v (%s)", e.Target, e.Err, kind)
}

func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a delivery failure that retrying
// cannot fix: a 3xx (redirects are not followed) or a 4xx other than 408,
// 425 and 429, or an event that cannot be rendered. Network errors,
// timeouts, 408, 425, 429 and 5xx are temporary.
func IsPermanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// Classify reports whether an HTTP status is a success, and if not whether
// it is permanent.
func Classify(status int) (ok, permanent bool) {
	switch {
	case status >= 200 && status < 300:
		return true, false
	case status == http.StatusRequestTimeout, status == http.StatusTooEarly, status == http.StatusTooManyRequests:
		return false, false
	case status >= 500:
		return false, false
	}
	return false, true
}

// Send delivers e once: a POST of the signed body, e.ID as webhook-id and
// the current time as webhook-timestamp. It returns nil on a 2xx, else an
// *Error (see IsPermanent). The caller retries with the same e.ID.
func (c *Client) Send(ctx context.Context, e Event) error {
	if e.ID == "" {
		return &Error{Target: c.redacted, Permanent: true, Err: errors.New("event without an id")}
	}
	body, err := Payload(c.format, e)
	if err != nil {
		return &Error{Target: c.redacted, Permanent: true, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return &Error{Target: c.redacted, Permanent: true, Err: errors.New("cannot build the request")}
	}
	ts := c.now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderID, e.ID)
	req.Header.Set(HeaderTimestamp, fmt.Sprint(ts.Unix()))
	req.Header.Set(HeaderSignature, Sign(c.key, e.ID, ts, body))
	resp, err := c.http.Do(req)
	if err != nil {
		return &Error{Target: c.redacted, Err: c.scrub(err)}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	_ = resp.Body.Close()
	ok, permanent := Classify(resp.StatusCode)
	if ok {
		return nil
	}
	return &Error{Target: c.redacted, Status: resp.StatusCode, Permanent: permanent}
}

// scrub drops the *url.Error of the HTTP client (its text quotes the whole
// URL) and keeps its cause, whose text names at most the host; a cause that
// still quotes the URL is replaced by its text with the URL redacted.
func (c *Client) scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if u, perr := url.Parse(c.url); perr == nil && (u.Path != "" || u.RawQuery != "") {
		if msg := err.Error(); strings.Contains(msg, c.url) || (u.RawQuery != "" && strings.Contains(msg, u.RawQuery)) || (len(u.Path) > 1 && strings.Contains(msg, u.Path)) {
			return errors.New("request failed (details hidden: they quote the URL)")
		}
	}
	return err
}
