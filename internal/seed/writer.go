package seed

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/habeas-org/habeas/internal/db"
)

// Bulk writing: multi-row INSERT statements with bound parameters, the
// columns and values taken from the gorm models exactly as gorm's Create
// takes them (every column of the model, zero values included), so a row
// written here is the row Create would write.

// maxParams is the number of bound parameters per statement. Both far below
// the limits (PostgreSQL 65535, SQLite 32766): on SQLite the driver
// (glebarez/go-sqlite) finds each parameter's value by a linear search of
// the arguments, so binding costs the square of their number; on PostgreSQL
// statements of 60,000 parameters loaded at half the rate of 6,000 (planning
// of the long VALUES list; a full statement's text repeats, so the driver
// reuses its prepared statement).
func maxParams(d db.Dialect) int {
	if d == db.Postgres {
		return 6000
	}
	return 500
}

// table is one table being loaded.
type table struct {
	name    string
	fields  []*schema.Field
	perStmt int    // rows per full statement
	full    string // the SQL of a full statement
	head    string // INSERT INTO t (cols) VALUES
	dialect db.Dialect
}

func newTable(d *db.DB, model any) (*table, error) {
	stmt := &gorm.Statement{DB: d.DB}
	if err := stmt.Parse(model); err != nil {
		return nil, fmt.Errorf("seed: model %T: %w", model, err)
	}
	t := &table{name: stmt.Schema.Table, dialect: d.Dialect}
	cols := make([]string, 0, len(stmt.Schema.DBNames))
	for _, n := range stmt.Schema.DBNames {
		t.fields = append(t.fields, stmt.Schema.FieldsByDBName[n])
		cols = append(cols, n)
	}
	t.head = "INSERT INTO " + t.name + " (" + strings.Join(cols, ", ") + ") VALUES "
	t.perStmt = max(1, min(1000, maxParams(d.Dialect)/len(cols)))
	t.full = t.sql(t.perStmt)
	return t, nil
}

// sql returns the statement inserting n rows.
func (t *table) sql(n int) string {
	var b strings.Builder
	b.Grow(len(t.head) + n*len(t.fields)*6)
	b.WriteString(t.head)
	p := 1
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := range t.fields {
			if j > 0 {
				b.WriteByte(',')
			}
			if t.dialect == db.Postgres {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
				p++
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// insert writes rows (pointers to models of t) in tx.
func (t *table) insert(ctx context.Context, tx *gorm.DB, rows []any) error {
	pool := tx.Statement.ConnPool
	args := make([]any, 0, min(len(rows), t.perStmt)*len(t.fields))
	flush := func(n int) error {
		q := t.full
		if n != t.perStmt {
			q = t.sql(n)
		}
		if _, err := pool.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("seed: insert %d rows into %s: %w", n, t.name, err)
		}
		args = args[:0]
		return nil
	}
	n := 0
	for _, m := range rows {
		rv := reflect.ValueOf(m).Elem()
		for _, f := range t.fields {
			v, _ := f.ValueOf(ctx, rv)
			args = append(args, v)
		}
		n++
		if n == t.perStmt {
			if err := flush(n); err != nil {
				return err
			}
			n = 0
		}
	}
	if n > 0 {
		return flush(n)
	}
	return nil
}
