package auth

import (
	"context"
	"sync"
	"time"
)

// The session check of every authenticated request reads the session and
// its user (loadSession). sessionCache keeps those rows in process, and
// trusts one only while the database's auth epoch (table auth_epoch, bumped
// by triggers in the same transaction as any change that can end or narrow a
// session: migration 0017) still has the value it had when the row was
// read. A hit therefore costs one read of that counter instead of the join,
// and that read is shared: epochReader runs one at a time, and a request
// waits for a read that began after it arrived, so it sees every change
// committed before it arrived, on any replica. Revocation stays immediate
// (docs/security.md, "Session check cache").
//
// A process-local signal or LISTEN/NOTIFY would spare even that read, but
// neither can promise the next request: a notification arrives some time
// after the commit, and a write path (or an operator's UPDATE) that forgets
// to signal is a revocation missed. A counter kept by triggers cannot be
// forgotten and has no listener to lose.

const (
	// sessionCacheMax bounds the cached sessions; beyond it the cache is
	// emptied (the next requests reload).
	sessionCacheMax = 10000
	// sessionCacheTTL is a safety net: a cached session is reloaded after
	// this long whatever the counter says.
	sessionCacheTTL = time.Minute
	// epochReadTimeout bounds one shared read of the counter.
	epochReadTimeout = 5 * time.Second
)

// cachedSession is a loaded session with the auth epoch it was read at.
type cachedSession struct {
	row      sessionRow
	epoch    int64
	loadedAt time.Time
}

// sessionCache maps session ids to their loaded rows. Every row it holds was
// read at epoch (older ones are dropped when a newer epoch is seen).
type sessionCache struct {
	mu      sync.Mutex
	epoch   int64
	entries map[string]cachedSession
	now     func() time.Time
}

func newSessionCache(now func() time.Time) *sessionCache {
	return &sessionCache{entries: map[string]cachedSession{}, now: now}
}

// get returns the cached row of sid when it was read at epoch and is not
// older than the TTL. Seeing a newer epoch than its own empties the cache.
func (c *sessionCache) get(sid string, epoch int64) (*sessionRow, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		c.reset(epoch)
		return nil, false
	}
	e, ok := c.entries[sid]
	if !ok {
		return nil, false
	}
	if c.now().Sub(e.loadedAt) >= sessionCacheTTL {
		delete(c.entries, sid)
		return nil, false
	}
	row := e.row
	return &row, true
}

// put caches row, read at epoch. A row read at an older epoch than the
// cache's is not kept; a newer one empties the cache first.
func (c *sessionCache) put(row *sessionRow, epoch int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case epoch < c.epoch:
		return
	case epoch > c.epoch:
		c.reset(epoch)
	}
	if len(c.entries) >= sessionCacheMax {
		clear(c.entries)
	}
	c.entries[row.SessionID] = cachedSession{row: *row, epoch: epoch, loadedAt: c.now()}
}

// len is the number of cached sessions.
func (c *sessionCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func (c *sessionCache) reset(epoch int64) {
	if epoch > c.epoch {
		c.epoch = epoch
	}
	clear(c.entries)
}

// epochCall is one read of the auth epoch and the requests waiting for it.
type epochCall struct {
	done  chan struct{}
	value int64
	err   error
}

// epochReader shares reads of the auth epoch between concurrent requests
// without ever answering one with a value read before it arrived: while a
// read is in flight, newcomers wait for the next one, which starts when the
// current one ends.
type epochReader struct {
	read func(ctx context.Context) (int64, error)

	mu      sync.Mutex
	current *epochCall // in flight (nil: none)
	next    *epochCall // to start when current ends (nil: nobody waits)
}

// get returns a value of the epoch read after the call began.
func (r *epochReader) get(ctx context.Context) (int64, error) {
	r.mu.Lock()
	var c *epochCall
	switch {
	case r.current == nil:
		c = &epochCall{done: make(chan struct{})}
		r.current = c
		go r.run(c)
	case r.next == nil:
		c = &epochCall{done: make(chan struct{})}
		r.next = c
	default:
		c = r.next
	}
	r.mu.Unlock()
	select {
	case <-c.done:
		return c.value, c.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// run performs c's read, then the one queued meanwhile, until none is.
func (r *epochReader) run(c *epochCall) {
	for c != nil {
		ctx, cancel := context.WithTimeout(context.Background(), epochReadTimeout)
		c.value, c.err = r.read(ctx)
		cancel()
		close(c.done)
		r.mu.Lock()
		c, r.next = r.next, nil
		r.current = c
		r.mu.Unlock()
	}
}
