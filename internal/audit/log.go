package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/metrics"
)

// Log is the durable, hash-chained audit trail. It implements Recorder.
type Log struct {
	db  *db.DB
	now func() time.Time
}

// NewLog returns the audit log stored in d.
func NewLog(d *db.DB) *Log {
	return &Log{db: d, now: time.Now}
}

// appendLockID serialises appends on PostgreSQL (a transaction-scoped
// advisory lock); on SQLite write transactions are already serial.
const appendLockID = 0x4841424541530002

// Record implements Recorder. The entry is chained to the current head inside
// tx (or a transaction of its own when tx is nil): it commits or rolls back
// with the change it records. An error here must abort the caller's change.
func (l *Log) Record(ctx context.Context, tx *gorm.DB, e Entry) error {
	if tx == nil {
		return l.db.WithTx(ctx, func(tx *gorm.DB) error { return l.append(ctx, tx, e) })
	}
	return l.append(ctx, tx, e)
}

func (l *Log) append(ctx context.Context, tx *gorm.DB, e Entry) error {
	if e.Action == "" {
		return errors.New("audit: entry without action")
	}
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
	details, err := encodeDetails(e.Details)
	if err != nil {
		return err
	}
	tx = tx.WithContext(ctx)
	if l.db.Dialect == db.Postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", appendLockID).Error; err != nil {
			return fmt.Errorf("audit: lock chain head: %w", err)
		}
	}
	var head Row
	err = tx.Select("seq", "hash").Order("seq DESC").Limit(1).Take(&head).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		head = Row{Seq: 0, Hash: GenesisHash}
	case err != nil:
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	row := Row{
		Seq: head.Seq + 1, At: FormatTime(l.now()),
		ActorID: e.ActorID, ActorRole: e.ActorRole, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, CaseID: e.CaseID,
		ClientIP: e.ClientIP, RequestID: e.RequestID, Outcome: string(e.Outcome),
		Details: details, PrevHash: head.Hash,
	}
	row.Hash = row.ComputeHash()
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("audit: append entry %d: %w", row.Seq, err)
	}
	metrics.AuditWrites.WithLabelValues(row.Outcome).Inc() // counts appends, including ones later rolled back
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
