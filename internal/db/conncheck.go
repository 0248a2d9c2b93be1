package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
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

// openPostgresPool opens the PostgreSQL pool: pgx's driver, with the idle
// check above, through retryConn.
func openPostgresPool(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(connector{stdlib.GetConnector(*cfg, stdlib.OptionResetSession(checkIdleConn))}), nil
}

// connector hands out retryConns.
type connector struct{ driver.Connector }

// Connect implements driver.Connector.
func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if sc, ok := conn.(*stdlib.Conn); ok {
		return &retryConn{sc}, nil
	}
	return conn, nil
}

// retryConn is pgx's connection, except that a read outside any
// transaction that meets a terminated server process (FATAL 57P01-57P03)
// reports driver.ErrBadConn, so database/sql runs it again on another
// connection. It covers what checkIdleConn cannot see: a backend
// terminated a moment before the statement, whose farewell was not yet on
// the socket when the connection left the pool. Writes are not retried
// here (one ended mid-commit may have committed); in a transaction,
// WithTx and ReadTx retry.
type retryConn struct{ *stdlib.Conn }

// QueryContext implements driver.QueryerContext.
func (c *retryConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	idle := c.Conn.Conn().PgConn().TxStatus() == 'I'
	rows, err := c.Conn.QueryContext(ctx, query, args)
	if err != nil && idle && isPlainSelect(query) && terminated(err) {
		return nil, driver.ErrBadConn
	}
	return rows, err
}

// terminated reports the server's error for a process ended by an
// operator, a shutdown or a crash.
func terminated(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Severity == "FATAL" && strings.HasPrefix(pgErr.Code, "57P")
}

// isPlainSelect reports a statement that only reads (no locking clause).
func isPlainSelect(query string) bool {
	q := strings.ToUpper(strings.TrimSpace(query))
	return strings.HasPrefix(q, "SELECT") && !strings.Contains(q, " FOR UPDATE") && !strings.Contains(q, " FOR SHARE") &&
		!strings.Contains(q, " FOR NO KEY UPDATE") && !strings.Contains(q, "PG_ADVISORY") && !strings.Contains(q, "NEXTVAL")
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
