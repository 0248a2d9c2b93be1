package audit

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"
)

// DeniedAction is the action of the entries that count refused requests.
const DeniedAction = "access.denied"

// Denial is one refused request of a signed-in user: an object that is not
// theirs to see (404, indistinguishable from a missing one) or not theirs to
// change (403).
type Denial struct {
	ActorID, ActorRole string
	// Route is the method and route pattern ("GET /api/v1/cases/:id"),
	// never the path: the ids go to Objects.
	Route string
	// Status is the HTTP status answered (403 or 404), Code the error code.
	Status int
	Code   string
	// CaseID is the case named by the path, if any; Objects the path's ids
	// ("id=...", "eid=...").
	CaseID    string
	Objects   []string
	ClientIP  string
	RequestID string
}

// Bounds of the denial counts.
const (
	// DenialWindow is the span one entry counts: one entry per actor, route
	// and window (per process).
	DenialWindow = time.Minute
	// maxDenialBuckets caps the (actor, route) pairs counted in memory;
	// denials beyond it are counted in one overflow entry per window.
	maxDenialBuckets = 10000
	// maxDenialSamples caps the distinct objects, cases and addresses an
	// entry names; the rest are counted as omitted.
	maxDenialSamples = 10
)

type denialKey struct {
	window             int64 // unix seconds of the window's start
	actorID, actorRole string
	route              string
}

type denialCount struct {
	count       int
	first, last time.Time
	requestID   string
	statuses    map[string]int
	codes       map[string]int
	objects     samples
	cases       samples
	clientIPs   samples
}

// samples keeps the first few distinct values and counts the others.
type samples struct {
	seen    []string
	omitted int
}

func (s *samples) add(v string) {
	if v == "" {
		return
	}
	for _, x := range s.seen {
		if x == v {
			return
		}
	}
	if len(s.seen) < maxDenialSamples {
		s.seen = append(s.seen, v)
		return
	}
	s.omitted++
}

// Denials counts refused requests in memory and records them in the log as
// one entry per actor, route and minute (DenialWindow) with a count: a flood
// of probes adds at most one entry per actor and route a minute, however
// many requests it makes, and answering a probe costs the same whether the
// object exists or not (a map update; nothing is written while answering).
// Windows are written once they have ended (Flush, called by Run) and at
// Close. A process that crashes loses the counts of its open window (at
// most about a minute).
type Denials struct {
	log *Log
	now func() time.Time

	mu         sync.Mutex
	open       map[denialKey]*denialCount
	overflow   map[int64]int // window -> denials not counted in a bucket
	maxBuckets int
}

// NewDenials returns the denial counter that records into l.
func NewDenials(l *Log) *Denials {
	return &Denials{log: l, now: l.now, open: map[denialKey]*denialCount{}, overflow: map[int64]int{}, maxBuckets: maxDenialBuckets}
}

// SetClock replaces the clock (tests).
func (d *Denials) SetClock(now func() time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.now = now
}

// Note counts one refused request. It never blocks on the database.
func (d *Denials) Note(n Denial) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now().UTC()
	w := now.Truncate(DenialWindow).Unix()
	k := denialKey{window: w, actorID: n.ActorID, actorRole: n.ActorRole, route: n.Route}
	b, ok := d.open[k]
	if !ok {
		if len(d.open) >= d.maxBuckets {
			d.overflow[w]++
			return
		}
		b = &denialCount{first: now, requestID: n.RequestID, statuses: map[string]int{}, codes: map[string]int{}}
		d.open[k] = b
	}
	b.count++
	b.last = now
	b.statuses[strconv.Itoa(n.Status)]++
	if n.Code != "" {
		b.codes[n.Code]++
	}
	for _, o := range n.Objects {
		b.objects.add(o)
	}
	b.cases.add(n.CaseID)
	b.clientIPs.add(n.ClientIP)
}

// Flush records the windows that have ended.
func (d *Denials) Flush(ctx context.Context) error { return d.flush(ctx, false) }

// Close records every window, ended or not (at shutdown).
func (d *Denials) Close(ctx context.Context) error { return d.flush(ctx, true) }

// Run flushes every few seconds until ctx ends; onError reports a flush
// that failed (its counts are kept and tried again). What is left when ctx
// ends is for Close.
func (d *Denials) Run(ctx context.Context, every time.Duration, onError func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := d.Flush(ctx); err != nil && onError != nil && ctx.Err() == nil {
				onError(err)
			}
		}
	}
}

// flush takes the windows to record out of memory and appends their
// entries in one transaction, in window order. When that fails, the counts
// are put back to be tried again.
func (d *Denials) flush(ctx context.Context, all bool) error {
	d.mu.Lock()
	current := d.now().UTC().Truncate(DenialWindow).Unix()
	taken := map[denialKey]*denialCount{}
	for k, b := range d.open {
		if all || k.window < current {
			taken[k] = b
			delete(d.open, k)
		}
	}
	over := map[int64]int{}
	for w, n := range d.overflow {
		if all || w < current {
			over[w] = n
			delete(d.overflow, w)
		}
	}
	d.mu.Unlock()
	if len(taken) == 0 && len(over) == 0 {
		return nil
	}
	es := denialEntries(taken, over)
	// Issue 26 (notifications): the rule "an actor with many denials" hooks
	// in here, on es once recorded: each entry is one actor's refusals on
	// one route in one minute, with the count.
	if err := d.log.RecordBatch(ctx, nil, es); err != nil {
		d.putBack(taken, over)
		return fmt.Errorf("audit: record %d denial entries: %w", len(es), err)
	}
	return nil
}

// putBack returns counts that could not be recorded, merging them with any
// counted since.
func (d *Denials) putBack(taken map[denialKey]*denialCount, over map[int64]int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, b := range taken {
		cur, ok := d.open[k]
		if !ok {
			d.open[k] = b
			continue
		}
		cur.count += b.count
		if b.first.Before(cur.first) {
			cur.first, cur.requestID = b.first, b.requestID
		}
		for s, n := range b.statuses {
			cur.statuses[s] += n
		}
		for c, n := range b.codes {
			cur.codes[c] += n
		}
		for _, o := range b.objects.seen {
			cur.objects.add(o)
		}
		cur.objects.omitted += b.objects.omitted
		for _, c := range b.cases.seen {
			cur.cases.add(c)
		}
		for _, ip := range b.clientIPs.seen {
			cur.clientIPs.add(ip)
		}
	}
	for w, n := range over {
		d.overflow[w] += n
	}
}

// denialEntries turns the counts into entries, sorted by window, actor and route.
func denialEntries(taken map[denialKey]*denialCount, over map[int64]int) []Entry {
	keys := make([]denialKey, 0, len(taken))
	for k := range taken {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.window != b.window {
			return a.window < b.window
		}
		if a.actorID != b.actorID {
			return a.actorID < b.actorID
		}
		return a.route < b.route
	})
	es := make([]Entry, 0, len(keys)+len(over))
	for _, k := range keys {
		b := taken[k]
		details := map[string]any{
			"count":        b.count,
			"window_start": time.Unix(k.window, 0).UTC().Format(time.RFC3339),
			"first_at":     FormatTime(b.first),
			"last_at":      FormatTime(b.last),
			"statuses":     b.statuses,
			"objects":      nonNil(b.objects.seen),
		}
		if len(b.codes) > 0 {
			details["codes"] = b.codes
		}
		if b.objects.omitted > 0 {
			details["objects_omitted"] = b.objects.omitted
		}
		caseID := ""
		if len(b.cases.seen) == 1 && b.cases.omitted == 0 {
			caseID = b.cases.seen[0]
		} else if len(b.cases.seen) > 1 {
			details["case_ids"] = b.cases.seen
			if b.cases.omitted > 0 {
				details["case_ids_omitted"] = b.cases.omitted
			}
		}
		clientIP := ""
		if len(b.clientIPs.seen) > 0 {
			clientIP = b.clientIPs.seen[0]
		}
		if len(b.clientIPs.seen) > 1 {
			details["client_ips"] = b.clientIPs.seen
			if b.clientIPs.omitted > 0 {
				details["client_ips_omitted"] = b.clientIPs.omitted
			}
		}
		actorID, role := k.actorID, k.actorRole
		es = append(es, Entry{Action: DeniedAction, ObjectType: "route", ObjectID: k.route, CaseID: caseID,
			Outcome: Denied, Details: details, ActorID: actorID, ActorRole: role, ClientIP: clientIP,
			RequestID: b.requestID})
	}
	ws := make([]int64, 0, len(over))
	for w := range over {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i] < ws[j] })
	for _, w := range ws {
		es = append(es, Entry{Action: DeniedAction, ObjectType: "route", ObjectID: "(overflow)", Outcome: Denied,
			ActorRole: "system", Details: map[string]any{"count": over[w],
				"window_start": time.Unix(w, 0).UTC().Format(time.RFC3339), "note": "more actors and routes than counted separately"}})
	}
	return es
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
