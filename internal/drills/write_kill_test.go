//go:build drills

package drills

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestDrillKillMidWrite: concurrent writers (timeline events, case updates
// with If-Match) while the server is SIGKILLed at a random moment. After
// the restart every acknowledged (2xx) write is there, and the audit chain
// verifies.
func TestDrillKillMidWrite(t *testing.T) {
	matrix(t, bothDBs, []string{"local"}, func(t *testing.T, dialect, _ string) {
		in := newInstance(t, dialect, "local", options{})
		cases := []string{in.newCase(), in.newCase(), in.newCase()}
		type ackedEvent struct{ caseID, id string }
		type ackedUpdate struct {
			version int64
			summary string
		}
		var (
			mu      sync.Mutex
			events  []ackedEvent
			updates = map[string]ackedUpdate{} // case -> last acknowledged update
			stop    atomic.Bool
			wg      sync.WaitGroup
		)
		ctx := in.ctx(2 * time.Minute)
		for w := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 23))
				for n := 0; !stop.Load(); n++ {
					caseID := cases[rng.IntN(len(cases))]
					if w < 4 { // event writers
						r, err := in.c.AddEvent(ctx, caseID, fmt.Sprintf("drill writer %d event %d", w, n))
						if err == nil && r.Status == http.StatusCreated {
							mu.Lock()
							events = append(events, ackedEvent{caseID, idOf(r.Body)})
							mu.Unlock()
						}
						continue
					}
					// case updaters: one case each, read then change with If-Match
					caseID = cases[w-4]
					g, err := in.c.Get(ctx, "/api/v1/cases/"+caseID)
					if err != nil || g.Status != http.StatusOK {
						continue
					}
					summary := fmt.Sprintf("drill writer %d update %d", w, n)
					r, err := in.c.UpdateCase(ctx, caseID, g.ETag(), summary)
					if err == nil && r.Status == http.StatusOK {
						mu.Lock()
						updates[caseID] = ackedUpdate{r.ETag(), summary}
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(1500+rand.IntN(2000)) * time.Millisecond)
		if err := in.srv.Kill(); err != nil {
			t.Fatal(err)
		}
		stop.Store(true)
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		if len(events) == 0 || len(updates) == 0 {
			t.Fatalf("the writers got no acknowledged write before the kill (%d events, %d updates): the drill proves nothing", len(events), len(updates))
		}
		t.Logf("killed after %d acknowledged events and %d cases updated", len(events), len(updates))
		in.start()
		lost := 0
		for _, e := range events {
			r, err := in.c.Get(in.ctx(30*time.Second), "/api/v1/cases/"+e.caseID+"/events/"+e.id)
			if err != nil || r.Status != http.StatusOK {
				lost++
				t.Errorf("acknowledged event %s of case %s lost: %s %v", e.id, e.caseID, r, err)
			}
		}
		for caseID, u := range updates {
			r, err := in.c.Get(in.ctx(30*time.Second), "/api/v1/cases/"+caseID)
			if err != nil || r.Status != http.StatusOK {
				t.Fatalf("case %s after restart: %s %v", caseID, r, err)
			}
			var c struct {
				Summary string `json:"summary"`
			}
			_ = r.Decode(&c)
			// A write may have committed without its answer reaching us
			// (version one higher); an acknowledged one is never undone.
			if v := r.ETag(); v < u.version || (v == u.version && c.Summary != u.summary) {
				lost++
				t.Errorf("acknowledged update of case %s lost: version %d summary %q, acknowledged version %d summary %q",
					caseID, v, c.Summary, u.version, u.summary)
			}
		}
		if lost > 0 {
			t.Errorf("%d acknowledged writes lost", lost)
		}
		in.cliOK("audit chain intact", "audit", "verify")
	})
}
