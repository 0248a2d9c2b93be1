// Package schedule holds the pure timing rules of e-mail notifications:
// quiet hours (e-mails held until they end) and the daily digest's next
// instant, both on the wall clock of the user's IANA time zone, with the
// daylight-saving edges handled (a wall time that does not exist that day
// means the first instant after the gap; one that happens twice means its
// first occurrence). It also validates the "HH:MM" and time-zone fields of
// the notification settings, naming the field on error.
package schedule

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the zone database inside the binary: static builds run on images without /usr/share/zoneinfo

	"github.com/habeas-org/habeas/internal/apperr"
)

// Clock is a wall-clock time of day in minutes after midnight (0..1439).
type Clock int

// String formats the clock as "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// ParseClock reads "HH:MM" (24-hour, two digits each, 00:00 to 23:59). On
// error it returns an apperr ErrInvalid naming field (e.g.
// "quiet_hours.start").
func ParseClock(field, s string) (Clock, error) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, apperr.Field(field, "HH:MM (24-hour clock, e.g. 22:00)")
	}
	h, m := int(s[0]-'0')*10+int(s[1]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, apperr.Field(field, "HH:MM (24-hour clock, e.g. 22:00): hours 00-23, minutes 00-59")
	}
	return Clock(h*60 + m), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// LoadZone loads an IANA time zone ("Asia/Shanghai", "UTC"). An empty
// name, "Local" (the server's zone, not the user's) and anything
// LoadLocation refuses give an apperr ErrInvalid naming field.
func LoadZone(field, name string) (*time.Location, error) {
	if name == "" || name == "Local" || len(name) > 64 || strings.ContainsAny(name, " \\") {
		return nil, apperr.Field(field, "not an IANA time zone (e.g. Asia/Shanghai, Europe/London, UTC)")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, apperr.Field(field, "not an IANA time zone (e.g. Asia/Shanghai, Europe/London, UTC)")
	}
	return loc, nil
}

// ValidateDigestHour checks an hour of the day (0..23), naming field on error.
func ValidateDigestHour(field string, hour int) error {
	if hour < 0 || hour > 23 {
		return apperr.Field(field, "an hour from 0 to 23")
	}
	return nil
}

// QuietHours is a daily span of wall-clock time during which e-mails are
// held: from Start (inclusive) to End (exclusive). End before Start wraps
// midnight (22:00-07:00); Start == End means no quiet hours.
type QuietHours struct {
	Start, End Clock
}

// ParseQuietHours reads start and end ("HH:MM"); errors name
// "quiet_hours.start" or "quiet_hours.end".
func ParseQuietHours(start, end string) (QuietHours, error) {
	s, err := ParseClock("quiet_hours.start", start)
	if err != nil {
		return QuietHours{}, err
	}
	e, err := ParseClock("quiet_hours.end", end)
	if err != nil {
		return QuietHours{}, err
	}
	return QuietHours{Start: s, End: e}, nil
}

// Contains reports whether the wall clock of now in loc is inside the quiet hours.
func (q QuietHours) Contains(now time.Time, loc *time.Location) bool {
	if q.Start == q.End {
		return false
	}
	l := now.In(orUTC(loc))
	c := Clock(l.Hour()*60 + l.Minute())
	if q.Start < q.End {
		return c >= q.Start && c < q.End
	}
	return c >= q.Start || c < q.End
}

// Release is when an e-mail due at now may be sent: now itself outside
// quiet hours, else the next instant at which the wall clock in loc shows
// End (a skipped End, in a spring-forward gap, is the first instant after
// the gap; a repeated one, in the hour that falls back, ends the quiet
// hours at whichever occurrence comes first after now). A nil loc is UTC.
func (q QuietHours) Release(now time.Time, loc *time.Location) time.Time {
	if !q.Contains(now, loc) {
		return now
	}
	return nextWall(now, q.End, orUTC(loc), true)
}

// NextDigest is the next instant strictly after now at which the wall clock
// in loc shows hour:00 (0..23, clamped): the time of the next daily digest.
// On a day that skips that hour it is the first instant after the gap; on a
// day that repeats it, only the first occurrence counts (one digest a day).
// A nil loc is UTC.
func NextDigest(now time.Time, hour int, loc *time.Location) time.Time {
	hour = min(max(hour, 0), 23)
	return nextWall(now, Clock(hour*60), orUTC(loc), false)
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// nextWall is the first instant after now whose wall clock in loc is c (or,
// on a day where c does not exist, the end of the gap). With repeats, the
// second occurrence of a wall time that happens twice counts too.
func nextWall(now time.Time, c Clock, loc *time.Location, repeats bool) time.Time {
	l := now.In(loc)
	for d := 0; ; d++ { // some day within two has c after now
		first, second := atWall(l.Year(), l.Month(), l.Day()+d, c, loc)
		if first.After(now) {
			return first
		}
		if repeats && !second.IsZero() && second.After(now) {
			return second
		}
	}
}

// atWall is the instant of wall clock c on the given day in loc: first is
// its first occurrence (the end of the gap when c is skipped that day),
// second its second occurrence when c happens twice, else zero.
func atWall(y int, m time.Month, d int, c Clock, loc *time.Location) (first, second time.Time) {
	h, mi := int(c)/60, int(c)%60
	t := time.Date(y, m, d, h, mi, 0, 0, loc)
	want := time.Date(y, m, d, h, mi, 0, 0, time.UTC) // the wall clock, as a comparable value
	got := wallOf(t)
	start, end := t.ZoneBounds()
	switch {
	case got.Before(want) && !end.IsZero(): // Go took the zone before a gap: the gap ends at the zone's end
		return end, time.Time{}
	case got.After(want) && !start.IsZero(): // Go took the zone after a gap: the gap ends where it starts
		return start, time.Time{}
	case !got.Equal(want):
		return t, time.Time{}
	}
	// The wall time exists; it may exist twice, in the zone before or after t's.
	_, offT := t.Zone()
	if !start.IsZero() {
		_, offPrev := start.Add(-time.Nanosecond).Zone()
		if earlier := t.Add(-time.Duration(offPrev-offT) * time.Second); offPrev > offT && earlier.Before(start) && wallOf(earlier.In(loc)).Equal(want) {
			return earlier, t
		}
	}
	if !end.IsZero() {
		_, offNext := end.Zone()
		if later := t.Add(time.Duration(offT-offNext) * time.Second); offNext < offT && !later.Before(end) && wallOf(later.In(loc)).Equal(want) {
			return t, later
		}
	}
	return t, time.Time{}
}

// wallOf is t's wall clock in its own location, as a UTC value.
func wallOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}
