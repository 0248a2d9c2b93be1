// Package audit is Habeas's audit trail. Everything that changes data or
// reads sensitive data records an Entry through a Recorder, inside the same
// database transaction as the change, so that a change whose entry cannot be
// written does not happen.
package audit

import (
	"context"

	"gorm.io/gorm"
)

// Outcome says how the audited attempt ended.
type Outcome string

// Outcomes.
const (
	OK     Outcome = "ok"
	Denied Outcome = "denied"
	Failed Outcome = "error"
)

// Entry is one audited event. Actor and request fields left empty are filled
// from the context (actor.From, actor.RequestFrom) by the Recorder.
type Entry struct {
	Action     string // e.g. "auth.login", "case.read", "case.update"
	ObjectType string // e.g. "user", "case", "detainee"
	ObjectID   string
	CaseID     string
	Outcome    Outcome
	// Details is a small JSON object of what changed: field names and new
	// values. Never passwords, tokens, keys or other secrets.
	Details map[string]any

	ActorID   string
	ActorRole string
	ClientIP  string
	RequestID string
}

// Recorder writes audit entries. With a non-nil tx the entry is written in
// that transaction (and rolls back with it); with tx nil the recorder writes
// it in a transaction of its own (for events with no change, such as a failed
// login or a refused authorisation).
type Recorder interface {
	Record(ctx context.Context, tx *gorm.DB, e Entry) error
}

// BatchRecorder is a Recorder that can also write many entries at once, in
// order, as that many Record calls would (Log is one).
type BatchRecorder interface {
	Recorder
	RecordBatch(ctx context.Context, tx *gorm.DB, es []Entry) error
}

// RecordAll writes es in order through rec: in one batch when rec is a
// BatchRecorder, else one Record call each.
func RecordAll(ctx context.Context, rec Recorder, tx *gorm.DB, es []Entry) error {
	if b, ok := rec.(BatchRecorder); ok {
		return b.RecordBatch(ctx, tx, es)
	}
	for _, e := range es {
		if err := rec.Record(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}
