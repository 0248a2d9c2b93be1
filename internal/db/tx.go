package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/logging"
)

// ReadTx runs fn, which only reads: on PostgreSQL in a read-only
// transaction (one snapshot; a write fails), on SQLite outside any
// transaction, because every SQLite transaction here takes the single write
// lock (BEGIN IMMEDIATE) and readers under WAL need none to run side by side.
// Like WithTx it is bounded by the query timeout and retried once on a
// broken connection.
func (d *DB) ReadTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if d.Dialect == Postgres {
		return d.run(ctx, fn, true, &sql.TxOptions{ReadOnly: true})
	}
	return d.run(ctx, fn, false, nil)
}

// WithTx runs fn in a transaction; fn's error (or a panic) rolls it back.
//
// Unless ctx is marked WithoutQueryTimeout, the transaction must end within
// QueryTimeout; past it, it is rolled back and the error wraps
// ErrQueryTimeout. A transaction whose BEGIN or statements fail because the
// connection broke (a backend terminated, a connection cut) had no effect:
// it runs once more, on another connection. One that fails at COMMIT may
// have committed and is never run again. fn may therefore run twice: it
// must have no effect outside the database and set its results afresh
// (callers' fn only read and write through tx and assign their results),
// or its caller must mark ctx WithoutRetry.
func (d *DB) WithTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if d.OnWriteTx != nil {
		d.OnWriteTx(ctx)
	}
	return d.run(ctx, fn, true, nil)
}

type noRetryKey struct{}

// WithoutRetry marks ctx for a transaction whose fn cannot run twice (it
// consumes a stream, or has effects outside the database): WithTx and
// ReadTx then never run it again after a broken connection.
func WithoutRetry(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRetryKey{}, true)
}

// run runs fn (in a transaction when inTx) and retries it once when it
// failed on a broken connection before COMMIT was sent.
func (d *DB) run(ctx context.Context, fn func(tx *gorm.DB) error, inTx bool, opts *sql.TxOptions) error {
	committing, err := d.attempt(ctx, fn, inTx, opts)
	if noRetry, _ := ctx.Value(noRetryKey{}).(bool); err == nil || committing || noRetry || ctx.Err() != nil || !retryable(err) {
		return err
	}
	logging.From(ctx).Warn("database connection broken before the transaction took effect; running it again on another connection",
		"error", err.Error())
	_, err = d.attempt(ctx, fn, inTx, opts)
	return err
}

// attempt runs fn once, bounded by the query timeout. committing reports
// that fn succeeded and COMMIT was sent: a failure then is ambiguous.
func (d *DB) attempt(ctx context.Context, fn func(tx *gorm.DB) error, inTx bool, opts *sql.TxOptions) (committing bool, err error) {
	tctx := ctx
	if d.QueryTimeout > 0 && !unbounded(ctx) {
		var cancel context.CancelFunc
		tctx, cancel = context.WithTimeout(ctx, d.QueryTimeout)
		defer cancel()
	}
	g := d.DB.WithContext(tctx)
	if !inTx {
		err = fn(g)
	} else {
		var txOpts []*sql.TxOptions
		if opts != nil {
			txOpts = append(txOpts, opts)
		}
		err = g.Transaction(func(tx *gorm.DB) error {
			if err := fn(tx); err != nil {
				return err
			}
			committing = true
			return nil
		}, txOpts...)
	}
	var domain *apperr.Error
	if err != nil && !errors.As(err, &domain) && errors.Is(tctx.Err(), context.DeadlineExceeded) && !errors.Is(ctx.Err(), context.Canceled) {
		return committing, fmt.Errorf("%w (%s): %w", ErrQueryTimeout, d.QueryTimeout, err)
	}
	return committing, markLost(err)
}

// retryable reports an error after which the transaction had no effect
// and a fresh connection may succeed.
func retryable(err error) bool {
	var lost *lostError
	return errors.As(err, &lost) && !errors.Is(err, ErrQueryTimeout)
}
