package support

import (
	"testing"
	"time"

	"github.com/habeas-org/habeas/internal/record"
)

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in, cur string
		want    int64
		ok      bool
		back    string
	}{
		{"1500", "EUR", 150000, true, "1500.00"},
		{"1500.5", "EUR", 150050, true, "1500.50"},
		{"0.07", "USD", 7, true, "0.07"},
		{"200000", "JPY", 200000, true, "200000"},
		{"1.234", "KWD", 1234, true, "1.234"},
		{"1.5", "JPY", 0, false, ""},
		{"1.005", "EUR", 0, false, ""},
		{"-5", "EUR", 0, false, ""},
		{"1e3", "EUR", 0, false, ""},
		{"", "EUR", 0, false, ""},
		{"10", "ABC", 0, false, ""},
		{"9999999999999999", "EUR", 0, false, ""},
	} {
		got, err := ParseAmount(tc.in, tc.cur)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d ok=%v", tc.in, tc.cur, got, err, tc.want, tc.ok)
			continue
		}
		if tc.ok && FormatAmount(got, tc.cur) != tc.back {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", got, tc.cur, FormatAmount(got, tc.cur), tc.back)
		}
	}
}

// The day boundary of "overdue" is midnight in China Standard Time.
func TestTodayIsChinaStandardTime(t *testing.T) {
	s := &Service{Kit: record.NewKit("support", nil, nil)}
	for at, want := range map[time.Time]string{
		time.Date(2024, 5, 1, 15, 59, 0, 0, time.UTC): "2024-05-01",
		time.Date(2024, 5, 1, 16, 0, 0, 0, time.UTC):  "2024-05-02",
	} {
		s.SetClock(func() time.Time { return at })
		if got := s.Today(); got != want {
			t.Errorf("Today at %s = %s, want %s", at, got, want)
		}
		a := Action{Status: InProgress, DueAt: "2024-05-01"}
		if a.overdue(s.Today()) != (want == "2024-05-02") {
			t.Errorf("at %s: overdue %v", at, a.overdue(s.Today()))
		}
		a.Status = Closed
		if a.overdue(s.Today()) {
			t.Errorf("a closed action is never overdue")
		}
	}
}

func TestAllowedFromFinalStatuses(t *testing.T) {
	for _, st := range []Status{Closed, Declined, Cancelled} {
		if got := AllowedFrom(st); len(got) != 0 {
			t.Errorf("%s is final but allows %v", st, got)
		}
	}
	if got := AllowedFrom(Proposed); len(got) != 3 || got[0] != Assigned {
		t.Errorf("from proposed: %v", got)
	}
}
