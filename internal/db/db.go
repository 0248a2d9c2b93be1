// Package db opens the database (SQLite or PostgreSQL), applies the embedded
// versioned migrations and runs transactions.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names a supported database.
type Dialect string

// Supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database: the gorm handle and its dialect.
type DB struct {
	*gorm.DB
	Dialect Dialect
	// OnWriteTx, when set (before the first transaction), is called with
	// the context of every write transaction WithTx begins: tests use it to
	// prove that reads take no write transaction (on SQLite, the single
	// write lock).
	OnWriteTx func(ctx context.Context)
	// QueryTimeout bounds each transaction WithTx and ReadTx run (0: no
	// bound), except under a context marked WithoutQueryTimeout. Set it
	// before the first transaction.
	QueryTimeout time.Duration

	sqlitePath string // the SQLite file (SQLite only), for OpenSQLiteSingle
}

// Options tells Open what to connect to.
type Options struct {
	// PostgresURL selects PostgreSQL when set.
	PostgresURL string
	// SQLitePath is the database file used when PostgresURL is empty.
	SQLitePath string
	// ConnectTimeout bounds the retries of an unreachable database.
	ConnectTimeout time.Duration
	// Logger receives retry notices.
	Logger *slog.Logger
	// MaxConns caps the PostgreSQL connections and keeps as many open when
	// idle (0: the database/sql defaults, which keep only 2 idle: under
	// load every other request then opened a new connection, a new server
	// process, which cost PostgreSQL more than the query).
	MaxConns int
	// QueryTimeout is DB.QueryTimeout (HABEAS_DB_QUERY_TIMEOUT).
	QueryTimeout time.Duration
}

// Open connects, retrying with exponential backoff until ConnectTimeout, then
// fails with an error that names the database (never its password).
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 15 * time.Second
	}
	cfg := &gorm.Config{
		Logger:                 logger.Discard, // SQL arguments can hold names and addresses: never logged
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var (
		dialector func() (gorm.Dialector, error)
		dialect   Dialect
		target    string
	)
	if o.PostgresURL != "" {
		dialect, target = Postgres, redact(o.PostgresURL)
		dialector = func() (gorm.Dialector, error) {
			pool, err := openPostgresPool(postgresDSN(o.PostgresURL))
			if err != nil {
				return nil, err
			}
			return postgres.New(postgres.Config{Conn: pool}), nil
		}
	} else {
		dialect, target = SQLite, o.SQLitePath
		if err := os.MkdirAll(filepath.Dir(o.SQLitePath), 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
		// The database holds names and family addresses: owner-only, like its WAL files (SQLite copies the mode).
		f, err := os.OpenFile(o.SQLitePath, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open database file %s: %w", o.SQLitePath, err)
		}
		_ = f.Close()
		if err := os.Chmod(o.SQLitePath, 0o600); err != nil {
			return nil, fmt.Errorf("restrict database file %s: %w", o.SQLitePath, err)
		}
		dialector = func() (gorm.Dialector, error) { return sqlite.Open(sqliteDSN(o.SQLitePath)), nil }
	}

	deadline := time.Now().Add(o.ConnectTimeout)
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		gdb, err := tryOpen(ctx, dialector, cfg)
		if err == nil {
			sqlDB, _ := gdb.DB()
			switch {
			case dialect == SQLite:
				// One writer at a time is SQLite's rule; a small pool keeps readers concurrent under WAL.
				sqlDB.SetMaxOpenConns(8)
				sqlDB.SetMaxIdleConns(8)
			case o.MaxConns > 0:
				sqlDB.SetMaxOpenConns(o.MaxConns)
				sqlDB.SetMaxIdleConns(o.MaxConns)
			}
			if err := markLostErrors(gdb); err != nil {
				_ = sqlDB.Close()
				return nil, err
			}
			return &DB{DB: gdb, Dialect: dialect, QueryTimeout: o.QueryTimeout, sqlitePath: o.SQLitePath}, nil
		}
		if ctx.Err() != nil || time.Now().Add(backoff).After(deadline) {
			return nil, fmt.Errorf("database %s unreachable after %d attempts in %s: %w", target, attempt, o.ConnectTimeout, err)
		}
		o.Logger.Warn("database not reachable yet, retrying", "database", target, "attempt", attempt, "retry_in", backoff.String(), "error", err.Error())
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("database %s: %w", target, ctx.Err())
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 4*time.Second)
	}
}

func tryOpen(ctx context.Context, newDialector func() (gorm.Dialector, error), cfg *gorm.Config) (*gorm.DB, error) {
	d, err := newDialector()
	if err != nil {
		return nil, err
	}
	gdb, err := gorm.Open(d, cfg)
	if err != nil {
		return nil, err
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return gdb, nil
}

// sqliteDSN turns a file path into a DSN with WAL, foreign keys, a busy
// timeout and IMMEDIATE write transactions (no lock-upgrade deadlocks).
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-65536)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// redact removes the password from a database URL for messages and logs.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable database URL)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	return u.String()
}

// postgresDSN turns PostgreSQL's JIT compilation off for Habeas's
// connections unless the URL sets it: every query here is short, and JIT
// triggers on cost estimates, not on run time (an exact COUNT over 150,000
// cases spent 670 ms compiling, 70 ms running; issue 14). pgx sends unknown
// URL parameters as run-time settings.
func postgresDSN(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Query().Has("jit") {
		return raw // a malformed URL fails in the driver with its own message
	}
	q := u.Query()
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// SQL returns the underlying *sql.DB.
func (d *DB) SQL() *sql.DB {
	s, err := d.DB.DB()
	if err != nil {
		panic(fmt.Sprintf("gorm handle without *sql.DB: %v", err)) // cannot happen after Open
	}
	return s
}

// OpenSQLiteSingle opens a second pool on this SQLite database's file,
// with the same pragmas (WAL, busy timeout, foreign keys, IMMEDIATE write
// transactions) and at most one connection: what the job queue (river's
// SQLite driver) wants. The caller closes it. It fails on PostgreSQL.
func (d *DB) OpenSQLiteSingle(ctx context.Context) (*sql.DB, error) {
	if d.Dialect != SQLite || d.sqlitePath == "" {
		return nil, fmt.Errorf("second SQLite pool: database is %s", d.Dialect)
	}
	s, err := sql.Open(sqlite.DriverName, sqliteDSN(d.sqlitePath))
	if err != nil {
		return nil, fmt.Errorf("open second SQLite pool on %s: %w", d.sqlitePath, err)
	}
	s.SetMaxOpenConns(1)
	s.SetMaxIdleConns(1)
	s.SetConnMaxLifetime(0)
	if err := s.PingContext(ctx); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("open second SQLite pool on %s: %w", d.sqlitePath, err)
	}
	return s, nil
}

// Ping checks the database answers within ctx.
func (d *DB) Ping(ctx context.Context) error { return d.SQL().PingContext(ctx) }

// Close closes the connection pool.
func (d *DB) Close() error { return d.SQL().Close() }

// InsertBatchRows is how many rows of cols columns one multi-row INSERT
// should carry. PostgreSQL takes up to 65,535 parameters a statement; the
// SQLite driver binds parameters in time quadratic in their number (it
// looks each one up among all arguments), so its statements stay near 500
// parameters, where binding costs less than executing.
func (d *DB) InsertBatchRows(cols int) int {
	limit := 10000
	if d.Dialect == SQLite {
		limit = 500
	}
	return max(1, limit/max(1, cols))
}
