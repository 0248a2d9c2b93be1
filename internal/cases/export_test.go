package cases

import (
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
)

// DetaineeSearchSQLForTest returns the SQL (and arguments) of the first
// page of a detainee search by p, for the query-plan tests.
func DetaineeSearchSQLForTest(tx *gorm.DB, p *actor.Principal, q string) (string, []any, error) {
	sq, err := parseSearch(q)
	if err != nil {
		return "", nil, err
	}
	m, err := detaineeMatches(tx, p, sq)
	if err != nil {
		return "", nil, err
	}
	return `SELECT detainees.id FROM detainees JOIN (` + m.SQL + `) sm ON sm.owner_id = detainees.id ORDER BY sm.srank, detainees.name, detainees.id LIMIT 51`, m.Args, nil
}

// SetCreateWithoutIndexForTest makes s create detainees without writing the
// name index or looking up duplicates (the create benchmark's baseline).
func SetCreateWithoutIndexForTest(s *Service, off bool) { s.createWithoutIndex = off }

// SetBackfillBatchForTest sets how many records one backfill transaction
// indexes (tests use small batches to run several writers) and returns a
// function restoring it.
func SetBackfillBatchForTest(n int) func() {
	old := backfillBatch
	backfillBatch = n
	return func() { backfillBatch = old }
}
