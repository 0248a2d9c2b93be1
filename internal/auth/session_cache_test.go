package auth

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A request never gets an epoch read that began before it arrived: while a
// read is in flight, newcomers wait for the next one; concurrent newcomers
// share that next read.
func TestEpochReaderNeverAnswersWithAnEarlierRead(t *testing.T) {
	var (
		reads   atomic.Int64
		release = make(chan struct{})
		started = make(chan int64, 10)
	)
	r := &epochReader{read: func(context.Context) (int64, error) {
		n := reads.Add(1)
		started <- n
		<-release
		return n, nil
	}}
	ctx := context.Background()
	first := make(chan int64)
	go func() { v, _ := r.get(ctx); first <- v }()
	if n := <-started; n != 1 {
		t.Fatalf("first read is number %d", n)
	}
	// Read 1 is in flight: these arrive after it began.
	const late = 5
	var wg sync.WaitGroup
	got := make([]int64, late)
	for i := range late {
		wg.Add(1)
		go func() { defer wg.Done(); got[i], _ = r.get(ctx) }()
	}
	waitFor(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.next != nil })
	time.Sleep(10 * time.Millisecond) // let every late caller join the queued read
	release <- struct{}{}
	if v := <-first; v != 1 {
		t.Fatalf("the first caller got read %d", v)
	}
	if n := <-started; n != 2 {
		t.Fatalf("second read is number %d", n)
	}
	release <- struct{}{}
	wg.Wait()
	for i, v := range got {
		if v != 2 {
			t.Errorf("late caller %d got read %d; want 2 (a read begun after it arrived)", i, v)
		}
	}
	if n := reads.Load(); n != 2 {
		t.Errorf("%d reads for %d callers; want 2 (shared)", n, late+1)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("condition not reached")
}

// The cache answers only at the epoch its rows were read at, forgets them
// when a newer epoch is seen or their TTL passes, keeps no row read at an
// older epoch than its own, and stays bounded.
func TestSessionCacheRules(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newSessionCache(func() time.Time { return now })
	c.put(&sessionRow{SessionID: "s1", Role: "lawyer"}, 5)
	if row, ok := c.get("s1", 5); !ok || row.Role != "lawyer" {
		t.Fatalf("hit at the same epoch: %v %v", row, ok)
	}
	if _, ok := c.get("s1", 6); ok {
		t.Fatal("hit at a newer epoch")
	}
	if _, ok := c.get("s1", 6); ok || c.len() != 0 {
		t.Fatal("the row read at epoch 5 survived epoch 6")
	}
	c.put(&sessionRow{SessionID: "s2"}, 5) // a load that began before the change
	if c.len() != 0 {
		t.Fatal("a row read at an older epoch was kept")
	}
	c.put(&sessionRow{SessionID: "s3"}, 6)
	now = now.Add(sessionCacheTTL)
	if _, ok := c.get("s3", 6); ok {
		t.Fatal("hit after the TTL")
	}
	for i := range sessionCacheMax + 10 {
		c.put(&sessionRow{SessionID: strconv.Itoa(i)}, 6)
	}
	if n := c.len(); n > sessionCacheMax {
		t.Fatalf("%d cached sessions; at most %d", n, sessionCacheMax)
	}
}
