package cases

import (
	"sync"
	"time"
)

// gramCounts remembers the capped posting-list lengths planGrams counted,
// for gramCountTTL: they only choose which gram a search starts from (any
// choice gives the same answer), and a common query's grams are counted
// once, not on every request (reading up to gramCountCap entries of each
// of its grams cost about as much as the search itself for pinyin).
// Bounded: when it holds gramCountMax entries it starts afresh.
type gramCounts struct {
	mu sync.Mutex
	m  map[string]gramCount
}

type gramCount struct {
	n  int64
	at time.Time
}

const (
	gramCountTTL = 10 * time.Minute
	gramCountMax = 100_000
)

var plannedGramCounts = &gramCounts{m: map[string]gramCount{}}

func gramCountKey(ownerType, gram string) string { return ownerType + "\x00" + gram }

// get returns the remembered count of gram for ownerType, if fresh.
func (c *gramCounts) get(ownerType, gram string, now time.Time) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[gramCountKey(ownerType, gram)]
	if !ok || now.Sub(e.at) > gramCountTTL {
		return 0, false
	}
	return e.n, true
}

// put remembers a count.
func (c *gramCounts) put(ownerType, gram string, n int64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= gramCountMax {
		c.m = map[string]gramCount{}
	}
	c.m[gramCountKey(ownerType, gram)] = gramCount{n: n, at: now}
}
