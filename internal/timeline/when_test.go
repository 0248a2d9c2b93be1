package timeline

import (
	"slices"
	"sort"
	"testing"

	"github.com/habeas-org/habeas/internal/record"
)

// The documented order: by calendar day (timestamps by their day in
// Asia/Shanghai), partial dates at their earliest day, coarse before fine
// on the same day, timestamps of a day by instant.
func TestSortKeyOrder(t *testing.T) {
	// A timestamp comes after the day-only events of its Beijing day:
	// 2019-03-04T23:00Z is 07:00 on 5 March in Beijing, and
	// 2019-03-05T16:30Z is 00:30 on 6 March there.
	want := []string{
		"2019",
		"2019-03~",   // March 2019 (approximate or not: same place)
		"2019-03-01", // its earliest day comes after "March" itself
		"2019-03-05",
		"2019-03-05T01:00:00+08:00",
		"2019-03-04T23:00:00Z",
		"2019-03-05T23:30:00+08:00",
		"2019-03-06",
		"2019-03-05T16:30:00Z",
		"2019-04",
	}
	keys := map[string]string{}
	for _, s := range want {
		w, err := ParseWhen(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		keys[s] = w.SortKey()
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	sort.SliceStable(got, func(i, j int) bool { return keys[got[i]] < keys[got[j]] })
	if !slices.Equal(got, want) {
		t.Errorf("order:\n got %q\nwant %q", got, want)
	}
	a, _ := ParseWhen("2019-03")
	b, _ := ParseWhen("2019-03~")
	if a.SortKey() != b.SortKey() {
		t.Errorf("approximate changes the order: %s vs %s", a.SortKey(), b.SortKey())
	}
}

func TestParseWhen(t *testing.T) {
	for in, want := range map[string][3]string{
		"2024":                      {"2024", "year", "false"},
		"2024-03":                   {"2024-03", "month", "false"},
		"2024-03-05~":               {"2024-03-05~", "day", "true"},
		"2024-03-05T09:30:00+08:00": {"2024-03-05T09:30:00+08:00", "time", "false"},
		"2024-03-05T01:30:00Z":      {"2024-03-05T01:30:00Z", "time", "false"},
	} {
		w, err := ParseWhen(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		appr := "false"
		if w.Approximate {
			appr = "true"
		}
		if got := [3]string{w.String(), w.Precision(), appr}; got != want {
			t.Errorf("%s: %v, want %v", in, got, want)
		}
	}
	for _, bad := range []string{"", "2024-13", "2024-02-30", "March 2024", "2024-03-05T25:00:00Z", "2024-03-05 09:30", "0999", "2024-03-05T09:30"} {
		if _, err := ParseWhen(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The event vocabulary has no duplicate and marks the obstacles. (That it
// is a superset of the types the deadline engine reads is checked in
// internal/app, which sees both packages.)
func TestEventTypesCoverDeadlineEvents(t *testing.T) {
	seen := map[string]bool{}
	for _, term := range EventTypes {
		if seen[term.Value] {
			t.Errorf("duplicate event type %s", term.Value)
		}
		seen[term.Value] = true
	}
	for _, obstacle := range []string{"meeting_denied", "case_file_access_refused", "televised_confession", "travel_ban"} {
		if term, _ := EventTypes.Lookup(obstacle); !term.Obstacle {
			t.Errorf("%s is not marked as an obstacle", obstacle)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := cursorPos{Key: "2019-03-05/3/20190305T153000.000000000Z", Kind: KindEvent, ID: "0190aaaa-0000-7000-8000-000000000000"}
	got, err := decodePos(record.EncodeCursor(c), "")
	if err != nil || *got != c {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"!!", "YQ", record.EncodeCursor(cursorPos{Key: "a", Kind: "", ID: "x"})} {
		if _, err := decodePos(bad, ""); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
	// A hearing page's cursor must be a hearing's position.
	if _, err := decodePos(record.EncodeCursor(c), KindHearing); err == nil {
		t.Error("an event position decoded as a hearing cursor")
	}
}
