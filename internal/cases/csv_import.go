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
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
)

// ImportOptions are the options of a CSV import.
type ImportOptions struct {
	// Mapping maps CSV column names to field names (CSVFields); a column
	// mapped to "" or "-" is ignored; unmapped columns must be named after a field.
	Mapping map[string]string
	// DryRun checks everything, the database included, and stores nothing.
	DryRun bool
	// OnError says what an invalid line does: "abort" (or "", the default)
	// stores nothing and answers the errors; "skip" stores the valid lines
	// and lists the others in ImportResult.Rejected.
	OnError string
}

// The values of ImportOptions.OnError.
const (
	OnErrorAbort = "abort"
	OnErrorSkip  = "skip"
)

// ImportResult says what an import did (or, in a dry run, would do).
type ImportResult struct {
	DryRun  bool   `json:"dry_run"`
	OnError string `json:"on_error"`
	Rows    int    `json:"rows"`
	Created int    `json:"created"`
	Updated int    `json:"updated"`
	// CasesCreated counts the cases created from case.<field> columns.
	CasesCreated int `json:"cases_created"`
	// Rejected are the invalid lines, in file order (at most
	// MaxImportRejected; RejectedTotal counts them all). With on_error=skip
	// they were not stored; with abort the import fails instead.
	Rejected      []ImportRejected `json:"rejected"`
	RejectedTotal int              `json:"rejected_total"`
	// PossibleDuplicates are the lines that may name a recorded person or
	// an earlier line's (dry run only; import_duplicates.go).
	PossibleDuplicates []ImportDuplicate `json:"possible_duplicates,omitempty"`
}

// ImportRejected is an invalid line of an import: its line number in the
// file and, per column (as named in the header), what is wrong, quoting the
// value. "(line)" and "(file)" stand for the line or file as a whole.
type ImportRejected struct {
	Line   int               `json:"line"`
	Fields map[string]string `json:"fields"`
}

// Import limits.
const (
	MaxImportRows = 1_000_000
	// MaxImportRejected bounds the rejected lines an import answers.
	MaxImportRejected = 10_000
	maxImportErrors   = 100
)

var errDryRun = errors.New("dry run")

// importTarget is what one CSV column feeds.
type importTarget struct {
	column  string // header as written in the file
	col     *csvColumn
	caseCol *csvCaseColumn // for case.<field>
	kind    string         // for other_names.<kind>
	id      bool
}

// ImportDetainees reads a UTF-8 CSV with a header line and creates one
// detainee per line (and one case when case.<field> columns are given), or
// updates the detainee named by a non-empty id cell (only fields whose
// column is present change). With on_error=abort (the default), all or
// nothing: any bad line (errors listed per line and column, at most 100)
// and nothing is stored. With on_error=skip the valid lines are stored and
// the others answered in Rejected. Admin and coordinator only.
func (s *Service) ImportDetainees(ctx context.Context, p *actor.Principal, r io.Reader, o ImportOptions) (ImportResult, error) {
	if o.OnError == "" {
		o.OnError = OnErrorAbort
	}
	res := ImportResult{DryRun: o.DryRun, OnError: o.OnError, Rejected: []ImportRejected{}}
	if err := record.Authenticated(p); err != nil {
		return res, err
	}
	if !access.Manages(p) {
		return res, errManage
	}
	if o.OnError != OnErrorAbort && o.OnError != OnErrorSkip {
		return res, apperr.Field("on_error", "abort or skip")
	}
	skip := o.OnError == OnErrorSkip
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
	// reject records a bad line: in the answer's rejected lines and, for
	// on_error=abort, in the error's fields "line N: column".
	reject := func(line int, fields map[string]string) {
		res.RejectedTotal++
		if len(res.Rejected) < MaxImportRejected {
			res.Rejected = append(res.Rejected, ImportRejected{Line: line, Fields: fields})
		}
		cols := make([]string, 0, len(fields))
		for c := range fields {
			cols = append(cols, c)
		}
		sort.Strings(cols)
		for _, c := range cols {
			if len(errs) < maxImportErrors {
				errs[fmt.Sprintf("line %d: %s", line, c)] = fields[c]
			}
		}
	}
	badLines := 0
	var pending importBatch
	if o.DryRun {
		pending.dups = newImportDuplicates()
	}
	// The transaction reads the file as it goes: it cannot run a second
	// time. A bulk import (up to MaxImportRows in one transaction: 100,000
	// rows took 20 s, docs/benchmarks.md) is not cut off by the query
	// timeout; the HTTP server's timeouts bound it.
	err = s.Do(db.WithoutQueryTimeout(db.WithoutRetry(ctx)), p, func(tx *gorm.DB) error {
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
					reject(pe.StartLine, map[string]string{"(file)": pe.Err.Error() + "; reading stopped here"})
					break
				}
				reject(pe.StartLine, map[string]string{"(line)": fmt.Sprintf("has %d cells, the header has %d", len(rec), len(header))})
				continue
			}
			line, _ := cr.FieldPos(0) // only valid for a record read without error
			res.Rows++
			if res.Rows > MaxImportRows {
				return apperr.Field("file", fmt.Sprintf("more than %d lines; split the file", MaxImportRows))
			}
			if pending.dups != nil {
				pending.dups.line = line
			}
			// After a bad line an aborting import only validates the rest.
			n, lineErrs, err := s.importLine(ctx, tx, p, targets, rec, !skip && badLines > 0, &pending)
			if err != nil {
				return err
			}
			if len(lineErrs) > 0 {
				badLines++
				reject(line, lineErrs)
				continue
			}
			res.Created += n.created
			res.Updated += n.updated
			res.CasesCreated += n.cases
		}
		if err := pending.flush(ctx, s, tx, p); err != nil {
			return err
		}
		if badLines > 0 && !skip {
			return apperr.Invalid("import_failed", fmt.Sprintf("%d lines have errors; nothing was imported", badLines), errs)
		}
		if o.DryRun {
			dups, err := pending.dups.result(tx)
			if err != nil {
				return err
			}
			res.PossibleDuplicates = dups
			return errDryRun
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "detainee.import", ObjectType: "detainee", Details: importDetails(res)})
	})
	if errors.Is(err, errDryRun) {
		err = s.Audit.Record(actor.WithPrincipal(ctx, p), nil, audit.Entry{Action: "detainee.import_dry_run", ObjectType: "detainee",
			ActorID: p.UserID, ActorRole: string(p.Role), Details: importDetails(res)})
	}
	if err != nil {
		return ImportResult{DryRun: o.DryRun, OnError: o.OnError, Rejected: []ImportRejected{}}, err
	}
	return res, nil
}

// importDetails are the audit details of an import (the counts; the
// rejected lines' line numbers, never their content).
func importDetails(res ImportResult) map[string]any {
	d := map[string]any{"rows": res.Rows, "created": res.Created, "updated": res.Updated, "on_error": res.OnError}
	if res.CasesCreated > 0 {
		d["cases_created"] = res.CasesCreated
	}
	if res.RejectedTotal > 0 {
		lines := make([]int, 0, min(len(res.Rejected), maxImportErrors))
		for _, r := range res.Rejected[:min(len(res.Rejected), maxImportErrors)] {
			lines = append(lines, r.Line)
		}
		d["rejected"], d["rejected_lines"] = res.RejectedTotal, lines
	}
	return d
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
			value, ok := NameKinds.Resolve(kind)
			if !ok {
				fields["line 1: "+h] = record.Unknown(kind, "name_kind", NameKinds, "/api/v1/vocabularies")
				continue
			}
			targets[i].kind, targets[i].col = value, byName["other_names"]
			continue
		}
		if name, ok := strings.CutPrefix(field, "case."); ok {
			c := caseColumn(name)
			if c == nil {
				fields["line 1: "+h] = "not a case field; fields: " + strings.Join(CSVFields(), ", ")
				continue
			}
			if prev, dup := seen[field]; dup {
				fields["line 1: "+h] = "field " + field + " is already given by column " + prev
				continue
			}
			seen[field] = h
			targets[i].caseCol = c
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

// caseColumn is the case column called name, or nil.
func caseColumn(name string) *csvCaseColumn {
	for i := range csvCaseColumns {
		if csvCaseColumns[i].name == name {
			return &csvCaseColumns[i]
		}
	}
	return nil
}

// importBatch holds the detainees (and their cases) an import has created
// but not yet written, with their audit entries: they are written together
// every importBatchRows rows (multi-row inserts, one chain append), in file
// order.
type importBatch struct {
	detainees []Detainee
	cases     []Case
	charges   []Charge
	entries   []audit.Entry
	// dups collects possible duplicates in a dry run (nil otherwise).
	dups *importDuplicates
}

// importBatchRows is how many new detainees an import writes at once.
const importBatchRows = 500

func (b *importBatch) add(ctx context.Context, s *Service, tx *gorm.DB, p *actor.Principal, d *Detainee, e audit.Entry, c *Case, ce audit.Entry) error {
	b.detainees = append(b.detainees, *d)
	e.ActorID, e.ActorRole = p.UserID, string(p.Role)
	b.entries = append(b.entries, e)
	if c != nil {
		numberCharges(c, record.NewID)
		b.cases = append(b.cases, *c)
		b.charges = append(b.charges, c.Charges...)
		ce.ActorID, ce.ActorRole = p.UserID, string(p.Role)
		b.entries = append(b.entries, ce)
	}
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
	ds := make([]*Detainee, len(b.detainees))
	for i := range b.detainees {
		ds[i] = &b.detainees[i]
	}
	if err := indexNewRecords(tx, ds...); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if len(b.cases) > 0 {
		if err := tx.CreateInBatches(b.cases, s.DB.InsertBatchRows(caseColumns)).Error; err != nil {
			return fmt.Errorf("import: insert cases: %w", err)
		}
		cs := make([]*Case, len(b.cases))
		for i := range b.cases {
			cs[i] = &b.cases[i]
		}
		if err := indexNewRecords(tx, cs...); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	if len(b.charges) > 0 {
		if err := tx.CreateInBatches(b.charges, s.DB.InsertBatchRows(5)).Error; err != nil {
			return fmt.Errorf("import: insert charges: %w", err)
		}
	}
	if err := audit.RecordAll(ctx, s.Audit, tx, b.entries); err != nil {
		return fmt.Errorf("cases: audit: %w", err)
	}
	b.detainees, b.cases, b.charges, b.entries = b.detainees[:0], b.cases[:0], b.charges[:0], b.entries[:0]
	return nil
}

// detaineeColumns and caseColumns are the numbers of columns of the
// detainees and cases tables.
const (
	detaineeColumns = 32
	caseColumns     = 53
)

// importCounts is what one line of an import stored.
type importCounts struct{ created, updated, cases int }

// importLine validates one line and, unless skipWrites, stores it. It returns
// the per-column errors of the line.
func (s *Service) importLine(ctx context.Context, tx *gorm.DB, p *actor.Principal, targets []importTarget, rec []string, skipWrites bool, pending *importBatch) (n importCounts, errs map[string]string, err error) {
	errs = map[string]string{}
	var in DetaineeFields
	var cin CaseFields
	hasCase := false
	id := ""
	fieldColumn := map[string]string{}
	for i, t := range targets {
		if t.caseCol != nil {
			v := unFormula(rec[i])
			fieldColumn["case."+t.caseCol.name] = t.column
			if strings.TrimSpace(v) == "" {
				continue
			}
			hasCase = true
			if e := t.caseCol.set(&cin, v); e != nil {
				errs[t.column] = e.Error()
			}
			continue
		}
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
			errs["id"] = fmt.Sprintf("no such detainee %q (leave id empty to create one)", id)
			return n, errs, nil
		} else if err != nil {
			return n, nil, err
		}
		if hasCase {
			errs["(line)"] = "case columns create a case only for a new detainee (a line without id); leave them empty on lines with an id"
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
	var c *Case
	var cch *record.ChangeSet
	if hasCase && id == "" {
		c, cch = buildCase(record.NewID(), p.UserID, d.CreatedAt, cin)
		c.DetaineeID = d.ID
		for f, msg := range fieldErrors(cch.Err()) {
			col := fieldColumn["case."+strings.SplitN(f, "[", 2)[0]]
			if col == "" {
				col = "case." + f
			}
			errs[col] = msg
		}
	}
	if len(errs) > 0 || skipWrites {
		return n, errs, nil
	}
	pending.dups.note(d, id)
	if id == "" {
		det := ch.Details()
		det["via"] = "csv_import"
		var ce audit.Entry
		if c != nil {
			cdet := cch.Details()
			cdet["detainee_id"], cdet["via"] = d.ID, "csv_import"
			ce = audit.Entry{Action: "case.create", ObjectType: "case", ObjectID: c.ID, CaseID: c.ID, Details: cdet}
			n.cases = 1
		}
		n.created = 1
		return n, nil, pending.add(ctx, s, tx, p, d, audit.Entry{Action: "detainee.create", ObjectType: "detainee", ObjectID: d.ID, Details: det}, c, ce)
	}
	if ch.Empty() {
		return n, nil, nil
	}
	if err := pending.flush(ctx, s, tx, p); err != nil {
		return n, nil, err
	}
	old := d.Version
	d.Version, d.UpdatedAt = old+1, s.Now()
	if err := record.SaveVersioned(tx, d, old); err != nil {
		return n, nil, err
	}
	if ch.Changed("name") || ch.Changed("other_names") {
		if err := indexRecords(tx, d); err != nil {
			return n, nil, err
		}
	}
	det := ch.Details()
	det["via"] = "csv_import"
	n.updated = 1
	return n, nil, s.Record(ctx, tx, p, audit.Entry{Action: "detainee.update", ObjectType: "detainee", ObjectID: d.ID, Details: det})
}

// fieldErrors are the per-field messages of a validation error (none for nil).
func fieldErrors(err error) map[string]string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
