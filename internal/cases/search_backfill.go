package cases

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/names"
)

// searchIndexVersion is the version of the folding the index rows are
// written with: names.Version. A start-up with a newer version re-indexes
// every record (docs/search.md, "Backfill").
const searchIndexVersion = names.Version

// backfillBatch is how many records one backfill transaction indexes.
const backfillBatch = 1000

// backfillKind is one kind of indexed record: its owner type, table and
// how to index a batch of its rows in a transaction.
type backfillKind struct {
	owner, table string
	index        func(tx *gorm.DB, ids []string) error
}

var backfillKinds = []backfillKind{
	{ownerDetainee, "detainees", func(tx *gorm.DB, ids []string) error {
		var rows []Detainee
		if err := tx.Where("id IN ?", ids).Find(&rows).Error; err != nil {
			return err
		}
		return indexDetainees(tx, ptrs(rows)...)
	}},
	{ownerCase, "cases", func(tx *gorm.DB, ids []string) error {
		var rows []Case
		if err := tx.Where("id IN ?", ids).Find(&rows).Error; err != nil {
			return err
		}
		return indexCases(tx, ptrs(rows)...)
	}},
	{ownerLawyer, "lawyers", func(tx *gorm.DB, ids []string) error {
		var rows []Lawyer
		if err := tx.Where("id IN ?", ids).Find(&rows).Error; err != nil {
			return err
		}
		return indexLawyers(tx, ptrs(rows)...)
	}},
}

func ptrs[T any](rows []T) []*T {
	out := make([]*T, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out
}

// BackfillSearch brings the name index up to date after the migrations, at
// start-up: every record of a kind whose index was written with an older
// folding (search_index_state.version < the current version, or no state:
// a database from before the index) is re-indexed, and any record written
// without its index rows (by a tool that wrote the table directly, such as
// `habeas seed`) is indexed. It works in transactions of backfillBatch
// records in id order, logging progress, so a large database is indexed
// without one long transaction and a write meanwhile is never lost (it
// writes its own rows; re-indexing a record is idempotent).
func BackfillSearch(ctx context.Context, d *db.DB, log *slog.Logger) error {
	for _, k := range backfillKinds {
		if err := backfillKindRows(ctx, d, log, k); err != nil {
			return fmt.Errorf("search index backfill (%s): %w", k.table, err)
		}
	}
	return nil
}

func backfillKindRows(ctx context.Context, d *db.DB, log *slog.Logger, k backfillKind) error {
	var versions []int
	if err := d.WithContext(ctx).Table("search_index_state").Where("owner_type = ?", k.owner).Pluck("version", &versions).Error; err != nil {
		return fmt.Errorf("read state: %w", err)
	}
	all := len(versions) == 0 || versions[0] != searchIndexVersion
	// Which rows: every row on a version change, else the rows with
	// searchable text but no key (the search column is the old
	// normalised text of the same forms: empty when a record has none).
	pick := func(q *gorm.DB) *gorm.DB {
		if all {
			return q
		}
		return q.Where("t.search <> '' AND NOT EXISTS (SELECT 1 FROM search_keys bk WHERE bk.owner_type = ? AND bk.owner_id = t.id)", k.owner)
	}
	var total int64
	if all {
		if err := d.WithContext(ctx).Table(k.table).Count(&total).Error; err != nil {
			return fmt.Errorf("count: %w", err)
		}
		log.Info("search index: indexing every record", "kind", k.owner, "records", total,
			"from_version", versionOf(versions), "to_version", searchIndexVersion)
	}
	start, lastLog := time.Now(), time.Now()
	done, after := 0, ""
	for {
		var ids []string
		err := pick(d.WithContext(ctx).Table(k.table+" AS t")).Where("t.id > ?", after).Order("t.id").Limit(backfillBatch).Pluck("t.id", &ids).Error
		if err != nil {
			return fmt.Errorf("select batch: %w", err)
		}
		if len(ids) == 0 {
			break
		}
		if err := d.WithTx(ctx, func(tx *gorm.DB) error { return k.index(tx, ids) }); err != nil {
			return fmt.Errorf("index batch after %q: %w", after, err)
		}
		done += len(ids)
		after = ids[len(ids)-1]
		if time.Since(lastLog) > 5*time.Second {
			log.Info("search index: progress", "kind", k.owner, "indexed", done, "records", total, "elapsed", time.Since(start).Round(time.Millisecond).String())
			lastLog = time.Now()
		}
	}
	if done > 0 {
		log.Info("search index: done", "kind", k.owner, "indexed", done, "elapsed", time.Since(start).Round(time.Millisecond).String())
	}
	if !all {
		return nil
	}
	err := d.WithContext(ctx).Exec(`INSERT INTO search_index_state (owner_type, version) VALUES (?, ?)`+
		` ON CONFLICT (owner_type) DO UPDATE SET version = excluded.version`, k.owner, searchIndexVersion).Error
	if err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

func versionOf(v []int) int {
	if len(v) == 0 {
		return 0
	}
	return v[0]
}
