package partialdate

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestParseAndFormat(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	cases := []struct {
		in, out string
		prec    Precision
		approx  bool
	}{
		{"2019", "2019", Year, false},
		{"2019~", "2019~", Year, true},
		{"2019-03", "2019-03", Month, false},
		{"2019-03~", "2019-03~", Month, true},
		{"2024-02-29", "2024-02-29", Day, false},
		{" 2019-03-05 ", "2019-03-05", Day, false},
		{"2019-03-04T20:30:00Z", "2019-03-05", Day, false}, // 04:30 next day in China Standard Time
	}
	for _, c := range cases {
		d, err := Parse(c.in, shanghai)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if d.String() != c.out || d.Precision != c.prec || d.Approximate != c.approx {
			t.Errorf("%q -> %q %s %v, want %q %s %v", c.in, d.String(), d.Precision, d.Approximate, c.out, c.prec, c.approx)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"", "~", "19", "2019-3", "2019-13", "2019-00", "2023-02-29", "2019-04-31", "0999", "2019-03-05-01",
		"2019/03", "+2019", "2019-+3", "March 2019", "2019-03-05T25:00:00Z", "2019-03-05 10:00"} {
		if _, err := Parse(in, time.UTC); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestEarliestLatest(t *testing.T) {
	for _, c := range []struct{ in, earliest, latest string }{
		{"2019", "2019-01-01", "2019-12-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2023-02", "2023-02-01", "2023-02-28"},
		{"2019-03-05~", "2019-03-05", "2019-03-05"},
	} {
		d, _ := Parse(c.in, time.UTC)
		if e := d.Earliest(time.UTC).Format("2006-01-02"); e != c.earliest {
			t.Errorf("%s earliest %s, want %s", c.in, e, c.earliest)
		}
		if l := d.Latest(time.UTC).Format("2006-01-02"); l != c.latest {
			t.Errorf("%s latest %s, want %s", c.in, l, c.latest)
		}
	}
}

// "March 2019" sorts before "2019-03-01" and "2019-03-05": by earliest day,
// then the less precise first.
func TestSortKeyOrder(t *testing.T) {
	in := []string{"2019-03-05", "2019-03-01", "2019-03", "2019", "2018-12-31", "2019-04"}
	want := []string{"2018-12-31", "2019", "2019-03", "2019-03-01", "2019-03-05", "2019-04"}
	sort.Slice(in, func(i, j int) bool {
		a, _ := Parse(in[i], time.UTC)
		b, _ := Parse(in[j], time.UTC)
		return a.SortKey() < b.SortKey()
	})
	for i := range want {
		if in[i] != want[i] {
			t.Fatalf("order %v, want %v", in, want)
		}
	}
}

func TestJSON(t *testing.T) {
	var v struct {
		A Date `json:"a"`
		B Date `json:"b"`
		C Date `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"a":"2019-03~","b":null,"c":""}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A.String() != "2019-03~" || !v.B.IsZero() || !v.C.IsZero() {
		t.Fatalf("decoded %+v", v)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"a":"2019-03~","b":null,"c":null}` {
		t.Fatalf("encoded %s", out)
	}
	if err := json.Unmarshal([]byte(`{"a":"2019-13"}`), &v); err == nil {
		t.Fatal("invalid month accepted")
	}
	if err := json.Unmarshal([]byte(`{"a":2019}`), &v); err == nil {
		t.Fatal("number accepted")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2019", "2019-03~", "2024-02-29", "2019-03-04T20:30:00Z", "~", "9999-12-31", "2019-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s, time.UTC)
		if err != nil {
			return
		}
		// Whatever is accepted is a valid date that round-trips through its text form.
		again, err := Parse(d.String(), time.UTC)
		if err != nil || again != d {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, d, d.String(), again, err)
		}
		if d.Earliest(time.UTC).After(d.Latest(time.UTC)) {
			t.Fatalf("%q: earliest after latest", s)
		}
	})
}

// TestErrorMessages: a date of the right form that does not exist says so
// (the real file: 1954-02-29); a wrong form quotes the value and
// gives the format. Both match ErrInvalid.
func TestErrorMessages(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1954-02-29", "1954-02-29 does not exist: 1954 is not a leap year"},
		{"1975-02-30", "1975-02-30 does not exist: February 1975 has 28 days"},
		{"2024-02-30", "2024-02-30 does not exist: February 2024 has 29 days"},
		{"2019-04-31", "2019-04-31 does not exist: April has 30 days"},
		{"2019-03-00", "2019-03-00 does not exist: there is no day 00"},
		{"2019-13", "2019-13 does not exist: there is no month 13"},
		{"2019-00-05~", "2019-00-05~ does not exist: there is no month 00"},
		{"1952-08021", `"1952-08021" is not a date; use YYYY, YYYY-MM or YYYY-MM-DD, with a trailing ~ when approximate`},
		{"19812", `"19812" is not a date; use YYYY, YYYY-MM or YYYY-MM-DD, with a trailing ~ when approximate`},
		{" March 2019 ", `"March 2019" is not a date; use YYYY, YYYY-MM or YYYY-MM-DD, with a trailing ~ when approximate`},
	} {
		_, err := Parse(c.in, time.UTC)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %s", c.in, err, c.want)
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v does not match ErrInvalid", c.in, err)
		}
	}
	long := strings.Repeat("9", 100)
	if _, err := Parse(long, time.UTC); err == nil || len(err.Error()) > 150 {
		t.Errorf("a long value is quoted whole: %v", err)
	}
}
