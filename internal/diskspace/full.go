package diskspace

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/habeas-org/habeas/internal/apperr"
)

// errFull is the answer to a write refused for lack of disk space: a 507
// whose message says nothing was stored and an operator must free space.
var errFull = &apperr.Error{Kind: apperr.ErrInsufficientStorage, Code: "insufficient_storage",
	Message: "the server is out of disk space: nothing was stored; an operator must free space before writes can succeed"}

// ErrFull returns the 507 insufficient_storage error (a fresh copy, so
// callers cannot change the shared one).
func ErrFull() *apperr.Error {
	e := *errFull
	return &e
}

// sqliteFull is SQLITE_FULL, the primary result code of "database or disk
// is full" (extended codes keep it in their low byte).
const sqliteFull = 13

// pgDiskFull is PostgreSQL's SQLSTATE disk_full.
const pgDiskFull = "53100"

// IsFull reports whether err says a disk (or a quota) is full: ENOSPC or
// EDQUOT from a file write, SQLite's SQLITE_FULL (the pure-Go driver's
// error has Code() int) or PostgreSQL's disk_full (pgconn.PgError has
// SQLState() string). An error already of kind ErrInsufficientStorage
// counts too.
func IsFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, apperr.ErrInsufficientStorage) || errors.Is(err, syscall.ENOSPC) || isQuota(err) {
		return true
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) && coded.Code()&0xff == sqliteFull {
		return true
	}
	var pg interface{ SQLState() string }
	return errors.As(err, &pg) && pg.SQLState() == pgDiskFull
}

// Classify returns err as a 507 insufficient_storage error (still wrapping
// err, for the log) when IsFull(err); otherwise err unchanged. This is the
// one place raw disk-full errors become the domain error.
func Classify(err error) error {
	if err == nil || errors.Is(err, apperr.ErrInsufficientStorage) || !IsFull(err) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrFull(), err)
}
