package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/jobs"
	"github.com/habeas-org/habeas/internal/metrics"
	"github.com/habeas-org/habeas/internal/testkit"
)

// After goose has run, river's own migrator must find nothing to apply: a
// river upgrade that brings a new schema version without a new goose
// migration fails here (Habeas never lets river migrate by itself).
func TestRiverSchemaIsCurrent(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var res *rivermigrate.ValidateResult
		var all, existing []rivermigrate.Migration
		var err error
		if d.Dialect == db.SQLite {
			m, merr := rivermigrate.New(riversqlite.New(d.SQL()), nil)
			if merr != nil {
				t.Fatal(merr)
			}
			res, err = m.Validate(ctx, nil)
			all = m.AllVersions()
			if err == nil {
				existing, err = m.ExistingVersions(ctx)
			}
		} else {
			m, merr := rivermigrate.New(riverdatabasesql.New(d.SQL()), nil)
			if merr != nil {
				t.Fatal(merr)
			}
			res, err = m.Validate(ctx, nil)
			all = m.AllVersions()
			if err == nil {
				existing, err = m.ExistingVersions(ctx)
			}
		}
		if err != nil {
			t.Fatalf("river migrator: %v", err)
		}
		if !res.OK {
			t.Fatalf("river reports its schema is not current after goose (add a goose migration with river's new migration files): %v", res.Messages)
		}
		if len(existing) != len(all) {
			t.Fatalf("river_migration holds %d versions, river %s has %d", len(existing), "v0.51.2", len(all))
		}
	})
}

type recordArgs struct {
	N int `json:"n"`
}

func (recordArgs) Kind() string { return "test_record" }

// recordWorker writes the job's id into test_job_runs, whose primary key
// makes a second run of the same job fail.
type recordWorker struct {
	river.WorkerDefaults[recordArgs]
	d    *db.DB
	name string
}

func (w *recordWorker) Work(ctx context.Context, job *river.Job[recordArgs]) error {
	return w.d.WithContext(ctx).Exec(`INSERT INTO test_job_runs (job_id, worker) VALUES (?, ?)`, job.ID, w.name).Error
}

func createRuns(t *testing.T, d *db.DB) {
	t.Helper()
	if err := d.Exec(`CREATE TABLE test_job_runs (job_id BIGINT PRIMARY KEY, worker TEXT NOT NULL)`).Error; err != nil {
		t.Fatal(err)
	}
}

func runs(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var n int64
	if err := d.Raw(`SELECT COUNT(*) FROM test_job_runs`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func testConfig() jobs.Config {
	return jobs.Config{
		Workers: 4, PollInterval: 50 * time.Millisecond, StopTimeout: 5 * time.Second,
		RetryBase: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond, MaxAttempts: 3,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func newQueue(t *testing.T, d *db.DB, cfg jobs.Config) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(context.Background(), d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	return q
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func jobState(t *testing.T, q *jobs.Queue, id int64) jobs.Job {
	t.Helper()
	j, err := q.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestQueue(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		createRuns(t, d)

		t.Run("inserted in a transaction, worked once; rolled back, never", func(t *testing.T) {
			q := newQueue(t, d, testConfig())
			if err := jobs.AddWorker(q, &recordWorker{d: d, name: "a"}); err != nil {
				t.Fatal(err)
			}
			var id int64
			if err := d.WithTx(ctx, func(tx *gorm.DB) error {
				var err error
				id, err = q.InsertTx(ctx, tx, recordArgs{N: 1}, nil)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			rolledBack := errors.New("roll back")
			var lostID int64
			if err := d.WithTx(ctx, func(tx *gorm.DB) error {
				var err error
				if lostID, err = q.InsertTx(ctx, tx, recordArgs{N: 2}, nil); err != nil {
					return err
				}
				return rolledBack
			}); !errors.Is(err, rolledBack) {
				t.Fatal(err)
			}
			if _, err := q.Get(ctx, lostID); !errors.Is(err, jobs.ErrNotFound) {
				t.Fatalf("job of a rolled-back transaction: %v", err)
			}
			if _, err := q.InsertTx(ctx, d.DB, recordArgs{}, nil); err == nil {
				t.Fatal("InsertTx outside a transaction succeeded")
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the job to complete", func() bool { return jobState(t, q, id).State == "completed" })
			if n := runs(t, d); n != 1 {
				t.Fatalf("runs = %d, want 1", n)
			}
			if j := jobState(t, q, id); j.Attempt != 1 || len(j.Errors) != 0 {
				t.Fatalf("job = %+v, want one attempt without error", j)
			}
			waitFor(t, "the completed counter", func() bool {
				return testutil.ToFloat64(metrics.JobsCompleted.WithLabelValues("test_record")) >= 1
			})
			q.RegisterMetrics()
			if got := depth(t, "completed"); got < 1 {
				t.Fatalf("habeas_jobs{state=completed} = %v, want at least 1", got)
			}
			if err := q.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("a job left by a stopped queue is worked by the next", func(t *testing.T) {
			first := newQueue(t, d, testConfig())
			if err := jobs.AddWorker(first, &recordWorker{d: d, name: "first"}); err != nil {
				t.Fatal(err)
			}
			id, err := first.Insert(ctx, recordArgs{N: 3}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := first.Stop(ctx); err != nil { // never started: as after a crash before the work
				t.Fatal(err)
			}
			next := newQueue(t, d, testConfig())
			if err := jobs.AddWorker(next, &recordWorker{d: d, name: "next"}); err != nil {
				t.Fatal(err)
			}
			if err := next.Start(ctx); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the next queue to work the job", func() bool { return jobState(t, next, id).State == "completed" })
			var worker string
			if err := d.Raw(`SELECT worker FROM test_job_runs WHERE job_id = ?`, id).Scan(&worker).Error; err != nil || worker != "next" {
				t.Fatalf("worked by %q (%v), want next", worker, err)
			}
			if err := next.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("two queues on one database work each job exactly once", func(t *testing.T) {
			const n = 30
			var qs []*jobs.Queue
			for _, name := range []string{"r1", "r2"} {
				q := newQueue(t, d, testConfig())
				if err := jobs.AddWorker(q, &recordWorker{d: d, name: name}); err != nil {
					t.Fatal(err)
				}
				qs = append(qs, q)
			}
			before := runs(t, d)
			ids := make([]int64, 0, n)
			for i := range n {
				id, err := qs[i%2].Insert(ctx, recordArgs{N: 100 + i}, nil)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			for _, q := range qs {
				if err := q.Start(ctx); err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, "every job to complete", func() bool {
				c, err := qs[0].Counts(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return c["available"] == 0 && c["running"] == 0 && c["retryable"] == 0
			})
			if got := runs(t, d) - before; got != n {
				t.Fatalf("runs = %d, want %d", got, n)
			}
			for _, id := range ids {
				if j := jobState(t, qs[0], id); j.State != "completed" || j.Attempt != 1 {
					t.Fatalf("job %d: %+v, want completed at the first attempt (a second run fails on the unique key)", id, j)
				}
			}
			for _, q := range qs {
				if err := q.Stop(ctx); err != nil {
					t.Fatal(err)
				}
			}
		})

		t.Run("a periodic job fires", func(t *testing.T) {
			q := newQueue(t, d, testConfig())
			if err := jobs.AddWorker(q, &recordWorker{d: d, name: "periodic"}); err != nil {
				t.Fatal(err)
			}
			q.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return recordArgs{N: 7}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}))
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the periodic job to run", func() bool {
				var n int64
				if err := d.Raw(`SELECT COUNT(*) FROM test_job_runs WHERE worker = 'periodic'`).Scan(&n).Error; err != nil {
					t.Fatal(err)
				}
				return n >= 1
			})
			if err := q.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("a failing job is retried with backoff, discarded, listed, and retried by hand", func(t *testing.T) {
			q := newQueue(t, d, testConfig())
			w := &failWorker{}
			if err := jobs.AddWorker(q, w); err != nil {
				t.Fatal(err)
			}
			id, err := q.Insert(ctx, failArgs{Secret: "never shown"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the job to be discarded", func() bool { return jobState(t, q, id).State == "discarded" })
			j := jobState(t, q, id)
			if j.Attempt != 3 || w.calls.Load() != 3 || len(j.Errors) != 3 {
				t.Fatalf("job = %+v after %d calls, want 3 attempts with 3 errors", j, w.calls.Load())
			}
			// Newest first; each attempt waited at least the backoff after the previous.
			if j.Errors[0].Attempt != 3 || j.Errors[2].Attempt != 1 {
				t.Fatalf("errors not newest first: %+v", j.Errors)
			}
			if gap := j.Errors[1].At.Sub(j.Errors[2].At); gap < 15*time.Millisecond {
				t.Fatalf("second attempt %s after the first, want the backoff (20ms ±10%%) at least", gap)
			}
			if e := j.Errors[0].Error; len(e) > 300 || !strings.HasPrefix(e, "boom") || !strings.HasSuffix(e, "…") {
				t.Fatalf("error not truncated: %d bytes %q", len(e), e)
			}
			page, err := q.List(ctx, jobs.ListParams{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 1 || page.Items[0].ID != id || page.Counts["discarded"] != 1 || page.NextCursor == "" {
				t.Fatalf("admin view: %+v, want the discarded job first and a next page", page)
			}
			if fmt.Sprintf("%+v", page) == "" || strings.Contains(fmt.Sprintf("%+v", page), "never shown") {
				t.Fatal("the admin view shows the job's args")
			}
			next, err := q.List(ctx, jobs.ListParams{Cursor: page.NextCursor, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range next.Items {
				if it.ID == id {
					t.Fatal("the next page repeats the first")
				}
			}
			if len(next.Items)+1 != int(page.Total) {
				t.Fatalf("pages hold %d jobs, total %d", len(next.Items)+1, page.Total)
			}
			only, err := q.List(ctx, jobs.ListParams{State: "completed", Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range only.Items {
				if it.State != "completed" {
					t.Fatalf("state filter let %s through", it.State)
				}
			}
			if _, err := q.List(ctx, jobs.ListParams{Cursor: "1.x'--"}); !errors.Is(err, jobs.ErrBadCursor) {
				t.Fatalf("bad cursor: %v", err)
			}
			if testutil.ToFloat64(metrics.JobsFailed.WithLabelValues("test_fail")) < 2 {
				t.Fatal("failed attempts not counted")
			}
			waitFor(t, "the discarded counter", func() bool {
				return testutil.ToFloat64(metrics.JobsDiscarded.WithLabelValues("test_fail")) >= 1
			})
			w.succeed.Store(true)
			r, err := q.Retry(ctx, id, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.State != "available" {
				t.Fatalf("retried job state %s", r.State)
			}
			waitFor(t, "the retried job to complete", func() bool { return jobState(t, q, id).State == "completed" })
			if _, err := q.Retry(ctx, 987654321, nil); !errors.Is(err, jobs.ErrNotFound) {
				t.Fatalf("retry of an unknown job: %v", err)
			}
			if err := q.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// depth reads habeas_jobs{state} from the registry, as a scrape would.
func depth(t *testing.T, state string) float64 {
	t.Helper()
	mfs, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "habeas_jobs" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "state" && l.GetValue() == state {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("habeas_jobs{state=%q} not exported", state)
	return 0
}

type failArgs struct {
	Secret string `json:"secret"`
}

func (failArgs) Kind() string { return "test_fail" }

type failWorker struct {
	river.WorkerDefaults[failArgs]
	calls   atomic.Int32
	succeed atomic.Bool
}

func (w *failWorker) Work(ctx context.Context, job *river.Job[failArgs]) error {
	w.calls.Add(1)
	if w.succeed.Load() {
		return nil
	}
	return errors.New("boom " + strings.Repeat("x", 1000))
}
