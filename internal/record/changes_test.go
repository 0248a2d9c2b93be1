package record_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

func ptr[T any](v T) *T { return &v }

// fields returns the per-field messages of err (nil when err is nil).
func fields(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *apperr.Error
	if !errors.As(err, &e) || !errors.Is(err, apperr.ErrInvalid) || e.Code != "validation_failed" {
		t.Fatalf("not a validation error: %#v", err)
	}
	return e.Fields
}

// check compares what a change set ended with: the field's error ("" for
// none), whether it recorded a change and the value it recorded.
func check(t *testing.T, c *record.ChangeSet, field, wantErr string, wantChanged bool, wantValue any) {
	t.Helper()
	if got := fields(t, c.Err())[field]; got != wantErr {
		t.Errorf("error of %s = %q, want %q", field, got, wantErr)
	}
	if c.Changed(field) != wantChanged || c.Empty() == wantChanged {
		t.Errorf("changed %s = %v (empty %v), want %v", field, c.Changed(field), c.Empty(), wantChanged)
	}
	if wantChanged {
		if got := c.Values()[field]; !reflect.DeepEqual(got, wantValue) {
			t.Errorf("value of %s = %#v, want %#v", field, got, wantValue)
		}
	}
}

var colours = record.Vocabulary{{Value: "red", Label: "Red"}, {Value: "blue", Label: "Blue"},
	{Value: "light_green", Label: "Pale green", Aliases: []string{"绿", "LG"}}}

func TestChangeSetText(t *testing.T) {
	for _, tc := range []struct {
		name, old string
		in        *string
		max       int
		want      string
		err       string
		changed   bool
	}{
		{"absent leaves the value", "a", nil, 10, "a", "", false},
		{"cleaned and NFC", "", ptr("  cafe\u0301 "), 10, "café", "", true},
		{"same value is no change", "café", ptr("café "), 10, "café", "", false},
		{"empty clears", "a", ptr(""), 10, "", "", true},
		{"counts characters, not bytes", "", ptr("丁家喜"), 3, "丁家喜", "", true},
		{"too long", "a", ptr("abcdef"), 5, "a", "at most 5 characters", false},
		{"NUL refused", "a", ptr("a\x00b"), 10, "a", "contains a NUL character", false},
		{"invalid UTF-8 refused", "a", ptr("a\xffb"), 10, "a", "not valid UTF-8", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := record.NewChangeSet()
			dst := tc.old
			c.Text(&dst, tc.in, "f", tc.max, false)
			if dst != tc.want {
				t.Errorf("value = %q, want %q", dst, tc.want)
			}
			check(t, c, "f", tc.err, tc.changed, tc.want)
		})
	}
}

func TestChangeSetRequired(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      *string
		want    string
		err     string
		changed bool
	}{
		{"absent", nil, "old", "", false},
		{"empty refused", ptr(""), "old", "required", false},
		{"blank refused", ptr(" \t"), "old", "required", false},
		{"set", ptr(" new "), "new", "", true},
		{"short text only", ptr(strings.Repeat("x", record.MaxShort+1)), "old", "at most 500 characters", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := record.NewChangeSet()
			dst := "old"
			c.Required(&dst, tc.in, "name")
			if dst != tc.want {
				t.Errorf("value = %q, want %q", dst, tc.want)
			}
			check(t, c, "name", tc.err, tc.changed, tc.want)
		})
	}
}

func TestChangeSetVocab(t *testing.T) {
	const allowed = "; allowed: red, blue, light_green (or their labels; see /api/v1/vocabularies)"
	const unknown = `"green" is not a known colour` + allowed
	for _, tc := range []struct {
		name     string
		in       *string
		required bool
		route    string
		want     string
		err      string
		changed  bool
	}{
		{"absent", nil, false, "", "red", "", false},
		{"a value", ptr(" blue "), false, "", "blue", "", true},
		{"same value", ptr("red"), false, "", "red", "", false},
		{"empty clears", ptr(""), false, "", "", "", true},
		{"empty refused when required", ptr(""), true, "", "red", "required" + allowed, false},
		{"unknown", ptr("green"), false, "", "red", unknown, false},
		{"a value in another case", ptr("BLUE"), true, "", "blue", "", true},
		{"a value with spaces", ptr("Light Green"), false, "", "light_green", "", true},
		{"a value with hyphens", ptr("light-green"), false, "", "light_green", "", true},
		{"the English label", ptr(" pale GREEN "), false, "", "light_green", "", true},
		{"the label of the current value", ptr("Red"), true, "", "red", "", false},
		{"an alias", ptr("绿"), false, "", "light_green", "", true},
		{"an alias, full width", ptr("ｌｇ"), false, "", "light_green", "", true},
		{"names its route", ptr("green"), false, "/api/v1/support-vocabularies", "red",
			`"green" is not a known colour; allowed: red, blue, light_green (or their labels; see /api/v1/support-vocabularies)`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := record.NewChangeSet()
			if tc.route != "" {
				c = c.VocabsAt(tc.route)
			}
			dst := "red"
			if tc.required {
				c.RequiredVocab(&dst, tc.in, "colour", colours)
			} else {
				c.Vocab(&dst, tc.in, "colour", colours)
			}
			if dst != tc.want {
				t.Errorf("value = %q, want %q", dst, tc.want)
			}
			check(t, c, "colour", tc.err, tc.changed, tc.want)
		})
	}
}

func TestChangeSetDate(t *testing.T) {
	const bad = "use YYYY, YYYY-MM or YYYY-MM-DD, with a trailing ~ when approximate"
	for _, tc := range []struct {
		name, in       string
		text, sort     string
		err            string
		changed        bool
		startText, key string
	}{
		{"a day", "2019-12-26", "2019-12-26", "", "", true, "", ""},
		{"a month", " 2019-12 ", "2019-12", "", "", true, "", ""},
		{"a year, approximate", "2019~", "2019~", "", "", true, "", ""},
		{"same date", "2019-12", "2019-12", "", "", false, "2019-12", "x"},
		{"empty clears", "", "", "", "", true, "2019", "x"},
		{"no such month", "2019-13", "", "", "2019-13 does not exist: there is no month 13", false, "", ""},
		{"no such day", "2019-02-30", "", "", "2019-02-30 does not exist: February 2019 has 28 days", false, "", ""},
		{"not a leap year", "1954-02-29", "", "", "1954-02-29 does not exist: 1954 is not a leap year", false, "", ""},
		{"no timestamps", "2019-12-26T10:00", "", "", `"2019-12-26T10:00" is not a date; ` + bad, false, "", ""},
		{"not a date", "last year", "", "", `"last year" is not a date; ` + bad, false, "", ""},
		{"wrong form", "1952-08021", "", "", `"1952-08021" is not a date; ` + bad, false, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := record.NewChangeSet()
			dst, sort := tc.startText, tc.key
			c.Date(&dst, &sort, &tc.in, "born_at")
			if tc.err == "" && tc.changed {
				wantText, wantSort, err := record.ParseDate(tc.in)
				if err != nil || dst != wantText || sort != wantSort || dst != tc.text {
					t.Errorf("date = %q (sort %q), want %q (sort %q, %v)", dst, sort, tc.text, wantSort, err)
				}
				if tc.text != "" && sort == "" {
					t.Errorf("no sort key for %q", dst)
				}
			}
			check(t, c, "born_at", tc.err, tc.changed, tc.text)
		})
	}
	// The sort keys order partial dates by their earliest day.
	_, a, _ := record.ParseDate("2019")
	_, b, _ := record.ParseDate("2019-03")
	_, d, _ := record.ParseDate("2020-01-01")
	if !(a <= b && b < d) {
		t.Errorf("sort keys out of order: %q %q %q", a, b, d)
	}
}

func TestChangeSetDay(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
		changed       bool
	}{
		{"2024-02-29", "2024-02-29", "", true},
		{" 2024-05-01 ", "2024-05-01", "", true},
		{"", "", "", true},
		{"2023-02-29", "old", "use YYYY-MM-DD", false},
		{"1899-12-31", "old", "use YYYY-MM-DD", false},
		{"3000-01-01", "old", "use YYYY-MM-DD", false},
		{"2024-5-1", "old", "use YYYY-MM-DD", false},
		{"2024", "old", "use YYYY-MM-DD", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			c := record.NewChangeSet()
			dst := "old"
			c.Day(&dst, &tc.in, "due_at")
			if dst != tc.want {
				t.Errorf("day = %q, want %q", dst, tc.want)
			}
			check(t, c, "due_at", tc.err, tc.changed, tc.want)
		})
	}
}

const (
	id1 = "0190a5b2-7c3e-7a00-8000-000000000001"
	id2 = "0190a5b2-7c3e-7a00-8000-000000000002"
)

func TestChangeSetIDs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		old     record.JSONList[string]
		in      []string
		want    []string
		err     string
		changed bool
	}{
		{"set, normalised, duplicates dropped", nil, []string{" " + strings.ToUpper(id1), id2, id1}, []string{id1, id2}, "", true},
		{"same list", record.JSONList[string]{id1, id2}, []string{id1, id2}, []string{id1, id2}, "", false},
		{"order matters", record.JSONList[string]{id1, id2}, []string{id2, id1}, []string{id2, id1}, "", true},
		{"empty clears", record.JSONList[string]{id1}, []string{}, []string{}, "", true},
		{"not an id", nil, []string{id1, "nope"}, nil, "not a list of ids", false},
		{"no braces", nil, []string{"{" + id1 + "}"}, nil, "not a list of ids", false},
		{"too many, duplicates counted", nil, []string{id1, id2, id1, id2}, nil, "at most 3 ids", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := record.NewChangeSet()
			dst := tc.old
			c.IDs(&dst, &tc.in, "evidence_ids", 3)
			if tc.err == "" && !reflect.DeepEqual([]string(dst), tc.want) {
				t.Errorf("ids = %#v, want %#v", dst, tc.want)
			}
			if tc.err != "" && !reflect.DeepEqual(dst, tc.old) {
				t.Errorf("a refused list changed the value to %#v", dst)
			}
			check(t, c, "evidence_ids", tc.err, tc.changed, tc.want)
		})
	}
}

func TestChangeSetOptionalID(t *testing.T) {
	old := id1
	for _, tc := range []struct {
		name    string
		in      string
		want    *string
		err     string
		changed bool
		value   any
	}{
		{"set", strings.ToUpper(id2), ptr(id2), "", true, id2},
		{"same", " " + id1, ptr(id1), "", false, nil},
		{"empty clears", "", nil, "", true, nil},
		{"not an id", "42", ptr(id1), "not an id", false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := record.NewChangeSet()
			dst := &old
			c.OptionalID(&dst, &tc.in, "assignee")
			if !reflect.DeepEqual(dst, tc.want) {
				t.Errorf("id = %v, want %v", dst, tc.want)
			}
			check(t, c, "assignee", tc.err, tc.changed, tc.value)
		})
	}
}

func TestChangeSetStrings(t *testing.T) {
	many := make([]string, record.MaxList+1)
	for i := range many {
		many[i] = "x"
	}
	for _, tc := range []struct {
		name    string
		in      []string
		voc     record.Vocabulary
		want    []string
		field   string
		err     string
		changed bool
	}{
		{"cleaned, duplicates dropped", []string{" a ", "b", "a"}, nil, []string{"a", "b"}, "tags", "", true},
		{"same list", []string{"old"}, nil, []string{"old"}, "tags", "", false},
		{"empty entry", []string{"a", " "}, nil, nil, "tags[1]", "empty, too long or not valid text", false},
		{"too long entry", []string{strings.Repeat("x", record.MaxShort+1)}, nil, nil, "tags[0]", "empty, too long or not valid text", false},
		{"too many", many, nil, nil, "tags", "at most 50 values", false},
		{"vocabulary values", []string{"blue", "red"}, colours, []string{"blue", "red"}, "tags", "", true},
		{"labels and aliases stored as values", []string{"Blue", "绿", "blue"}, colours, []string{"blue", "light_green"}, "tags", "", true},
		{"not in the vocabulary", []string{"red", "green"}, colours, nil, "tags[1]", `"green" is not a known tags; allowed: red, blue, light_green (or their labels; see /api/v1/vocabularies)`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := record.NewChangeSet()
			dst := record.JSONList[string]{"old"}
			c.Strings(&dst, &tc.in, "tags", tc.voc)
			if got := fields(t, c.Err())[tc.field]; got != tc.err {
				t.Errorf("error of %s = %q, want %q", tc.field, got, tc.err)
			}
			if tc.err == "" && !reflect.DeepEqual([]string(dst), tc.want) {
				t.Errorf("list = %#v, want %#v", dst, tc.want)
			}
			if c.Changed("tags") != tc.changed {
				t.Errorf("changed = %v, want %v", c.Changed("tags"), tc.changed)
			}
		})
	}
}

// The audit details name the confidential fields that changed, never their
// values; the first error of a field is the one reported.
func TestChangeSetDetails(t *testing.T) {
	c := record.NewChangeSet()
	name, notes, contacts, same := "", "", "", "kept"
	c.Text(&name, ptr("Ding Jiaxi"), "name", record.MaxShort, false)
	c.Text(&notes, ptr("met the family"), "confidential_notes", record.MaxLong, true)
	c.Text(&contacts, ptr("+1 555 0100"), "family_contacts", record.MaxLong, true)
	c.Text(&same, ptr("kept"), "summary", record.MaxLong, true)
	if c.Err() != nil || c.Empty() {
		t.Fatalf("err %v, empty %v", c.Err(), c.Empty())
	}
	d := c.Details()
	if got := d["fields"]; !reflect.DeepEqual(got, map[string]any{"name": "Ding Jiaxi"}) {
		t.Errorf("fields = %#v", got)
	}
	if got := d["confidential_fields"]; !reflect.DeepEqual(got, []string{"confidential_notes", "family_contacts"}) {
		t.Errorf("confidential_fields = %#v", got)
	}
	for _, v := range c.Values() {
		if v == "met the family" || v == "+1 555 0100" {
			t.Errorf("a confidential value is in the details: %v", d)
		}
	}
	if !c.Changed("family_contacts") || c.Changed("summary") {
		t.Errorf("changed: family_contacts %v, summary %v", c.Changed("family_contacts"), c.Changed("summary"))
	}

	plain := record.NewChangeSet()
	plain.Set("status", "open", false)
	if _, ok := plain.Details()["confidential_fields"]; ok {
		t.Errorf("confidential_fields without a confidential change: %v", plain.Details())
	}

	c.Fail("name", "first")
	c.Fail("name", "second")
	if got := fields(t, c.Err()); got["name"] != "first" || len(got) != 1 {
		t.Errorf("errors = %v, want name: first", got)
	}
	if record.NewChangeSet().Err() != nil {
		t.Errorf("an empty change set has an error")
	}
}
