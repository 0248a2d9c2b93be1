package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/logging"
	"github.com/habeas-org/habeas/internal/seed"
)

// progressEvery is how often `habeas seed` reports progress on stderr.
const progressEvery = 3 * time.Second

// runSeed is `habeas seed`: generated data for scale measurements, never
// for a production database. Migrations are applied first (as serve and
// user create do).
func runSeed(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "seed", "Fill the database with generated case records for scale measurements: detainees (names in\n"+
		"Chinese, pinyin, Uyghur and Tibetan forms), cases, lawyers and assignments, timeline events, hearings\n"+
		"and support actions, and optionally bench accounts. The same --seed and flags give the same content.\n"+
		"Migrations are applied first. Refused on a database that already holds detainees unless --append.\n"+
		"Never run it against a production database.")
	o := seed.Defaults
	fs.IntVar(&o.Detainees, "detainees", o.Detainees, "number of detainees")
	fs.Float64Var(&o.CasesPerDetainee, "cases-per-detainee", o.CasesPerDetainee, "cases per detainee (on average; the total is detainees x this, rounded down)")
	fs.IntVar(&o.EventsPerCase, "events-per-case", o.EventsPerCase, "timeline events per case (on average; the total is cases x this)")
	fs.Float64Var(&o.HearingsPerCase, "hearings-per-case", o.HearingsPerCase, "hearings per case (on average)")
	fs.Float64Var(&o.SupportPerCase, "support-per-case", o.SupportPerCase, "support actions per case (on average)")
	fs.IntVar(&o.Lawyers, "lawyers", 0, "number of lawyers (default: one per 20 detainees, at least 10)")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the generator: the same seed and flags give the same content")
	fs.BoolVar(&o.Append, "append", false, "add to a database that already holds detainees (use another --seed for other names)")
	benchUsers := fs.Int("bench-users", 0, "create this many accounts per role (bench-admin-001@habeas.test ...), lawyers linked to lawyers with cases, observers given shares")
	benchPassword := fs.String("bench-password", "", "password of the bench accounts (required with --bench-users)")
	cfg, err := parseConfig(e, fs, args)
	if err != nil {
		return err
	}
	if err := o.Check(); err != nil {
		return &usageError{msg: err.Error()}
	}
	if *benchUsers < 0 || *benchUsers > 999 {
		return &usageError{msg: "--bench-users must be from 0 to 999"}
	}
	if *benchUsers > 0 && *benchPassword == "" {
		return &usageError{msg: "--bench-users needs --bench-password"}
	}
	logger := logging.New(e.stderr, cfg.LogFormat, cfg.LogLevel)
	d, err := app.OpenDB(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	if !o.Append {
		if err := seed.RequireEmpty(ctx, d); err != nil {
			if errors.Is(err, seed.ErrNotEmpty) {
				return &usageError{msg: err.Error()}
			}
			return err
		}
	}
	log := audit.NewLog(d)
	var emails []string
	if *benchUsers > 0 {
		svc, err := app.NewAuth(cfg, d, log, auth.Params{})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "seed: creating %d bench accounts per role\n", *benchUsers)
		for _, role := range []actor.Role{actor.Admin, actor.Coordinator, actor.Lawyer, actor.Observer} {
			for i := 1; i <= *benchUsers; i++ {
				email := fmt.Sprintf("bench-%s-%03d@habeas.test", role, i)
				v, _, err := svc.CreateUserAsSystem(ctx, auth.CreateUserInput{Email: email, Name: fmt.Sprintf("Bench %s %03d", role, i),
					Role: role, Password: *benchPassword}, "user.create")
				if err != nil {
					var ae *apperr.Error
					if errors.As(err, &ae) && (errors.Is(err, apperr.ErrInvalid) || errors.Is(err, apperr.ErrConflict)) {
						return &usageError{msg: fmt.Sprintf("bench account %s: %s %v", email, ae.Message, ae.Fields)}
					}
					return err
				}
				switch role {
				case actor.Lawyer:
					o.LawyerUserIDs = append(o.LawyerUserIDs, v.ID)
				case actor.Observer:
					o.ObserverUserIDs = append(o.ObserverUserIDs, v.ID)
				}
				emails = append(emails, email)
			}
		}
	}
	p := &progress{w: e.stderr, start: time.Now(), last: time.Now()}
	o.Progress = p.report
	res, err := seed.Run(ctx, d, log, o)
	if err != nil {
		if errors.Is(err, seed.ErrNotEmpty) {
			return &usageError{msg: err.Error()}
		}
		return fmt.Errorf("%w (the rows written so far stay: start again on an empty database)", err)
	}
	if err := indexDeadlines(ctx, d, log, e.stderr); err != nil {
		return err
	}
	// The seeder indexed every record's names as it wrote them (into an
	// empty database): say so, or the first start-up indexes them again.
	if err := cases.MarkSearchIndexCurrent(ctx, d); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	summary(e.stdout, res, emails)
	return nil
}

// indexDeadlines computes the time-limit index of the seeded cases (the
// triggers marked them all), so a server started on the database answers
// the dashboard at once instead of computing it in the background.
func indexDeadlines(ctx context.Context, d *db.DB, log *audit.Log, w io.Writer) error {
	svc := deadlines.NewService(d, app.TimelineEvents{}, log)
	start := time.Now()
	n, err := svc.RefreshAll(ctx, progressEvery, func(done, left int) {
		fmt.Fprintf(w, "seed: time-limit index: %d cases evaluated, about %d left\n", done, left)
	})
	if err != nil {
		return fmt.Errorf("seed: time-limit index: %w", err)
	}
	fmt.Fprintf(w, "seed: time-limit index of %d cases computed in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

// progress prints the rows written so far, at most every progressEvery.
type progress struct {
	mu          sync.Mutex
	w           io.Writer
	start, last time.Time
}

func (p *progress) report(c seed.Counts) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < progressEvery {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	fmt.Fprintf(p.w, "seed: %s elapsed, %d rows (%.0f rows/s): detainees %d, cases %d, events %d, hearings %d, support actions %d\n",
		el.Round(time.Second), c.Total(), float64(c.Total())/el.Seconds(), c["detainees"], c["cases"], c["case_events"],
		c["hearings"], c["support_actions"])
}

func summary(w io.Writer, res seed.Result, emails []string) {
	fmt.Fprintln(w, "Generated data written (rows per table):")
	for _, t := range seed.Tables {
		fmt.Fprintf(w, "seed: %-22s %10d\n", t, res.Counts[t])
	}
	secs := res.Elapsed.Seconds()
	fmt.Fprintf(w, "seed: %-22s %10d rows in %s (%.0f rows/s)\n", "total", res.Counts.Total(), res.Elapsed.Round(time.Millisecond),
		float64(res.Counts.Total())/max(secs, 1e-9))
	if len(emails) == 0 {
		return
	}
	sort.Strings(emails)
	fmt.Fprintf(w, "Bench accounts (%d, password as given; admins and coordinators need TOTP unless the server runs with\n"+
		"HABEAS_MFA_REQUIRED_ROLES= ):\n  %s\n", len(emails), strings.Join(emails, "\n  "))
}
