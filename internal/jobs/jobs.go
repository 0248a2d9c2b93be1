// Package jobs runs Habeas's background jobs on a durable queue: river
// (github.com/riverqueue/river) over the application's own database, SQLite
// or PostgreSQL (docs/jobs.md).
//
// A job inserted is a row in river_job: inserted inside the transaction that
// decides it (InsertTx), it exists exactly when that transaction commits, and
// it survives a crash or a restart until some replica works it. Every replica
// runs a Queue; river locks each job for one worker at a time, so a job is
// worked by one replica, and periodic jobs are enqueued by the elected
// leader only. Habeas polls for jobs (no LISTEN/NOTIFY): the delay between an
// insert and its work is at most the poll interval.
//
// The schema is Habeas's own goose migration 0029 (river never migrates by
// itself); TestRiverSchemaIsCurrent fails when river is upgraded without a
// new one.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/db"
)

// Defaults of Config.
const (
	DefaultWorkers            = 4
	DefaultPollInterval       = time.Second
	DefaultStopTimeout        = 10 * time.Second
	DefaultMaxAttempts        = 10
	DefaultRetryBase          = 15 * time.Second
	DefaultRetryMax           = time.Hour
	DefaultCompletedRetention = 24 * time.Hour
	DefaultDiscardedRetention = 7 * 24 * time.Hour
)

// Config sets up a Queue. Zero fields take the defaults above.
type Config struct {
	// Workers is how many jobs one replica works at once
	// (HABEAS_JOBS_WORKERS).
	Workers int
	// PollInterval is how often the queue looks for available jobs
	// (HABEAS_JOBS_POLL_INTERVAL): the longest wait between an insert and
	// its work when the queue is idle.
	PollInterval time.Duration
	// StopTimeout bounds Stop: jobs still running then are cancelled (their
	// context ends) and retried later.
	StopTimeout time.Duration
	// MaxAttempts is how many times a job is tried before it is discarded
	// (a job's InsertOpts.MaxAttempts wins).
	MaxAttempts int
	// RetryBase and RetryMax shape the backoff between attempts: RetryBase
	// after the first failure, doubling each time, at most RetryMax, with
	// ±10% jitter (see RetryPolicy).
	RetryBase time.Duration
	RetryMax  time.Duration
	// CompletedRetention is how long a completed (or cancelled) job is kept
	// before river deletes it; DiscardedRetention the same for a discarded
	// one (it stays in the admin view that long).
	CompletedRetention time.Duration
	DiscardedRetention time.Duration
	// Logger receives river's logs (warnings and errors only).
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.StopTimeout <= 0 {
		c.StopTimeout = DefaultStopTimeout
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.RetryBase <= 0 {
		c.RetryBase = DefaultRetryBase
	}
	if c.RetryMax <= 0 {
		c.RetryMax = DefaultRetryMax
	}
	if c.CompletedRetention <= 0 {
		c.CompletedRetention = DefaultCompletedRetention
	}
	if c.DiscardedRetention <= 0 {
		c.DiscardedRetention = DefaultDiscardedRetention
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// RetryPolicy is Habeas's bounded exponential backoff: after attempt n
// failed, the next is Base*2^(n-1) later (at most Max), ±10% jitter so that
// jobs failing together do not retry together. With the defaults (15s base,
// 1h cap, 10 attempts) a job is discarded about four hours after its first
// failure, instead of river's default of 25 attempts over three weeks.
type RetryPolicy struct {
	Base, Max time.Duration
}

// NextRetry implements river.ClientRetryPolicy.
func (p RetryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	n := max(1, job.Attempt) // the attempt that just failed: 1 after the first
	d := p.Base
	for i := 1; i < n && d < p.Max; i++ {
		d *= 2
	}
	d = min(d, p.Max)
	jitter := time.Duration((rand.Float64()*0.2 - 0.1) * float64(d))
	return time.Now().UTC().Add(d + jitter)
}

// Queue is the job queue of one replica: a river client over the
// application's database. Register workers and periodic jobs, then Start;
// Insert and InsertTx work before Start too.
type Queue struct {
	client  *river.Client[*sql.Tx]
	workers *river.Workers
	db      *db.DB
	pool    *sql.DB // river's pool: the app's on PostgreSQL, a one-connection pool of its own on SQLite
	ownPool bool
	cfg     Config

	mu       sync.Mutex
	started  bool // Start was called
	running  bool // river's client started
	stopped  bool
	subDone  chan struct{}
	unsubFns []func()
}

// New builds the Queue on d (SQLite or PostgreSQL). On SQLite it opens a
// second pool of one connection on the same file, as river's SQLite driver
// wants; on PostgreSQL it shares the application's pool, polling (no
// LISTEN). It does not migrate: goose migration 0029 holds river's schema.
func New(ctx context.Context, d *db.DB, cfg Config) (*Queue, error) {
	cfg = cfg.withDefaults()
	q := &Queue{db: d, cfg: cfg, workers: river.NewWorkers()}
	var driver *riverdatabasesqlOrSQLite
	switch d.Dialect {
	case db.SQLite:
		pool, err := d.OpenSQLiteSingle(ctx)
		if err != nil {
			return nil, fmt.Errorf("job queue: %w", err)
		}
		q.pool, q.ownPool = pool, true
		driver = &riverdatabasesqlOrSQLite{sqlite: riversqlite.New(pool)}
	case db.Postgres:
		q.pool = d.SQL()
		driver = &riverdatabasesqlOrSQLite{pg: riverdatabasesql.New(q.pool)}
	default:
		return nil, fmt.Errorf("job queue: unknown database %q", d.Dialect)
	}
	rc := &river.Config{
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:                     q.workers,
		FetchPollInterval:           cfg.PollInterval,
		FetchCooldown:               min(100*time.Millisecond, cfg.PollInterval),
		PollOnly:                    true,
		MaxAttempts:                 cfg.MaxAttempts,
		RetryPolicy:                 RetryPolicy{Base: cfg.RetryBase, Max: cfg.RetryMax},
		CompletedJobRetentionPeriod: cfg.CompletedRetention,
		CancelledJobRetentionPeriod: cfg.CompletedRetention,
		DiscardedJobRetentionPeriod: cfg.DiscardedRetention,
		Logger:                      riverLogger(cfg.Logger),
		ErrorHandler:                errorHandler{log: cfg.Logger},
	}
	var (
		client *river.Client[*sql.Tx]
		err    error
	)
	if driver.sqlite != nil {
		client, err = river.NewClient(driver.sqlite, rc)
	} else {
		client, err = river.NewClient(driver.pg, rc)
	}
	if err != nil {
		q.closePool()
		return nil, fmt.Errorf("job queue: %w", err)
	}
	q.client = client
	return q, nil
}

type riverdatabasesqlOrSQLite struct {
	sqlite *riversqlite.Driver
	pg     *riverdatabasesql.Driver
}

// riverLogger passes river's warnings and errors on; its info lines (every
// leader election, every maintenance run) would drown the application's.
func riverLogger(l *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{Handler: l.Handler(), min: slog.LevelWarn}).With("component", "jobs")
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelFloor) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFloor{Handler: h.Handler.WithAttrs(a), min: h.min}
}

func (h levelFloor) WithGroup(n string) slog.Handler {
	return levelFloor{Handler: h.Handler.WithGroup(n), min: h.min}
}

// errorHandler logs a failed attempt by kind and id, never the job's args.
type errorHandler struct{ log *slog.Logger }

func (h errorHandler) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	h.log.WarnContext(ctx, "job attempt failed", "job_id", job.ID, "kind", job.Kind, "attempt", job.Attempt,
		"max_attempts", job.MaxAttempts, "error", truncate(err.Error(), maxErrorLen))
	return nil
}

func (h errorHandler) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	h.log.ErrorContext(ctx, "job attempt panicked", "job_id", job.ID, "kind", job.Kind, "attempt", job.Attempt,
		"panic", truncate(fmt.Sprint(panicVal), maxErrorLen))
	return nil
}

// Workers returns the queue's worker bundle: register each job kind's
// worker on it with river.AddWorker (or AddWorker) before Start.
func (q *Queue) Workers() *river.Workers { return q.workers }

// AddWorker registers w for its job kind on q. It fails after Start and
// when the kind is already registered.
func AddWorker[T river.JobArgs](q *Queue, w river.Worker[T]) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return errors.New("job queue: add workers before Start")
	}
	if err := river.AddWorkerSafely(q.workers, w); err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	return nil
}

// AddPeriodic adds a periodic job (river.NewPeriodicJob). Only the elected
// leader among the replicas enqueues it, so it runs once per period across
// all of them. It may be called before or after Start.
func (q *Queue) AddPeriodic(job *river.PeriodicJob) {
	q.client.PeriodicJobs().Add(job)
}

// Insert enqueues a job outside any transaction and returns its id.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// InsertTx enqueues a job inside tx, a gorm transaction (db.WithTx's tx):
// the job exists exactly when tx commits. It returns the job's id.
func (q *Queue) InsertTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return 0, fmt.Errorf("insert %s job: InsertTx needs a gorm transaction, got %T", args.Kind(), tx.Statement.ConnPool)
	}
	res, err := q.client.InsertTx(ctx, sqlTx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// Start starts working jobs, in the background until Stop (ctx ending
// stops nothing: call Stop). With no worker registered there is nothing to
// work: it logs that and returns nil. Starting a started queue does
// nothing; a stopped one cannot start again.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return errors.New("job queue: stopped")
	}
	if q.started {
		return nil
	}
	q.started = true
	events, cancel := q.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	q.unsubFns = append(q.unsubFns, cancel)
	q.subDone = make(chan struct{})
	go countEvents(events, q.subDone)
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		if err.Error() == "at least one Worker must be added to the Workers bundle" {
			q.cfg.Logger.Info("job queue not started: no job kind registered")
			return nil
		}
		return fmt.Errorf("start job queue: %w", err)
	}
	q.running = true
	return nil
}

// Stop stops working jobs: no new job is fetched, running jobs get until
// ctx ends or StopTimeout (whichever comes first) to finish, then are
// cancelled (they will be retried). It then closes the queue's own pool.
// Insert fails after Stop. Stop may be called more than once.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return nil
	}
	q.stopped = true
	var err error
	if q.running {
		sctx, cancel := context.WithTimeout(ctx, q.cfg.StopTimeout)
		err = q.client.Stop(sctx)
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if err2 := q.client.StopAndCancel(hctx); err2 == nil {
				err = nil
			}
			cancel()
		}
	}
	for _, f := range q.unsubFns {
		f()
	}
	if q.subDone != nil {
		<-q.subDone
	}
	q.closePool()
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("stop job queue: %w", err)
	}
	return nil
}

func (q *Queue) closePool() {
	if q.ownPool && q.pool != nil {
		_ = q.pool.Close()
	}
}

// Client is the underlying river client, for what this package does not
// wrap (tests, JobCancel). Prefer the Queue's methods.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }
