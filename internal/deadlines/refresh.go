package deadlines

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/lang"
)

// Keeping the index current (docs/deadlines.md "The index"). A case is
// stale when a trigger marked it (a write changed one of its inputs: the
// case, its charges, custody periods or events, whoever wrote them) or when
// one of its rows has reached changes_at (the passage of time may have
// turned a pending limit overdue). A refresh re-evaluates a batch of stale
// cases for both classes and replaces their rows and counts in one
// transaction. The background refresher (RunRefresher) keeps up with writes
// and with the clock; a read refreshes whatever is still stale before
// answering, so every answer equals evaluating every case now.

// refreshBatch is how many cases one refresh transaction re-evaluates.
var refreshBatch = 200

// SyncRefreshMax is how many stale cases a read re-evaluates itself before
// answering; with more (a migration or import the refresher is still
// working through) the read answers 503 deadlines_refreshing with the
// number left, rather than an answer it cannot vouch for.
const SyncRefreshMax = 2000

// refreshLockID is the PostgreSQL advisory lock one refresh transaction
// holds, so replicas and concurrent reads refresh one at a time (on SQLite
// the write lock does it).
const refreshLockID = 0x4841424541530002 // "HABEAS" + 2

// dirtyMark is a row of deadline_marks: a write marked the case stale.
type dirtyMark struct {
	ID     int64
	CaseID string
}

// staleCount counts the stale cases, up to limit (an estimate: a case both
// marked and due counts twice).
func (s *Service) staleCount(tx *gorm.DB, now time.Time, limit int) (int, error) {
	var marked, due int64
	q := tx.Session(&gorm.Session{NewDB: true})
	// Marks are rows per write: the cases among the first marks.
	if err := q.Table("(?) AS m", q.Table("deadline_marks").Select("case_id").Limit(20*limit)).Distinct("case_id").Count(&marked).Error; err != nil {
		return 0, fmt.Errorf("deadlines: count marked cases: %w", err)
	}
	if int(marked) >= limit {
		return int(marked), nil
	}
	if err := q.Table("(?) AS d", q.Table("deadline_items").Select("1").
		Where("changes_at <> '' AND changes_at <= ?", stamp(now)).Limit(limit)).Count(&due).Error; err != nil {
		return 0, fmt.Errorf("deadlines: count due cases: %w", err)
	}
	return int(marked + due), nil
}

// RefreshOnce re-evaluates up to one batch of stale cases and returns how
// many it did (0: the index is current). Refreshes of one process take
// turns (refreshMu). On PostgreSQL the batch is claimed, computed and
// written in one transaction under an advisory lock that replicas share
// (a transaction there holds up no other writer). On SQLite, where a write
// transaction holds the database's only write lock, the batch is claimed
// and computed in a read and only the replacement is written: computed
// inside, cases with hundreds of events held the lock long enough for
// writers to give up (SQLITE_BUSY after the 10 s busy timeout under 50
// writers). A case written meanwhile keeps its renewed mark and is
// computed again.
func (s *Service) RefreshOnce(ctx context.Context) (int, error) {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	now := s.Now()
	var (
		ids      []string
		marks    []dirtyMark
		fresh    []indexRow
		releases []releaseRow
	)
	load := func(tx *gorm.DB) error {
		var err error
		if ids, marks, err = s.claim(tx, now); err != nil || len(ids) == 0 {
			return err
		}
		fresh, releases, err = s.compute(ctx, tx, ids, now)
		return err
	}
	if s.DB.Dialect == db.Postgres {
		err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", int64(refreshLockID)).Error; err != nil {
				return fmt.Errorf("deadlines: refresh lock: %w", err)
			}
			if err := load(tx); err != nil || len(ids) == 0 {
				return err
			}
			return s.replace(tx, ids, marks, fresh, releases)
		})
		if err != nil {
			return 0, err
		}
		return len(ids), nil
	}
	if err := s.DB.ReadTx(ctx, load); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if err := s.DB.WithTx(ctx, func(tx *gorm.DB) error { return s.replace(tx, ids, marks, fresh, releases) }); err != nil {
		return 0, err
	}
	return len(ids), nil
}

// claim picks the next batch of stale cases: marked ones (with their
// ids), then ones whose rows reached changes_at.
func (s *Service) claim(tx *gorm.DB, now time.Time) ([]string, []dirtyMark, error) {
	var read []dirtyMark
	if err := tx.Table("deadline_marks").Select("id, case_id").Order("id").Limit(8 * refreshBatch).Find(&read).Error; err != nil {
		return nil, nil, fmt.Errorf("deadlines: load marked cases: %w", err)
	}
	ids := make([]string, 0, refreshBatch)
	seen := map[string]bool{}
	var marks []dirtyMark
	for _, m := range read {
		if !seen[m.CaseID] {
			if len(ids) == refreshBatch {
				continue
			}
			ids, seen[m.CaseID] = append(ids, m.CaseID), true
		}
		marks = append(marks, m)
	}
	if len(ids) < refreshBatch {
		// Rows, not DISTINCT cases: PostgreSQL answered DISTINCT by
		// reading the whole case index (2 s for 2.6 million rows); in
		// changes_at order the partial index serves it.
		var due []string
		if err := tx.Table("deadline_items").Select("case_id").Where("changes_at <> '' AND changes_at <= ?", stamp(now)).
			Order("changes_at").Limit(8*refreshBatch).Pluck("case_id", &due).Error; err != nil {
			return nil, nil, fmt.Errorf("deadlines: load due cases: %w", err)
		}
		for _, id := range due {
			if len(ids) < refreshBatch && !seen[id] {
				ids, seen[id] = append(ids, id), true
			}
		}
	}
	return ids, marks, nil
}

// compute evaluates the cases ids at now for both classes: their index
// rows and expected releases.
func (s *Service) compute(ctx context.Context, tx *gorm.DB, ids []string, now time.Time) ([]indexRow, []releaseRow, error) {
	var rows []caseRow
	if err := s.allCases(tx).Where("cases.id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("deadlines: load cases to index: %w", err)
	}
	// The open class differs only for cases with a confidential period or
	// event: the others' rows are the full class's, evaluated once.
	secret, err := confidentialCases(tx, ids)
	if err != nil {
		return nil, nil, err
	}
	var fresh []indexRow
	var releases []releaseRow
	addRelease := func(class string, r caseRow, f Facts) {
		if rr, ok := releaseRowOf(class, r, f); ok {
			releases = append(releases, rr)
		}
	}
	facts, err := s.loadFacts(ctx, tx, true, rows, needCharges)
	if err != nil {
		return nil, nil, err
	}
	var secretRows []caseRow
	for _, r := range rows {
		f := facts[r.ID].Facts
		results := Evaluate(f, now, lang.English)
		fresh = append(fresh, indexRows(ClassFull, r, results)...)
		addRelease(ClassFull, r, f)
		if secret[r.ID] {
			secretRows = append(secretRows, r)
		} else {
			fresh = append(fresh, indexRows(ClassOpen, r, results)...)
			addRelease(ClassOpen, r, f)
		}
	}
	if len(secretRows) > 0 {
		open, err := s.loadFacts(ctx, tx, false, secretRows, needCharges)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range secretRows {
			f := open[r.ID].Facts
			fresh = append(fresh, indexRows(ClassOpen, r, Evaluate(f, now, lang.English))...)
			addRelease(ClassOpen, r, f)
		}
	}
	return fresh, releases, nil
}

// replace writes the computed rows of ids in place of their old rows and
// counts, and clears the marks that were not renewed meanwhile.
func (s *Service) replace(tx *gorm.DB, ids []string, marks []dirtyMark, fresh []indexRow, releases []releaseRow) error {
	if err := tx.Where("case_id IN ?", ids).Delete(&releaseRow{}).Error; err != nil {
		return fmt.Errorf("deadlines: remove indexed releases: %w", err)
	}
	if len(releases) > 0 {
		if err := tx.CreateInBatches(releases, s.DB.InsertBatchRows(6)).Error; err != nil {
			return fmt.Errorf("deadlines: index releases: %w", err)
		}
	}
	// Only the rows that changed are written: an event logged on a case
	// changes a few of its limits, and rewriting all of them (hundreds on a
	// case with many meeting requests) kept SQLite's write lock busy.
	var old []indexRow
	if err := tx.Where("case_id IN ?", ids).Find(&old).Error; err != nil {
		return fmt.Errorf("deadlines: load indexed rows: %w", err)
	}
	delta := map[countKey]int64{}
	before := make(map[string]indexRow, len(old))
	for _, o := range old {
		before[o.ID] = o
		delta[countKey{o.Class, o.Rule, o.Status, o.Stage}]--
	}
	var gone []string
	var added []indexRow
	kept := make(map[string]bool, len(fresh))
	for _, r := range fresh {
		delta[countKey{r.Class, r.Rule, r.Status, r.Stage}]++
		kept[r.ID] = true
		if o, ok := before[r.ID]; ok {
			if o == r {
				continue
			}
			gone = append(gone, r.ID)
		}
		added = append(added, r)
	}
	for _, o := range old {
		if !kept[o.ID] {
			gone = append(gone, o.ID)
		}
	}
	for lo := 0; lo < len(gone); lo += 500 {
		if err := tx.Where("id IN ?", gone[lo:min(lo+500, len(gone))]).Delete(&indexRow{}).Error; err != nil {
			return fmt.Errorf("deadlines: remove indexed rows: %w", err)
		}
	}
	if len(added) > 0 {
		if err := tx.CreateInBatches(added, s.DB.InsertBatchRows(10)).Error; err != nil {
			return fmt.Errorf("deadlines: index rows: %w", err)
		}
	}
	if err := applyCounts(tx, delta); err != nil {
		return err
	}
	// The marks read, and only those: a write made meanwhile added a row
	// of its own, which stays for the next refresh.
	for lo := 0; lo < len(marks); lo += 500 {
		batch := make([]int64, 0, 500)
		for _, m := range marks[lo:min(lo+500, len(marks))] {
			batch = append(batch, m.ID)
		}
		if err := tx.Exec("DELETE FROM deadline_marks WHERE id IN ?", batch).Error; err != nil {
			return fmt.Errorf("deadlines: clear marks: %w", err)
		}
	}
	return nil
}

// confidentialCases is the set of ids with a confidential custody period
// or live event: the cases whose facts differ between the classes.
func confidentialCases(tx *gorm.DB, ids []string) (map[string]bool, error) {
	var hit []string
	if err := tx.Raw("SELECT case_id FROM custody_periods WHERE case_id IN ? AND confidential = ? "+
		"UNION SELECT case_id FROM case_events WHERE case_id IN ? AND confidential = ? AND deleted_at IS NULL",
		ids, true, ids, true).Scan(&hit).Error; err != nil {
		return nil, fmt.Errorf("deadlines: cases with confidential records: %w", err)
	}
	out := make(map[string]bool, len(hit))
	for _, id := range hit {
		out[id] = true
	}
	return out, nil
}

// applyCounts adds delta to deadline_counts, in key order (so concurrent
// refreshes on PostgreSQL lock the rows in one order), and drops the rows
// that reach zero.
func applyCounts(tx *gorm.DB, delta map[countKey]int64) error {
	keys := make([]countKey, 0, len(delta))
	for k, n := range delta {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Class != b.Class {
			return a.Class < b.Class
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Status != b.Status {
			return a.Status < b.Status
		}
		return a.Stage < b.Stage
	})
	for _, k := range keys {
		if err := tx.Exec("INSERT INTO deadline_counts (class, rule, status, stage, n) VALUES (?, ?, ?, ?, ?) "+
			"ON CONFLICT (class, rule, status, stage) DO UPDATE SET n = deadline_counts.n + excluded.n",
			k.Class, k.Rule, k.Status, k.Stage, delta[k]).Error; err != nil {
			return fmt.Errorf("deadlines: update counts: %w", err)
		}
	}
	if err := tx.Exec("DELETE FROM deadline_counts WHERE n = 0").Error; err != nil {
		return fmt.Errorf("deadlines: drop empty counts: %w", err)
	}
	return nil
}

// RefreshAll re-evaluates every stale case, batch after batch, calling
// progress (when set) at most once per every with the cases done so far and
// an estimate of those left (counting what is left reads the marks, so it
// is not done after every batch). `habeas seed` calls it; the server's
// refresher does the same in the background.
func (s *Service) RefreshAll(ctx context.Context, every time.Duration, progress func(done, left int)) (int, error) {
	ctx = db.WithoutQueryTimeout(ctx) // maintenance: its batches are not cut off
	done, last := 0, time.Now()
	for {
		n, err := s.RefreshOnce(ctx)
		if err != nil {
			return done, err
		}
		if n == 0 {
			return done, nil
		}
		done += n
		if progress != nil && time.Since(last) >= every {
			left, err := s.staleCount(s.DB.DB.WithContext(ctx), s.Now(), 1<<30)
			if err != nil {
				return done, err
			}
			progress(done, left)
			last = time.Now()
		}
	}
}

// ensureFresh makes the index current before a read, so the read's answer
// equals evaluating every case now: with cases stale it waits for a shared
// refresh (sharedRefresh); with more than SyncRefreshMax stale it answers
// 503 deadlines_refreshing instead.
func (s *Service) ensureFresh(ctx context.Context) error {
	for round := 0; ; round++ {
		n, err := s.staleCount(s.DB.DB.WithContext(ctx), s.Now(), SyncRefreshMax+1)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if n > SyncRefreshMax || round > 3 {
			e := apperr.New(apperr.ErrUnavailable, "deadlines_refreshing",
				fmt.Sprintf("the time limits of %d or more cases are being recomputed; try again in a few seconds", n))
			e.RetryAfterSeconds = 5
			return e
		}
		if err := s.sharedRefresh(ctx); err != nil {
			return err
		}
	}
}

// sharedRun is the refresh in progress that reads wait for.
type sharedRun struct {
	mu  sync.Mutex
	run *refreshRun
}

// refreshRun is one shared refresh: done is closed when it ends, with err.
type refreshRun struct {
	done chan struct{}
	err  error
}

// sharedRefreshTimeout bounds one shared refresh.
const sharedRefreshTimeout = time.Minute

// sharedRefresh re-evaluates the stale cases (up to SyncRefreshMax) in a
// refresh shared by every read that finds the index stale meanwhile, and
// waits for it (or for ctx). The refresh runs on its own context, not the
// read's: a read begins no write transaction of its own (the rule of
// docs/architecture.md), fifty dashboards finding the same cases stale
// cause one refresh, and a read that gives up does not abort it.
func (s *Service) sharedRefresh(ctx context.Context) error {
	s.shared.mu.Lock()
	run := s.shared.run
	if run == nil {
		run = &refreshRun{done: make(chan struct{})}
		s.shared.run = run
		go func() {
			rctx, cancel := context.WithTimeout(context.Background(), sharedRefreshTimeout)
			defer cancel()
			for done := 0; done < SyncRefreshMax; {
				n, err := s.RefreshOnce(rctx)
				if err != nil {
					run.err = err
					break
				}
				if n == 0 {
					break
				}
				done += n
			}
			s.shared.mu.Lock()
			s.shared.run = nil
			s.shared.mu.Unlock()
			close(run.done)
		}()
	}
	s.shared.mu.Unlock()
	select {
	case <-run.done:
		return run.err
	case <-ctx.Done():
		return fmt.Errorf("deadlines: waiting for the index refresh: %w", ctx.Err())
	}
}

// RunRefresher keeps the index current until ctx ends: every interval it
// re-evaluates the stale cases (reads refresh what they find stale
// themselves; this keeps them from having to), logging the progress of a
// long backlog (the first build after migration 0014, a large import).
func (s *Service) RunRefresher(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		start, total, lastLog := time.Now(), 0, time.Now()
		for ctx.Err() == nil {
			// Look before taking the write lock (SQLite) or the
			// advisory lock (PostgreSQL): usually nothing is stale.
			if left, err := s.staleCount(s.DB.DB.WithContext(ctx), s.Now(), 1); err != nil || left == 0 {
				if err != nil && ctx.Err() == nil {
					log.Error("time-limit index: stale count failed", "err", err)
				}
				break
			}
			n, err := s.RefreshOnce(ctx)
			if err != nil {
				if ctx.Err() == nil {
					log.Error("time-limit index refresh failed", "err", err)
				}
				break
			}
			if n == 0 {
				break
			}
			total += n
			if time.Since(lastLog) > 10*time.Second {
				left, _ := s.staleCount(s.DB.DB.WithContext(ctx), s.Now(), 1<<30)
				log.Info("time-limit index: re-evaluating cases", "done", total, "left", left)
				lastLog = time.Now()
			}
		}
		if total >= SyncRefreshMax {
			log.Info("time-limit index current", "cases", total, "took", time.Since(start).Round(time.Millisecond).String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
