//go:build drills

package drills

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"
)

// TestDrillIfMatchWriters: 20 clients change one case at once, each
// reading its version and writing with If-Match. Every write answers 200
// or 412; no two acknowledged writes claim the same version (none was
// lost); the final version counts every acknowledged write and the final
// state is the last acknowledged write.
func TestDrillIfMatchWriters(t *testing.T) {
	matrix(t, bothDBs, []string{"local"}, func(t *testing.T, dialect, _ string) {
		in := newInstance(t, dialect, "local", options{})
		caseID := in.newCase()
		r, err := in.c.Get(in.ctx(30*time.Second), "/api/v1/cases/"+caseID)
		if err != nil || r.Status != http.StatusOK {
			t.Fatal(r, err)
		}
		v0 := r.ETag()
		type ack struct {
			version int64
			summary string
		}
		var (
			mu       sync.Mutex
			acks     []ack
			statuses = map[int]int{}
			wg       sync.WaitGroup
		)
		ctx := in.ctx(2 * time.Minute)
		for w := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range 5 {
					g, err := in.c.Get(ctx, "/api/v1/cases/"+caseID)
					if err != nil || g.Status != http.StatusOK {
						t.Errorf("read: %s %v", g, err)
						return
					}
					summary := fmt.Sprintf("writer %d write %d", w, n)
					r, err := in.c.UpdateCase(ctx, caseID, g.ETag(), summary)
					if err != nil {
						t.Errorf("write: %v", err)
						return
					}
					mu.Lock()
					statuses[r.Status]++
					if r.Status == http.StatusOK {
						acks = append(acks, ack{r.ETag(), summary})
					} else if r.Status != http.StatusPreconditionFailed {
						t.Errorf("concurrent If-Match write answered %s, want 200 or 412", r)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		t.Logf("answers: %v", statuses)
		if len(acks) == 0 {
			t.Fatal("no write acknowledged")
		}
		sort.Slice(acks, func(i, j int) bool { return acks[i].version < acks[j].version })
		for i := 1; i < len(acks); i++ {
			if acks[i].version == acks[i-1].version {
				t.Errorf("two acknowledged writes got version %d (%q and %q): one was lost", acks[i].version, acks[i-1].summary, acks[i].summary)
			}
		}
		r, err = in.c.Get(in.ctx(30*time.Second), "/api/v1/cases/"+caseID)
		if err != nil || r.Status != http.StatusOK {
			t.Fatal(r, err)
		}
		var c struct {
			Summary string `json:"summary"`
		}
		_ = r.Decode(&c)
		last := acks[len(acks)-1]
		if r.ETag() != v0+int64(len(acks)) || r.ETag() != last.version || c.Summary != last.summary {
			t.Errorf("final state: version %d summary %q; want version %d (%d + %d acknowledged writes) = the last acknowledged %d %q",
				r.ETag(), c.Summary, v0+int64(len(acks)), v0, len(acks), last.version, last.summary)
		}
	})
}
