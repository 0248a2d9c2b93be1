package httpapi_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/jobs"
	"github.com/habeas-org/habeas/internal/testkit"
)

type httpFailArgs struct {
	CaseID string `json:"case_id"`
}

func (httpFailArgs) Kind() string { return "test_http_fail" }

type httpFailWorker struct {
	river.WorkerDefaults[httpFailArgs]
	succeed atomic.Bool
}

func (w *httpFailWorker) Work(context.Context, *river.Job[httpFailArgs]) error {
	if w.succeed.Load() {
		return nil
	}
	return errors.New("smtp: 451 try later " + strings.Repeat("x", 500))
}

type httpBlockArgs struct{}

func (httpBlockArgs) Kind() string { return "test_http_block" }

type httpBlockWorker struct {
	river.WorkerDefaults[httpBlockArgs]
	release chan struct{}
}

func (w *httpBlockWorker) Work(ctx context.Context, _ *river.Job[httpBlockArgs]) error {
	select {
	case <-w.release:
	case <-ctx.Done():
	}
	return nil
}

type jobJSON struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	State  string `json:"state"`
	Errors []struct {
		Attempt int    `json:"attempt"`
		Error   string `json:"error"`
	} `json:"errors"`
}

type jobPage struct {
	Counts     map[string]int `json:"counts"`
	Items      []jobJSON      `json:"items"`
	NextCursor *string        `json:"next_cursor"`
	Total      int            `json:"total"`
}

// The admin job view (issue 26): a failed job is listed first with its
// error cut short and without its arguments; the retry route brings it
// back (audited), refuses a running job (409) and an unknown one (404);
// bad parameters are 400 naming the field.
func TestAdminJobView(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		// No notification scan: its periodic job (run on start) would add a
		// completed job of its own to the counts this test checks.
		s := testkit.NewServer(t, d, func(c *config.Config) { c.JobsPollInterval = 100 * time.Millisecond; c.NotifyScanInterval = 0 })
		ctx := context.Background()
		q := s.App.Jobs
		fail := &httpFailWorker{}
		block := &httpBlockWorker{release: make(chan struct{})}
		if err := jobs.AddWorker(q, fail); err != nil {
			t.Fatal(err)
		}
		if err := jobs.AddWorker(q, block); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		admin, _ := testkit.UserToken(t, s, actor.Admin)
		coordinator, _ := testkit.UserToken(t, s, actor.Coordinator)
		const secret = "0190c1d2-aaaa-7000-8000-00000000cafe"
		id, err := q.Insert(ctx, httpFailArgs{CaseID: secret}, &river.InsertOpts{MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		waitUntil(t, "the job to be discarded", func() bool {
			j, err := q.Get(ctx, id)
			return err == nil && j.State == "discarded"
		})
		list := func(query, token string) (int, jobPage, string) {
			r := s.Do(testkit.Request{Method: "GET", Path: "/api/v1/admin/jobs" + query, Token: token})
			var p jobPage
			if r.StatusCode == 200 {
				r.JSON(t, &p)
			}
			return r.StatusCode, p, string(r.Body)
		}

		t.Run("listed first, error truncated, args never shown", func(t *testing.T) {
			code, p, body := list("", admin)
			if code != 200 {
				t.Fatalf("GET: %d %s", code, body)
			}
			if p.Counts["discarded"] != 1 || len(p.Items) == 0 || p.Items[0].Kind != "test_http_fail" || p.Items[0].State != "discarded" {
				t.Fatalf("page: %s", body)
			}
			if e := p.Items[0].Errors; len(e) != 1 || !strings.HasPrefix(e[0].Error, "smtp: 451") || len(e[0].Error) > 300 {
				t.Fatalf("errors: %+v", e)
			}
			if strings.Contains(body, secret) || strings.Contains(body, "case_id") {
				t.Fatal("the job view shows the job's arguments")
			}
			if code, _, _ := list("", coordinator); code != 403 {
				t.Fatalf("coordinator: %d, want 403", code)
			}
		})

		t.Run("bad parameters", func(t *testing.T) {
			for _, c := range []struct{ query, field string }{
				{"?state=lost", "state"}, {"?cursor=1.abc", "cursor"}, {"?limit=101", "limit"},
			} {
				code, _, body := list(c.query, admin)
				if code != 400 || !strings.Contains(body, `"`+c.field+`"`) {
					t.Fatalf("%s: %d %s", c.query, code, body)
				}
			}
			code, p, _ := list("?state=completed&limit=1", admin)
			if code != 200 || len(p.Items) != 0 || p.Total != 0 {
				t.Fatalf("state filter: %d %+v", code, p)
			}
		})

		t.Run("retry", func(t *testing.T) {
			path := "/api/v1/admin/jobs/" + itoa(id) + "/retry"
			if r := s.Do(testkit.Request{Method: "POST", Path: path, Token: coordinator}); r.StatusCode != 403 {
				t.Fatalf("coordinator retry: %d", r.StatusCode)
			}
			for _, bad := range []string{"987654321", "abc", "01"} {
				if r := s.Do(testkit.Request{Method: "POST", Path: "/api/v1/admin/jobs/" + bad + "/retry", Token: admin}); r.StatusCode != 404 {
					t.Fatalf("retry %s: %d %s", bad, r.StatusCode, r.Body)
				}
			}
			fail.succeed.Store(true)
			r := s.Do(testkit.Request{Method: "POST", Path: path, Token: admin})
			if r.StatusCode != 200 {
				t.Fatalf("retry: %d %s", r.StatusCode, r.Body)
			}
			var j jobJSON
			r.JSON(t, &j)
			if j.State != "available" || j.ID != itoa(id) {
				t.Fatalf("retried: %+v", j)
			}
			waitUntil(t, "the retried job to complete", func() bool {
				j, err := q.Get(ctx, id)
				return err == nil && j.State == "completed"
			})
			var n int64
			if err := d.Raw(`SELECT COUNT(*) FROM audit_log WHERE action = 'job.retry' AND object_type = 'job' AND object_id = ?`, itoa(id)).Scan(&n).Error; err != nil || n != 1 {
				t.Fatalf("job.retry audit entries: %d (%v)", n, err)
			}

			running, err := q.Insert(ctx, httpBlockArgs{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			waitUntil(t, "the blocking job to run", func() bool {
				j, err := q.Get(ctx, running)
				return err == nil && j.State == "running"
			})
			r = s.Do(testkit.Request{Method: "POST", Path: "/api/v1/admin/jobs/" + itoa(running) + "/retry", Token: admin})
			close(block.release)
			if r.StatusCode != 409 || !strings.Contains(string(r.Body), "job_running") {
				t.Fatalf("retry of a running job: %d %s", r.StatusCode, r.Body)
			}
		})
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// waitUntil polls cond until it holds or 20 seconds pass.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
