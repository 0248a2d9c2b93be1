package db_test

import (
	"testing"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// TestPostgresJITOff: Habeas's PostgreSQL connections run without JIT
// compilation (it cost more than the queries it compiled).
func TestPostgresJITOff(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		if dialect != db.Postgres {
			continue
		}
		d := testkit.NewDB(t, db.Postgres)
		var jit string
		if err := d.Raw("SHOW jit").Scan(&jit).Error; err != nil {
			t.Fatal(err)
		}
		if jit != "off" {
			t.Fatalf("jit = %q, want off", jit)
		}
	}
}
