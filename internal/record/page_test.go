package record_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/testkit"
)

// fieldError fails unless err is a validation error about field.
func fieldError(t *testing.T, err error, field string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || !errors.Is(err, apperr.ErrInvalid) || e.Fields[field] == "" {
		t.Fatalf("want an error about %s, got %v", field, err)
	}
}

func TestLimit(t *testing.T) {
	for _, tc := range []struct {
		n, max, want int
		ok           bool
	}{
		{0, record.MaxLimit, record.DefaultLimit, true},
		{0, 20, 20, true},
		{1, record.MaxLimit, 1, true},
		{record.MaxLimit, record.MaxLimit, record.MaxLimit, true},
		{record.MaxLimit + 1, record.MaxLimit, 0, false},
		{-1, record.MaxLimit, 0, false},
		{21, 20, 0, false},
	} {
		got, err := record.Limit(tc.n, tc.max)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Limit(%d, %d) = %d, %v; want %d ok=%v", tc.n, tc.max, got, err, tc.want, tc.ok)
		}
		if !tc.ok {
			fieldError(t, err, "limit")
			if msg := err.(*apperr.Error).Fields["limit"]; msg != fmt.Sprintf("between 1 and %d", tc.max) {
				t.Errorf("limit message %q", msg)
			}
		}
	}
}

type position struct {
	Sort string `json:"s"`
	ID   string `json:"i"`
}

func TestCursorRoundTrip(t *testing.T) {
	valid := func(p *position) bool { return p.Sort == "name" && p.ID != "" }
	in := position{Sort: "name", ID: "丁家喜/1"}
	s := record.EncodeCursor(in)
	if strings.ContainsAny(s, "+/=") {
		t.Errorf("cursor %q is not URL-safe", s)
	}
	got, err := record.DecodeCursor(s, valid)
	if err != nil || *got != in {
		t.Fatalf("round trip = %v, %v; want %v", got, err, in)
	}
	for name, bad := range map[string]string{
		"another list's cursor": record.EncodeCursor(position{Sort: "created", ID: "1"}),
		"no id":                 record.EncodeCursor(position{Sort: "name"}),
		"not base64":            "%%%",
		"not JSON":              base64.RawURLEncoding.EncodeToString([]byte("name,1")),
		"too long":              base64.RawURLEncoding.EncodeToString([]byte(`{"s":"name","i":"` + strings.Repeat("x", 5000) + `"}`)),
	} {
		t.Run(name, func(t *testing.T) {
			c, err := record.DecodeCursor(bad, valid)
			if c != nil {
				t.Errorf("decoded %v", c)
			}
			fieldError(t, err, "cursor")
		})
	}
}

// kitRow is a row of the table the keyset tests page through.
type kitRow struct {
	ID   string
	Name string
}

func (kitRow) TableName() string { return "kit_rows" }

var kitRows = record.Keyset[kitRow]{
	Table: "kit_rows",
	Sorts: record.Sorts[kitRow]{
		"created": {Column: "kit_rows.id", Value: func(r *kitRow) string { return r.ID }},
		"name":    {Column: "kit_rows.name", Value: func(r *kitRow) string { return r.Name }},
	},
	DefaultSort: "-created", ID: func(r *kitRow) string { return r.ID }, Count: true,
}

// A request the list must refuse is refused before any query.
func TestKeysetRefuses(t *testing.T) {
	noQuery := func() *gorm.DB {
		t.Fatal("the list queried the database")
		return nil
	}
	byName := record.EncodeCursor(map[string]string{"s": "name", "v": "a", "i": "1"})
	for _, tc := range []struct {
		name  string
		o     record.ListOptions
		field string
	}{
		{"a cursor of another sort", record.ListOptions{Sort: "-name", Cursor: byName}, "cursor"},
		{"a cursor of the default sort only", record.ListOptions{Cursor: byName}, "cursor"},
		{"a cursor without id", record.ListOptions{Sort: "name", Cursor: record.EncodeCursor(map[string]string{"s": "name", "v": "a"})}, "cursor"},
		{"garbage", record.ListOptions{Cursor: "not a cursor!"}, "cursor"},
		{"an unknown sort", record.ListOptions{Sort: "name; DROP TABLE kit_rows"}, "sort"},
		{"a sort on an unlisted column", record.ListOptions{Sort: "-id"}, "sort"},
		{"a limit too large", record.ListOptions{Limit: record.MaxLimit + 1}, "limit"},
		{"a NUL in the search", record.ListOptions{Q: "a\x00"}, "q"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kitRows.Page(noQuery, tc.o)
			fieldError(t, err, tc.field)
		})
	}
}

func TestKeysetPages(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		if err := d.Exec("CREATE TABLE kit_rows (id TEXT PRIMARY KEY, name TEXT NOT NULL)").Error; err != nil {
			t.Fatal(err)
		}
		var rows []kitRow
		for i := range 23 {
			// Names repeat, so that the id breaks the ties.
			rows = append(rows, kitRow{ID: fmt.Sprintf("id-%02d", i), Name: fmt.Sprintf("name-%d", i%5)})
		}
		if err := d.Create(&rows).Error; err != nil {
			t.Fatal(err)
		}
		base := func() *gorm.DB { return d.Model(&kitRow{}) }

		walk := func(t *testing.T, sort string, limit int) []kitRow {
			t.Helper()
			var all []kitRow
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 30 {
					t.Fatal("the pages do not end")
				}
				p, err := kitRows.Page(base, record.ListOptions{Sort: sort, Cursor: cursor, Limit: limit})
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != 23 || p.TotalCapped {
					t.Errorf("total %d (capped %v), want 23", p.Total, p.TotalCapped)
				}
				if len(p.Items) > limit {
					t.Errorf("a page of %d rows, limit %d", len(p.Items), limit)
				}
				all = append(all, p.Items...)
				if p.NextCursor == nil {
					return all
				}
				cursor = *p.NextCursor
			}
		}
		less := map[string]func(a, b kitRow) bool{
			"created":  func(a, b kitRow) bool { return a.ID < b.ID },
			"-created": func(a, b kitRow) bool { return a.ID > b.ID },
			"name":     func(a, b kitRow) bool { return a.Name < b.Name || a.Name == b.Name && a.ID < b.ID },
			"-name":    func(a, b kitRow) bool { return a.Name > b.Name || a.Name == b.Name && a.ID > b.ID },
		}
		for sort, before := range less {
			for _, limit := range []int{1, 4, 23, 50} {
				t.Run(fmt.Sprintf("%s by %d", sort, limit), func(t *testing.T) {
					all := walk(t, sort, limit)
					if len(all) != len(rows) {
						t.Fatalf("%d rows over the pages, want %d", len(all), len(rows))
					}
					for i := 1; i < len(all); i++ {
						if !before(all[i-1], all[i]) {
							t.Errorf("rows %d and %d out of order: %v %v", i-1, i, all[i-1], all[i])
						}
					}
				})
			}
		}

		def, err := kitRows.Page(base, record.ListOptions{Limit: 2})
		if err != nil || len(def.Items) != 2 || def.Items[0].ID != "id-22" {
			t.Errorf("default sort: %v, %v; want newest first", def.Items, err)
		}
		// A cursor of one sort is refused by another.
		if _, err := kitRows.Page(base, record.ListOptions{Sort: "name", Cursor: *def.NextCursor}); err == nil {
			t.Errorf("a cursor of -created was taken for name")
		} else {
			fieldError(t, err, "cursor")
		}

		uncounted := kitRows
		uncounted.Count = false
		p, err := uncounted.Page(base, record.ListOptions{Limit: 5})
		if err != nil || p.Total != 0 || p.TotalCapped || len(p.Items) != 5 {
			t.Errorf("without count: total %d capped %v, %d items, %v", p.Total, p.TotalCapped, len(p.Items), err)
		}

		views := record.Map(def, func(r *kitRow) string { return r.Name })
		if len(views.Items) != 2 || views.Items[0] != "name-2" || views.NextCursor != def.NextCursor || views.Total != def.Total {
			t.Errorf("Map = %+v", views)
		}
	})
}

func TestCountCapped(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		if err := d.Exec("CREATE TABLE kit_rows (id TEXT PRIMARY KEY, name TEXT NOT NULL)").Error; err != nil {
			t.Fatal(err)
		}
		rows := make([]kitRow, record.CountCap+1)
		for i := range rows {
			rows[i] = kitRow{ID: fmt.Sprintf("id-%05d", i), Name: "n"}
		}
		if err := d.CreateInBatches(&rows, 200).Error; err != nil {
			t.Fatal(err)
		}
		n, capped, err := record.CountCapped(d.Model(&kitRow{}))
		if err != nil || n != record.CountCap || !capped {
			t.Errorf("over the cap: %d, %v, %v", n, capped, err)
		}
		n, capped, err = record.CountCapped(d.Model(&kitRow{}).Where("id < ?", "id-00010"))
		if err != nil || n != 10 || capped {
			t.Errorf("under the cap: %d, %v, %v", n, capped, err)
		}
	})
}
