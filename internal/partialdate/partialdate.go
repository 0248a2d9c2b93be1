// Package partialdate handles the partial and uncertain dates of human-rights
// records ("detained in March 2019, approximately"). A date has a precision
// (year, month or day) and an approximate flag. Its text form is the EDTF
// level-1 subset of ISO 8601-2: YYYY, YYYY-MM or YYYY-MM-DD, followed by "~"
// when approximate ("2019-03~").
//
// Sorting and computing use the earliest possible day (2019-03 -> 2019-03-01),
// and callers say so: a deadline computed from a partial date is reported as
// uncertain, never as exact.
package partialdate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says which parts of a Date are known.
type Precision string

// Precisions, from coarse to fine.
const (
	Year  Precision = "year"
	Month Precision = "month"
	Day   Precision = "day"
)

// Date is a possibly partial, possibly approximate calendar date. The zero
// Date is "unknown" (IsZero).
type Date struct {
	Year, Month, Day int
	Precision        Precision
	Approximate      bool
}

// ErrInvalid is returned for text that is not a partial date. Parse
// returns an *Error, which matches it (errors.Is).
var ErrInvalid = errors.New("not a date: use YYYY, YYYY-MM or YYYY-MM-DD, with a trailing ~ when approximate")

// Format is the accepted format, as said in error messages.
const Format = "use YYYY, YYYY-MM or YYYY-MM-DD, with a trailing ~ when approximate"

// Error says why a text is not a partial date, quoting it: either its form
// is wrong ("1952-08021", "19812") or it has the right form and names a day
// or month that does not exist ("1954-02-29": 1954 is not a leap year).
// It matches ErrInvalid.
type Error struct {
	// Value is the text as given (trimmed; cut to 40 characters).
	Value string
	// Impossible is set when the form is right but the date does not exist.
	Impossible bool
	// Reason says why an impossible date does not exist.
	Reason string
}

// Error is the message: for a wrong form `"19812" is not a date; use YYYY,
// ...`, for an impossible date `1954-02-29 does not exist: 1954 is not a leap year`.
func (e *Error) Error() string {
	if e.Impossible {
		return e.Value + " does not exist: " + e.Reason
	}
	return strconv.Quote(e.Value) + " is not a date; " + Format
}

// Is makes an *Error match ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// NotADate is the error of a text whose form is not a partial date (for
// callers that refuse more forms than Parse, such as timestamps).
func NotADate(s string) error { return &Error{Value: cut(strings.TrimSpace(s))} }

func badForm(s string) error { return NotADate(s) }

// cut shortens s to 40 characters for a message.
func cut(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

var monthNames = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

// impossible is the error of a well-formed date that does not exist.
func impossible(s string, year, month, day int) error {
	e := &Error{Value: cut(s), Impossible: true}
	switch {
	case month < 1 || month > 12:
		e.Reason = fmt.Sprintf("there is no month %02d", month)
	case month == 2 && day == 29:
		e.Reason = fmt.Sprintf("%04d is not a leap year", year)
	case day < 1:
		e.Reason = "there is no day 00"
	default:
		e.Reason = fmt.Sprintf("%s has %d days", monthNames[month], daysIn(year, month))
		if month == 2 {
			e.Reason = fmt.Sprintf("February %04d has %d days", year, daysIn(year, month))
		}
	}
	return e
}

// Parse reads "YYYY", "YYYY-MM", "YYYY-MM-DD" (each optionally followed by
// "~"), or an RFC 3339 timestamp, whose calendar day in loc is taken with day
// precision. Years are limited to 1000-9999.
func Parse(s string, loc *time.Location) (Date, error) {
	s = strings.TrimSpace(s)
	given := s
	var d Date
	if strings.HasSuffix(s, "~") {
		d.Approximate = true
		s = strings.TrimSuffix(s, "~")
	}
	if len(s) > 10 { // a timestamp
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return Date{}, badForm(given)
		}
		t = t.In(loc)
		if t.Year() < 1000 || t.Year() > 9999 {
			return Date{}, badForm(given)
		}
		return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day(), Precision: Day, Approximate: d.Approximate}, nil
	}
	parts := strings.Split(s, "-")
	widths := []int{4, 2, 2}
	if len(parts) == 0 || len(parts) > 3 {
		return Date{}, badForm(given)
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if len(p) != widths[i] {
			return Date{}, badForm(given)
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || strings.ContainsAny(p, "+-") {
			return Date{}, badForm(given)
		}
		nums[i] = n
	}
	d.Year = nums[0]
	if d.Year < 1000 {
		return Date{}, badForm(given)
	}
	d.Precision = Year
	if len(nums) > 1 {
		d.Month, d.Precision = nums[1], Month
		if d.Month < 1 || d.Month > 12 {
			return Date{}, impossible(given, d.Year, d.Month, 0)
		}
	}
	if len(nums) > 2 {
		d.Day, d.Precision = nums[2], Day
		if d.Day < 1 || d.Day > daysIn(d.Year, d.Month) {
			return Date{}, impossible(given, d.Year, d.Month, d.Day)
		}
	}
	return d, nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.Precision == "" }

// Exact reports whether the date is known to the day and not approximate.
func (d Date) Exact() bool { return d.Precision == Day && !d.Approximate }

// String is the EDTF text form ("" for an unknown date).
func (d Date) String() string {
	var s string
	switch d.Precision {
	case Year:
		s = fmt.Sprintf("%04d", d.Year)
	case Month:
		s = fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case Day:
		s = fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	default:
		return ""
	}
	if d.Approximate {
		s += "~"
	}
	return s
}

// Earliest is the first day the date can be (2019-03 -> 2019-03-01), at
// midnight in loc. Undefined for a zero Date.
func (d Date) Earliest(loc *time.Location) time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, loc)
}

// Latest is the last day the date can be (2019-03 -> 2019-03-31), at midnight in loc.
func (d Date) Latest(loc *time.Location) time.Time {
	switch d.Precision {
	case Year:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, loc)
	case Month:
		return time.Date(d.Year, time.Month(d.Month), daysIn(d.Year, d.Month), 0, 0, 0, 0, loc)
	default:
		return d.Earliest(loc)
	}
}

// SortKey is a fixed-width text key that orders dates by their earliest
// possible day and, on the same day, the less precise first ("2019-03" before
// "2019-03-01"): "2019-03-01/1". Empty for an unknown date.
func (d Date) SortKey() string {
	if d.IsZero() {
		return ""
	}
	rank := map[Precision]int{Year: 0, Month: 1, Day: 2}[d.Precision]
	return d.Earliest(time.UTC).Format("2006-01-02") + "/" + strconv.Itoa(rank)
}

// MarshalJSON writes the EDTF string, or null for an unknown date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads the EDTF string (null or "" for unknown). RFC 3339
// timestamps are read in UTC; callers that need another zone use Parse.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return badForm(string(b))
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := Parse(s, time.UTC)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
