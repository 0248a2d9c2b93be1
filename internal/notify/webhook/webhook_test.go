package webhook

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden payloads in testdata")

var testKey = []byte("0123456789abcdef0123456789abcdef")

func testEvent() Event {
	return Event{
		ID: "ntf_2f1c9a4e", Rule: "deadline_overdue", Count: 3,
		Text: "3 time limits need attention in Habeas <&>", Link: "https://habeas.example.org/cases/c1?tab=deadlines&x=1",
		ObjectType: "case", ObjectID: "c1", CreatedAt: time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC),
	}
}

// receiver is an httptest server that verifies every delivery and records
// the accepted ones.
type receiver struct {
	srv      *httptest.Server
	verifier *Verifier
	mu       sync.Mutex
	accepted []string // bodies
	refused  []error
	headers  []http.Header
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{verifier: NewVerifier(testKey)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		err := r.verifier.Verify(req.Header, body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.headers = append(r.headers, req.Header.Clone())
		switch {
		case err == nil:
			r.accepted = append(r.accepted, string(body))
			w.WriteHeader(http.StatusNoContent)
		case errors.Is(err, ErrReplay):
			r.refused = append(r.refused, err)
			w.WriteHeader(http.StatusConflict)
		default:
			r.refused = append(r.refused, err)
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// post sends body with the given headers straight to the receiver.
func (r *receiver) post(t *testing.T, h http.Header, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL, bytes.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (r *receiver) lastRefusal() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.refused) == 0 {
		return nil
	}
	return r.refused[len(r.refused)-1]
}

func signedHeaders(key []byte, id string, ts time.Time, body []byte) http.Header {
	h := http.Header{}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(HeaderSignature, Sign(key, id, ts, body))
	return h
}

func TestReceiverVerifiesDeliveries(t *testing.T) {
	r := newReceiver(t)
	c, err := New(Options{URL: r.srv.URL + "/hook", Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	e := testEvent()

	t.Run("genuine delivery accepted", func(t *testing.T) {
		if err := c.Send(context.Background(), e); err != nil {
			t.Fatalf("Send: %v (receiver: %v)", err, r.lastRefusal())
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.accepted) != 1 || !strings.Contains(r.accepted[0], `"id":"ntf_2f1c9a4e"`) {
			t.Fatalf("accepted %q", r.accepted)
		}
		h := r.headers[0]
		if h.Get("User-Agent") != UserAgent || h.Get("Content-Type") != "application/json" || h.Get(HeaderID) != e.ID {
			t.Fatalf("headers %v", h)
		}
		if !strings.HasPrefix(h.Get(HeaderSignature), "v1,") {
			t.Fatalf("signature %q", h.Get(HeaderSignature))
		}
	})

	t.Run("retry of a delivered id is refused as a replay, permanently", func(t *testing.T) {
		err := c.Send(context.Background(), e)
		if err == nil || !IsPermanent(err) || !errors.Is(r.lastRefusal(), ErrReplay) {
			t.Fatalf("Send again: %v, receiver: %v", err, r.lastRefusal())
		}
	})

	body, _ := Payload(FormatHabeas, e)
	now := time.Now()
	cases := []struct {
		name string
		h    http.Header
		body []byte
		want error
	}{
		{"altered body", signedHeaders(testKey, "id-body", now, body), bytes.Replace(body, []byte(`"count":3`), []byte(`"count":4`), 1), ErrSignature},
		{"altered timestamp", func() http.Header {
			h := signedHeaders(testKey, "id-ts", now, body)
			h.Set(HeaderTimestamp, strconv.FormatInt(now.Unix()+1, 10))
			return h
		}(), body, ErrSignature},
		{"altered id", func() http.Header {
			h := signedHeaders(testKey, "id-a", now, body)
			h.Set(HeaderID, "id-b")
			return h
		}(), body, ErrSignature},
		{"other key", signedHeaders([]byte("another key of thirty-two bytes!"), "id-key", now, body), body, ErrSignature},
		{"no signature", func() http.Header {
			h := signedHeaders(testKey, "id-nosig", now, body)
			h.Del(HeaderSignature)
			return h
		}(), body, ErrSignature},
		{"old timestamp, correctly signed", signedHeaders(testKey, "id-old", now.Add(-6*time.Minute), body), body, ErrTimestamp},
		{"future timestamp, correctly signed", signedHeaders(testKey, "id-future", now.Add(6*time.Minute), body), body, ErrTimestamp},
	}
	for _, tc := range cases {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			if code := r.post(t, tc.h, tc.body); code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", code)
			}
			if err := r.lastRefusal(); !errors.Is(err, tc.want) {
				t.Fatalf("refusal %v, want %v", err, tc.want)
			}
		})
	}

	t.Run("replay of a captured delivery refused, a failed one never remembered", func(t *testing.T) {
		h := signedHeaders(testKey, "id-replay", now, body)
		// A forgery with the id first: refused and not remembered.
		forged := signedHeaders(testKey, "id-replay", now, body)
		forged.Set(HeaderSignature, "v1,"+base64.StdEncoding.EncodeToString(make([]byte, 32)))
		if code := r.post(t, forged, body); code != http.StatusUnauthorized {
			t.Fatalf("forged: %d", code)
		}
		if code := r.post(t, h, body); code != http.StatusNoContent {
			t.Fatalf("first: %d (%v)", code, r.lastRefusal())
		}
		if code := r.post(t, h, body); code != http.StatusConflict || !errors.Is(r.lastRefusal(), ErrReplay) {
			t.Fatalf("replay: %d %v", code, r.lastRefusal())
		}
	})

	t.Run("rotation: any of several v1 signatures", func(t *testing.T) {
		h := signedHeaders(testKey, "id-rot", now, body)
		h.Set(HeaderSignature, Sign([]byte("old key old key old key old key!"), "id-rot", now, body)+" "+h.Get(HeaderSignature))
		if code := r.post(t, h, body); code != http.StatusNoContent {
			t.Fatalf("%d %v", code, r.lastRefusal())
		}
	})
}

// The signature is the Standard Webhooks one: a known vector computed
// independently (python3 -c 'import hmac,hashlib,base64; ...').
func TestSignKnownVector(t *testing.T) {
	got := Sign([]byte("key"), "msg_1", time.Unix(1700000000, 0), []byte(`{"a":1}`))
	const want = "v1,KSgv0SSgWzG5LPnm9tfWJRfBlWqAqHz+OlObgspQi/g="
	if got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestPayloadGolden(t *testing.T) {
	for _, f := range []Format{FormatHabeas, FormatSlack, FormatMatrix} {
		t.Run(string(f), func(t *testing.T) {
			got, err := Payload(f, testEvent())
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", string(f)+".json")
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != strings.TrimSuffix(string(want), "\n") {
				t.Fatalf("%s payload\n got %s\nwant %s", f, got, want)
			}
		})
	}
	if _, err := Payload("teams", testEvent()); err == nil {
		t.Fatal("unknown format accepted")
	}
}

func TestSendClassifiesResponses(t *testing.T) {
	var mu sync.Mutex
	status := 200
	redirected := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			mu.Lock()
			redirected++
			mu.Unlock()
			return
		}
		mu.Lock()
		s := status
		mu.Unlock()
		if s >= 300 && s < 400 {
			http.Redirect(w, r, "/elsewhere", s)
			return
		}
		w.WriteHeader(s)
		_, _ = w.Write(bytes.Repeat([]byte("x"), 64<<10)) // larger than what is read
	}))
	defer srv.Close()
	const token = "T0KEN-in-path"
	c, err := New(Options{URL: srv.URL + "/hooks/" + token + "?sig=Q-SECRET", Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		status        int
		ok, permanent bool
	}{
		{200, true, false}, {202, true, false}, {204, true, false},
		{301, false, true}, {302, false, true}, {307, false, true},
		{400, false, true}, {401, false, true}, {403, false, true}, {404, false, true}, {409, false, true}, {410, false, true}, {413, false, true}, {422, false, true},
		{408, false, false}, {425, false, false}, {429, false, false},
		{500, false, false}, {502, false, false}, {503, false, false}, {504, false, false},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			mu.Lock()
			status = tc.status
			mu.Unlock()
			err := c.Send(context.Background(), testEvent())
			if (err == nil) != tc.ok || IsPermanent(err) != tc.permanent {
				t.Fatalf("status %d: err %v, permanent %v", tc.status, err, IsPermanent(err))
			}
			if err != nil && (strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "Q-SECRET")) {
				t.Fatalf("error quotes the URL: %v", err)
			}
		})
	}
	if redirected != 0 {
		t.Fatalf("a redirect was followed %d times", redirected)
	}

	t.Run("stalled receiver: bounded timeout, temporary", func(t *testing.T) {
		release := make(chan struct{})
		stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		defer stall.Close()
		defer close(release)
		c, _ := New(Options{URL: stall.URL + "/hooks/" + token, Key: testKey, Timeout: 200 * time.Millisecond})
		start := time.Now()
		err := c.Send(context.Background(), testEvent())
		if err == nil || IsPermanent(err) || time.Since(start) > 5*time.Second {
			t.Fatalf("err %v after %s", err, time.Since(start))
		}
		if strings.Contains(err.Error(), token) {
			t.Fatalf("error quotes the URL: %v", err)
		}
	})

	t.Run("network error: temporary, URL redacted", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		u := dead.URL
		dead.Close()
		c, _ := New(Options{URL: u + "/hooks/" + token + "?sig=Q-SECRET", Key: testKey})
		err := c.Send(context.Background(), testEvent())
		if err == nil || IsPermanent(err) {
			t.Fatalf("err %v", err)
		}
		if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "Q-SECRET") || !strings.Contains(err.Error(), "/…") {
			t.Fatalf("error text %q", err)
		}
	})

	t.Run("event without id: permanent", func(t *testing.T) {
		if err := c.Send(context.Background(), Event{Text: "x"}); !IsPermanent(err) {
			t.Fatalf("err %v", err)
		}
	})
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://hooks.slack.com/services/T0/B0/XXXX": "https://hooks.slack.com/…",
		"https://example.org/?token=abc":              "https://example.org/…",
		"https://example.org":                         "https://example.org",
		"http://127.0.0.1:9000/":                      "http://127.0.0.1:9000",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestSecretFile(t *testing.T) {
	dir := t.TempDir()
	key, path, created, err := LoadSecret("", dir)
	if err != nil || !created || len(key) != 32 || path != filepath.Join(dir, SecretFileName) {
		t.Fatalf("first load: %d bytes, %s, created %v, %v", len(key), path, created, err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", st.Mode().Perm(), err)
	}
	raw, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(raw), "whsec_") {
		t.Fatalf("file is not whsec_<base64>")
	}
	again, _, created2, err := LoadSecret("", dir)
	if err != nil || created2 || !bytes.Equal(again, key) {
		t.Fatalf("second load: created %v, same %v, %v", created2, bytes.Equal(again, key), err)
	}
	// The file's text, given as HABEAS_WEBHOOK_SECRET, is the same key.
	given, _, _, err := LoadSecret(string(raw), t.TempDir())
	if err != nil || !bytes.Equal(given, key) {
		t.Fatalf("given whsec_: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := LoadSecret("", dir); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("world-readable secret: %v", err)
	}
	for _, bad := range []string{"tiny-secret-xyz", "whsec_!!!", "whsec_" + base64.StdEncoding.EncodeToString([]byte("tiny"))} {
		if _, err := ParseSecret(bad); err == nil {
			t.Errorf("ParseSecret(%q) accepted", bad)
		} else if strings.Contains(err.Error(), bad) {
			t.Errorf("error quotes the secret: %v", err)
		}
	}
}

func TestMemoryStoreBounded(t *testing.T) {
	m := NewMemoryStore(3)
	now := time.Unix(1000, 0)
	m.now = func() time.Time { return now }
	for i := 0; i < 5; i++ {
		if m.Remember(fmt.Sprint(i), now.Add(time.Minute)) {
			t.Fatalf("%d seen", i)
		}
	}
	if m.Len() != 3 {
		t.Fatalf("len %d", m.Len())
	}
	if !m.Remember("4", now.Add(time.Minute)) {
		t.Fatal("recent id forgotten")
	}
	now = now.Add(2 * time.Minute)
	if m.Remember("4", now.Add(time.Minute)) {
		t.Fatal("expired id still seen")
	}
}
