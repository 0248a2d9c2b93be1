package db_test

import (
	"testing"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/instance"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/testkit"
	"github.com/habeas-org/habeas/internal/timeline"
)

// models are the gorm models of every feature; add a feature's Models() here.
func models() []any {
	var all []any
	all = append(all, auth.Models()...)
	all = append(all, cases.Models()...)
	all = append(all, timeline.Models()...)
	all = append(all, support.Models()...)
	all = append(all, instance.Models()...)
	return all
}

// Every column of every gorm model exists after migrating, on both
// databases (migrations are hand-written SQL; nothing AutoMigrates).
func TestModelColumnsExist(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		for _, m := range models() {
			stmt := &gorm.Statement{DB: d.DB}
			if err := stmt.Parse(m); err != nil {
				t.Fatal(err)
			}
			if !d.Migrator().HasTable(stmt.Schema.Table) {
				t.Errorf("table %s missing", stmt.Schema.Table)
				continue
			}
			for _, f := range stmt.Schema.Fields {
				if f.DBName == "" {
					continue
				}
				if !d.Migrator().HasColumn(m, f.DBName) {
					t.Errorf("%s.%s missing", stmt.Schema.Table, f.DBName)
				}
			}
		}
	})
}
