// Package instance tells which Habeas processes are running on a database.
// Every process start (serve) registers a random instance id in the
// instances table and refreshes its heartbeat every few seconds; work a
// process leaves behind (an upload's pending row, a local temporary file, an
// S3 multipart upload) records that id, so whoever finds it can tell at once
// whether its owner is still running (live) or not (gone), instead of
// waiting for a grace period.
package instance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/clause"

	"github.com/habeas-org/habeas/internal/db"
)

// DefaultTimeout is how long an instance may miss its heartbeat before it
// is gone (HABEAS_INSTANCE_TIMEOUT).
const DefaultTimeout = 30 * time.Second

// HeartbeatInterval is how often a registered instance refreshes its row:
// well below any sensible timeout.
const HeartbeatInterval = 5 * time.Second

// Row is one row of the instances table: one process start.
type Row struct {
	ID   string `gorm:"primaryKey"`
	Host string
	// Boot names the kernel boot and PID namespace of the process (empty
	// where unknown): two rows with the same Boot can check each other's PID.
	Boot        string
	PID         int `gorm:"column:pid"`
	StartedAt   time.Time
	HeartbeatAt time.Time
}

// TableName is the instances table.
func (Row) TableName() string { return "instances" }

// Models lists the gorm models of this package (for the schema test).
func Models() []any { return []any{&Row{}} }

// NewID returns a fresh random instance id: 16 lowercase hex digits, which
// are valid in a storage key and in a temporary file's name.
func NewID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Self is the registration of this process.
type Self struct {
	db      *db.DB
	row     Row
	timeout time.Duration
	log     *slog.Logger

	mu      sync.Mutex
	stopped bool
}

// New returns this process's instance (not registered yet) with a fresh
// id. timeout is how long an instance may miss its heartbeat before it is
// gone (0: DefaultTimeout).
func New(d *db.DB, timeout time.Duration, log *slog.Logger) *Self {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if log == nil {
		log = slog.Default()
	}
	host, _ := os.Hostname()
	now := time.Now().UTC()
	return &Self{db: d, timeout: timeout, log: log,
		row: Row{ID: NewID(), Host: host, Boot: bootKey(), PID: os.Getpid(), StartedAt: now, HeartbeatAt: now}}
}

// ID is this process's instance id.
func (s *Self) ID() string { return s.row.ID }

// Timeout is how long an instance may miss its heartbeat before it is gone.
func (s *Self) Timeout() time.Duration { return s.timeout }

// Census takes the census of the instances on this process's database.
func (s *Self) Census(ctx context.Context) (Census, error) { return Take(ctx, s.db, s.timeout) }

// Register writes (or refreshes) this instance's row.
func (s *Self) Register(ctx context.Context) error {
	return s.beat(ctx)
}

func (s *Self) beat(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil
	}
	r := s.row
	r.HeartbeatAt = time.Now().UTC()
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"heartbeat_at"}),
	}).Create(&r).Error
	if err != nil {
		return fmt.Errorf("instance: heartbeat of %s: %w", r.ID, err)
	}
	return nil
}

// Run refreshes the heartbeat every HeartbeatInterval until ctx ends. A
// failed heartbeat is logged and retried at the next tick: past the timeout
// other instances take this one for gone and clean up its uploads (which
// then fail here with upload_abandoned).
func (s *Self) Run(ctx context.Context) {
	t := time.NewTicker(HeartbeatInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			bctx, cancel := context.WithTimeout(ctx, HeartbeatInterval)
			if err := s.beat(bctx); err != nil && ctx.Err() == nil {
				s.log.Warn("instance heartbeat failed; retrying", "instance", s.row.ID, "error", err.Error())
			}
			cancel()
		}
	}
}

// Deregister removes this instance's row on a clean stop: from then on it
// is gone, and anything it left is cleaned up at once. No heartbeat is
// written after it.
func (s *Self) Deregister(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
	if err := s.db.WithContext(ctx).Where("id = ?", s.row.ID).Delete(&Row{}).Error; err != nil {
		return fmt.Errorf("instance: deregister %s: %w", s.row.ID, err)
	}
	return nil
}

// Census is which instances were live when it was taken.
type Census struct {
	live map[string]bool
}

// Live reports whether the instance id was live. An id with no row (never
// registered, deregistered, or pruned) is gone.
func (c Census) Live(id string) bool { return c.live[id] }

// Take reads the instances table. An instance is gone when its heartbeat is
// older than timeout (0: DefaultTimeout) or, for one of the same kernel boot
// and PID namespace as this process, at once when its process is no longer
// running: no process has its PID, or the one that has it started at
// another time (the PID was reused: a restart in a container, where the
// PID is always 1). Read the census AFTER the rows it is applied to: an
// owner registers before it records anything, so every owner found is in it.
func Take(ctx context.Context, d *db.DB, timeout time.Duration) (Census, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	var rows []Row
	if err := d.WithContext(ctx).Find(&rows).Error; err != nil {
		return Census{}, fmt.Errorf("instance: read instances: %w", err)
	}
	now, ns := time.Now(), namespace()
	c := Census{live: make(map[string]bool, len(rows))}
	for _, r := range rows {
		if now.Sub(r.HeartbeatAt) > timeout {
			continue
		}
		if ns != "" && r.PID > 0 && strings.HasPrefix(r.Boot, ns+"/") && r.Boot != ns+"/"+processStart(r.PID) {
			continue // same boot and PID namespace, and that process is gone
		}
		c.live[r.ID] = true
	}
	return c, nil
}

// Prune deletes the rows of instances whose heartbeat is older than age
// (long gone): nothing they own is left once reconcile has run.
func Prune(ctx context.Context, d *db.DB, age time.Duration) error {
	if err := d.WithContext(ctx).Where("heartbeat_at < ?", time.Now().UTC().Add(-age)).Delete(&Row{}).Error; err != nil {
		return fmt.Errorf("instance: prune: %w", err)
	}
	return nil
}

// bootKey names this process: its kernel boot, PID namespace and start
// time ("<boot id>/<pid namespace>/<start>"; "" where /proc lacks them).
func bootKey() string {
	ns := namespace()
	start := processStart(os.Getpid())
	if ns == "" || start == "" {
		return ""
	}
	return ns + "/" + start
}

// namespace names this kernel boot and PID namespace ("" where unknown).
func namespace() string {
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(boot)) + "/" + ns
}

// processStart is the start time (clock ticks since boot) of process pid,
// "" when no process has that PID.
func processStart(pid int) string {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// Field 22 (starttime); the command name (field 2) may hold spaces and
	// parentheses, so count from the last ')'.
	i := strings.LastIndexByte(string(raw), ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(string(raw[i+1:]))
	if len(f) < 20 {
		return ""
	}
	return f[19]
}
