package audit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/metrics"
)

// ReadRecorder is a Recorder that records reads of sensitive data in a
// transaction shared with other reads recorded at the same time (group
// commit): one chain append and one commit (one fsync) for many requests.
type ReadRecorder interface {
	Recorder
	RecordRead(ctx context.Context, e Entry) error
}

// RecordRead records a read durably before the caller hands out what it
// read: through rec's group commit when rec is a ReadRecorder, else in a
// transaction of its own. An error means the read must not be answered.
func RecordRead(ctx context.Context, rec Recorder, e Entry) error {
	if r, ok := rec.(ReadRecorder); ok {
		return r.RecordRead(ctx, e)
	}
	return rec.Record(ctx, nil, e)
}

// ReadTx runs fn, a read of sensitive data that records its audit entry
// with Record(ctx, tx, entry) as a change would, in a read transaction
// (db.ReadTx); the entries it records are held back and, once fn has
// succeeded, recorded with RecordRead (group commit). ReadTx returns nil
// only when every entry is durable: the caller may then answer.
func ReadTx(ctx context.Context, d *db.DB, rec Recorder, fn func(tx *gorm.DB) error) error {
	pr := &pendingReads{}
	run := func(tx *gorm.DB) error {
		pr.reset() // db.ReadTx runs fn again after a broken connection: only the last run's entries count
		return fn(tx)
	}
	if err := d.ReadTx(context.WithValue(ctx, pendingReadsKey{}, pr), run); err != nil {
		return err
	}
	for _, e := range pr.take() {
		if err := RecordRead(ctx, rec, e); err != nil {
			return err
		}
	}
	return nil
}

type pendingReadsKey struct{}

// pendingReads are the entries recorded inside a ReadTx.
type pendingReads struct {
	mu      sync.Mutex
	entries []Entry
}

func (p *pendingReads) add(e Entry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.entries = append(p.entries, e)
}

func (p *pendingReads) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.entries = nil
}

func (p *pendingReads) take() []Entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.entries
}

// heldBack reports whether tx belongs to a ReadTx, and if so keeps e
// (with the actor and request of ctx filled in) for its group commit.
func heldBack(ctx context.Context, tx *gorm.DB, e Entry) bool {
	if tx == nil || tx.Statement == nil || tx.Statement.Context == nil {
		return false
	}
	pr, ok := tx.Statement.Context.Value(pendingReadsKey{}).(*pendingReads)
	if !ok {
		return false
	}
	pr.add(fillFromContext(ctx, e))
	return true
}

// maxReadBatch bounds how many reads one group commit carries.
const maxReadBatch = 256

// readTimeout bounds one group commit.
const readTimeout = 30 * time.Second

type readRequest struct {
	row  Row
	done chan error
}

// RecordRead implements ReadRecorder. The entry joins the reads waiting for
// the log's writer, which appends everything waiting in one transaction and
// commits it; RecordRead returns once that commit has succeeded (the entry
// is as durable as any other) or failed. Under load the batch grows by
// itself: reads that arrive during a commit go into the next one. The order
// in the chain is the order in which the writer took the reads; every
// process has its own writer, and the chain lock orders them (replicas).
func (l *Log) RecordRead(ctx context.Context, e Entry) error {
	row, err := l.row(ctx, e)
	if err != nil {
		return err
	}
	l.readsOnce.Do(func() {
		l.reads = make(chan readRequest, maxReadBatch)
		go l.readWriter()
	})
	req := readRequest{row: row, done: make(chan error, 1)}
	select {
	case l.reads <- req:
	case <-ctx.Done():
		return fmt.Errorf("audit: record read: %w", ctx.Err())
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		// The entry may still be written; the caller answers nothing.
		return fmt.Errorf("audit: record read: %w", ctx.Err())
	}
}

// readWriter appends the waiting reads, a batch at a time, for the life of
// the process.
func (l *Log) readWriter() {
	batch := make([]readRequest, 0, maxReadBatch)
	rows := make([]Row, 0, maxReadBatch)
	for first := range l.reads {
		batch, rows = append(batch[:0], first), append(rows[:0], first.row)
	collect:
		for len(batch) < maxReadBatch {
			select {
			case r := <-l.reads:
				batch, rows = append(batch, r), append(rows, r.row)
			default:
				break collect
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		err := l.db.WithTx(ctx, func(tx *gorm.DB) error { return l.chain(tx, rows) })
		cancel()
		if err != nil {
			err = fmt.Errorf("audit: record %d reads: %w", len(batch), err)
		}
		metrics.AuditReadBatch.Observe(float64(len(batch)))
		for _, r := range batch {
			r.done <- err
		}
	}
}
