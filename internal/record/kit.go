package record

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
)

// Kit is what a feature service shares with the others: its database, the
// audit recorder and the clock. Feature services embed a *Kit.
type Kit struct {
	// DB is the database every transaction runs on.
	DB *db.DB
	// Audit records the audit entries of changes and sensitive reads.
	Audit audit.Recorder
	// Now is the clock (UTC); tests replace it with SetClock.
	Now func() time.Time
	// feature names the owner in wrapped errors ("cases: audit: ...").
	feature string
}

// NewKit returns the kit of the named feature over d, recording into rec,
// with the system clock in UTC.
func NewKit(feature string, d *db.DB, rec audit.Recorder) *Kit {
	return &Kit{DB: d, Audit: rec, Now: func() time.Time { return time.Now().UTC() }, feature: feature}
}

// SetClock replaces the kit's clock (tests).
func (k *Kit) SetClock(now func() time.Time) { k.Now = now }

// NewID returns a new record id: a UUIDv7 (sortable, not guessable).
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// errUnauthenticated is the answer to a call without a signed-in principal.
var errUnauthenticated = apperr.New(apperr.ErrUnauthenticated, "unauthenticated", "sign in first")

// Authenticated returns an unauthenticated error unless p is a signed-in user.
func Authenticated(p *actor.Principal) error {
	if p == nil || p.UserID == "" {
		return errUnauthenticated
	}
	return nil
}

// Write runs fn in a write transaction as p (checked once, and put into the
// context for the audit trail) and returns its value; fn's error rolls the
// transaction back, entries recorded with k.Record included.
func Write[T any](ctx context.Context, k *Kit, p *actor.Principal, fn func(tx *gorm.DB) (T, error)) (T, error) {
	return run(p, fn, func(body func(tx *gorm.DB) error) error {
		return k.DB.WithTx(actor.WithPrincipal(ctx, p), body)
	})
}

// Read runs fn, a read, as p in a read transaction: read-only on
// PostgreSQL, without SQLite's single write lock, so reads run beside each
// other and beside writes. The audit entries fn records with k.Record are
// group-committed (audit.ReadTx): Read returns nil only once they are
// durable, so the caller may answer.
func Read[T any](ctx context.Context, k *Kit, p *actor.Principal, fn func(tx *gorm.DB) (T, error)) (T, error) {
	return run(p, fn, func(body func(tx *gorm.DB) error) error {
		return audit.ReadTx(actor.WithPrincipal(ctx, p), k.DB, k.Audit, body)
	})
}

// run checks p, then runs fn inside the transaction runner tx and returns
// its value; the zero value with any error.
func run[T any](p *actor.Principal, fn func(tx *gorm.DB) (T, error), tx func(func(tx *gorm.DB) error) error) (T, error) {
	var out, zero T
	if err := Authenticated(p); err != nil {
		return zero, err
	}
	err := tx(func(tx *gorm.DB) error {
		v, err := fn(tx)
		out = v
		return err
	})
	if err != nil {
		return zero, err
	}
	return out, nil
}

// Do runs fn in a write transaction as p, for changes that answer nothing.
func (k *Kit) Do(ctx context.Context, p *actor.Principal, fn func(tx *gorm.DB) error) error {
	_, err := Write(ctx, k, p, func(tx *gorm.DB) (struct{}, error) { return struct{}{}, fn(tx) })
	return err
}

// Record writes e, by p, in tx: the change's own transaction, or a Read's
// (then group-committed before the caller answers).
func (k *Kit) Record(ctx context.Context, tx *gorm.DB, p *actor.Principal, e audit.Entry) error {
	e.ActorID, e.ActorRole = p.UserID, string(p.Role)
	if err := k.Audit.Record(actor.WithPrincipal(ctx, p), tx, e); err != nil {
		return fmt.Errorf("%s: audit: %w", k.feature, err)
	}
	return nil
}
