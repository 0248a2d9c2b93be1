package cases

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/partialdate"
)

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// CountCap is where a list stops counting its matching rows: a page's total
// is exact up to CountCap, and CountCap (flagged total_capped) beyond. An
// exact COUNT reads every matching row on every page: about 300 ms on
// PostgreSQL and SQLite for 150,000 cases, 50 times the page itself
// (issue 14, docs/benchmarks.md "Counting").
const CountCap = 1000

// ListOptions are the options every list takes. Sort is a name from the
// list's allowlist, prefixed with "-" for descending order; Cursor is the
// opaque next_cursor of the previous page.
type ListOptions struct {
	Q      string
	Sort   string
	Cursor string
	Limit  int
}

// DetaineeFilter filters the detainee list. Charge, lawyer and detention
// dates match through the detainee's cases the caller can see.
type DetaineeFilter struct {
	ListOptions
	Status       string // detention status
	Province     string // home province (exact, after NFC)
	Issue        string
	Charge       string
	LawyerID     string
	DetainedFrom string // partial date: detained on or after its earliest day
	DetainedTo   string // partial date: detained on or before its latest day
}

// CaseFilter filters the case list.
type CaseFilter struct {
	ListOptions
	DetaineeID   string
	Status       string // case status
	Stage        string
	Province     string // the detainee's home province
	Issue        string // the detainee's issue category
	Charge       string
	LawyerID     string
	DetainedFrom string
	DetainedTo   string
}

// LawyerFilter filters the lawyer list.
type LawyerFilter struct {
	ListOptions
	LicenceStatus string
}

// sortSpec is one allowed sort: a column written in code and how to read
// the same value from a loaded row (for the cursor).
type sortSpec[T any] struct {
	column string
	value  func(*T) string
}

type cursor struct {
	Sort  string `json:"s"`
	Value string `json:"v"`
	ID    string `json:"i"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errCursor = apperr.Field("cursor", "not a cursor of this list and sort")

func decodeCursor(s, sortName string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 4096 {
		return nil, errCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sortName || c.ID == "" {
		return nil, errCursor
	}
	return &c, nil
}

// pageResult is one page of rows with the cursor of the next page and the
// (capped) count of all matching rows.
type pageResult[T any] struct {
	rows   []T
	next   *string
	total  int64
	capped bool
}

// countCapped counts the rows of q, up to CountCap; capped reports that
// there are more.
func countCapped(q *gorm.DB) (n int64, capped bool, err error) {
	err = q.Session(&gorm.Session{NewDB: true}).Table("(?) AS counted", q.Select("1").Limit(CountCap+1)).Count(&n).Error
	if n > CountCap {
		return CountCap, true, err
	}
	return n, false, err
}

// pageQuery runs a keyset-paginated query. base returns a fresh filtered and
// scoped query on table (it is called twice: count and page).
func pageQuery[T any](base func() *gorm.DB, table string, sorts map[string]sortSpec[T], defaultSort string, o ListOptions, id func(*T) string) (pageResult[T], error) {
	var none pageResult[T]
	// A NUL ends the pattern on SQLite (LIKE '%<NUL>...' matched every row)
	// and PostgreSQL refuses it: the search text must be text.
	if msg := checkText(o.Q, maxShort); msg != "" {
		return none, apperr.Field("q", msg)
	}
	limit := o.Limit
	switch {
	case limit == 0:
		limit = DefaultLimit
	case limit < 0 || limit > MaxLimit:
		return none, apperr.Field("limit", "between 1 and 200")
	}
	name := o.Sort
	if name == "" {
		name = defaultSort
	}
	desc := strings.HasPrefix(name, "-")
	spec, ok := sorts[strings.TrimPrefix(name, "-")]
	if !ok {
		return none, apperr.Field("sort", "not an allowed sort key")
	}
	cur, err := decodeCursor(o.Cursor, name)
	if err != nil {
		return none, err
	}
	total, capped, err := countCapped(base())
	if err != nil {
		return none, err
	}
	q := base().Select(table + ".*")
	idCol := table + ".id"
	op, dir := ">", "ASC"
	if desc {
		op, dir = "<", "DESC"
	}
	if cur != nil {
		if spec.column == idCol {
			q = q.Where(idCol+" "+op+" ?", cur.ID)
		} else {
			q = q.Where("("+spec.column+" "+op+" ? OR ("+spec.column+" = ? AND "+idCol+" "+op+" ?))", cur.Value, cur.Value, cur.ID)
		}
	}
	order := idCol + " " + dir
	if spec.column != idCol {
		order = spec.column + " " + dir + ", " + order
	}
	var rows []T
	if err := q.Order(order).Limit(limit + 1).Find(&rows).Error; err != nil {
		return none, err
	}
	var next *string
	if len(rows) > limit {
		rows = rows[:limit]
		last := &rows[len(rows)-1]
		s := encodeCursor(cursor{Sort: name, Value: spec.value(last), ID: id(last)})
		next = &s
	}
	return pageResult[T]{rows: rows, next: next, total: total, capped: capped}, nil
}

// likePattern is a LIKE pattern (with ESCAPE '\') matching q as a substring
// of a search column.
func likePattern(q string) string {
	q = strings.ToLower(Clean(q))
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}

// detainedRange turns the from/to partial dates into sort-key bounds.
func detainedRange(from, to string) (lo, hi string, err error) {
	if from != "" {
		d, perr := partialdate.Parse(strings.TrimSuffix(from, "~"), time.UTC)
		if perr != nil || len(from) > 11 {
			return "", "", apperr.Field("detained_from", "use YYYY, YYYY-MM or YYYY-MM-DD")
		}
		lo = d.Earliest(time.UTC).Format("2006-01-02")
	}
	if to != "" {
		d, perr := partialdate.Parse(strings.TrimSuffix(to, "~"), time.UTC)
		if perr != nil || len(to) > 11 {
			return "", "", apperr.Field("detained_to", "use YYYY, YYYY-MM or YYYY-MM-DD")
		}
		hi = d.Latest(time.UTC).Format("2006-01-02") + "/9"
	}
	return lo, hi, nil
}

func checkVocab(field, v string, voc Vocabulary) error {
	if v != "" && !voc.Has(v) {
		return apperr.Field(field, "not a known value (see /api/v1/vocabularies)")
	}
	return nil
}
