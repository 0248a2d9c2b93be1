package httpapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

// countEvents is the number of events of the case (deleted or not).
func countEvents(t *testing.T, d *db.DB, caseID string) int64 {
	t.Helper()
	var n int64
	if err := d.WithContext(context.Background()).Model(&timeline.Event{}).Where("case_id = ?", caseID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Issue 24: a queued log entry is sent again with its Idempotency-Key until
// it is answered: the repeat replays the first answer and creates nothing;
// the key with another body is 422 naming the header; another user's same
// key is theirs alone; a bad key is 400.
func TestEventIdempotencyKey(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		law := e.users[rLawA].token
		path := "/api/v1/cases/" + own.caseID + "/events"
		before := countEvents(t, d, own.caseID)
		key := uuid.NewString()
		body := map[string]any{"type": "meeting_denied", "occurred_at": "2024-03-05", "description": "会见被拒"}
		hdr := http.Header{"Idempotency-Key": {key}}
		first := e.s.Do(testkit.Request{Method: "POST", Path: path, Token: law, Body: body, Header: hdr})
		if first.StatusCode != 201 || first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first: %d %s", first.StatusCode, first.Body)
		}
		again := e.s.Do(testkit.Request{Method: "POST", Path: path, Token: law, Body: body, Header: hdr})
		if again.StatusCode != 201 || string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" ||
			again.Header.Get("ETag") != first.Header.Get("ETag") || again.Header.Get("Location") != first.Header.Get("Location") {
			t.Fatalf("replay: %d %v %s", again.StatusCode, again.Header, again.Body)
		}
		if n := countEvents(t, d, own.caseID); n != before+1 {
			t.Fatalf("events after a replay: %d, want %d", n, before+1)
		}
		other := map[string]any{"type": "meeting_denied", "occurred_at": "2024-03-06", "description": "会见被拒"}
		r := e.s.Do(testkit.Request{Method: "POST", Path: path, Token: law, Body: other, Header: hdr})
		if r.StatusCode != 422 || !contains(r.Body, "idempotency_key_mismatch") || !contains(r.Body, "Idempotency-Key") {
			t.Fatalf("other body, same key: %d %s", r.StatusCode, r.Body)
		}
		// The same key from another user is another key.
		r = e.s.Do(testkit.Request{Method: "POST", Path: path, Token: e.users[rAdmin].token, Body: body, Header: hdr})
		if r.StatusCode != 201 || r.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("another user's key: %d %s", r.StatusCode, r.Body)
		}
		// A refusal is not remembered (it created nothing): a repeat runs again.
		bad := map[string]any{"type": "no_such_type", "occurred_at": "2024-03-05"}
		badHdr := http.Header{"Idempotency-Key": {uuid.NewString()}}
		r1 := e.s.Do(testkit.Request{Method: "POST", Path: path, Token: law, Body: bad, Header: badHdr})
		r2 := e.s.Do(testkit.Request{Method: "POST", Path: path, Token: law, Body: bad, Header: badHdr})
		if r1.StatusCode != 400 || r2.StatusCode != 400 || r2.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("refusal: %d, repeat %d %v", r1.StatusCode, r2.StatusCode, r2.Header)
		}
		r = e.s.Do(testkit.Request{Method: "POST", Path: path, Token: law, Body: body, Header: http.Header{"Idempotency-Key": {"has space"}}})
		if r.StatusCode != 400 || !contains(r.Body, "Idempotency-Key") {
			t.Fatalf("bad key: %d %s", r.StatusCode, r.Body)
		}
		if n := countEvents(t, d, own.caseID); n != before+2 {
			t.Fatalf("events: %d, want %d", n, before+2)
		}
	})
}

// Two requests with one key at the same time create one event; both get
// the same answer.
func TestEventIdempotencyConcurrent(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		own, _ := e.fixture(t)
		law := e.users[rLawA].token
		path := "/api/v1/cases/" + own.caseID + "/events"
		before := countEvents(t, d, own.caseID)
		hdr := http.Header{"Idempotency-Key": {uuid.NewString()}}
		body := map[string]any{"type": "meeting_denied", "occurred_at": "2024-03-05", "description": "同时"}
		const n = 4
		var wg sync.WaitGroup
		res := make([]*testkit.Response, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[i] = e.s.Do(testkit.Request{Method: "POST", Path: path, Token: law, Body: body, Header: hdr})
			}()
		}
		wg.Wait()
		replayed := 0
		for i, r := range res {
			if r.StatusCode != 201 || string(r.Body) != string(res[0].Body) {
				t.Fatalf("request %d: %d %s", i, r.StatusCode, r.Body)
			}
			if r.Header.Get("Idempotent-Replayed") == "true" {
				replayed++
			}
		}
		if replayed != n-1 {
			t.Errorf("replayed answers: %d, want %d", replayed, n-1)
		}
		if got := countEvents(t, d, own.caseID); got != before+1 {
			t.Fatalf("events: %d, want %d", got, before+1)
		}
	})
}
