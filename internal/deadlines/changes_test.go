package deadlines

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/lang"
)

// ChangesAt never misses a change: on the real chronologies, day after day
// from before the first detention to the golden day, whenever a result's
// status changes from one day to the next, the day before said it might
// (the time-limit index re-evaluates a case only at ChangesAt).
func TestChangesAtAnnouncesEveryChange(t *testing.T) {
	changes := 0
	for _, g := range goldenCases() {
		f := g.facts(t)
		end := time.Date(2026, 6, 1, 12, 0, 0, 0, civil.CST)
		start := end.AddDate(-12, 0, 0)
		prev := Evaluate(f, start, lang.English)
		for d := start.AddDate(0, 0, 1); !d.After(end); d = d.AddDate(0, 0, 1) {
			cur := Evaluate(f, d, lang.English)
			pk, ck := itemKeys(prev), itemKeys(cur)
			if len(pk) != len(ck) {
				t.Fatalf("%s: %d results on %s, %d the day before: the results of a case must not depend on the day", g.name, len(cur), d.Format(time.DateOnly), len(prev))
			}
			before := map[string]Result{}
			for i, r := range prev {
				before[pk[i]] = r
			}
			dayStart := today(d)
			for i, r := range cur {
				b, ok := before[ck[i]]
				if !ok {
					t.Fatalf("%s: result %s appears on %s", g.name, ck[i], d.Format(time.DateOnly))
				}
				if b.Status != r.Status || !b.DueAt.Equal(r.DueAt) {
					changes++
					if b.ChangesAt.IsZero() || b.ChangesAt.After(dayStart) {
						t.Errorf("%s: %s went from %s to %s on %s, but the day before said it changes at %v",
							g.name, ck[i], b.Status, r.Status, d.Format(time.DateOnly), b.ChangesAt)
					}
				}
			}
			prev = cur
		}
	}
	if changes == 0 {
		t.Fatal("no status changed over twelve years of the chronologies: the test checks nothing")
	}
	t.Logf("%d changes announced", changes)
}

// evaluateKeys gives exactly Evaluate's result for each key, on every
// chronology, for every key and for a few at a time.
func TestEvaluateKeysEqualsEvaluate(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, civil.CST)
	for _, g := range goldenCases() {
		f := g.facts(t)
		all := Evaluate(f, now, lang.Chinese)
		keys := itemKeys(all)
		want := map[string]bool{}
		for i, k := range keys {
			if i%2 == 0 {
				want[k] = true
			}
		}
		got := evaluateKeys(f, now, lang.Chinese, want)
		if len(got) != len(want) {
			t.Fatalf("%s: %d results for %d keys", g.name, len(got), len(want))
		}
		for i, k := range keys {
			if !want[k] {
				continue
			}
			gj, _ := json.Marshal(got[k])
			w, _ := json.Marshal(all[i])
			if string(gj) != string(w) || !got[k].DueAt.Equal(all[i].DueAt) || !got[k].DueAtLatest.Equal(all[i].DueAtLatest) ||
				!got[k].ChangesAt.Equal(all[i].ChangesAt) {
				t.Errorf("%s: %s\n got  %s\n want %s", g.name, k, gj, w)
			}
		}
	}
}
