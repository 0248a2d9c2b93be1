package record

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
)

// Page sizes of every list.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// CountCap is where a list stops counting its matching rows: a page's total
// is exact up to CountCap, and CountCap (flagged total_capped) beyond. An
// exact COUNT reads every matching row on every page: about 300 ms on
// PostgreSQL and SQLite for 150,000 cases, 50 times the page itself
// (docs/benchmarks.md "Counting").
const CountCap = 1000

// Limit returns the page size asked for: DefaultLimit for 0, an error about
// "limit" outside 1..max.
func Limit(n, max int) (int, error) {
	switch {
	case n == 0:
		return min(DefaultLimit, max), nil
	case n < 0 || n > max:
		return 0, apperr.Field("limit", fmt.Sprintf("between 1 and %d", max))
	}
	return n, nil
}

// ListOptions are the options every sorted list takes. Sort is a name from
// the list's allowlist, prefixed with "-" for descending order; Cursor is
// the opaque next_cursor of the previous page.
type ListOptions struct {
	Q      string
	Sort   string
	Cursor string
	Limit  int
}

// Page is one page of a list: the items and the cursor of the next page
// (nil on the last page). Total counts the visible rows matching the
// filters up to CountCap; TotalCapped reports that there are more.
type Page[T any] struct {
	Items       []T     `json:"items"`
	NextCursor  *string `json:"next_cursor"`
	Total       int64   `json:"total"`
	TotalCapped bool    `json:"total_capped"`
}

// Map returns the page with each item converted by f.
func Map[T, U any](p Page[T], f func(*T) U) Page[U] {
	out := Page[U]{Items: make([]U, 0, len(p.Items)), NextCursor: p.NextCursor, Total: p.Total, TotalCapped: p.TotalCapped}
	for i := range p.Items {
		out.Items = append(out.Items, f(&p.Items[i]))
	}
	return out
}

// errCursor is the answer to a cursor this list did not hand out.
var errCursor = apperr.Field("cursor", "not a cursor of this list and sort")

// EncodeCursor is the opaque text of a position c.
func EncodeCursor(c any) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor into c; valid checks
// what it read. Any failure is an error about the "cursor" field.
func DecodeCursor[T any](s string, valid func(*T) bool) (*T, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 4096 {
		return nil, errCursor
	}
	var c T
	if err := json.Unmarshal(b, &c); err != nil || !valid(&c) {
		return nil, errCursor
	}
	return &c, nil
}

// SortSpec is one allowed sort of a list: a column written in code and how
// to read the same value from a loaded row (for the cursor).
type SortSpec[T any] struct {
	Column string
	Value  func(*T) string
}

// Sorts is a list's allowlist of sorts by name.
type Sorts[T any] map[string]SortSpec[T]

// sortCursor is a position in a sorted list: the sort it was made for, the
// row's sort value and id.
type sortCursor struct {
	Sort  string `json:"s"`
	Value string `json:"v"`
	ID    string `json:"i"`
}

// Keyset describes a keyset-paginated list of T on a table: its sorts and
// default sort, the id column and how to read a row's id.
type Keyset[T any] struct {
	Table       string
	Sorts       Sorts[T]
	DefaultSort string
	ID          func(*T) string
	// Count adds the capped total of matching rows to each page.
	Count bool
}

// Page runs the keyset-paginated query of base (a function giving a fresh
// filtered and scoped query on k.Table; called once more to count) with the
// options o: the sort from the allowlist, the page after the cursor, at most
// limit rows (DefaultLimit for 0, MaxLimit at most).
func (k Keyset[T]) Page(base func() *gorm.DB, o ListOptions) (Page[T], error) {
	var none Page[T]
	// A NUL ends the pattern on SQLite (LIKE '%<NUL>...' matched every row)
	// and PostgreSQL refuses it: the search text must be text.
	if msg := CheckEncoding(o.Q, MaxShort); msg != "" {
		return none, apperr.Field("q", msg)
	}
	limit, err := Limit(o.Limit, MaxLimit)
	if err != nil {
		return none, err
	}
	name := o.Sort
	if name == "" {
		name = k.DefaultSort
	}
	desc := strings.HasPrefix(name, "-")
	spec, ok := k.Sorts[strings.TrimPrefix(name, "-")]
	if !ok {
		return none, apperr.Field("sort", "not an allowed sort key")
	}
	var cur *sortCursor
	if o.Cursor != "" {
		if cur, err = DecodeCursor(o.Cursor, func(c *sortCursor) bool { return c.Sort == name && c.ID != "" }); err != nil {
			return none, err
		}
	}
	var out Page[T]
	if k.Count {
		if out.Total, out.TotalCapped, err = CountCapped(base()); err != nil {
			return none, err
		}
	}
	q := base().Select(k.Table + ".*")
	idCol := k.Table + ".id"
	op, dir := ">", "ASC"
	if desc {
		op, dir = "<", "DESC"
	}
	if cur != nil {
		if spec.Column == idCol {
			q = q.Where(idCol+" "+op+" ?", cur.ID)
		} else {
			q = q.Where("("+spec.Column+" "+op+" ? OR ("+spec.Column+" = ? AND "+idCol+" "+op+" ?))", cur.Value, cur.Value, cur.ID)
		}
	}
	order := idCol + " " + dir
	if spec.Column != idCol {
		order = spec.Column + " " + dir + ", " + order
	}
	var rows []T
	if err := q.Order(order).Limit(limit + 1).Find(&rows).Error; err != nil {
		return none, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		last := &rows[len(rows)-1]
		s := EncodeCursor(sortCursor{Sort: name, Value: spec.Value(last), ID: k.ID(last)})
		out.NextCursor = &s
	}
	out.Items = rows
	return out, nil
}

// CountCapped counts the rows of q, up to CountCap; capped reports that
// there are more.
func CountCapped(q *gorm.DB) (n int64, capped bool, err error) {
	err = q.Session(&gorm.Session{NewDB: true}).Table("(?) AS counted", q.Select("1").Limit(CountCap+1)).Count(&n).Error
	if n > CountCap {
		return CountCap, true, err
	}
	return n, false, err
}
