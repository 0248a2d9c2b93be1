package caseexport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/campaigns"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// ImportResult is the answer of an import: the new case and detainee, how
// many records of each section were created, and how many were read but
// not imported (evidence items, whose files are not in the export, and
// time limits, which are computed).
type ImportResult struct {
	CaseID      string         `json:"case_id"`
	DetaineeID  string         `json:"detainee_id"`
	Created     map[string]int `json:"created"`
	NotImported map[string]int `json:"not_imported"`
	// Skipped are the document's references to records outside the case
	// that this instance does not have, not recreated: a link's other case,
	// a lawyer's detainee record, a linked detainee (co-defendant), a
	// campaign (the case was not added to it).
	Skipped []SkippedRecord `json:"skipped"`
}

// importDoc is the document as the importer reads it: each record kept raw
// until it is decoded into the input of its builder.
type importDoc struct {
	Schema               string            `json:"schema"`
	ExportedAt           json.RawMessage   `json:"exported_at"`
	ExportedByRole       json.RawMessage   `json:"exported_by_role"`
	ConfidentialIncluded json.RawMessage   `json:"confidential_included"`
	Detainee             json.RawMessage   `json:"detainee"`
	Case                 json.RawMessage   `json:"case"`
	Campaigns            []CampaignRef     `json:"campaigns"`
	Relatives            []json.RawMessage `json:"relatives"`
	Detainees            []json.RawMessage `json:"detainees"`
	Lawyers              []json.RawMessage `json:"lawyers"`
	Assignments          []json.RawMessage `json:"assignments"`
	CustodyPeriods       []json.RawMessage `json:"custody_periods"`
	UNCommunications     []json.RawMessage `json:"un_communications"`
	Links                []json.RawMessage `json:"links"`
	Hearings             []json.RawMessage `json:"hearings"`
	SupportActions       []json.RawMessage `json:"support_actions"`
	Evidence             []json.RawMessage `json:"evidence"`
	TimeLimits           []json.RawMessage `json:"time_limits"`
	Events               []json.RawMessage `json:"events"`
}

var errImportForbidden = apperr.New(apperr.ErrForbidden, "forbidden", "only admins and coordinators import cases")

// Import creates, in one transaction, the case of the export document raw
// (schema habeas.case-export/1) with new ids: its detainee, the detainee's
// relatives with their consent history, lawyers (not linked to any
// account), assignments, custody periods, UN communications, hearings,
// support actions (unassigned) and events (lawyer_id and relative_id
// remapped, each with one "create" revision; links to evidence dropped).
// Every record is validated by the builder its create operation uses; the
// first invalid one refuses the whole import (400 naming its JSON path,
// e.g. "events[3].occurred_at") and nothing is stored. Admin and
// coordinator only; audited as case.import.
func (s *Service) Import(ctx context.Context, p *actor.Principal, raw []byte) (ImportResult, error) {
	if err := record.Authenticated(p); err != nil {
		return ImportResult{}, err
	}
	if !access.Manages(p) {
		return ImportResult{}, errImportForbidden
	}
	var doc importDoc
	if err := decode("", raw, &doc, true); err != nil {
		return ImportResult{}, err
	}
	if doc.Schema != Schema {
		return ImportResult{}, apperr.FieldWithCode("schema", apperr.FieldInvalid, "must be "+Schema)
	}
	b, err := s.build(p, &doc)
	if err != nil {
		return ImportResult{}, err
	}
	links, err := importLinks(p.UserID, s.Now(), b.Case.ID, doc.Detainees)
	if err != nil {
		return ImportResult{}, err
	}
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (ImportResult, error) {
		if err := b.store(tx); err != nil {
			return ImportResult{}, err
		}
		res := b.result(&doc)
		n, skipped, err := storeLinks(tx, links)
		if err != nil {
			return ImportResult{}, err
		}
		res.Created["case_detainees"] = n
		res.Skipped = append(res.Skipped, skipped...)
		if err := s.joinCampaigns(ctx, tx, p, res.CaseID, doc.Campaigns, &res); err != nil {
			return ImportResult{}, err
		}
		return res, s.Record(ctx, tx, p, audit.Entry{Action: "case.import", ObjectType: "case", ObjectID: res.CaseID, CaseID: res.CaseID,
			Details: map[string]any{"schema": Schema, "created": res.Created, "not_imported": res.NotImported, "skipped": len(res.Skipped)}})
	})
}

// built are the rows of an import, made before its transaction.
type built struct {
	cases.ImportedRecords
	links     []importLink
	hearings  []*timeline.Hearing
	events    []*timeline.Event
	revisions []*timeline.Revision
	actions   []*support.Action
	changes   []*support.Change
	linked    int
	skipped   []SkippedRecord
	// lawyerDetainees are lawyers who are the detainee of another case.
	lawyerDetainees []struct{ path, lawyer, detainee string }
}

// importLink is a link of the document to recreate if its other case is
// in this instance.
type importLink struct {
	path, other, direction string
	fields                 cases.CaseLinkFields
}

func (b *built) store(tx *gorm.DB) error {
	if err := cases.StoreImported(tx, &b.ImportedRecords); err != nil {
		return err
	}
	if err := b.storeLinks(tx); err != nil {
		return err
	}
	for _, h := range b.hearings {
		if err := tx.Create(h).Error; err != nil {
			return fmt.Errorf("caseexport: import hearing: %w", err)
		}
	}
	for _, ev := range b.events {
		if err := tx.Create(ev).Error; err != nil {
			return fmt.Errorf("caseexport: import event: %w", err)
		}
	}
	for _, r := range b.revisions {
		if err := tx.Create(r).Error; err != nil {
			return fmt.Errorf("caseexport: import revision: %w", err)
		}
	}
	for _, a := range b.actions {
		if err := tx.Create(a).Error; err != nil {
			return fmt.Errorf("caseexport: import support action: %w", err)
		}
	}
	for _, c := range b.changes {
		if err := tx.Create(c).Error; err != nil {
			return fmt.Errorf("caseexport: import support action history: %w", err)
		}
	}
	return nil
}

// storeLinks recreates each link whose other case exists here (the
// importer, an admin or coordinator, sees every case); the others are
// listed as skipped.
func (b *built) storeLinks(tx *gorm.DB) error {
	b.skipped = []SkippedRecord{}
	// A lawyer who is the detainee of another case: linked again when that
	// detainee is here and no other lawyer record is it.
	for _, ld := range b.lawyerDetainees {
		var n int64
		err := tx.Model(&cases.Detainee{}).Where("id = ? AND id NOT IN (SELECT detainee_id FROM lawyers WHERE detainee_id IS NOT NULL)", ld.detainee).Count(&n).Error
		if err != nil {
			return fmt.Errorf("caseexport: import lawyer's detainee: %w", err)
		}
		if n == 0 {
			b.skipped = append(b.skipped, SkippedRecord{Path: ld.path + ".detainee_id", ID: ld.detainee, Reason: "the detainee record is not in this Habeas, or another lawyer record is it"})
			continue
		}
		if err := tx.Model(&cases.Lawyer{}).Where("id = ?", ld.lawyer).Update("detainee_id", ld.detainee).Error; err != nil {
			return fmt.Errorf("caseexport: import lawyer's detainee: %w", err)
		}
	}
	for _, l := range b.links {
		var n int64
		if err := tx.Model(&cases.Case{}).Where("id = ?", l.other).Count(&n).Error; err != nil {
			return fmt.Errorf("caseexport: import link: %w", err)
		}
		if n == 0 {
			b.skipped = append(b.skipped, SkippedRecord{Path: l.path + ".case_id", ID: l.other, Reason: "the linked case is not in this Habeas"})
			continue
		}
		from, to := b.Case.ID, l.other
		if l.direction == cases.LinkIncoming {
			from, to = to, from
		}
		row, err := cases.NewCaseLink(tx, record.NewID(), from, to, b.Case.CreatedBy, b.Case.CreatedAt, l.fields)
		if err != nil {
			return prefix(l.path, err)
		}
		if err := tx.Create(row).Error; err != nil {
			return fmt.Errorf("caseexport: import link: %w", err)
		}
		b.linked++
	}
	return nil
}

func (b *built) result(doc *importDoc) ImportResult {
	return ImportResult{CaseID: b.Case.ID, DetaineeID: b.Detainee.ID, Skipped: b.skipped,
		Created: map[string]int{"detainee": 1, "case": 1, "links": b.linked, "lawyers": len(b.Lawyers), "assignments": len(b.Assignments),
			"custody_periods": len(b.Custody), "un_communications": len(b.UN), "relatives": len(b.Relatives), "relative_consents": len(b.Consents), "hearings": len(b.hearings),
			"support_actions": len(b.actions), "events": len(b.events)},
		NotImported: map[string]int{"evidence": len(doc.Evidence), "time_limits": len(doc.TimeLimits)}}
}

// build validates every record of doc and builds its row.
func (s *Service) build(p *actor.Principal, doc *importDoc) (*built, error) {
	at, by := s.Now(), p.UserID
	b := &built{}
	// Detainee and case.
	if len(doc.Detainee) == 0 || string(doc.Detainee) == "null" {
		return nil, apperr.FieldWithCode("detainee", apperr.FieldRequired, "required")
	}
	var df cases.DetaineeFields
	var exportedDetainee struct {
		ID string `json:"id"`
	}
	if err := decodeBoth("detainee", doc.Detainee, &exportedDetainee, &df); err != nil {
		return nil, err
	}
	if df.Name == nil {
		return nil, apperr.FieldWithCode("detainee.name", apperr.FieldRequired, "required")
	}
	d, err := cases.NewDetainee(record.NewID(), by, at, df)
	if err != nil {
		return nil, prefix("detainee", err)
	}
	b.Detainee = d
	if len(doc.Case) == 0 || string(doc.Case) == "null" {
		return nil, apperr.FieldWithCode("case", apperr.FieldRequired, "required")
	}
	var cf cases.CaseFields
	if err := decode("case", doc.Case, &cf, false); err != nil {
		return nil, err
	}
	c, err := cases.NewCase(record.NewID(), d.ID, by, at, cf, record.NewID)
	if err != nil {
		return nil, prefix("case", err)
	}
	b.Case = c
	// Relatives with their consent history, then what refers to them.
	relatives := map[string]string{}
	for i, raw := range doc.Relatives {
		path := "relatives[" + strconv.Itoa(i) + "]"
		var ref struct {
			ID       string            `json:"id"`
			Consents []json.RawMessage `json:"consents"`
		}
		var rf cases.RelativeFields
		if err := decodeBoth(path, raw, &ref, &rf); err != nil {
			return nil, err
		}
		r, err := cases.NewRelative(record.NewID(), d.ID, by, at, rf)
		if err != nil {
			return nil, prefix(path, err)
		}
		if ref.ID != "" {
			if _, dup := relatives[ref.ID]; dup {
				return nil, apperr.FieldWithCode(path+".id", apperr.FieldInvalid, "a relative of this id is already in the export")
			}
			relatives[ref.ID] = r.ID
		}
		b.Relatives = append(b.Relatives, r)
		// In the order recorded (oldest first): the latest record of a
		// kind is its current state, and new ids keep the order.
		for j, kraw := range ref.Consents {
			kpath := path + ".consents[" + strconv.Itoa(j) + "]"
			var kf cases.ConsentFields
			if err := decode(kpath, kraw, &kf, false); err != nil {
				return nil, err
			}
			k, err := cases.NewConsent(record.NewID(), r.ID, by, at, kf)
			if err != nil {
				return nil, prefix(kpath, err)
			}
			b.Consents = append(b.Consents, k)
		}
	}
	// Lawyers, then what refers to them by their exported id.
	lawyers := map[string]string{}
	for i, raw := range doc.Lawyers {
		path := "lawyers[" + strconv.Itoa(i) + "]"
		var ref struct {
			ID string `json:"id"`
		}
		var lf cases.LawyerFields
		if err := decodeBoth(path, raw, &ref, &lf); err != nil {
			return nil, err
		}
		if lf.Name == nil {
			return nil, apperr.FieldWithCode(path+".name", apperr.FieldRequired, "required")
		}
		lf.UserID = nil // accounts are this instance's own
		detainee := ""
		if lf.DetaineeID != nil {
			detainee = strings.TrimSpace(*lf.DetaineeID)
		}
		lf.DetaineeID = nil
		l, err := cases.NewLawyer(record.NewID(), by, at, lf)
		if err != nil {
			return nil, prefix(path, err)
		}
		switch {
		case detainee == "":
		case detainee == exportedDetainee.ID: // the case's own detainee: the new record
			l.DetaineeID = &d.ID
		default:
			b.lawyerDetainees = append(b.lawyerDetainees, struct{ path, lawyer, detainee string }{path, l.ID, detainee})
		}
		if ref.ID != "" {
			if _, dup := lawyers[ref.ID]; dup {
				return nil, apperr.FieldWithCode(path+".id", apperr.FieldInvalid, "a lawyer of this id is already in the export")
			}
			lawyers[ref.ID] = l.ID
		}
		b.Lawyers = append(b.Lawyers, l)
	}
	lawyerRef := func(path, id string) (string, error) {
		n, ok := lawyers[id]
		if !ok {
			return "", apperr.FieldWithCode(path, apperr.FieldNotFound, "not the id of a lawyer in this export's lawyers")
		}
		return n, nil
	}
	for i, raw := range doc.Assignments {
		path := "assignments[" + strconv.Itoa(i) + "]"
		var ref struct {
			LawyerID string `json:"lawyer_id"`
		}
		var af cases.AssignmentFields
		if err := decodeBoth(path, raw, &ref, &af); err != nil {
			return nil, err
		}
		lid, err := lawyerRef(path+".lawyer_id", ref.LawyerID)
		if err != nil {
			return nil, err
		}
		a, err := cases.NewAssignment(record.NewID(), c.ID, lid, by, at, af)
		if err != nil {
			return nil, prefix(path, err)
		}
		b.Assignments = append(b.Assignments, a)
	}
	for i, raw := range doc.CustodyPeriods {
		path := "custody_periods[" + strconv.Itoa(i) + "]"
		var f cases.CustodyPeriodFields
		if err := decode(path, raw, &f, false); err != nil {
			return nil, err
		}
		cp, err := cases.NewCustodyPeriod(record.NewID(), c.ID, by, at, f)
		if err != nil {
			return nil, prefix(path, err)
		}
		b.Custody = append(b.Custody, cp)
	}
	for i, raw := range doc.UNCommunications {
		path := "un_communications[" + strconv.Itoa(i) + "]"
		var f cases.UNCommunicationFields
		if err := decode(path, raw, &f, false); err != nil {
			return nil, err
		}
		u, err := cases.NewUNCommunication(record.NewID(), c.ID, by, at, f)
		if err != nil {
			return nil, prefix(path, err)
		}
		b.UN = append(b.UN, u)
	}
	for i, raw := range doc.Links {
		path := "links[" + strconv.Itoa(i) + "]"
		var f struct {
			CaseID    string `json:"case_id"`
			Direction string `json:"direction"`
			cases.CaseLinkFields
		}
		if err := decode(path, raw, &f, false); err != nil {
			return nil, err
		}
		other, ok := record.ParseID(f.CaseID)
		if !ok {
			return nil, apperr.FieldWithCode(path+".case_id", apperr.FieldInvalid, "not a case id")
		}
		if f.Direction != cases.LinkOutgoing && f.Direction != cases.LinkIncoming {
			return nil, apperr.FieldWithCode(path+".direction", apperr.FieldInvalid, "outgoing or incoming")
		}
		if f.Kind == nil || !cases.CaseLinkKinds.Has(*f.Kind) {
			return nil, apperr.FieldWithCode(path+".kind", apperr.FieldInvalid, "one of "+strings.Join(cases.CaseLinkKinds.Values(), ", "))
		}
		b.links = append(b.links, importLink{path: path, other: other, direction: f.Direction, fields: f.CaseLinkFields})
	}
	for i, raw := range doc.Hearings {
		path := "hearings[" + strconv.Itoa(i) + "]"
		var f timeline.HearingFields
		if err := decode(path, raw, &f, false); err != nil {
			return nil, err
		}
		h, err := timeline.NewHearing(record.NewID(), c.ID, by, at, f)
		if err != nil {
			return nil, prefix(path, err)
		}
		b.hearings = append(b.hearings, h)
	}
	day := today()
	for i, raw := range doc.SupportActions {
		path := "support_actions[" + strconv.Itoa(i) + "]"
		var ref struct {
			Status string `json:"status"`
		}
		var f support.ActionFields
		if err := decodeBoth(path, raw, &ref, &f); err != nil {
			return nil, err
		}
		f.AssigneeUserID, f.AssigneePartnerID, f.EvidenceIDs = nil, nil, nil
		a, err := support.NewAction(record.NewID(), c.ID, by, at, day, f)
		if err != nil {
			return nil, prefix(path, err)
		}
		if ref.Status != "" {
			if !support.ValidStatus(ref.Status) {
				return nil, apperr.FieldWithCode(path+".status", apperr.FieldUnknownValue, "not a support action status")
			}
			a.Status = ref.Status
		}
		b.actions = append(b.actions, a)
		b.changes = append(b.changes, support.NewChange(record.NewID(), a, "", by))
	}
	for i, raw := range doc.Events {
		path := "events[" + strconv.Itoa(i) + "]"
		var f timeline.EventFields
		if err := decode(path, raw, &f, false); err != nil {
			return nil, err
		}
		if f.LawyerID != nil && *f.LawyerID != "" {
			lid, err := lawyerRef(path+".lawyer_id", *f.LawyerID)
			if err != nil {
				return nil, err
			}
			f.LawyerID = &lid
		}
		if f.RelativeID != nil && *f.RelativeID != "" {
			rid, ok := relatives[*f.RelativeID]
			if !ok {
				return nil, apperr.FieldWithCode(path+".relative_id", apperr.FieldNotFound, "not the id of a relative in this export's relatives")
			}
			f.RelativeID = &rid
		}
		f.EvidenceIDs = nil // the evidence is not imported
		ev, err := timeline.NewEvent(record.NewID(), c.ID, by, at, f)
		if err != nil {
			return nil, prefix(path, err)
		}
		rev, err := timeline.NewRevision(record.NewID(), ev, "create", "imported ("+Schema+")", by)
		if err != nil {
			return nil, fmt.Errorf("caseexport: revision: %w", err)
		}
		b.events, b.revisions = append(b.events, ev), append(b.revisions, rev)
	}
	return b, nil
}

// decodeBoth decodes raw into two structs (its references and its fields).
func decodeBoth(path string, raw []byte, ref, fields any) error {
	if err := decode(path, raw, ref, false); err != nil {
		return err
	}
	return decode(path, raw, fields, false)
}

// decode decodes raw into v; strict refuses unknown keys. A malformed
// value is a 400 naming its JSON path.
func decode(path string, raw []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return apperr.FieldWithCode(join(path, te.Field), apperr.FieldWrongType, "must be "+te.Type.String()+", not "+te.Value)
	case errors.As(err, &se):
		return apperr.FieldWithCode(join(path, ""), apperr.FieldInvalid, "not valid JSON (at byte "+strconv.FormatInt(se.Offset, 10)+")")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.FieldWithCode(join(path, name), apperr.FieldUnknownField, "unknown field")
	default:
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return prefix(path, err)
		}
		return apperr.FieldWithCode(join(path, ""), apperr.FieldInvalid, "not a valid value: "+err.Error())
	}
}

// join is the JSON path of field under path ("" names the document).
func join(path, field string) string {
	switch {
	case path == "":
		if field == "" {
			return "body"
		}
		return field
	case field == "":
		return path
	default:
		return path + "." + field
	}
}

// prefix puts path before the field names of a validation error.
func prefix(path string, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || len(ae.Fields) == 0 {
		return err
	}
	out := &apperr.Error{Kind: ae.Kind, Code: ae.Code, Message: ae.Message, Fields: map[string]string{}}
	for k, v := range ae.Fields {
		out.Fields[join(path, k)] = v
	}
	if len(ae.FieldCodes) > 0 {
		out.FieldCodes = map[string]string{}
		for k, v := range ae.FieldCodes {
			out.FieldCodes[join(path, k)] = v
		}
	}
	return out
}

// joinCampaigns adds the imported case to each campaign of refs the target
// has (by id; audited campaign.case_add) and lists the others in
// res.Skipped.
func (s *Service) joinCampaigns(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, refs []CampaignRef, res *ImportResult) error {
	res.Created["campaigns"] = 0
	seen := map[string]bool{}
	for i, ref := range refs {
		id, ok := record.ParseID(ref.ID)
		if ok && seen[id] {
			continue
		}
		seen[id] = true
		var c campaigns.Campaign
		if ok {
			if err := tx.Where("id = ?", id).Limit(1).Find(&c).Error; err != nil {
				return fmt.Errorf("caseexport: import: find campaign: %w", err)
			}
		}
		if c.ID == "" {
			res.Skipped = append(res.Skipped, SkippedRecord{Path: fmt.Sprintf("campaigns[%d].id", i), ID: ref.ID,
				Reason: "the campaign (" + ref.Name + ") is not in this Habeas"})
			continue
		}
		if err := tx.Create(&campaigns.Member{CampaignID: c.ID, CaseID: caseID, AddedBy: p.UserID, AddedAt: s.Now()}).Error; err != nil {
			return fmt.Errorf("caseexport: import campaign membership: %w", err)
		}
		if err := s.Record(ctx, tx, p, audit.Entry{Action: "campaign.case_add", ObjectType: "campaign", ObjectID: c.ID, CaseID: caseID,
			Details: map[string]any{"name": c.Name, "import": true}}); err != nil {
			return err
		}
		res.Created["campaigns"]++
	}
	return nil
}

// importedLink is a linked detainee of the document, validated, with the
// name the document gave it (for the skipped list).
type importedLink struct {
	link *cases.CaseDetainee
	name string
	path string // its place in the document: detainees[2]
}

// importLinks validates the document's linked detainees (issue 25): each
// needs a detainee_id and a role of the vocabulary; a bad one refuses the
// import naming its path ("detainees[2].role"). The principal entry of a
// GET list, if present, is not a link and is left out.
func importLinks(by string, at time.Time, caseID string, raws []json.RawMessage) ([]importedLink, error) {
	var out []importedLink
	seen := map[string]bool{}
	for i, raw := range raws {
		path := "detainees[" + strconv.Itoa(i) + "]"
		var ref struct {
			DetaineeID *string `json:"detainee_id"`
			Role       *string `json:"role"`
			Note       *string `json:"note"`
			Principal  bool    `json:"principal"`
			Detainee   struct {
				Name string `json:"name"`
			} `json:"detainee"`
		}
		if err := decode(path, raw, &ref, false); err != nil {
			return nil, err
		}
		if ref.Principal {
			continue
		}
		l, err := cases.NewCaseDetainee(record.NewID(), caseID, by, at, cases.CaseDetaineeCreate{DetaineeID: ref.DetaineeID, Role: ref.Role, Note: ref.Note})
		if err != nil {
			return nil, prefix(path, err)
		}
		if seen[l.DetaineeID] {
			return nil, apperr.FieldWithCode(path+".detainee_id", apperr.FieldInvalid, "listed twice")
		}
		seen[l.DetaineeID] = true
		out = append(out, importedLink{link: l, name: ref.Detainee.Name, path: path})
	}
	return out, nil
}

// storeLinks recreates each link whose detainee exists in this Habeas
// (same id) and lists the others as skipped.
func storeLinks(tx *gorm.DB, links []importedLink) (int, []SkippedRecord, error) {
	var skipped []SkippedRecord
	n := 0
	for _, l := range links {
		var count int64
		if err := tx.Table("detainees").Where("id = ?", l.link.DetaineeID).Count(&count).Error; err != nil {
			return 0, nil, fmt.Errorf("caseexport: import detainee link: %w", err)
		}
		if count == 0 {
			skipped = append(skipped, SkippedRecord{Path: l.path + ".detainee_id", ID: l.link.DetaineeID,
				Reason: "the detainee record (" + l.name + ") is not in this Habeas"})
			continue
		}
		if err := tx.Create(l.link).Error; err != nil {
			return 0, nil, fmt.Errorf("caseexport: import detainee link: %w", err)
		}
		n++
	}
	return n, skipped, nil
}
