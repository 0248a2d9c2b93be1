//go:build drills

package drills

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
	"github.com/habeas-org/habeas/internal/notify/webhook"
)

// Issue 26's restart and replica acceptance, with real processes: due
// notifications (hearings tomorrow on followed cases) go to a signed
// webhook whose receiver, here, verifies every delivery and counts them per
// webhook-id. The server runs the scanner and the job queue with short
// intervals (HABEAS_NOTIFY_SCAN_INTERVAL, HABEAS_JOBS_POLL_INTERVAL).

// hookReceiver is the organisation's alerting: it verifies each delivery
// (signature and timestamp; replays are counted, not refused, so that a
// duplicate shows up in the counts) and records the accepted ones.
type hookReceiver struct {
	t        *testing.T
	srv      *httptest.Server
	secret   string // HABEAS_WEBHOOK_SECRET of the servers
	verifier *webhook.Verifier
	stall    atomic.Bool  // hold deliveries (no answer) while set
	inFlight atomic.Int32 // deliveries held now
	// delay is how long each answered delivery takes (a slow receiver
	// widens the window in which two processes could post one row).
	delay   time.Duration
	release chan struct{}

	mu      sync.Mutex
	byID    map[string]int // accepted deliveries per webhook-id
	counts  map[string]int // the body's count, per webhook-id
	rules   map[string]string
	refused []string
}

func newHookReceiver(t *testing.T) *hookReceiver {
	t.Helper()
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		t.Fatal(err)
	}
	h := &hookReceiver{t: t, secret: "whsec_" + base64.StdEncoding.EncodeToString(raw), release: make(chan struct{}),
		byID: map[string]int{}, counts: map[string]int{}, rules: map[string]string{}}
	v := webhook.NewVerifier(raw)
	v.Store = nil // duplicates are counted below, not refused
	h.verifier = v
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(func() {
		h.releaseAll()
		h.srv.Close()
	})
	return h
}

func (h *hookReceiver) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	if err := h.verifier.Verify(r.Header, body); err != nil {
		h.mu.Lock()
		h.refused = append(h.refused, err.Error())
		h.mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if h.stall.Load() {
		h.inFlight.Add(1)
		select {
		case <-h.release:
		case <-r.Context().Done():
		}
		h.inFlight.Add(-1)
		return // never answered: the sender has no proof of delivery
	}
	var ev struct {
		ID    string `json:"id"`
		Rule  string `json:"rule"`
		Count int    `json:"count"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID != r.Header.Get(webhook.HeaderID) {
		h.mu.Lock()
		h.refused = append(h.refused, fmt.Sprintf("body %.200s does not match webhook-id %s", body, r.Header.Get(webhook.HeaderID)))
		h.mu.Unlock()
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if h.delay > 0 {
		select {
		case <-time.After(h.delay):
		case <-r.Context().Done():
			return
		}
	}
	h.mu.Lock()
	h.byID[ev.ID]++
	h.counts[ev.ID] = ev.Count
	h.rules[ev.ID] = ev.Rule
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// releaseAll ends the stall: held deliveries return without an answer.
func (h *hookReceiver) releaseAll() {
	h.stall.Store(false)
	select {
	case <-h.release:
	default:
		close(h.release)
	}
}

// env is the webhook and notification configuration of a drill server.
func (h *hookReceiver) env() map[string]string {
	return map[string]string{
		"HABEAS_WEBHOOK_URL":          h.srv.URL + "/habeas-hook",
		"HABEAS_WEBHOOK_SECRET":       h.secret,
		"HABEAS_WEBHOOK_FORMAT":       "habeas",
		"HABEAS_NOTIFY_SCAN_INTERVAL": "1s",
		"HABEAS_JOBS_POLL_INTERVAL":   "200ms",
	}
}

// outboxRow is one webhook post of the notification outbox.
type outboxRow struct {
	IdempotencyKey string
	State          string
	Payload        string
	Attempts       int
}

// webhookOutbox reads the instance's webhook outbox rows.
func (in *instance) webhookOutbox() []outboxRow {
	in.t.Helper()
	ctx := in.ctx(30 * time.Second)
	d, err := faultkit.OpenDB(ctx, in.pgURL, filepath.Join(in.dataDir, "habeas.db"))
	if err != nil {
		in.t.Fatalf("open the instance's database: %v", err)
	}
	defer d.Close()
	var rows []outboxRow
	if err := d.WithContext(ctx).Raw("SELECT idempotency_key, state, payload, attempts FROM notification_outbox WHERE channel = 'webhook'").
		Scan(&rows).Error; err != nil {
		in.t.Fatal(err)
	}
	return rows
}

// dueHearings creates n cases the admin follows, each with a hearing
// tomorrow (UTC court): n hearing_tomorrow events for the webhook. A pause
// of more than a scan interval after every batch of them makes later scans
// find the next ones: several posts instead of one.
func (in *instance) dueHearings(n, batch int) []string {
	in.t.Helper()
	tomorrow := time.Now().UTC().AddDate(0, 0, 1)
	at := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 12, 0, 0, 0, time.UTC).Format(time.RFC3339)
	var ids []string
	for i := range n {
		if i > 0 && i%batch == 0 {
			time.Sleep(1300 * time.Millisecond)
		}
		caseID := in.newCase()
		ctx := in.ctx(30 * time.Second)
		if r, err := in.c.Do(ctx, "PUT", "/api/v1/cases/"+caseID+"/follow", nil, nil); err != nil || !r.OK() {
			in.t.Fatalf("follow case %s: %s %v", caseID, r, err)
		}
		r, err := in.c.Do(ctx, "POST", "/api/v1/cases/"+caseID+"/hearings", nil, map[string]any{
			"scheduled_at": at, "time_zone": "UTC", "type": "trial", "status": "scheduled", "court": "Drill court"})
		if err != nil || r.Status != http.StatusCreated {
			in.t.Fatalf("hearing tomorrow on case %s: %s %v", caseID, r, err)
		}
		ids = append(ids, idOf(r.Body))
	}
	return ids
}

// checkDelivered fails the drill unless every webhook outbox row is sent,
// the rows cover the want hearing_tomorrow events once each, and the
// receiver accepted each row's webhook-id exactly once and nothing else.
func checkDelivered(t *testing.T, in *instance, h *hookReceiver, want int) {
	t.Helper()
	rows := in.webhookOutbox()
	events := map[string]int{}
	keys := map[string]bool{}
	for _, o := range rows {
		keys[o.IdempotencyKey] = true
		if o.State != "sent" {
			t.Errorf("outbox %s: state %s after %d attempts", o.IdempotencyKey, o.State, o.Attempts)
		}
		var p struct {
			Events []string `json:"events"`
		}
		if err := json.Unmarshal([]byte(o.Payload), &p); err != nil {
			t.Errorf("outbox %s: payload %v", o.IdempotencyKey, err)
		}
		for _, e := range p.Events {
			events[e]++
		}
	}
	hearings := 0
	for e, n := range events {
		if strings.HasPrefix(e, "hearing_tomorrow:") {
			hearings++
		}
		if n != 1 {
			t.Errorf("event %s is in %d webhook posts (want 1)", e, n)
		}
	}
	if hearings != want {
		t.Errorf("%d hearing_tomorrow events posted, want %d", hearings, want)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	total := 0
	for id, n := range h.byID {
		if !keys[id] {
			t.Errorf("the receiver got webhook-id %s that no outbox row has", id)
		}
		if n != 1 {
			t.Errorf("webhook-id %s delivered %d times (want once)", id, n)
		}
		total += h.counts[id]
	}
	for k := range keys {
		if h.byID[k] == 0 {
			t.Errorf("outbox %s never reached the receiver", k)
		}
	}
	if total != len(events) {
		t.Errorf("the receiver's posts count %d events, the outbox %d", total, len(events))
	}
	if len(h.refused) > 0 {
		t.Errorf("the receiver refused %d deliveries: %v", len(h.refused), h.refused)
	}
}

// allSent is the eventually-condition: as many webhook posts received
// (distinct ids) as outbox rows, none pending, want hearings covered.
func allSent(in *instance, h *hookReceiver, want int) func() (bool, string) {
	return func() (bool, string) {
		rows := in.webhookOutbox()
		pending, covered := 0, 0
		for _, o := range rows {
			if o.State == "pending" {
				pending++
			}
			var p struct {
				Events []string `json:"events"`
			}
			_ = json.Unmarshal([]byte(o.Payload), &p)
			covered += len(p.Events)
		}
		h.mu.Lock()
		got := len(h.byID)
		h.mu.Unlock()
		state := fmt.Sprintf("%d outbox rows (%d pending) covering %d events, receiver has %d ids, in flight %d",
			len(rows), pending, covered, got, h.inFlight.Load())
		return len(rows) > 0 && pending == 0 && covered >= want && got == len(rows), state
	}
}

// TestDrillNotifyKill: SIGKILL while webhook deliveries are in flight (the
// receiver holds them unanswered), restart: every due notification is
// delivered, each webhook-id once, each event in one post.
func TestDrillNotifyKill(t *testing.T) {
	matrix(t, bothDBs, []string{"local"}, func(t *testing.T, dialect, _ string) {
		h := newHookReceiver(t)
		h.stall.Store(true)
		in := newInstance(t, dialect, "local", options{env: h.env()})
		const n = 6
		in.dueHearings(n, 2)
		eventually(t, 30*time.Second, "the hearings are written and their posts are in flight", func() (bool, string) {
			rows := in.webhookOutbox()
			covered := 0
			for _, o := range rows {
				var p struct {
					Events []string `json:"events"`
				}
				_ = json.Unmarshal([]byte(o.Payload), &p)
				covered += len(p.Events)
			}
			return covered >= n && h.inFlight.Load() > 0,
				fmt.Sprintf("%d outbox rows covering %d events, %d deliveries in flight", len(rows), covered, h.inFlight.Load())
		})
		held := h.inFlight.Load()
		if err := in.srv.Kill(); err != nil {
			t.Fatal(err)
		}
		h.releaseAll()
		t.Logf("killed with %d deliveries in flight", held)
		in.start()
		eventually(t, 45*time.Second, "every due notification delivered after the restart", allSent(in, h, n))
		checkDelivered(t, in, h, n)
	})
}

// TestDrillNotifyReplicas: two server processes on one PostgreSQL
// database, both scanning and working jobs: every due notification is
// delivered once.
func TestDrillNotifyReplicas(t *testing.T) {
	t.Parallel()
	h := newHookReceiver(t)
	in := newInstance(t, "postgres", "local", options{env: h.env()})
	env := maps.Clone(in.srv.Env)
	delete(env, "HABEAS_ADDR")
	delete(env, "HABEAS_DATA_DIR")
	second, err := faultkit.NewServer(habeasBin, filepath.Join(t.TempDir(), "data2"), env)
	if err != nil {
		t.Fatal(err)
	}
	second.LogPath = filepath.Join(t.TempDir(), "server2.log")
	t.Cleanup(func() {
		second.Stop()
		if t.Failed() {
			t.Logf("second server log (last 40 lines):\n%s", second.LogTail(40))
		}
	})
	if err := second.StartReady(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	// Each delivery takes longer than a scan interval: a process that
	// posted a row another is posting would be seen.
	h.delay = 1500 * time.Millisecond
	const n = 6
	in.dueHearings(n, 2)
	eventually(t, 45*time.Second, "every due notification delivered by the two processes", allSent(in, h, n))
	if !second.Running() || !in.srv.Running() {
		t.Fatal("a server process exited during the drill")
	}
	checkDelivered(t, in, h, n)
	h.mu.Lock()
	ids := make([]string, 0, len(h.byID))
	for id, k := range h.byID {
		ids = append(ids, fmt.Sprintf("%s x%d", id, k))
	}
	h.mu.Unlock()
	sort.Strings(ids)
	t.Logf("%d posts received (id x deliveries): %v", len(ids), ids)
}
