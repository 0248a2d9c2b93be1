package deadlines

import (
	"time"

	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/partialdate"
)

// Counting rules (CPL Art. 105; our reading, see docs/deadlines.md):
//   - Periods are counted in hours, days and months; the hour and the day on
//     which a period begins are not counted. A period of N days that starts on
//     day D therefore ends at the end of day D+N.
//   - With only a date known (no hour), an hours period (24 h, 48 h) is taken
//     to end at the end of the day the last hour can fall on: 24 h from any
//     time on day D ends at the latest on D+1. We never call a limit missed
//     earlier than it surely was.
//   - A month runs from a day of one month to the same day of the next; when
//     the period starts on the last day of a month, or the next month has no
//     such day, it ends on the last day of the next month (the Supreme
//     People's Court's reading of Art. 105): 31 January + 1 month = 28 or 29
//     February.
//   - The last day of a custody period is not moved by a public holiday
//     (Art. 105 ¶4), so holidays are ignored here.

// day is a calendar day in CST (time at midnight).
type day = time.Time

func mkDay(y int, m time.Month, d int) day { return time.Date(y, m, d, 0, 0, 0, 0, civil.CST) }

func addDays(d day, n int) day { return d.AddDate(0, 0, n) }

// addMonths adds n calendar months by the rule above.
func addMonths(d day, n int) day {
	y, m, dd := d.Date()
	firstOfTarget := mkDay(y, m+time.Month(n), 1)
	ty, tm, _ := firstOfTarget.Date()
	last := lastDay(ty, tm)
	if dd == lastDay(y, m) || dd > last {
		return mkDay(ty, tm, last)
	}
	return mkDay(ty, tm, dd)
}

func lastDay(y int, m time.Month) int { return mkDay(y, m+1, 0).Day() }

// endOf is the last instant of day d.
func endOf(d day) time.Time { return d.Add(24*time.Hour - time.Second) }

// span is what is known of a date: the earliest and latest day it can be.
type span struct {
	lo, hi day
	approx bool
	known  bool
}

func spanOf(d partialdate.Date) span {
	if d.IsZero() {
		return span{}
	}
	return span{lo: d.Earliest(civil.CST), hi: d.Latest(civil.CST), approx: d.Approximate, known: true}
}

// exact reports whether the span is one certain day.
func (s span) exact() bool { return s.known && !s.approx && s.lo.Equal(s.hi) }

// shift applies f to both ends.
func (s span) shift(f func(day) day) span {
	if !s.known {
		return s
	}
	return span{lo: f(s.lo), hi: f(s.hi), approx: s.approx, known: true}
}

// today is the CST calendar day of t.
func today(t time.Time) day {
	y, m, d := t.In(civil.CST).Date()
	return mkDay(y, m, d)
}

// daysBetween is the number of calendar days from a to b.
func daysBetween(a, b day) int { return int(b.Sub(a).Hours()+12) / 24 }

func cstZone() *time.Location { return civil.CST }
