package caseexport

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/record"
)

// CSVBatch is how many cases the CSV export reads per query.
const CSVBatch = 500

// CSVColumns are the columns of the case CSV, in order (docs/case-export.md).
var CSVColumns = []string{"id", "reference", "title", "detainee_id", "detainee_name", "status", "stage", "charges",
	"detained_at", "arrest_approved_at", "indicted_at", "trial_at", "verdict_at", "sentence", "release_at",
	"assigned_lawyers", "next_limit_rule", "next_limit_status", "next_limit_due", "created_at", "updated_at"}

// ExportCSV writes the cases p may see that f selects, one row per case in
// id order, as CSV to the writer start returns (called once the request is
// known to be allowed and its audit entry, case.csv_export, is durable).
// No column is confidential. Cells are formula-safe (cases.FormulaSafe).
func (s *Service) ExportCSV(ctx context.Context, p *actor.Principal, f cases.CaseFilter, start func() io.Writer) error {
	if err := record.Authenticated(p); err != nil {
		return err
	}
	if err := cases.CheckCaseFilter(f); err != nil {
		return err
	}
	err := s.Record(ctx, nil, p, audit.Entry{Action: "case.csv_export", ObjectType: "case", Details: map[string]any{
		"format": "csv", "filters": csvFilters(f)}})
	if err != nil {
		return err
	}
	w := csv.NewWriter(start())
	if err := w.Write(CSVColumns); err != nil {
		return err
	}
	tx := s.DB.WithContext(ctx)
	row := make([]string, len(CSVColumns))
	after := ""
	for {
		batch, names, err := cases.CaseBatch(tx, p, f, after, CSVBatch)
		if err != nil {
			return err
		}
		ids := make([]string, len(batch))
		for i := range batch {
			ids[i] = batch[i].ID
		}
		lawyers, err := activeLawyers(tx, ids)
		if err != nil {
			return err
		}
		next, err := deadlines.NextLimits(tx, p, ids)
		if err != nil {
			return err
		}
		for i := range batch {
			c := &batch[i]
			charges := make([]string, len(c.Charges))
			for j, ch := range c.Charges {
				charges[j] = ch.Charge
			}
			n := next[c.ID]
			vals := []string{c.ID, strings.Join(c.CaseNumbers, "; "), c.Title, c.DetaineeID, names[c.DetaineeID], c.Status, c.Stage,
				strings.Join(charges, "; "), c.DetainedAt, c.ArrestApprovedAt, c.IndictedAt, c.TrialAt, c.VerdictAt, c.Sentence,
				c.ReleaseAt, strconv.Itoa(lawyers[c.ID]), n.Rule, n.Status, dueDay(n.DueAt),
				c.CreatedAt.UTC().Format(time.RFC3339), c.UpdatedAt.UTC().Format(time.RFC3339)}
			for j, v := range vals {
				row[j] = cases.FormulaSafe(v)
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		if len(batch) < CSVBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// activeLawyers counts the active assignments of each case.
func activeLawyers(tx *gorm.DB, ids []string) (map[string]int, error) {
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		CaseID string
		N      int
	}
	err := tx.Table("assignments").Select("case_id, COUNT(*) AS n").Where("case_id IN ? AND status = ?", ids, "active").
		Group("case_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("caseexport: lawyer counts: %w", err)
	}
	for _, r := range rows {
		out[r.CaseID] = r.N
	}
	return out, nil
}

// dueDay is an indexed due time as its day in China Standard Time.
func dueDay(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(civil.CST).Format(time.DateOnly)
}

func csvFilters(f cases.CaseFilter) map[string]any {
	out := map[string]any{}
	for k, v := range map[string]string{"q": f.Q, "status": f.Status, "stage": f.Stage, "province": f.Province, "issue": f.Issue,
		"charge": f.Charge, "lawyer_id": f.LawyerID, "detainee_id": f.DetaineeID, "detained_from": f.DetainedFrom, "detained_to": f.DetainedTo} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
