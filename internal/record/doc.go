// Package record is the shared kit of every feature service (cases,
// support, timeline, evidence, deadlines): the read and write transaction
// runners, the audit helper, change sets that validate input and remember
// what changed, vocabularies, text cleaning, keyset cursors and pages, JSON
// list columns, the versioned save and the not-found mapping.
//
// A feature service embeds a *Kit and writes every method as
//
//	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (View, error) { ... })
//
// (record.Read for reads): the principal is checked once and put into the
// context, reads run in a read-only transaction (on SQLite without the
// single write lock), and what the function records with s.Record is
// written in the same transaction (group-committed for reads). See
// docs/architecture.md.
package record
