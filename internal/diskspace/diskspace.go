// Package diskspace watches the free space of the directories Habeas writes
// to (data directory, SQLite database, local evidence objects): /readyz
// answers not ready and writes are refused (507 insufficient_storage) below
// a threshold (HABEAS_MIN_FREE_SPACE), metrics expose the free bytes, and
// after a full-disk episode on the SQLite database a recovery step (a WAL
// checkpoint) runs once space is back. It also recognises the raw errors of
// a full disk (IsFull, Classify).
package diskspace

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"
)

// Path is one directory whose free space is watched.
type Path struct {
	// Name labels the path in /readyz details and metrics ("data",
	// "database", "objects"): never the directory itself.
	Name string
	// Dir is the directory; its filesystem is what counts.
	Dir string
	// Records: every write needs room here (the SQLite database).
	Records bool
	// Uploads: evidence uploads need room here (the SQLite database and the
	// local object directory).
	Uploads bool
}

// Monitor checks the free space of its paths against a threshold. Its
// methods are safe for concurrent use; a nil *Monitor checks nothing.
type Monitor struct {
	min     int64
	paths   []Path
	log     *slog.Logger
	recover func(ctx context.Context) error
	episode atomic.Bool // a records path ran out of space; recover has not succeeded since
	running atomic.Bool // a recover call is under way
}

// NewMonitor watches paths against min free bytes (0: nothing is ever
// below the threshold). recover, when not nil, runs (in the background,
// logged) once every Records path is above the threshold again after a
// full-disk episode on one of them: running short of the threshold or a
// write failing for lack of space (NoteFull). It is retried at the next
// check until it succeeds.
func NewMonitor(min int64, paths []Path, logger *slog.Logger, recover func(ctx context.Context) error) *Monitor {
	if logger == nil {
		logger = slog.Default()
	}
	return &Monitor{min: min, paths: paths, log: logger, recover: recover}
}

// Min is the threshold in bytes.
func (m *Monitor) Min() int64 { return m.min }

// Sample calls fn with the free bytes of every path whose free space can
// be read (metrics use it at scrape time).
func (m *Monitor) Sample(fn func(name string, free int64)) {
	if m == nil {
		return
	}
	for _, s := range m.sample() {
		if s.err == nil {
			fn(s.Name, s.free)
		}
	}
}

type sample struct {
	Path
	free int64
	err  error
}

func (s sample) low(min int64) bool { return s.err == nil && s.free < min }

// sample reads every path once and keeps the episode state: a records path
// below the threshold starts an episode; every records path above it (and
// not completely full) ends it through recover.
func (m *Monitor) sample() []sample {
	out := make([]sample, len(m.paths))
	back := true
	for i, p := range m.paths {
		free, err := Free(p.Dir)
		out[i] = sample{Path: p, free: free, err: err}
		if !p.Records {
			continue
		}
		if out[i].low(m.min) {
			m.episode.Store(true)
		}
		if err != nil || free < m.min || free == 0 {
			back = false
		}
	}
	if back && m.episode.Load() && m.recover != nil {
		m.startRecover()
	}
	return out
}

// NoteFull records that a write failed for lack of space (the threshold
// may be 0, or the disk filled between two checks): recover runs once the
// space is back.
func (m *Monitor) NoteFull() {
	if m != nil {
		m.episode.Store(true)
	}
}

func (m *Monitor) startRecover() {
	if !m.running.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer m.running.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := m.recover(ctx); err != nil {
			m.log.Warn("recovering from a full disk failed; retried at the next check", "error", err.Error())
			return
		}
		m.episode.Store(false)
	}()
}

// Check is the readiness check: an error naming every path below the
// threshold with its free bytes. A path whose free space cannot be read
// (off Linux) does not fail it.
func (m *Monitor) Check(context.Context) error {
	if m == nil {
		return nil
	}
	var low []string
	for _, s := range m.sample() {
		if s.low(m.min) {
			low = append(low, fmt.Sprintf("%s has %s free", s.Name, Human(s.free)))
		}
	}
	if len(low) == 0 {
		return nil
	}
	return fmt.Errorf("%s, below HABEAS_MIN_FREE_SPACE (%s)", strings.Join(low, ", "), Human(m.min))
}

// CheckWrite refuses a write up front (ErrFull, 507) when a path it needs
// is below the threshold: every write needs the Records paths, an evidence
// upload (upload true) also the Uploads paths.
func (m *Monitor) CheckWrite(upload bool) error {
	if m == nil || m.min <= 0 {
		return nil
	}
	for _, s := range m.sample() {
		if (s.Records || (upload && s.Uploads)) && s.low(m.min) {
			return ErrFull()
		}
	}
	return nil
}

// Run checks the paths every interval until ctx ends, so that recovery
// after a full disk happens even when no request or probe arrives.
func (m *Monitor) Run(ctx context.Context, every time.Duration) {
	if m == nil || every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.sample()
		}
	}
}

// Human writes n bytes with a binary unit (KiB, MiB, GiB), one decimal.
func Human(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for q := n / unit; q >= unit && exp < 3; q /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGT"[exp])
}
