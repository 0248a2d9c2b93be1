package cases

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/names"
)

// searchIndexVersion is the version of the folding the index rows are
// written with: names.Version. A start-up with a newer version re-indexes
// every record (docs/search.md, "Backfill").
const searchIndexVersion = names.Version

// backfillBatch is how many records one backfill transaction indexes: the
// rows of a larger batch share more B-tree leaves (100,000 detainees on
// SQLite: 69 s in batches of 1,000, 59 s in batches of 5,000; about 20 MB
// of rows in memory per writer).
var backfillBatch = 5000

// vacuumAfter is how many records a backfill indexes before it vacuums
// the index tables on PostgreSQL.
const vacuumAfter = 10000

// backfillKind is one kind of indexed record: its owner type, table and
// how to index a batch of its rows in a transaction.
type backfillKind struct {
	owner, table string
	index        func(tx *gorm.DB, ids []string) error
}

var backfillKinds = []backfillKind{
	{ownerDetainee, "detainees", loadAndIndex[Detainee]},
	{ownerCase, "cases", loadAndIndex[Case]},
	{ownerLawyer, "lawyers", loadAndIndex[Lawyer]},
}

// loadAndIndex (re)writes the index rows of the records ids of type T, as
// stored in tx.
func loadAndIndex[T any, P interface {
	*T
	searchable
}](tx *gorm.DB, ids []string) error {
	var rows []T
	if err := tx.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return err
	}
	recs := make([]P, len(rows))
	for i := range rows {
		recs[i] = P(&rows[i])
	}
	return indexRecords(tx, recs...)
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
	ctx = db.WithoutQueryTimeout(ctx) // a rebuild of the index is maintenance: not cut off
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
	start := time.Now()
	p := newBackfillProgress(log, k.owner, total)
	// Batches go to the writers in id order; on PostgreSQL two or more
	// write at once (each its own transaction: the database does most of
	// the work, in one backend per writer); SQLite has one writer.
	workers := 1
	if d.Dialect == db.Postgres {
		workers = min(max(runtime.GOMAXPROCS(0), 2), 4)
	}
	batches := make(chan []string)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ids := range batches {
				if err := d.WithTx(ctx, func(tx *gorm.DB) error { return k.index(tx, ids) }); err != nil {
					errs <- fmt.Errorf("index batch from %q: %w", ids[0], err)
					return
				}
				p.add(len(ids))
			}
		})
	}
	after := ""
	var err error
feed:
	for {
		var ids []string
		if err = pick(d.WithContext(ctx).Table(k.table+" AS t")).Where("t.id > ?", after).Order("t.id").Limit(backfillBatch).Pluck("t.id", &ids).Error; err != nil {
			err = fmt.Errorf("select batch: %w", err)
			break
		}
		if len(ids) == 0 {
			break
		}
		select {
		case batches <- ids:
		case err = <-errs:
			break feed
		}
		after = ids[len(ids)-1]
	}
	close(batches)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	if err != nil {
		return err
	}
	done := p.total()
	if done > 0 {
		log.Info("search index: done", "kind", k.owner, "indexed", done, "elapsed", time.Since(start).Round(time.Millisecond).String())
	}
	if done >= vacuumAfter && d.Dialect == db.Postgres {
		// Fresh statistics and visibility for the planner and index-only
		// scans at once, rather than whenever autovacuum comes (a pinyin
		// search's gram counts took 14 ms before, 3 ms after).
		t := time.Now()
		if err := d.WithContext(ctx).Exec("VACUUM (ANALYZE) search_keys, search_grams").Error; err != nil {
			log.Warn("search index: vacuum after the backfill failed (autovacuum will do it)", "err", err)
		} else {
			log.Info("search index: vacuumed", "kind", k.owner, "elapsed", time.Since(t).Round(time.Millisecond).String())
		}
	}
	if !all {
		return nil
	}
	return writeSearchIndexState(ctx, d, k.owner)
}

// writeSearchIndexState records that every record of owner is indexed with
// the current folding.
func writeSearchIndexState(ctx context.Context, d *db.DB, owner string) error {
	err := d.WithContext(ctx).Exec(`INSERT INTO search_index_state (owner_type, version) VALUES (?, ?)`+
		` ON CONFLICT (owner_type) DO UPDATE SET version = excluded.version`, owner, searchIndexVersion).Error
	if err != nil {
		return fmt.Errorf("write search index state (%s): %w", owner, err)
	}
	return nil
}

// MarkSearchIndexCurrent records that the records of every kind are indexed
// with the current folding, so that start-up does not index them all again.
// For a writer that indexed every record it wrote into an empty database
// (`habeas seed`, which calls IndexRecordsTx batch by batch): without it the
// first start of a server on a seeded database re-indexed every record
// (minutes for 100,000 detainees) before it was ready.
// On PostgreSQL it also vacuums and analyses the index tables, as the
// backfill does after a large run, so that the planner's statistics and
// index-only scans are right at once.
func MarkSearchIndexCurrent(ctx context.Context, d *db.DB) error {
	for _, k := range backfillKinds {
		if err := writeSearchIndexState(ctx, d, k.owner); err != nil {
			return err
		}
	}
	if d.Dialect == db.Postgres {
		if err := d.WithContext(ctx).Exec("VACUUM (ANALYZE) search_keys, search_grams").Error; err != nil {
			return fmt.Errorf("vacuum the search index: %w", err)
		}
	}
	return nil
}

// backfillProgress counts the records indexed by the backfill's writers and
// logs progress every five seconds.
type backfillProgress struct {
	mu            sync.Mutex
	log           *slog.Logger
	owner         string
	records       int64
	done          int
	start, logged time.Time
}

func newBackfillProgress(log *slog.Logger, owner string, records int64) *backfillProgress {
	now := time.Now()
	return &backfillProgress{log: log, owner: owner, records: records, start: now, logged: now}
}

func (p *backfillProgress) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if time.Since(p.logged) > 5*time.Second {
		p.log.Info("search index: progress", "kind", p.owner, "indexed", p.done, "records", p.records, "elapsed", time.Since(p.start).Round(time.Millisecond).String())
		p.logged = time.Now()
	}
}

func (p *backfillProgress) total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

func versionOf(v []int) int {
	if len(v) == 0 {
		return 0
	}
	return v[0]
}
