package cases_test

import (
	"testing"

	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// Every column of every gorm model of this package exists after migrating,
// on both databases (the schema is made by SQL migrations, never AutoMigrate).
func TestModelColumnsExist(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		for _, m := range cases.Models() {
			stmt := d.Model(m).Statement
			if err := stmt.Parse(m); err != nil {
				t.Fatal(err)
			}
			if !d.Migrator().HasTable(m) {
				t.Errorf("table %s missing", stmt.Schema.Table)
				continue
			}
			n := 0
			for _, f := range stmt.Schema.Fields {
				if f.DBName == "" {
					continue
				}
				n++
				if !d.Migrator().HasColumn(m, f.DBName) {
					t.Errorf("%s.%s missing", stmt.Schema.Table, f.DBName)
				}
			}
			if n < 5 {
				t.Errorf("%s: only %d columns parsed", stmt.Schema.Table, n)
			}
		}
	})
}
