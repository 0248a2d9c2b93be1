package webhook

import (
	"container/list"
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultTolerance is how far a delivery's timestamp may be from the
// receiver's clock, either way.
const DefaultTolerance = 5 * time.Minute

// Errors of Verify; test them with errors.Is.
var (
	// ErrSignature: the headers are missing or malformed, or no signature
	// matches (the body, id or timestamp was altered, or the key differs).
	ErrSignature = errors.New("webhook: signature does not verify")
	// ErrTimestamp: the timestamp is outside the tolerance (old or future).
	ErrTimestamp = errors.New("webhook: timestamp outside the tolerance")
	// ErrReplay: a delivery with this webhook-id was already accepted.
	// A receiver answers it 2xx without acting again (a retry after a lost
	// answer; a 4xx would make Habeas record the post as failed).
	ErrReplay = errors.New("webhook: replayed webhook-id")
)

// SeenStore remembers the webhook-ids a Verifier accepted. Remember
// records id until the given instant and reports whether it was already
// there (then the delivery is a replay); it must be atomic, since
// deliveries may arrive concurrently. A receiver with several processes
// gives them one shared store (a database table with a unique id).
type SeenStore interface {
	Remember(id string, until time.Time) (seen bool)
}

// MemoryStore is the default SeenStore: in memory, bounded. When full it
// drops expired ids, then the oldest one (a replay of an id dropped that way
// would pass again: size it above the deliveries expected within twice the
// tolerance).
type MemoryStore struct {
	mu    sync.Mutex
	max   int
	ids   map[string]*list.Element
	order *list.List // of seenEntry, oldest first
	now   func() time.Time
}

type seenEntry struct {
	id    string
	until time.Time
}

// NewMemoryStore returns a MemoryStore holding at most max ids (max < 1:
// 10000).
func NewMemoryStore(max int) *MemoryStore {
	if max < 1 {
		max = 10000
	}
	return &MemoryStore{max: max, ids: map[string]*list.Element{}, order: list.New(), now: time.Now}
}

// Remember implements SeenStore.
func (m *MemoryStore) Remember(id string, until time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if el, ok := m.ids[id]; ok {
		if el.Value.(seenEntry).until.After(now) {
			return true
		}
		m.order.Remove(el)
		delete(m.ids, id)
	}
	if len(m.ids) >= m.max {
		for el := m.order.Front(); el != nil && len(m.ids) >= m.max; {
			next := el.Next()
			if !el.Value.(seenEntry).until.After(now) {
				m.order.Remove(el)
				delete(m.ids, el.Value.(seenEntry).id)
			}
			el = next
		}
		if len(m.ids) >= m.max {
			old := m.order.Front()
			m.order.Remove(old)
			delete(m.ids, old.Value.(seenEntry).id)
		}
	}
	m.ids[id] = m.order.PushBack(seenEntry{id: id, until: until})
	return false
}

// Len is how many ids the store holds.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.ids)
}

// Verifier checks deliveries for a receiver. Use NewVerifier; the fields may
// be changed before the first Verify.
type Verifier struct {
	// Keys are the accepted HMAC keys (several while rotating).
	Keys [][]byte
	// Tolerance is the largest distance between the delivery's timestamp
	// and Now, either way.
	Tolerance time.Duration
	// Store remembers accepted ids; nil turns replay refusal off.
	Store SeenStore
	// Now is the clock (time.Now).
	Now func() time.Time
}

// NewVerifier returns a Verifier accepting key, with DefaultTolerance and
// an in-memory store of 10000 ids.
func NewVerifier(key []byte) *Verifier {
	return &Verifier{Keys: [][]byte{key}, Tolerance: DefaultTolerance, Store: NewMemoryStore(0), Now: time.Now}
}

// Verify checks a delivery's headers against its raw body, in this order:
// headers present, timestamp within the tolerance (ErrTimestamp), a v1
// signature that matches under one of the keys, compared in constant time
// (ErrSignature), and only then the id not seen before (ErrReplay); a
// delivery that fails is never remembered. It returns nil for a genuine,
// first delivery.
func (v *Verifier) Verify(h http.Header, body []byte) error {
	id := h.Get(HeaderID)
	tsText := h.Get(HeaderTimestamp)
	sigs := h.Get(HeaderSignature)
	if id == "" || tsText == "" || sigs == "" {
		return fmt.Errorf("%w: missing %s, %s or %s header", ErrSignature, HeaderID, HeaderTimestamp, HeaderSignature)
	}
	unix, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s is not unix seconds", ErrTimestamp, HeaderTimestamp)
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	tol := v.Tolerance
	if tol <= 0 {
		tol = DefaultTolerance
	}
	ts := time.Unix(unix, 0)
	if d := now().Sub(ts); d > tol || d < -tol {
		return fmt.Errorf("%w: %s off by %s (tolerance %s)", ErrTimestamp, HeaderTimestamp, d.Round(time.Second), tol)
	}
	ok := false
	for _, key := range v.Keys {
		want := mac(key, id, unix, body)
		for _, s := range strings.Fields(sigs) {
			b64, found := strings.CutPrefix(s, "v1,")
			if !found {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(b64)
			if err == nil && hmac.Equal(got, want) {
				ok = true
			}
		}
	}
	if !ok {
		return ErrSignature
	}
	// Remembered past the tolerance on both sides: after that the
	// timestamp check refuses a replay by itself.
	if v.Store != nil && v.Store.Remember(id, ts.Add(tol+time.Second)) {
		return fmt.Errorf("%w: %s", ErrReplay, id)
	}
	return nil
}
