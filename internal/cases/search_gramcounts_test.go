package cases

import (
	"testing"
	"time"
)

func TestGramCountsRememberForAWhileAndStayBounded(t *testing.T) {
	c := &gramCounts{m: map[string]gramCount{}}
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	if _, ok := c.get("detainee", "wan", now); ok {
		t.Fatal("an empty cache remembers a count")
	}
	c.put("detainee", "wan", 1000, now)
	if n, ok := c.get("detainee", "wan", now.Add(gramCountTTL)); !ok || n != 1000 {
		t.Fatalf("count within its time: %d %v", n, ok)
	}
	if _, ok := c.get("case", "wan", now); ok {
		t.Fatal("a count of one owner type answers for another")
	}
	if _, ok := c.get("detainee", "wan", now.Add(gramCountTTL+time.Second)); ok {
		t.Fatal("a count is remembered past its time")
	}
	for i := range gramCountMax + 10 {
		c.put("case", string(rune(0x4e00+i)), int64(i), now)
	}
	if len(c.m) > gramCountMax {
		t.Fatalf("the cache holds %d entries, more than %d", len(c.m), gramCountMax)
	}
}
