package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/jobs"
)

// jobsHandlers serve the admin view of the background job queue (issue 26,
// docs/jobs.md): counts by state, a page of jobs, retry. Never a job's args.
type jobsHandlers struct {
	queue *jobs.Queue
	rec   audit.Recorder
}

const (
	jobsDefaultLimit = 50
	jobsMaxLimit     = 100
)

var (
	errJobNotFound = apperr.NotFound("job")
	errJobRunning  = apperr.New(apperr.ErrConflict, "job_running", "the job is running; retry it when it has failed")
)

type jobErrorJSON struct {
	At      time.Time `json:"at"`
	Attempt int       `json:"attempt"`
	Error   string    `json:"error"`
}

type jobJSON struct {
	ID          string         `json:"id"`
	Kind        string         `json:"kind"`
	State       string         `json:"state"`
	Queue       string         `json:"queue"`
	Attempt     int            `json:"attempt"`
	MaxAttempts int            `json:"max_attempts"`
	Errors      []jobErrorJSON `json:"errors"`
	ScheduledAt time.Time      `json:"scheduled_at"`
	CreatedAt   time.Time      `json:"created_at"`
	FinalizedAt *time.Time     `json:"finalized_at"`
}

func toJobJSON(j jobs.Job) jobJSON {
	out := jobJSON{
		ID: strconv.FormatInt(j.ID, 10), Kind: j.Kind, State: j.State, Queue: j.Queue, Attempt: j.Attempt,
		MaxAttempts: j.MaxAttempts, Errors: make([]jobErrorJSON, len(j.Errors)), ScheduledAt: j.ScheduledAt,
		CreatedAt: j.CreatedAt, FinalizedAt: j.FinalizedAt,
	}
	for i, e := range j.Errors {
		out.Errors[i] = jobErrorJSON{At: e.At, Attempt: e.Attempt, Error: e.Error}
	}
	return out
}

// mayAdminister refuses (403) a caller who may not administer jobs; the
// admin route group already did, this keeps the decision in internal/access.
func mayAdminister(c *gin.Context) bool {
	if !access.MayAdministerJobs(principal(c)) {
		Fail(c, errRole)
		return false
	}
	return true
}

// list answers GET /api/v1/admin/jobs: counts by state and a page of jobs,
// failures first, newest first.
func (h *jobsHandlers) list(c *gin.Context) {
	if !mayAdminister(c) {
		return
	}
	p := jobs.ListParams{State: c.Query("state"), Cursor: c.Query("cursor"), Limit: jobsDefaultLimit}
	if p.State != "" && !jobs.ValidState(p.State) {
		Fail(c, apperr.FieldWithCode("state", apperr.FieldUnknownValue,
			"must be one of available, scheduled, running, retryable, completed, discarded, cancelled, pending"))
		return
	}
	if len(p.Cursor) > 40 {
		Fail(c, apperr.Field("cursor", "not a cursor from a previous page"))
		return
	}
	if n, ok := queryLimit(c, jobsMaxLimit); !ok {
		return
	} else if n > 0 {
		p.Limit = n
	}
	page, err := h.queue.List(c.Request.Context(), p)
	if errors.Is(err, jobs.ErrBadCursor) {
		Fail(c, apperr.Field("cursor", "not a cursor from a previous page"))
		return
	}
	if err != nil {
		Fail(c, err)
		return
	}
	items := make([]jobJSON, len(page.Items))
	for i, j := range page.Items {
		items[i] = toJobJSON(j)
	}
	var next *string
	if page.NextCursor != "" {
		next = &page.NextCursor
	}
	c.JSON(http.StatusOK, gin.H{"counts": page.Counts, "items": items, "next_cursor": next, "total": page.Total, "total_capped": false})
}

// retry answers POST /api/v1/admin/jobs/{id}/retry: the job is available
// again now, audited as job.retry.
func (h *jobsHandlers) retry(c *gin.Context) {
	if !mayAdminister(c) {
		return
	}
	raw := c.Param("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != raw {
		Fail(c, errJobNotFound)
		return
	}
	ctx := c.Request.Context()
	p := principal(c)
	j, err := h.queue.Retry(ctx, id, func(tx *gorm.DB, j jobs.Job) error {
		return h.rec.Record(actor.WithPrincipal(ctx, p), tx, audit.Entry{
			Action: "job.retry", ObjectType: "job", ObjectID: strconv.FormatInt(j.ID, 10),
			Details: map[string]any{"kind": j.Kind}, ActorID: p.UserID, ActorRole: string(p.Role),
		})
	})
	switch {
	case errors.Is(err, jobs.ErrNotFound):
		Fail(c, errJobNotFound)
	case errors.Is(err, jobs.ErrRunning):
		Fail(c, errJobRunning)
	case err != nil:
		Fail(c, err)
	default:
		c.JSON(http.StatusOK, toJobJSON(j))
	}
}
