package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// RescueOrphans makes the running jobs whose worker process is gone (live
// reports false for the instance id that last took the job) retryable at
// once: a process killed mid-job (SIGKILL, a crash, a lost machine) leaves
// its jobs "running", which river itself rescues only after an hour. The
// killed attempt counts as one attempt. It returns how many it rescued.
// Call it with a fresh census (internal/instance) at start and from time
// to time.
func (q *Queue) RescueOrphans(ctx context.Context, live func(id string) bool) (int, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateRunning).First(1000))
	if err != nil {
		return 0, fmt.Errorf("job queue: list running jobs: %w", err)
	}
	n := 0
	for _, j := range res.Jobs {
		if len(j.AttemptedBy) == 0 || live(j.AttemptedBy[len(j.AttemptedBy)-1]) {
			continue
		}
		// retryable with its past scheduled_at: river's scheduler makes it
		// available on its next run (about a second).
		r := q.db.WithContext(ctx).Exec("UPDATE river_job SET state = 'retryable' WHERE id = ? AND state = 'running'", j.ID)
		if r.Error != nil {
			return n, fmt.Errorf("job queue: rescue job %d: %w", j.ID, r.Error)
		}
		n += int(r.RowsAffected)
	}
	return n, nil
}
