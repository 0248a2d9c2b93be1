package backup

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/habeas-org/habeas/internal/db"
)

// pgTool finds pg_dump or pg_restore: in binDir when given, else on PATH.
func pgTool(binDir, name string) (string, error) {
	if binDir != "" {
		p := filepath.Join(binDir, name)
		if fi, err := os.Stat(p); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return "", fmt.Errorf("%s not found in %s (--pg-bin-dir)", name, binDir)
		}
		return p, nil
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not on PATH: install the PostgreSQL client tools of the server's major version "+
			"(Debian: apt-get install postgresql-client-15) or name their folder with --pg-bin-dir "+
			"(e.g. /usr/lib/postgresql/15/bin)", name)
	}
	return p, nil
}

var toolVersionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)(?:\.\d+)?`)

// toolMajor runs `tool --version` and returns its major version and the
// version line.
func toolMajor(ctx context.Context, tool string) (int, string, error) {
	out, err := exec.CommandContext(ctx, tool, "--version").Output()
	if err != nil {
		return 0, "", fmt.Errorf("%s --version: %w", tool, err)
	}
	line := strings.TrimSpace(string(out))
	m := toolVersionRE.FindStringSubmatch(line)
	if m == nil {
		return 0, line, fmt.Errorf("%s --version: cannot read the version in %q", tool, line)
	}
	major, _ := strconv.Atoi(m[1])
	return major, line, nil
}

// serverMajor is the major version of the PostgreSQL server.
func serverMajor(ctx context.Context, q querier) (int, error) {
	var num string
	if err := q.QueryRowContext(ctx, "SHOW server_version_num").Scan(&num); err != nil {
		return 0, fmt.Errorf("read server version: %w", err)
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return 0, fmt.Errorf("server_version_num %q: %w", num, err)
	}
	return n / 10000, nil
}

// checkTool refuses a client tool older than the server: pg_dump refuses it
// anyway, with a less helpful message.
func checkTool(ctx context.Context, tool string, q querier) (string, error) {
	major, line, err := toolMajor(ctx, tool)
	if err != nil {
		return "", err
	}
	srv, err := serverMajor(ctx, q)
	if err != nil {
		return "", err
	}
	if major < srv {
		return "", fmt.Errorf("%s is version %d but the server is PostgreSQL %d: use the client tools of version %d or newer (--pg-bin-dir)",
			tool, major, srv, srv)
	}
	return line, nil
}

// libpqTarget turns a database URL into a connection string for the libpq
// tools without the password (which would show in the process list) and
// returns the password separately, for PGPASSWORD.
func libpqTarget(raw string) (conn, password string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", errors.New("the database URL is not a valid URL")
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			password = pw
			u.User = url.User(u.User.Username())
		}
	}
	return u.String(), password, nil
}

// runTool runs a libpq tool, with the password in its environment; its
// error output ends up in the returned error.
func runTool(ctx context.Context, tool, password string, args ...string) error {
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Env = os.Environ()
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{b: &stderr, left: 64 << 10}
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", filepath.Base(tool), ctx.Err())
		}
		return fmt.Errorf("%s failed (%v): %s", filepath.Base(tool), err, msg)
	}
	return nil
}

// limitedBuffer keeps the first bytes written to it.
type limitedBuffer struct {
	b    *bytes.Buffer
	left int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if l.left > 0 {
		k := min(len(p), l.left)
		l.b.Write(p[:k])
		l.left -= k
	}
	return len(p), nil
}

// dumpPostgres writes a pg_dump (custom format) of the database to file and
// reads the snapshot information from the very same snapshot: a repeatable
// read transaction exports its snapshot and pg_dump runs inside it.
func dumpPostgres(ctx context.Context, d *db.DB, dbURL, binDir, file string) (snapshotInfo, string, error) {
	tool, err := pgTool(binDir, "pg_dump")
	if err != nil {
		return snapshotInfo{}, "", err
	}
	conn, err := d.SQL().Conn(ctx)
	if err != nil {
		return snapshotInfo{}, "", fmt.Errorf("database connection: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return snapshotInfo{}, "", fmt.Errorf("begin snapshot transaction: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	var snap string
	if err := tx.QueryRowContext(ctx, "SELECT pg_export_snapshot()").Scan(&snap); err != nil {
		return snapshotInfo{}, "", fmt.Errorf("export snapshot: %w", err)
	}
	info, err := readSnapshot(ctx, tx)
	if err != nil {
		return info, "", err
	}
	line, err := checkTool(ctx, tool, tx)
	if err != nil {
		return info, "", err
	}
	target, pw, err := libpqTarget(dbURL)
	if err != nil {
		return info, "", err
	}
	err = runTool(ctx, tool, pw, "--format=custom", "--no-owner", "--no-privileges",
		"--snapshot="+snap, "--file="+file, "--dbname="+target)
	return info, line, err
}

// postgresTables counts the relations of the database outside the system
// schemas: a restore target must have none.
func postgresTables(ctx context.Context, q querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("list the tables of the target database: %w", err)
	}
	return n, nil
}

// restorePostgres runs pg_restore of file into the database in one
// transaction: on any error nothing is left in the database.
func restorePostgres(ctx context.Context, dbURL, tool, file string) error {
	target, pw, err := libpqTarget(dbURL)
	if err != nil {
		return err
	}
	return runTool(ctx, tool, pw, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
		"--dbname="+target, file)
}
