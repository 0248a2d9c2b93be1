package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/metrics"
)

// States are the job states river knows, in the order the admin view lists
// their counts.
var States = []string{"available", "scheduled", "running", "retryable", "completed", "discarded", "cancelled", "pending"}

// maxErrorLen bounds each error message shown or logged (bytes, cut at a
// rune boundary): workers' errors are not meant to carry personal data,
// and a long one must not fill a page or a log line.
const maxErrorLen = 300

// ErrNotFound is returned for a job id that does not exist (or was pruned).
var ErrNotFound = errors.New("job not found")

// ErrRunning is returned when retrying a job that is running.
var ErrRunning = errors.New("job is running")

// ErrBadCursor is returned for a listing cursor this package did not make.
var ErrBadCursor = errors.New("not a job listing cursor")

// Job is what the admin view shows of a job: never its args (what it is
// about), only its kind, state, attempts and the last errors, truncated.
type Job struct {
	ID          int64
	Kind        string
	State       string
	Queue       string
	Attempt     int
	MaxAttempts int
	Errors      []AttemptError
	ScheduledAt time.Time
	CreatedAt   time.Time
	FinalizedAt *time.Time
}

// AttemptError is one failed attempt of a job.
type AttemptError struct {
	At      time.Time
	Attempt int
	Error   string
}

// ListParams selects a page of jobs: one state (empty: all), after the
// cursor of the previous page, at most Limit.
type ListParams struct {
	State  string
	Cursor string
	Limit  int
}

// Page is a page of jobs: failures (retryable, discarded) first, then the
// others, newest first within each; NextCursor is empty on the last page.
// Total is the number of jobs the listing selects.
type Page struct {
	Counts     map[string]int64
	Items      []Job
	NextCursor string
	Total      int64
}

// ValidState reports whether s is a job state.
func ValidState(s string) bool {
	for _, st := range States {
		if s == st {
			return true
		}
	}
	return false
}

// Counts returns the number of jobs in each state (every state present,
// zero when none).
func (q *Queue) Counts(ctx context.Context) (map[string]int64, error) {
	type row struct {
		State string
		N     int64
	}
	var rows []row
	if err := q.db.WithContext(ctx).Raw(`SELECT CAST(state AS TEXT) AS state, COUNT(*) AS n FROM river_job GROUP BY state`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	out := make(map[string]int64, len(States))
	for _, s := range States {
		out[s] = 0
	}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}

const failureExpr = `CASE WHEN state IN ('retryable', 'discarded') THEN 1 ELSE 0 END`

// List returns a page of jobs for the admin view.
func (q *Queue) List(ctx context.Context, p ListParams) (Page, error) {
	if p.State != "" && !ValidState(p.State) {
		return Page{}, fmt.Errorf("list jobs: unknown state %q", p.State)
	}
	limit := min(max(p.Limit, 1), 100)
	counts, err := q.Counts(ctx)
	if err != nil {
		return Page{}, err
	}
	page := Page{Counts: counts}
	if p.State != "" {
		page.Total = counts[p.State]
	} else {
		for _, n := range counts {
			page.Total += n
		}
	}
	var (
		where []string
		args  []any
	)
	if p.State != "" {
		where = append(where, "CAST(state AS TEXT) = ?")
		args = append(args, p.State)
	}
	if p.Cursor != "" {
		f, id, err := parseCursor(p.Cursor)
		if err != nil {
			return Page{}, err
		}
		where = append(where, "("+failureExpr+" < ? OR ("+failureExpr+" = ? AND id < ?))")
		args = append(args, f, f, id)
	}
	sqlText := `SELECT id, ` + failureExpr + ` AS f FROM river_job`
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	sqlText += ` ORDER BY f DESC, id DESC LIMIT ?`
	args = append(args, limit+1)
	type idRow struct {
		ID int64
		F  int
	}
	var ids []idRow
	if err := q.db.WithContext(ctx).Raw(sqlText, args...).Scan(&ids).Error; err != nil {
		return Page{}, fmt.Errorf("list jobs: %w", err)
	}
	if len(ids) > limit {
		last := ids[limit-1]
		page.NextCursor = fmt.Sprintf("%d.%d", last.F, last.ID)
		ids = ids[:limit]
	}
	if len(ids) == 0 {
		page.Items = []Job{}
		return page, nil
	}
	want := make([]int64, len(ids))
	for i, r := range ids {
		want[i] = r.ID
	}
	res, err := q.client.JobList(ctx, river.NewJobListParams().IDs(want...).First(len(want)))
	if err != nil {
		return Page{}, fmt.Errorf("list jobs: %w", err)
	}
	byID := make(map[int64]*rivertype.JobRow, len(res.Jobs))
	for _, j := range res.Jobs {
		byID[j.ID] = j
	}
	page.Items = make([]Job, 0, len(ids))
	for _, r := range ids {
		if j, ok := byID[r.ID]; ok { // a job pruned between the two queries is left out
			page.Items = append(page.Items, view(j))
		}
	}
	return page, nil
}

// parseCursor reads "<0|1>.<id>".
func parseCursor(c string) (int, int64, error) {
	fs, ids, ok := strings.Cut(c, ".")
	if !ok || (fs != "0" && fs != "1") {
		return 0, 0, ErrBadCursor
	}
	id, err := strconv.ParseInt(ids, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != ids {
		return 0, 0, ErrBadCursor
	}
	return int(fs[0] - '0'), id, nil
}

// Get returns one job.
func (q *Queue) Get(ctx context.Context, id int64) (Job, error) {
	j, err := q.client.JobGet(ctx, id)
	if errors.Is(err, rivertype.ErrNotFound) {
		return Job{}, ErrNotFound
	}
	if err != nil {
		return Job{}, fmt.Errorf("get job %d: %w", id, err)
	}
	return view(j), nil
}

// Retry makes a job available again now (a discarded job gets one more
// attempt), in a transaction of the application's database; onRetried,
// when not nil, runs in it too (the audit entry), and its error undoes the
// retry. It fails with ErrNotFound for an unknown job and ErrRunning for a
// running one.
func (q *Queue) Retry(ctx context.Context, id int64, onRetried func(tx *gorm.DB, j Job) error) (Job, error) {
	var out Job
	err := q.db.WithTx(ctx, func(tx *gorm.DB) error {
		sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("retry job %d: not in a transaction", id)
		}
		j, err := q.client.JobGetTx(ctx, sqlTx, id)
		if errors.Is(err, rivertype.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("retry job %d: %w", id, err)
		}
		if j.State == rivertype.JobStateRunning {
			return ErrRunning
		}
		if j, err = q.client.JobRetryTx(ctx, sqlTx, id); err != nil {
			if errors.Is(err, rivertype.ErrNotFound) {
				return ErrNotFound
			}
			return fmt.Errorf("retry job %d: %w", id, err)
		}
		out = view(j)
		if onRetried != nil {
			return onRetried(tx, out)
		}
		return nil
	})
	if err != nil {
		return Job{}, err
	}
	return out, nil
}

// view is the admin view of a river job: no args, no metadata, the last
// three errors truncated, without stack traces.
func view(j *rivertype.JobRow) Job {
	v := Job{
		ID: j.ID, Kind: j.Kind, State: string(j.State), Queue: j.Queue, Attempt: j.Attempt, MaxAttempts: j.MaxAttempts,
		ScheduledAt: j.ScheduledAt.UTC(), CreatedAt: j.CreatedAt.UTC(), Errors: []AttemptError{},
	}
	if j.FinalizedAt != nil {
		t := j.FinalizedAt.UTC()
		v.FinalizedAt = &t
	}
	errs := j.Errors
	if len(errs) > 3 {
		errs = errs[len(errs)-3:]
	}
	for i := len(errs) - 1; i >= 0; i-- { // newest first
		e := errs[i]
		v.Errors = append(v.Errors, AttemptError{At: e.At.UTC(), Attempt: e.Attempt, Error: truncate(e.Error, maxErrorLen)})
	}
	return v
}

// truncate cuts s to at most n bytes at a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// countEvents feeds the job counters from river's events until the
// subscription ends.
func countEvents(events <-chan *river.Event, done chan<- struct{}) {
	defer close(done)
	for ev := range events {
		if ev == nil || ev.Job == nil {
			continue
		}
		switch {
		case ev.Kind == river.EventKindJobCompleted:
			metrics.JobsCompleted.WithLabelValues(ev.Job.Kind).Inc()
		case ev.Job.State == rivertype.JobStateDiscarded || ev.Job.State == rivertype.JobStateCancelled:
			metrics.JobsDiscarded.WithLabelValues(ev.Job.Kind).Inc()
		case ev.Kind == river.EventKindJobFailed:
			metrics.JobsFailed.WithLabelValues(ev.Job.Kind).Inc()
		}
	}
}

// RegisterMetrics makes habeas_jobs (queue depth by state) count this
// queue's jobs at each scrape.
func (q *Queue) RegisterMetrics() {
	metrics.SetJobDepthSource(q.Counts)
}
