package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/metrics"
)

// Log is the durable, hash-chained audit trail. It implements Recorder,
// BatchRecorder and ReadRecorder.
type Log struct {
	db     *db.DB
	now    func() time.Time
	policy Policy

	readsOnce sync.Once
	reads     chan readRequest
}

// NewLog returns the audit log stored in d. Without WithPolicy it records
// and verifies for the system but refuses every caller's Read and VerifyAs.
func NewLog(d *db.DB, opts ...Option) *Log {
	l := &Log{db: d, now: time.Now}
	for _, o := range opts {
		o(l)
	}
	return l
}

// appendLockID serialises appends on PostgreSQL (a transaction-scoped
// advisory lock); on SQLite write transactions are already serial.
const appendLockID = 0x4841424541530002

// Record implements Recorder. The entry is chained to the current head inside
// tx: it commits or rolls back with the change it records. An error here
// must abort the caller's change. An entry of its own (tx nil: a refusal, a
// sign-in, a read outside ReadTx) joins the group commit of RecordRead, so
// the request that records it, a GET among them, begins no write
// transaction (on SQLite the single write lock) of its own; it returns once
// the entry is durable.
func (l *Log) Record(ctx context.Context, tx *gorm.DB, e Entry) error {
	if heldBack(ctx, tx, e) {
		return nil // a read inside ReadTx: recorded by its group commit
	}
	if tx == nil {
		return l.RecordRead(ctx, e)
	}
	return l.append(ctx, tx, e)
}

func (l *Log) append(ctx context.Context, tx *gorm.DB, e Entry) error {
	return l.appendAll(ctx, tx, []Entry{e})
}

// RecordBatch implements BatchRecorder: the entries are chained in order
// inside tx, exactly as that many Record calls would chain them, with one
// lock, one read of the head and multi-row inserts.
func (l *Log) RecordBatch(ctx context.Context, tx *gorm.DB, es []Entry) error {
	if len(es) == 0 {
		return nil
	}
	if tx == nil {
		return l.db.WithTx(ctx, func(tx *gorm.DB) error { return l.appendAll(ctx, tx, es) })
	}
	return l.appendAll(ctx, tx, es)
}

// fillFromContext fills the actor and request fields e leaves empty from
// ctx, and the default outcome.
func fillFromContext(ctx context.Context, e Entry) Entry {
	if e.Outcome == "" {
		e.Outcome = OK
	}
	if p := actor.From(ctx); p != nil {
		if e.ActorID == "" {
			e.ActorID = p.UserID
		}
		if e.ActorRole == "" {
			e.ActorRole = string(p.Role)
		}
	}
	req := actor.RequestFrom(ctx)
	if e.ClientIP == "" {
		e.ClientIP = req.ClientIP
	}
	if e.RequestID == "" {
		e.RequestID = req.ID
	}
	return e
}

// row fills the fields of e's row but its place in the chain.
func (l *Log) row(ctx context.Context, e Entry) (Row, error) {
	if e.Action == "" {
		return Row{}, errors.New("audit: entry without action")
	}
	e = fillFromContext(ctx, e)
	details, err := encodeDetails(e.Details)
	if err != nil {
		return Row{}, err
	}
	return Row{
		ActorID: e.ActorID, ActorRole: e.ActorRole, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, CaseID: e.CaseID,
		ClientIP: e.ClientIP, RequestID: e.RequestID, Outcome: string(e.Outcome),
		Details: details,
	}, nil
}

func (l *Log) appendAll(ctx context.Context, tx *gorm.DB, es []Entry) error {
	rows := make([]Row, len(es))
	for i, e := range es {
		r, err := l.row(ctx, e)
		if err != nil {
			return err
		}
		rows[i] = r
	}
	return l.chain(tx.WithContext(ctx), rows)
}

// chain appends rows (filled by row) after the current head, in order.
func (l *Log) chain(tx *gorm.DB, rows []Row) error {
	if l.db.Dialect == db.Postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", appendLockID).Error; err != nil {
			return fmt.Errorf("audit: lock chain head: %w", err)
		}
	}
	var head Row
	err := tx.Select("seq", "hash").Order("seq DESC").Limit(1).Take(&head).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		head = Row{Seq: 0, Hash: GenesisHash}
	case err != nil:
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	at := FormatTime(l.now())
	for i := range rows {
		rows[i].Seq, rows[i].At, rows[i].PrevHash = head.Seq+1, at, head.Hash
		rows[i].Hash = rows[i].ComputeHash()
		head = rows[i]
	}
	if err := tx.CreateInBatches(rows, l.db.InsertBatchRows(14)).Error; err != nil {
		return fmt.Errorf("audit: append entries %d to %d: %w", rows[0].Seq, head.Seq, err)
	}
	for _, r := range rows {
		metrics.AuditWrites.WithLabelValues(r.Outcome).Inc() // counts appends, including ones later rolled back
	}
	return nil
}

// Head returns the last entry's sequence number and hash (0 and GenesisHash
// for an empty log).
func (l *Log) Head(ctx context.Context) (int64, string, error) {
	var head Row
	err := l.db.WithContext(ctx).Select("seq", "hash").Order("seq DESC").Limit(1).Take(&head).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, GenesisHash, nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("audit: read head: %w", err)
	}
	return head.Seq, head.Hash, nil
}
