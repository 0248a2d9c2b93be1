package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Every migration can be undone: on an empty database of each dialect all
// migrations are applied, then rolled back one by one to none, then applied
// again, and the schema after the second pass is the schema after the first
// (a down section that forgets a table, an index or a column, or fails,
// makes an operator's rollback fail or leave a different database).
func TestMigrationsRollBackToNothingAndApplyAgain(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			d := testkit.NewEmptyDB(t, dialect)
			ctx := context.Background()
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			before := schemaOf(t, d)
			fsys, err := db.MigrationsFS(dialect)
			if err != nil {
				t.Fatal(err)
			}
			gd := goose.DialectSQLite3
			if dialect == db.Postgres {
				gd = goose.DialectPostgres
			}
			p, err := goose.NewProvider(gd, d.SQL(), fsys, goose.WithDisableGlobalRegistry(true))
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.DownTo(ctx, 0)
			if err != nil {
				t.Fatalf("roll back: %v", err)
			}
			if len(res) != len(p.ListSources()) {
				t.Fatalf("rolled back %d of %d migrations", len(res), len(p.ListSources()))
			}
			if left := schemaOf(t, d); len(left) != 0 {
				t.Errorf("left after rolling every migration back: %v", left)
			}
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatalf("apply again: %v", err)
			}
			after := schemaOf(t, d)
			for k, v := range before {
				if after[k] != v {
					t.Errorf("%s differs after down and up:\nfirst:  %s\nsecond: %s", k, v, after[k])
				}
			}
			for k := range after {
				if _, ok := before[k]; !ok {
					t.Errorf("%s appears only after down and up", k)
				}
			}
		})
	}
}

// schemaOf describes the database's schema objects (tables, columns, indexes,
// triggers, functions, views, constraints) but goose's own table and what
// extensions own (pg_trgm stays installed: a migration creates it if absent,
// and dropping it could break another user of the database), keyed by object.
func schemaOf(t *testing.T, d *db.DB) map[string]string {
	t.Helper()
	q := `SELECT type || ' ' || name, COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'goose_%'`
	if d.Dialect == db.Postgres {
		q = `SELECT 'column ' || table_name || '.' || column_name, data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '')
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE 'goose_%'
			UNION ALL SELECT 'index ' || indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename NOT LIKE 'goose_%'
			UNION ALL SELECT 'trigger ' || event_object_table || '.' || trigger_name || '.' || event_manipulation, action_statement
			FROM information_schema.triggers WHERE trigger_schema = current_schema()
			UNION ALL SELECT 'function ' || p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.objid = p.oid AND dep.deptype = 'e')
			UNION ALL SELECT 'view ' || table_name, COALESCE(view_definition, '') FROM information_schema.views WHERE table_schema = current_schema()
			UNION ALL SELECT 'constraint ' || table_name || '.' || constraint_name, constraint_type FROM information_schema.table_constraints
			WHERE table_schema = current_schema() AND table_name NOT LIKE 'goose_%' AND constraint_type <> 'CHECK'`
	}
	rows, err := d.SQL().QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k string
		var v sql.NullString
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[k]; dup {
			k = fmt.Sprintf("%s #%d", k, len(out))
		}
		out[k] = strings.Join(strings.Fields(v.String), " ")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
