package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
)

// querier is what the snapshot queries need: a *sql.Tx (PostgreSQL, inside
// the exported snapshot) or a *sql.DB (the SQLite snapshot file).
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// objectRef is an evidence object the snapshot refers to.
type objectRef struct {
	Key        string
	StoredSize int64
}

// snapshotInfo is what the manifest records of the database snapshot.
type snapshotInfo struct {
	SchemaVersion int64
	Head          Head
	Objects       []objectRef
}

// objectStatuses are the evidence statuses whose object must exist: pending
// uploads are not finished (reconcile removes them after the grace period)
// and purged items have no object any more.
var objectStatuses = []string{"available", "deleted"}

// readSnapshot reads the schema version, the audit head and the evidence
// objects referred to, all from the same snapshot as the database copy.
func readSnapshot(ctx context.Context, q querier) (snapshotInfo, error) {
	var info snapshotInfo
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version`).Scan(&info.SchemaVersion); err != nil {
		return info, fmt.Errorf("read schema version (is the database migrated?): %w", err)
	}
	info.Head = Head{Seq: 0, Hash: audit.GenesisHash}
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&info.Head.Seq, &info.Head.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return info, fmt.Errorf("read audit head: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT object_key, stored_size FROM evidence WHERE status IN ('`+
		strings.Join(objectStatuses, "','")+`') ORDER BY object_key`)
	if err != nil {
		return info, fmt.Errorf("list evidence objects: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o objectRef
		if err := rows.Scan(&o.Key, &o.StoredSize); err != nil {
			return info, fmt.Errorf("list evidence objects: %w", err)
		}
		info.Objects = append(info.Objects, o)
	}
	if err := rows.Err(); err != nil {
		return info, fmt.Errorf("list evidence objects: %w", err)
	}
	return info, nil
}

// latestMigration is the highest migration version this binary knows for d.
func latestMigration(d db.Dialect) (int64, error) {
	fsys, err := db.MigrationsFS(d)
	if err != nil {
		return 0, err
	}
	var latest int64
	err = fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".sql") {
			return err
		}
		num, _, _ := strings.Cut(path.Base(p), "_")
		if v, err := strconv.ParseInt(num, 10, 64); err == nil && v > latest {
			latest = v
		}
		return nil
	})
	return latest, err
}
