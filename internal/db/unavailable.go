package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrQueryTimeout marks a transaction cut off by the query timeout
// (DB.QueryTimeout, HABEAS_DB_QUERY_TIMEOUT): the database did not answer
// in time. Unavailable reports it.
var ErrQueryTimeout = errors.New("database did not answer within the query timeout")

// Unavailable reports whether err says the database could not be used,
// rather than that it refused the request: no connection (refused, reset,
// unknown host, closed by the server or by this process), a server shutting
// down or out of connections (SQLSTATE class 08, 57P01-57P03, 53300), or a
// transaction cut off by the query timeout. A request cancelled by its
// client is not one (context.Canceled): the client is gone, the database
// may be fine.
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, ErrQueryTimeout) {
		return true
	}
	var lost *lostError
	if errors.As(err, &lost) {
		return true
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P01", "57P02", "57P03", "53300": // admin shutdown, crash shutdown, cannot connect now, too many connections
			return true
		}
		return strings.HasPrefix(pgErr.Code, "08") // connection exception
	}
	var connectErr *pgconn.ConnectError
	return errors.As(err, &connectErr) ||
		strings.Contains(err.Error(), "sql: database is closed") // database/sql's errDBClosed is not exported
}

// lostError is an error of the database connection (connectionLost),
// marked where it is known to come from the database: the transaction
// runners and a gorm callback after every statement. An unexpected EOF or
// a reset elsewhere (a client's upload cut) is no database outage.
type lostError struct{ err error }

func (e *lostError) Error() string { return e.err.Error() }
func (e *lostError) Unwrap() error { return e.err }

// markLost wraps err, an error of a database call, when it is an error of
// the connection.
func markLost(err error) error {
	var lost *lostError
	if err == nil || errors.Is(err, context.Canceled) || errors.As(err, &lost) || !connectionLost(err) {
		return err
	}
	return &lostError{err}
}

// connectionLost reports an error of the connection itself, the cases in
// which a transaction that had not reached COMMIT had no effect: the
// server sent a FATAL error (57P01 ends the session: its transaction is
// rolled back) or the connection broke.
func connectionLost(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Severity == "FATAL" || pgErr.Code == "57P01" || pgErr.Code == "57P02" || strings.HasPrefix(pgErr.Code, "08")
	}
	var netErr net.Error
	var dnsErr *net.DNSError
	var connectErr *pgconn.ConnectError
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.As(err, &dnsErr), errors.As(err, &connectErr):
		return true
	case errors.As(err, &netErr) && !errors.Is(err, context.DeadlineExceeded):
		return true
	}
	return strings.Contains(err.Error(), "conn closed") // pgconn's error for a connection it closed itself
}

type unboundedKey struct{}

// WithoutQueryTimeout marks ctx as maintenance work (migrations, seeding,
// index rebuilds, the deadline index refresh at seeding, backups,
// restores): transactions run with it are not cut off by the query
// timeout. A request's transactions must never carry it.
func WithoutQueryTimeout(ctx context.Context) context.Context {
	return context.WithValue(ctx, unboundedKey{}, true)
}

// unbounded reports whether ctx is marked WithoutQueryTimeout.
func unbounded(ctx context.Context) bool {
	v, _ := ctx.Value(unboundedKey{}).(bool)
	return v
}
