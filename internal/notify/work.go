package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/jobs"
)

// ScanArgs is the periodic scan job (one replica at a time: river's leader
// enqueues it; unique while one waits or runs).
type ScanArgs struct{}

// Kind names the job kind.
func (ScanArgs) Kind() string { return "notify_scan" }

// DeliverArgs is the delivery job of one outbox row. It holds the row's id
// only: never an address, a name or a text.
type DeliverArgs struct {
	OutboxID string `json:"outbox_id"`
}

// Kind names the job kind.
func (DeliverArgs) Kind() string { return "notify_deliver" }

// deliverAttempts bounds the retries of a delivery (with the queue's
// backoff, about a day and a half).
const deliverAttempts = 12

type scanWorker struct {
	river.WorkerDefaults[ScanArgs]
	s *Service
}

func (w *scanWorker) Work(ctx context.Context, _ *river.Job[ScanArgs]) error {
	if _, err := w.s.Scan(ctx); err != nil {
		return err
	}
	if _, err := w.s.Digests(ctx); err != nil {
		return err
	}
	return nil
}

// Timeout bounds one scan.
func (w *scanWorker) Timeout(*river.Job[ScanArgs]) time.Duration { return 5 * time.Minute }

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	s *Service
}

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	later, err := w.s.Deliver(ctx, job.Args.OutboxID)
	switch {
	case errors.Is(err, ErrPermanent):
		return river.JobCancel(err) // recorded failed; a retry cannot mend it
	case err != nil && job.Attempt >= job.MaxAttempts:
		if gerr := w.s.giveUp(ctx, job.Args.OutboxID, err); gerr != nil {
			return errors.Join(err, gerr)
		}
		return err
	case err != nil:
		return err
	case !later.IsZero():
		return river.JobSnooze(max(time.Until(later), time.Second)) // quiet hours
	}
	return nil
}

// Timeout bounds one delivery (the SMTP and webhook clients have their own
// shorter timeouts).
func (w *deliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return 2 * time.Minute }

// queueEnqueuer inserts delivery jobs on the job queue.
type queueEnqueuer struct{ q *jobs.Queue }

func (e queueEnqueuer) EnqueueDelivery(ctx context.Context, tx *gorm.DB, outboxID string, at time.Time) error {
	_, err := e.q.InsertTx(ctx, tx, DeliverArgs{OutboxID: outboxID}, &river.InsertOpts{ScheduledAt: at, MaxAttempts: deliverAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true}})
	return err
}

// Register puts the notification jobs on q: the delivery worker, and the
// scanner every interval (none when interval is 0) once the queue runs.
// Deliveries go through q from then on.
func (s *Service) Register(q *jobs.Queue, interval time.Duration) error {
	if err := jobs.AddWorker(q, &deliverWorker{s: s}); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if err := jobs.AddWorker(q, &scanWorker{s: s}); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	s.queue = queueEnqueuer{q}
	if interval > 0 {
		q.AddPeriodic(river.NewPeriodicJob(river.PeriodicInterval(interval), func() (river.JobArgs, *river.InsertOpts) {
			return ScanArgs{}, &river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
				rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable,
				rivertype.JobStateScheduled}}}
		}, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	return nil
}
