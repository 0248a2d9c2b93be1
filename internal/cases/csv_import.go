package cases

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// ImportOptions are the options of a CSV import.
type ImportOptions struct {
	// Mapping maps CSV column names to field names (CSVFields); a column
	// mapped to "" or "-" is ignored; unmapped columns must be named after a field.
	Mapping map[string]string
	// DryRun checks everything, the database included, and stores nothing.
	DryRun bool
}

// ImportResult says what an import did (or, in a dry run, would do).
type ImportResult struct {
	DryRun  bool `json:"dry_run"`
	Rows    int  `json:"rows"`
	Created int  `json:"created"`
	Updated int  `json:"updated"`
}

// Import limits.
const (
	MaxImportRows   = 1_000_000
	maxImportErrors = 100
)

var errDryRun = errors.New("dry run")

// importTarget is what one CSV column feeds.
type importTarget struct {
	column string // header as written in the file
	col    *csvColumn
	kind   string // for other_names.<kind>
	id     bool
}

// ImportDetainees reads a UTF-8 CSV with a header line and creates one
// detainee per line, or updates the detainee named by a non-empty id cell
// (only fields whose column is present change). All or nothing: any bad
// line (errors listed per line and column, at most 100) and nothing is
// stored. Admin and coordinator only.
func (s *Service) ImportDetainees(ctx context.Context, p *actor.Principal, r io.Reader, o ImportOptions) (ImportResult, error) {
	res := ImportResult{DryRun: o.DryRun}
	if err := record.Authenticated(p); err != nil {
		return res, err
	}
	if !access.Manages(p) {
		return res, errManage
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return res, apperr.Field("file", "not a CSV file with a header line")
	}
	targets, err := importTargets(header, o.Mapping)
	if err != nil {
		return res, err
	}
	errs := map[string]string{}
	fail := func(line int, column, msg string) {
		if len(errs) < maxImportErrors {
			errs[fmt.Sprintf("line %d: %s", line, column)] = msg
		}
	}
	badLines := 0
	var pending importBatch
	err = s.Do(ctx, p, func(tx *gorm.DB) error {
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var pe *csv.ParseError
				if !errors.As(err, &pe) {
					return fmt.Errorf("read csv: %w", err)
				}
				badLines++
				if !errors.Is(pe.Err, csv.ErrFieldCount) {
					fail(pe.StartLine, "(file)", pe.Err.Error()+"; reading stopped here")
					break
				}
				fail(pe.StartLine, "(line)", fmt.Sprintf("has %d cells, the header has %d", len(rec), len(header)))
				continue
			}
			line, _ := cr.FieldPos(0) // only valid for a record read without error
			res.Rows++
			if res.Rows > MaxImportRows {
				return apperr.Field("file", fmt.Sprintf("more than %d lines; split the file", MaxImportRows))
			}
			created, updated, lineErrs, err := s.importLine(ctx, tx, p, targets, rec, badLines > 0, &pending)
			if err != nil {
				return err
			}
			if len(lineErrs) > 0 {
				badLines++
				cols := make([]string, 0, len(lineErrs))
				for c := range lineErrs {
					cols = append(cols, c)
				}
				sort.Strings(cols)
				for _, c := range cols {
					fail(line, c, lineErrs[c])
				}
				continue
			}
			res.Created += created
			res.Updated += updated
		}
		if err := pending.flush(ctx, s, tx, p); err != nil {
			return err
		}
		if badLines > 0 {
			return apperr.Invalid("import_failed", fmt.Sprintf("%d lines have errors; nothing was imported", badLines), errs)
		}
		if o.DryRun {
			return errDryRun
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "detainee.import", ObjectType: "detainee", Details: map[string]any{
			"rows": res.Rows, "created": res.Created, "updated": res.Updated}})
	})
	if errors.Is(err, errDryRun) {
		err = s.Audit.Record(actor.WithPrincipal(ctx, p), nil, audit.Entry{Action: "detainee.import_dry_run", ObjectType: "detainee",
			ActorID: p.UserID, ActorRole: string(p.Role), Details: map[string]any{"rows": res.Rows, "created": res.Created, "updated": res.Updated}})
	}
	if err != nil {
		return ImportResult{DryRun: o.DryRun}, err
	}
	return res, nil
}

func importTargets(header []string, mapping map[string]string) ([]importTarget, error) {
	byName := map[string]*csvColumn{}
	for i := range csvColumns {
		byName[csvColumns[i].name] = &csvColumns[i]
	}
	fields := map[string]string{}
	for col := range mapping {
		found := false
		for _, h := range header {
			if strings.TrimPrefix(h, "\ufeff") == col {
				found = true
			}
		}
		if !found {
			fields["mapping."+col] = "no such column in the file"
		}
	}
	seen := map[string]string{}
	targets := make([]importTarget, len(header))
	hasName := false
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark some spreadsheets write
		}
		h = strings.TrimSpace(h)
		targets[i].column = h
		field, mapped := mapping[h]
		if !mapped {
			field = h
		}
		field = strings.TrimSpace(field)
		if field == "" || field == "-" {
			continue
		}
		if kind, ok := strings.CutPrefix(field, "other_names."); ok {
			if !NameKinds.Has(kind) {
				fields["line 1: "+h] = "unknown name kind " + kind
				continue
			}
			targets[i].kind, targets[i].col = kind, byName["other_names"]
			continue
		}
		c, ok := byName[field]
		if !ok {
			fields["line 1: "+h] = "not a field (map it, or map it to \"-\" to ignore it); fields: " + strings.Join(CSVFields(), ", ")
			continue
		}
		if prev, dup := seen[field]; dup {
			fields["line 1: "+h] = "field " + field + " is already given by column " + prev
			continue
		}
		seen[field] = h
		targets[i].col = c
		targets[i].id = field == "id"
		hasName = hasName || field == "name"
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid("import_failed", "the header or mapping is not usable; nothing was imported", fields)
	}
	if !hasName && seen["id"] == "" {
		return nil, apperr.Invalid("import_failed", "no column gives the name", map[string]string{"line 1": "a column must be named (or mapped to) name"})
	}
	return targets, nil
}

// importBatch holds the detainees an import has created but not yet
// written, with their audit entries: they are written together every
// importBatchRows rows (multi-row inserts, one chain append), in file order.
type importBatch struct {
	detainees []Detainee
	entries   []audit.Entry
}

// importBatchRows is how many new detainees an import writes at once.
const importBatchRows = 500

func (b *importBatch) add(ctx context.Context, s *Service, tx *gorm.DB, p *actor.Principal, d *Detainee, e audit.Entry) error {
	b.detainees = append(b.detainees, *d)
	e.ActorID, e.ActorRole = p.UserID, string(p.Role)
	b.entries = append(b.entries, e)
	if len(b.detainees) >= importBatchRows {
		return b.flush(ctx, s, tx, p)
	}
	return nil
}

// flush writes what is pending (before an update and at the end, so that
// the audit entries keep the file's order).
func (b *importBatch) flush(ctx context.Context, s *Service, tx *gorm.DB, p *actor.Principal) error {
	if len(b.detainees) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(b.detainees, s.DB.InsertBatchRows(detaineeColumns)).Error; err != nil {
		return fmt.Errorf("import: insert detainees: %w", err)
	}
	if err := audit.RecordAll(ctx, s.Audit, tx, b.entries); err != nil {
		return fmt.Errorf("cases: audit: %w", err)
	}
	b.detainees, b.entries = b.detainees[:0], b.entries[:0]
	return nil
}

// detaineeColumns is the number of columns of the detainees table.
const detaineeColumns = 32

// importLine validates one line and, unless skipWrites, stores it. It returns
// the per-column errors of the line.
func (s *Service) importLine(ctx context.Context, tx *gorm.DB, p *actor.Principal, targets []importTarget, rec []string, skipWrites bool, pending *importBatch) (created, updated int, errs map[string]string, err error) {
	errs = map[string]string{}
	var in DetaineeFields
	id := ""
	fieldColumn := map[string]string{}
	for i, t := range targets {
		if t.col == nil {
			continue
		}
		v := unFormula(rec[i])
		if t.id {
			id = strings.TrimSpace(v)
			continue
		}
		fieldColumn[t.col.name] = t.column
		if t.kind != "" {
			if v = strings.TrimSpace(v); v != "" {
				if in.OtherNames == nil {
					in.OtherNames = &[]OtherName{}
				}
				*in.OtherNames = append(*in.OtherNames, OtherName{Name: v, Kind: t.kind})
			}
			continue
		}
		if e := t.col.set(&in, v); e != nil {
			errs[t.column] = e.Error()
		}
	}
	var d *Detainee
	ch := record.NewChangeSet()
	if id != "" {
		d, err = findDetainee(tx, p, id)
		if errors.Is(err, apperr.ErrNotFound) {
			errs["id"] = "no such detainee (leave id empty to create one)"
			return 0, 0, errs, nil
		} else if err != nil {
			return 0, 0, nil, err
		}
		if in.Name != nil && record.Clean(*in.Name) == "" {
			in.Name = nil // an empty name cell on update leaves the name alone
		}
	} else {
		if in.Name == nil || record.Clean(*in.Name) == "" {
			errs[fieldColumn["name"]] = "required"
		}
		now := s.Now()
		d = &Detainee{ID: record.NewID(), Version: 1, CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now}
	}
	d.apply(in, ch)
	for f, msg := range fieldErrors(ch.Err()) {
		col := fieldColumn[strings.SplitN(f, "[", 2)[0]]
		if col == "" {
			col = f
		}
		errs[col] = msg
	}
	if len(errs) > 0 || skipWrites {
		return 0, 0, errs, nil
	}
	if id == "" {
		det := ch.Details()
		det["via"] = "csv_import"
		return 1, 0, nil, pending.add(ctx, s, tx, p, d, audit.Entry{Action: "detainee.create", ObjectType: "detainee", ObjectID: d.ID, Details: det})
	}
	if ch.Empty() {
		return 0, 0, nil, nil
	}
	if err := pending.flush(ctx, s, tx, p); err != nil {
		return 0, 0, nil, err
	}
	old := d.Version
	d.Version, d.UpdatedAt = old+1, s.Now()
	if err := record.SaveVersioned(tx, d, old); err != nil {
		return 0, 0, nil, err
	}
	det := ch.Details()
	det["via"] = "csv_import"
	return 0, 1, nil, s.Record(ctx, tx, p, audit.Entry{Action: "detainee.update", ObjectType: "detainee", ObjectID: d.ID, Details: det})
}

// fieldErrors are the per-field messages of a validation error (none for nil).
func fieldErrors(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
