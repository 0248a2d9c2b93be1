package db

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// checkIdleConn runs when database/sql takes a PostgreSQL connection from
// the pool (pgx's ResetSession hook): a connection whose server process
// has ended is discarded (driver.ErrBadConn), and database/sql takes
// another or opens a new one, before any statement is sent.
//
// pgx pings a connection before reuse only after a second idle, so a
// backend terminated (pg_terminate_backend, a server restart) while its
// connection sat in the pool for less than that failed the next statement
// with FATAL 57P01, the error the server left on the socket when it ended:
// database/sql retries only driver.ErrBadConn, which pgx returns only for
// an error before anything was sent. An idle connection has nothing to
// read; waiting bytes or an end of stream mean the server is gone, which
// a non-blocking look at the socket tells without a round trip.
func checkIdleConn(_ context.Context, conn *pgx.Conn) error {
	if serverGone(conn.PgConn().Conn()) {
		_ = conn.PgConn().Conn().Close()
		return driver.ErrBadConn
	}
	return nil
}

// markLostErrors registers a gorm callback after every statement that
// marks connection errors (markLost), so that Unavailable tells them from
// the same errors elsewhere (an upload cut by its client).
func markLostErrors(gdb *gorm.DB) error {
	mark := func(tx *gorm.DB) {
		if tx.Error != nil {
			tx.Error = markLost(tx.Error)
		}
	}
	cb := gdb.Callback()
	for name, p := range map[string]interface {
		Register(string, func(*gorm.DB)) error
	}{
		"create": cb.Create().After("*"), "query": cb.Query().After("*"), "update": cb.Update().After("*"),
		"delete": cb.Delete().After("*"), "row": cb.Row().After("*"), "raw": cb.Raw().After("*"),
	} {
		if err := p.Register("habeas:mark_lost_connection", mark); err != nil {
			return fmt.Errorf("register the %s callback: %w", name, err)
		}
	}
	return nil
}
