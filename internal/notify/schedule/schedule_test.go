package schedule

import (
	"errors"
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/apperr"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone("time_zone", name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func at(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func utc(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func qh(t *testing.T, start, end string) QuietHours {
	t.Helper()
	q, err := ParseQuietHours(start, end)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestReleaseOutsideAndInside(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	night := qh(t, "22:00", "07:00") // wraps midnight
	lunch := qh(t, "12:00", "13:30")
	none := qh(t, "08:00", "08:00")
	cases := []struct {
		name string
		q    QuietHours
		now  string // Shanghai wall clock
		want string // Shanghai wall clock
	}{
		{"before a wrapping span", night, "2026-12-08 21:59", "2026-12-08 21:59"},
		{"at its start", night, "2026-12-08 22:00", "2026-12-09 07:00"},
		{"late evening", night, "2026-12-08 23:30", "2026-12-09 07:00"},
		{"after midnight", night, "2026-12-09 03:00", "2026-12-09 07:00"},
		{"at its end (exclusive)", night, "2026-12-09 07:00", "2026-12-09 07:00"},
		{"inside a daytime span", lunch, "2026-12-08 12:45", "2026-12-08 13:30"},
		{"after a daytime span", lunch, "2026-12-08 13:30", "2026-12-08 13:30"},
		{"across a month end", night, "2026-12-31 23:00", "2027-01-01 07:00"},
		{"start == end: no quiet hours", none, "2026-12-08 08:00", "2026-12-08 08:00"},
	}
	for _, c := range cases {
		now := at(t, sh, c.now).Add(17 * time.Second)
		want := at(t, sh, c.want)
		if c.now == c.want {
			want = now
		}
		if got := c.q.Release(now, sh); !got.Equal(want) {
			t.Errorf("%s: Release(%s) = %s, want %s", c.name, c.now, got.In(sh), want)
		}
	}
	// A nil location is UTC.
	if got := night.Release(utc(t, "2026-12-08T23:00:00Z"), nil); !got.Equal(utc(t, "2026-12-09T07:00:00Z")) {
		t.Errorf("nil location: %s", got)
	}
}

// Daylight saving: an end that does not exist that day releases at the end
// of the gap; an end that happens twice releases at whichever occurrence
// comes first after now; the span is measured on the wall clock.
func TestReleaseAcrossDST(t *testing.T) {
	berlin := zone(t, "Europe/Berlin") // 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET
	ny := zone(t, "America/New_York")  // 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST
	cases := []struct {
		name    string
		q       QuietHours
		loc     *time.Location
		now     string // UTC
		want    string // UTC
		inQuiet bool
	}{
		{"Berlin: end 02:30 skipped -> 03:00 CEST", qh(t, "22:00", "02:30"), berlin, "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", true},
		{"Berlin: night spanning the spring gap ends at 07:00 CEST", qh(t, "22:00", "07:00"), berlin, "2026-03-28T22:00:00Z", "2026-03-29T05:00:00Z", true},
		{"New York: end 02:15 skipped -> 03:00 EDT", qh(t, "23:00", "02:15"), ny, "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z", true},
		{"Berlin fall back, first pass: first 02:30 (CEST)", qh(t, "01:00", "02:30"), berlin, "2026-10-24T23:45:00Z", "2026-10-25T00:30:00Z", true},
		{"Berlin fall back, second pass: second 02:30 (CET)", qh(t, "01:00", "02:30"), berlin, "2026-10-25T01:10:00Z", "2026-10-25T01:30:00Z", true},
		{"Berlin fall back, between passes: outside", qh(t, "01:00", "02:30"), berlin, "2026-10-25T00:45:00Z", "2026-10-25T00:45:00Z", false},
		{"New York: night over the fall back ends at 07:00 EST", qh(t, "22:00", "07:00"), ny, "2026-11-01T04:00:00Z", "2026-11-01T12:00:00Z", true},
	}
	for _, c := range cases {
		now := utc(t, c.now)
		if got := c.q.Contains(now, c.loc); got != c.inQuiet {
			t.Errorf("%s: Contains = %v", c.name, got)
		}
		if got := c.q.Release(now, c.loc); !got.Equal(utc(t, c.want)) {
			t.Errorf("%s: Release = %s (%s), want %s", c.name, got.UTC().Format(time.RFC3339), got.In(c.loc), c.want)
		}
	}
}

func TestNextDigest(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	ny := zone(t, "America/New_York")
	cases := []struct {
		name string
		now  string // UTC
		hour int
		loc  *time.Location
		want string // UTC
	}{
		{"UTC, before the hour", "2026-12-08T07:59:59Z", 8, nil, "2026-12-08T08:00:00Z"},
		{"UTC, at the hour: the next day", "2026-12-08T08:00:00Z", 8, nil, "2026-12-09T08:00:00Z"},
		{"Shanghai 08:00 is 00:00 UTC", "2026-12-07T23:00:00Z", 8, sh, "2026-12-08T00:00:00Z"},
		{"Shanghai, just after", "2026-12-08T00:00:01Z", 8, sh, "2026-12-09T00:00:00Z"},
		{"hour 0 across a year end", "2026-12-31T12:00:00Z", 0, time.UTC, "2027-01-01T00:00:00Z"},
		{"New York 08:00 EST the day after spring forward is 12:00 UTC", "2026-03-08T13:00:00Z", 8, ny, "2026-03-09T12:00:00Z"},
		{"New York 08:00 on spring forward day is EDT", "2026-03-08T05:00:00Z", 8, ny, "2026-03-08T12:00:00Z"},
		{"New York 02:00 skipped: 03:00 EDT", "2026-03-08T05:00:00Z", 2, ny, "2026-03-08T07:00:00Z"},
		{"New York 01:00 twice: the first (EDT)", "2026-11-01T04:30:00Z", 1, ny, "2026-11-01T05:00:00Z"},
		{"New York 01:00 twice: not again at the second", "2026-11-01T05:00:00Z", 1, ny, "2026-11-02T06:00:00Z"},
		{"hour out of range is clamped", "2026-12-08T10:00:00Z", 30, nil, "2026-12-08T23:00:00Z"},
	}
	for _, c := range cases {
		if got := NextDigest(utc(t, c.now), c.hour, c.loc); !got.Equal(utc(t, c.want)) {
			t.Errorf("%s: NextDigest = %s, want %s", c.name, got.UTC().Format(time.RFC3339), c.want)
		}
	}
	// A year of daily digests in a DST zone: one a day, each at 08:00 local.
	now := utc(t, "2026-01-01T00:00:00Z")
	berlin := zone(t, "Europe/Berlin")
	for i := 0; i < 366; i++ {
		next := NextDigest(now, 8, berlin)
		if l := next.In(berlin); l.Hour() != 8 || l.Minute() != 0 || (i > 0 && next.Sub(now) > 25*time.Hour) || next.Sub(now) < 23*time.Hour && i > 0 {
			t.Fatalf("digest %d after %s: %s", i, now, l)
		}
		now = next
	}
}

func TestValidation(t *testing.T) {
	for _, s := range []string{"00:00", "07:30", "23:59"} {
		if _, err := ParseClock("quiet_hours.start", s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "7:30", "24:00", "12:60", "12-00", "1200", " 12:00", "12:00:00", "１２:００"} {
		_, err := ParseClock("quiet_hours.start", s)
		var ae *apperr.Error
		if !errors.As(err, &ae) || !errors.Is(err, apperr.ErrInvalid) || ae.Fields["quiet_hours.start"] == "" {
			t.Errorf("%q: %v, want an invalid error naming quiet_hours.start", s, err)
		}
	}
	if _, err := ParseQuietHours("22:00", "7:00"); err == nil || err.(*apperr.Error).Fields["quiet_hours.end"] == "" {
		t.Errorf("end: %v", err)
	}
	if c, _ := ParseClock("x", "07:05"); c.String() != "07:05" {
		t.Errorf("String: %s", c)
	}
	for _, z := range []string{"UTC", "Asia/Shanghai", "Europe/London", "America/Argentina/Buenos_Aires"} {
		if _, err := LoadZone("time_zone", z); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
	for _, z := range []string{"", "Local", "Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime", "Asia/ Shanghai", "utc+8"} {
		_, err := LoadZone("time_zone", z)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Fields["time_zone"] == "" {
			t.Errorf("%q: %v, want an invalid error naming time_zone", z, err)
		}
	}
	if ValidateDigestHour("digest_hour", 24) == nil || ValidateDigestHour("digest_hour", -1) == nil || ValidateDigestHour("digest_hour", 0) != nil {
		t.Error("ValidateDigestHour")
	}
}
