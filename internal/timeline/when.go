package timeline

import (
	"errors"
	"strings"
	"time"
	_ "time/tzdata" // the zone database inside the binary: static builds run on images without /usr/share/zoneinfo

	"github.com/habeas-org/habeas/internal/partialdate"
)

// DefaultZone is the time zone of PRC courts and detention: hearings default
// to it, and timestamps are placed on the timeline by their calendar day in it.
const DefaultZone = "Asia/Shanghai"

// zone is DefaultZone, loaded once.
var zone = mustZone(DefaultZone)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("timeline: time zone " + name + ": " + err.Error())
	}
	return loc
}

// PrecisionTime is the precision of an RFC 3339 timestamp (the partialdate
// precisions are year, month and day).
const PrecisionTime = "time"

// When is when an event occurred: a partial date (EDTF) or an instant.
type When struct {
	// Date is set for partial dates (precision year, month or day).
	Date partialdate.Date
	// At is set for timestamps (precision time); its offset is the one given.
	At time.Time
	// Approximate: the date or time is uncertain.
	Approximate bool
}

var errWhen = errors.New("use YYYY, YYYY-MM or YYYY-MM-DD (a trailing ~ when approximate), or an RFC 3339 date-time such as 2024-03-05T09:30:00+08:00")

// ParseWhen reads "2024", "2024-03", "2024-03-05" (each optionally with a
// trailing "~"), or an RFC 3339 timestamp, which keeps its offset.
func ParseWhen(s string) (When, error) {
	s = strings.TrimSpace(s)
	if len(s) > 11 && strings.ContainsAny(s, "Tt") {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || t.Year() < 1000 || t.Year() > 9999 {
			return When{}, errWhen
		}
		return When{At: t}, nil
	}
	d, err := partialdate.Parse(s, time.UTC)
	if err != nil {
		return When{}, errWhen
	}
	return When{Date: d, Approximate: d.Approximate}, nil
}

// IsZero reports whether w is unset.
func (w When) IsZero() bool { return w.At.IsZero() && w.Date.IsZero() }

// Precision is year, month, day or time.
func (w When) Precision() string {
	if !w.At.IsZero() {
		return PrecisionTime
	}
	return string(w.Date.Precision)
}

// String is the stored and shown form: EDTF for dates ("2024-03~" when
// approximate), RFC 3339 for timestamps (the approximate flag is separate).
func (w When) String() string {
	if !w.At.IsZero() {
		return w.At.Format(time.RFC3339Nano)
	}
	d := w.Date
	d.Approximate = w.Approximate
	return d.String()
}

// SortKey orders the timeline. Every item is placed on a calendar day and,
// on the same day, the less precise come first:
//
//	"2019"                      -> 2019-01-01/0
//	"2019-03"                   -> 2019-03-01/1
//	"2019-03-05"                -> 2019-03-05/2
//	2019-03-05T23:30:00+08:00   -> 2019-03-05/3/20190305T153000.000000000Z
//
// A partial date sorts by its earliest possible day (as in partialdate: a
// "March 2019" event comes before one on 2019-03-05, and before one on
// 2019-03-01). A timestamp is placed on its calendar day in DefaultZone
// (Asia/Shanghai), the zone of the events recorded, so an event at 01:00 in
// Beijing sorts with that Beijing day, not with the previous UTC day; it
// comes after the events known only to that day, and timestamps of one day
// follow each other by instant. The approximate flag does not change the order.
func (w When) SortKey() string {
	if !w.At.IsZero() {
		return instantKey(w.At)
	}
	return w.Date.SortKey()
}

// instantKey is the sort key of an instant (see SortKey).
func instantKey(t time.Time) string {
	return t.In(zone).Format("2006-01-02") + "/3/" + t.UTC().Format("20060102T150405.000000000Z")
}
