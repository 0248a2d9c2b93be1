package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/diskspace"
)

// diskCheckInterval is how often Serve checks free space on its own (for
// recovery after a full disk when no request or probe comes).
const diskCheckInterval = 5 * time.Second

// newDiskMonitor watches the data directory, the SQLite database's
// directory (every write needs room there) and the local object directory
// (uploads need room there) against HABEAS_MIN_FREE_SPACE. PostgreSQL's and
// S3's disks are not visible from here: their own full-disk errors are
// mapped to 507 (diskspace.Classify). On SQLite, the WAL is checkpointed
// and truncated once space is back after a full-disk episode.
func newDiskMonitor(cfg *config.Config, database *db.DB, logger *slog.Logger) *diskspace.Monitor {
	// Resumable uploads keep their encrypted partial data in the data
	// directory: uploads need room there too.
	paths := []diskspace.Path{{Name: "data", Dir: cfg.DataDir, Uploads: true}}
	var recover func(context.Context) error
	if database.Dialect == db.SQLite {
		paths = append(paths, diskspace.Path{Name: "database", Dir: filepath.Dir(cfg.SQLitePath()), Records: true, Uploads: true})
		wal := cfg.SQLitePath() + "-wal"
		recover = func(ctx context.Context) error { return checkpointWAL(ctx, database, wal, logger) }
	}
	if cfg.Storage == "local" {
		paths = append(paths, diskspace.Path{Name: "objects", Dir: cfg.ObjectDir(), Uploads: true})
	}
	return diskspace.NewMonitor(cfg.MinFreeSpace, paths, logger, recover)
}

// checkpointWAL copies the SQLite WAL (file wal) into the database and
// truncates it to zero bytes: after a full disk the WAL otherwise keeps the
// space it grew into until the last connection closes.
func checkpointWAL(ctx context.Context, database *db.DB, wal string, logger *slog.Logger) error {
	var before int64
	if fi, err := os.Stat(wal); err == nil {
		before = fi.Size()
	}
	var busy, walFrames, checkpointed int
	if err := database.SQL().QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &walFrames, &checkpointed); err != nil {
		return fmt.Errorf("SQLite WAL checkpoint after a full disk: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("SQLite WAL checkpoint after a full disk: busy (%d of %d frames copied)", checkpointed, walFrames)
	}
	logger.Info("free space is back after a full disk: SQLite WAL checkpointed and truncated", "wal_bytes_before", before)
	return nil
}
