// Package seed fills a database with generated, realistic case records for
// scale measurements (`habeas seed`): detainees with Chinese, pinyin,
// Uyghur and Tibetan names, their cases, lawyers and assignments, timeline
// events in the order of the criminal process, hearings and support actions.
// Every row is built by the builders the services use (cases.NewDetainee,
// timeline.NewEvent...), so it is the row the API would have written; rows
// are written with multi-row INSERTs in large transactions while the next
// batch is generated. The same seed and options give the same content (and,
// on an empty database, the same ids). One audit entry records the load.
package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// Options say what to generate.
type Options struct {
	Detainees        int
	CasesPerDetainee float64
	EventsPerCase    int
	HearingsPerCase  float64
	SupportPerCase   float64
	// Lawyers is the number of lawyers; 0 means one per 20 detainees, at least 10.
	Lawyers int
	Seed    uint64
	// Append allows seeding a database that already holds detainees.
	Append bool
	// LawyerUserIDs are linked, in order, to the first lawyers (who get cases).
	LawyerUserIDs []string
	// ObserverUserIDs each get shares of some cases.
	ObserverUserIDs []string
	// Progress, when set, is called with the rows written so far after each transaction.
	Progress func(Counts)
}

// Defaults are the options of `habeas seed` without flags.
var Defaults = Options{Detainees: 1000, CasesPerDetainee: 1.5, EventsPerCase: 10, HearingsPerCase: 1, SupportPerCase: 0.5, Seed: 1}

// Tables are the tables seed writes, in the order they are reported.
var Tables = []string{"detainees", "cases", "case_charges", "lawyers", "assignments", "case_shares", "case_events",
	"case_event_revisions", "hearings", "partners", "support_actions", "support_action_changes"}

// Counts are rows written per table.
type Counts map[string]int64

// Total is the number of rows written.
func (c Counts) Total() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

// ErrNotEmpty is returned when the database already holds detainees and
// Options.Append is not set.
var ErrNotEmpty = errors.New("the database already holds detainees: seed only an empty database (or pass --append)")

// Result is what a run wrote.
type Result struct {
	Counts  Counts
	Elapsed time.Duration
}

// detaineesPerChunk is how many detainees are generated, then written in one transaction.
const detaineesPerChunk = 500

func detainees(ctx context.Context, d *db.DB) (int64, error) {
	var n int64
	if err := d.WithContext(ctx).Table("detainees").Count(&n).Error; err != nil {
		return 0, fmt.Errorf("seed: count detainees: %w", err)
	}
	return n, nil
}

// RequireEmpty returns ErrNotEmpty when the database holds detainees.
func RequireEmpty(ctx context.Context, d *db.DB) error {
	n, err := detainees(ctx, d)
	if err == nil && n > 0 {
		err = ErrNotEmpty
	}
	return err
}

// Check validates the options and fills in the default number of lawyers.
func (o *Options) Check() error {
	switch {
	case o.Detainees < 0, o.CasesPerDetainee < 0, o.EventsPerCase < 0, o.HearingsPerCase < 0, o.SupportPerCase < 0, o.Lawyers < 0:
		return errors.New("counts and rates must not be negative")
	case o.CasesPerDetainee > 20, o.EventsPerCase > 500, o.HearingsPerCase > 20, o.SupportPerCase > 20:
		return errors.New("at most 20 cases per detainee, 500 events, 20 hearings and 20 support actions per case")
	}
	if o.Lawyers == 0 {
		o.Lawyers = max(10, o.Detainees/20)
	}
	return nil
}

// Run generates and writes the data into d and records one audit entry
// ("seed.load", with the options and counts) through rec.
func Run(ctx context.Context, d *db.DB, rec audit.Recorder, o Options) (Result, error) {
	ctx = db.WithoutQueryTimeout(ctx) // seeding is maintenance: its batches are not cut off
	started := time.Now()
	res := Result{Counts: Counts{}}
	if err := o.Check(); err != nil {
		return res, err
	}
	existing, err := detainees(ctx, d)
	if err != nil {
		return res, err
	}
	if existing > 0 && !o.Append {
		return res, ErrNotEmpty
	}
	tables := map[string]*table{}
	for _, m := range []any{&cases.Detainee{}, &cases.Case{}, &cases.Charge{}, &cases.Lawyer{}, &cases.Assignment{}, &cases.Share{},
		&timeline.Event{}, &timeline.Revision{}, &timeline.Hearing{}, &support.Partner{}, &support.Action{}, &support.Change{}} {
		t, err := newTable(d, m)
		if err != nil {
			return res, err
		}
		tables[t.name] = t
	}
	g := &generator{
		o: o,
		r: rand.New(rand.NewPCG(o.Seed, 0x68616265617301)),
		// ids differ between an append and a first load with the same seed
		ids:   idGen{r: rand.New(rand.NewPCG(o.Seed, 0x696473+uint64(existing)))},
		cases: int64(float64(o.Detainees)*o.CasesPerDetainee + 1e-9),
	}
	write := func(batches map[string][]any) error {
		err := d.WithTx(ctx, func(tx *gorm.DB) error {
			for _, name := range writeOrder {
				if rows := batches[name]; len(rows) > 0 {
					if err := tables[name].insert(ctx, tx, rows); err != nil {
						return err
					}
				}
			}
			// The name index, as the services write it (docs/search.md).
			for _, name := range []string{"detainees", "cases", "lawyers"} {
				if err := cases.IndexRecordsTx(tx, batches[name]...); err != nil {
					return fmt.Errorf("seed: %s: %w", name, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for name, rows := range batches {
			res.Counts[name] += int64(len(rows))
		}
		if o.Progress != nil {
			o.Progress(res.Counts)
		}
		return nil
	}
	lawyers, partners, err := g.lawyersAndPartners()
	if err != nil {
		return res, err
	}
	if err := write(map[string][]any{"lawyers": lawyers, "partners": partners}); err != nil {
		return res, err
	}
	// generate the next chunk while the current one is written
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *chunk, 1)
	genErr := make(chan error, 1)
	go func() {
		defer close(chunks)
		for i := int64(0); i < int64(o.Detainees); {
			c := &chunk{}
			for end := min(i+detaineesPerChunk, int64(o.Detainees)); i < end; i++ {
				if err := g.detainee(i, c); err != nil {
					genErr <- err
					return
				}
			}
			select {
			case chunks <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	for c := range chunks {
		if err := write(map[string][]any{"detainees": c.detainees, "cases": c.cases, "case_charges": c.charges,
			"assignments": c.assignments, "case_shares": c.shares, "case_events": c.events, "case_event_revisions": c.revisions,
			"hearings": c.hearings, "support_actions": c.actions, "support_action_changes": c.changes}); err != nil {
			return res, err
		}
	}
	select {
	case err := <-genErr:
		return res, err
	default:
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	counts := map[string]any{}
	for k, v := range res.Counts {
		counts[k] = v
	}
	err = rec.Record(ctx, nil, audit.Entry{Action: "seed.load", ObjectType: "database", ActorID: createdBy, ActorRole: "system",
		Details: map[string]any{"seed": o.Seed, "detainees": o.Detainees, "cases_per_detainee": o.CasesPerDetainee,
			"events_per_case": o.EventsPerCase, "hearings_per_case": o.HearingsPerCase, "support_per_case": o.SupportPerCase,
			"lawyers": o.Lawyers, "append": o.Append, "rows": counts}})
	if err != nil {
		return res, fmt.Errorf("seed: audit: %w", err)
	}
	res.Elapsed = time.Since(started)
	return res, nil
}

// writeOrder is the order of the tables in a transaction: referenced rows first.
var writeOrder = []string{"lawyers", "partners", "detainees", "cases", "case_charges", "assignments", "case_shares",
	"case_events", "case_event_revisions", "hearings", "support_actions", "support_action_changes"}
