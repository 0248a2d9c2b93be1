package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/habeas-org/habeas/internal/faultkit"
)

// work is what the load acts on: the cases made before it starts.
type work struct{ cases []string }

type ackEvent struct{ caseID, id, description string }

type ackUpdate struct {
	version int64
	summary string
}

type ackUpload struct {
	caseID, id, sha256 string
	size               int
}

// ledger records every request's answer and every acknowledged write.
type ledger struct {
	mu       sync.Mutex
	requests int
	statuses map[string]int
	ops      map[string]int
	events   []ackEvent
	updates  map[string]ackUpdate // case -> the acknowledged update of the highest version
	nUpdates int
	uploads  []ackUpload
	retried  int // uploads retried with the same Idempotency-Key
}

func newLedger() *ledger {
	return &ledger{statuses: map[string]int{}, ops: map[string]int{}, updates: map[string]ackUpdate{}}
}

// answer counts one request: its status, or "no_answer" (connection
// refused or cut, timeout).
func (l *ledger) answer(op string, r *faultkit.Response, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests++
	l.ops[op]++
	switch {
	case err != nil || r == nil:
		l.statuses["no_answer"]++
	default:
		l.statuses[strconv.Itoa(r.Status)]++
	}
}

func (l *ledger) uploaded(u ackUpload) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.uploads = append(l.uploads, u)
}

func (l *ledger) someUpload(rng *rand.Rand) (ackUpload, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.uploads) == 0 {
		return ackUpload{}, false
	}
	return l.uploads[rng.IntN(len(l.uploads))], true
}

// prepare creates the cases the load works on.
func (s *soak) prepare(ctx context.Context) (*work, error) {
	w := &work{}
	for i := range s.o.cases {
		id, err := s.c.CreateCase(ctx, fmt.Sprintf("Soak %d", i))
		if err != nil {
			return nil, err
		}
		w.cases = append(w.cases, id)
	}
	return w, nil
}

// The mix: mostly reads of cases and timelines and lists, with event
// writes, case updates with If-Match, small uploads and downloads.
var mix = []struct {
	op     string
	weight int
}{{"read_case", 22}, {"read_timeline", 18}, {"list_cases", 10}, {"write_event", 22}, {"update_case", 10}, {"upload", 9}, {"download", 9}}

// client is one client's loop until ctx ends.
func (s *soak) client(ctx context.Context, w *work, rng *rand.Rand) {
	for ctx.Err() == nil {
		n := rng.IntN(100)
		op := mix[0].op
		for _, m := range mix {
			if n < m.weight {
				op = m.op
				break
			}
			n -= m.weight
		}
		ok := s.do(ctx, w, op, rng)
		if !ok && ctx.Err() == nil {
			// The server is restarting or a dependency is down: do not
			// spin on refused connections.
			time.Sleep(time.Duration(100+rng.IntN(300)) * time.Millisecond)
		}
	}
}

// do runs one operation and reports whether it got a 2xx answer.
func (s *soak) do(ctx context.Context, w *work, op string, rng *rand.Rand) bool {
	caseID := w.cases[rng.IntN(len(w.cases))]
	var (
		r   *faultkit.Response
		err error
	)
	switch op {
	case "read_case":
		r, err = s.c.Get(ctx, "/api/v1/cases/"+caseID)
	case "read_timeline":
		r, err = s.c.Get(ctx, "/api/v1/cases/"+caseID+"/timeline?limit=50")
	case "list_cases":
		r, err = s.c.Get(ctx, "/api/v1/cases?limit=50")
	case "write_event":
		desc := fmt.Sprintf("soak event %016x", rng.Uint64())
		r, err = s.c.AddEvent(ctx, caseID, desc)
		if err == nil && r.Status == http.StatusCreated {
			s.ledger.mu.Lock()
			s.ledger.events = append(s.ledger.events, ackEvent{caseID, faultkit.IDOf(r), desc})
			s.ledger.mu.Unlock()
		}
	case "update_case":
		g, gerr := s.c.Get(ctx, "/api/v1/cases/"+caseID)
		s.ledger.answer("read_case", g, gerr)
		if gerr != nil || g.Status != http.StatusOK {
			return false
		}
		summary := fmt.Sprintf("soak update %016x", rng.Uint64())
		r, err = s.c.UpdateCase(ctx, caseID, g.ETag(), summary)
		if err == nil && r.Status == http.StatusOK {
			s.ledger.mu.Lock()
			s.ledger.nUpdates++
			if v := r.ETag(); v > s.ledger.updates[caseID].version {
				s.ledger.updates[caseID] = ackUpdate{v, summary}
			}
			s.ledger.mu.Unlock()
		}
	case "upload":
		return s.upload(ctx, caseID, rng)
	case "download":
		u, ok := s.ledger.someUpload(rng)
		if !ok {
			return true
		}
		r, err = s.c.Download(ctx, u.caseID, u.id)
	}
	if ctx.Err() != nil && err != nil {
		return true // cut off by the end of the load, not an answer
	}
	s.ledger.answer(op, r, err)
	return err == nil && r.OK() || (r != nil && r.Status == http.StatusPreconditionFailed)
}

// upload sends a small file with a fresh Idempotency-Key; when it gets no
// answer or a 5xx it retries once with the same key, as the web client does.
func (s *soak) upload(ctx context.Context, caseID string, rng *rand.Rand) bool {
	body := make([]byte, 16<<10+rng.IntN(240<<10))
	for i := range body {
		body[i] = byte(rng.Uint32())
	}
	sum := sha256.Sum256(body)
	key := fmt.Sprintf("soak-%016x", rng.Uint64())
	for attempt := 0; attempt < 2; attempt++ {
		r, err := s.c.Upload(ctx, caseID, key, "soak upload", "soak.bin", bytes.NewReader(body))
		if ctx.Err() != nil && err != nil {
			return true
		}
		s.ledger.answer("upload", r, err)
		if err == nil && r.Status == http.StatusCreated {
			s.ledger.uploaded(ackUpload{caseID, faultkit.IDOf(r), hex.EncodeToString(sum[:]), len(body)})
			return true
		}
		if err == nil && r.Status < 500 {
			return false
		}
		if attempt == 0 {
			s.ledger.mu.Lock()
			s.ledger.retried++
			s.ledger.mu.Unlock()
			time.Sleep(2 * time.Second)
		}
	}
	return false
}
