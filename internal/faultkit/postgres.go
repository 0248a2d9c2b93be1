package faultkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/habeas-org/habeas/internal/db"
)

// PostgresHelp tells how to get the PostgreSQL the drills and the soak need.
const PostgresHelp = `set HABEAS_TEST_POSTGRES_URL to the URL of a role that may CREATE DATABASE
(and end its own sessions): HABEAS_TEST_POSTGRES_URL=$(scripts/ensure-postgres.sh)`

// CreateDatabase creates an empty PostgreSQL database through adminURL (a
// role that may create databases) and returns its URL and name; drop
// removes it (ending its sessions).
func CreateDatabase(ctx context.Context, adminURL, prefix string) (dbURL, name string, drop func() error, err error) {
	a, err := db.Open(ctx, db.Options{PostgresURL: adminURL, ConnectTimeout: 10 * time.Second})
	if err != nil {
		return "", "", nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer a.Close()
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	name = prefix + hex.EncodeToString(rnd[:])
	if err := a.WithContext(ctx).Exec("CREATE DATABASE " + name).Error; err != nil {
		return "", "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", "", nil, fmt.Errorf("PostgreSQL URL: %w", err)
	}
	u.Path = "/" + name
	drop = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		a, err := db.Open(ctx, db.Options{PostgresURL: adminURL, ConnectTimeout: 10 * time.Second})
		if err != nil {
			return err
		}
		defer a.Close()
		return a.WithContext(ctx).Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error
	}
	return u.String(), name, drop, nil
}

// DatabaseName is the database of a PostgreSQL URL.
func DatabaseName(dbURL string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", err
	}
	if len(u.Path) < 2 {
		return "", fmt.Errorf("no database in the URL")
	}
	return u.Path[1:], nil
}

// TerminateBackends ends every session on the database name (but the one
// asking) with pg_terminate_backend, as an administrator or a crash of a
// backend would, and returns how many it ended.
func TerminateBackends(ctx context.Context, adminURL, name string) (int, error) {
	a, err := OpenAdmin(ctx, adminURL)
	if err != nil {
		return 0, err
	}
	defer a.Close()
	return a.Terminate(ctx, name)
}

// Admin is an open administrator connection to PostgreSQL, so a drill can
// terminate backends at a precise moment (no connection set-up first).
type Admin struct{ d *db.DB }

// OpenAdmin connects to PostgreSQL as adminURL's role.
func OpenAdmin(ctx context.Context, adminURL string) (*Admin, error) {
	d, err := db.Open(ctx, db.Options{PostgresURL: adminURL, ConnectTimeout: 10 * time.Second, MaxConns: 1})
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &Admin{d: d}, nil
}

// Close closes the connection.
func (a *Admin) Close() error { return a.d.Close() }

// Terminate ends every other session on the database name with
// pg_terminate_backend and returns how many it ended.
func (a *Admin) Terminate(ctx context.Context, name string) (int, error) {
	var ended []bool
	err := a.d.WithContext(ctx).Raw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()", name).
		Scan(&ended).Error
	if err != nil {
		return 0, fmt.Errorf("terminate backends of %s: %w", name, err)
	}
	n := 0
	for _, ok := range ended {
		if ok {
			n++
		}
	}
	return n, nil
}

// OpenDB opens the instance's database for the drills' own checks: the
// PostgreSQL URL when given, else the SQLite file. Close it after use.
func OpenDB(ctx context.Context, postgresURL, sqlitePath string) (*db.DB, error) {
	return db.Open(ctx, db.Options{PostgresURL: postgresURL, SQLitePath: sqlitePath, ConnectTimeout: 10 * time.Second})
}

// Count runs a SELECT count(*) ... query on d.
func Count(ctx context.Context, d *db.DB, query string, args ...any) (int64, error) {
	var n int64
	if err := d.WithContext(ctx).Raw(query, args...).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("%s: %w", query, err)
	}
	return n, nil
}
