package db_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

// onPostgres runs fn when HABEAS_TEST_DATABASES includes PostgreSQL (and
// fails without HABEAS_TEST_POSTGRES_URL, like every PostgreSQL test).
func onPostgres(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	if !slices.Contains(testkit.Dialects(t), db.Postgres) {
		t.Skip("needs PostgreSQL; HABEAS_TEST_DATABASES leaves it out")
	}
	fn(t)
}

// terminate ends the server process of pid from another database's pool
// and waits until it is gone.
func terminate(t *testing.T, admin *db.DB, pid int) {
	t.Helper()
	if err := admin.Exec("SELECT pg_terminate_backend(?)", pid).Error; err != nil {
		t.Fatalf("terminate backend %d: %v", pid, err)
	}
	for range 100 {
		var n int64
		if err := admin.Raw("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", pid).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("backend %d still alive", pid)
}

// A transaction whose connection breaks before COMMIT (its server process
// terminated between two statements) had no effect: WithTx and ReadTx run
// it once more, on another connection, and the write is stored once. A
// transaction that breaks again is not run a third time.
func TestTxRetriedOnceOnBrokenConnection(t *testing.T) {
	onPostgres(t, func(t *testing.T) {
		d := testkit.NewDB(t, db.Postgres)
		admin := testkit.NewDB(t, db.Postgres)
		ctx := context.Background()
		if err := d.Exec("CREATE TABLE retry_probe (id INT PRIMARY KEY)").Error; err != nil {
			t.Fatal(err)
		}
		runs := 0
		err := d.WithTx(ctx, func(tx *gorm.DB) error {
			runs++
			var pid int
			if err := tx.Raw("SELECT pg_backend_pid()").Scan(&pid).Error; err != nil {
				return err
			}
			if runs == 1 {
				terminate(t, admin, pid)
			}
			return tx.Exec("INSERT INTO retry_probe (id) VALUES (1)").Error
		})
		if err != nil || runs != 2 {
			t.Fatalf("WithTx after its backend was terminated: runs %d, %v; want 2 runs and success", runs, err)
		}
		var n int64
		if err := d.Raw("SELECT count(*) FROM retry_probe").Scan(&n).Error; err != nil || n != 1 {
			t.Fatalf("rows stored: %d (%v), want 1", n, err)
		}

		runs = 0
		err = d.ReadTx(ctx, func(tx *gorm.DB) error {
			runs++
			var pid int
			if err := tx.Raw("SELECT pg_backend_pid()").Scan(&pid).Error; err != nil {
				return err
			}
			if runs == 1 {
				terminate(t, admin, pid)
			}
			return tx.Raw("SELECT count(*) FROM retry_probe").Scan(&n).Error
		})
		if err != nil || runs != 2 {
			t.Fatalf("ReadTx after its backend was terminated: runs %d, %v; want 2 runs and success", runs, err)
		}

		runs = 0
		err = d.WithTx(ctx, func(tx *gorm.DB) error {
			runs++
			var pid int
			if err := tx.Raw("SELECT pg_backend_pid()").Scan(&pid).Error; err != nil {
				return err
			}
			terminate(t, admin, pid)
			return tx.Exec("INSERT INTO retry_probe (id) VALUES (2)").Error
		})
		if runs != 2 || !db.Unavailable(err) {
			t.Fatalf("a transaction broken twice: runs %d, error %v (unavailable %v); want 2 runs and an unavailable error", runs, err, db.Unavailable(err))
		}
	})
}

// Unavailable tells the errors the drivers really return when the database
// cannot be used from those of a refused request, a cancelled one, or an
// EOF that does not come from the database.
func TestUnavailableClassifiesDriverErrors(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"unexpected EOF outside the database", fmt.Errorf("read upload: %w", io.ErrUnexpectedEOF), false},
		{"domain error", apperr.NotFound("case"), false},
		{"context canceled", context.Canceled, false},
		{"query timeout", fmt.Errorf("%w: %w", db.ErrQueryTimeout, context.DeadlineExceeded), true},
	} {
		if got := db.Unavailable(c.err); got != c.want {
			t.Errorf("%s (%v): Unavailable %v, want %v", c.name, c.err, got, c.want)
		}
	}

	t.Run("sqlite closed", func(t *testing.T) {
		d, err := db.Open(ctx, db.Options{SQLitePath: filepath.Join(t.TempDir(), "x.db")})
		if err != nil {
			t.Fatal(err)
		}
		_ = d.Close()
		var n int
		err = d.ReadTx(ctx, func(tx *gorm.DB) error { return tx.Raw("SELECT 1").Scan(&n).Error })
		if !db.Unavailable(err) {
			t.Errorf("closed SQLite database: %v is not Unavailable", err)
		}
		if err := d.WithTx(ctx, func(tx *gorm.DB) error { return nil }); !db.Unavailable(err) {
			t.Errorf("closed SQLite database, WithTx: %v is not Unavailable", err)
		}
	})

	t.Run("postgres", func(t *testing.T) {
		onPostgres(t, func(t *testing.T) {
			// Refused: a port nothing listens on.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			_ = ln.Close()
			_, err = db.Open(ctx, db.Options{PostgresURL: "postgres://x:y@" + addr + "/z?sslmode=disable", ConnectTimeout: 300 * time.Millisecond})
			if err == nil || !db.Unavailable(err) {
				t.Errorf("connection refused: %v is not Unavailable", err)
			}

			d := testkit.NewDB(t, db.Postgres)
			admin := testkit.NewDB(t, db.Postgres)
			// A statement outside any transaction on a connection whose backend is gone.
			sqlConn, err := d.SQL().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var pid int
			if err := sqlConn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
				t.Fatal(err)
			}
			terminate(t, admin, pid)
			_, err = sqlConn.ExecContext(ctx, "SELECT 1")
			_ = sqlConn.Close()
			if !db.Unavailable(err) {
				t.Errorf("terminated backend: %T %v is not Unavailable", err, err)
			}

			// Refused by the server: a unique violation is no outage.
			if err := d.Exec("CREATE TABLE u (id INT PRIMARY KEY)").Error; err != nil {
				t.Fatal(err)
			}
			_ = d.Exec("INSERT INTO u VALUES (1)").Error
			if err := d.Exec("INSERT INTO u VALUES (1)").Error; err == nil || db.Unavailable(err) {
				t.Errorf("unique violation: %v classified Unavailable %v", err, db.Unavailable(err))
			}

			// Timed out: a lock held elsewhere outlives the query timeout.
			d.QueryTimeout = 300 * time.Millisecond
			lockConn, err := d.SQL().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer lockConn.Close()
			if _, err := lockConn.ExecContext(ctx, "BEGIN; LOCK TABLE u IN ACCESS EXCLUSIVE MODE"); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err = d.WithTx(ctx, func(tx *gorm.DB) error { return tx.Exec("INSERT INTO u VALUES (2)").Error })
			if !errors.Is(err, db.ErrQueryTimeout) || !db.Unavailable(err) || time.Since(start) > 3*time.Second {
				t.Errorf("a transaction behind a lock: %v after %s, want ErrQueryTimeout", err, time.Since(start))
			}
			// Not bounded: maintenance work waits for the lock.
			done := make(chan error, 1)
			go func() {
				done <- d.WithTx(db.WithoutQueryTimeout(ctx), func(tx *gorm.DB) error { return tx.Exec("INSERT INTO u VALUES (3)").Error })
			}()
			select {
			case err := <-done:
				t.Errorf("maintenance transaction ended behind the lock: %v", err)
			case <-time.After(2 * d.QueryTimeout):
			}
			if _, err := lockConn.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Errorf("maintenance transaction after the lock: %v", err)
			}

			// Cancelled by the client: not an outage.
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if err := d.WithTx(cctx, func(tx *gorm.DB) error { return tx.Exec("SELECT 1").Error }); err == nil || db.Unavailable(err) {
				t.Errorf("cancelled transaction: %v classified Unavailable %v", err, db.Unavailable(err))
			}
		})
	})
}
