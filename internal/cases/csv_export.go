package cases

import (
	"context"
	"encoding/csv"
	"io"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// exportBatch is how many rows export reads per query.
const exportBatch = 500

// ExportDetainees writes the detainees p may see (filtered by f, in id
// order) as CSV to the writer start returns. start is called only once the
// request is known to be allowed and its audit entry is written, so that
// the caller can still answer an error before any byte is sent. Confidential
// columns are included only for admin and coordinator.
func (s *Service) ExportDetainees(ctx context.Context, p *actor.Principal, f DetaineeFilter, start func() io.Writer) error {
	if err := record.Authenticated(p); err != nil {
		return err
	}
	if err := checkDetaineeFilter(f); err != nil {
		return err
	}
	if _, _, err := detainedRange(f.DetainedFrom, f.DetainedTo); err != nil {
		return err
	}
	withSecrets := access.SeesConfidentialExport(p)
	cols := make([]csvColumn, 0, len(csvColumns))
	header := make([]string, 0, len(csvColumns))
	for _, c := range csvColumns {
		if c.confidential && !withSecrets {
			continue
		}
		cols = append(cols, c)
		header = append(header, c.name)
	}
	// An entry of its own (no transaction): it joins the audit log's group
	// commit and is durable before the first row is written.
	err := s.Record(ctx, nil, p, audit.Entry{Action: "detainee.export", ObjectType: "detainee", Details: map[string]any{
		"format": "csv", "confidential_columns": withSecrets, "filters": exportFilters(f)}})
	if err != nil {
		return err
	}
	w := csv.NewWriter(start())
	if err := w.Write(header); err != nil {
		return err
	}
	row := make([]string, len(cols))
	after := ""
	for {
		batch, err := detaineeBatch(s.DB.WithContext(ctx), p, f, after, exportBatch)
		if err != nil {
			return err
		}
		for i := range batch {
			for j, c := range cols {
				row[j] = formulaSafe(c.get(&batch[i]))
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		if len(batch) < exportBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

func exportFilters(f DetaineeFilter) map[string]any {
	out := map[string]any{}
	for k, v := range map[string]string{"q": f.Q, "status": f.Status, "province": f.Province, "issue": f.Issue,
		"charge": f.Charge, "lawyer_id": f.LawyerID, "detained_from": f.DetainedFrom, "detained_to": f.DetainedTo} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
