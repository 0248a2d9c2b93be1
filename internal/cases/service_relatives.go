package cases

import (
	"context"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// ---- Relatives and contacts of a detainee ----
//
// Who may do what (access.RelativeVisible, access.MayEditRelatives): whoever
// sees the detainee reads its relatives, observers only the non-confidential
// ones and never a contact or address; admins, coordinators and a lawyer
// holding one of the detainee's cases write them. Every read that shows
// contact data (a relative's record, a page of the list) is audited.

var errEditRelatives = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not change the relatives of this detainee")

// maxDeleteReason bounds the reason of a relative's deletion.
const maxDeleteReason = 2000

// CreateRelative records a relative of the detainee (admin, coordinator, a
// lawyer holding one of its cases).
func (s *Service) CreateRelative(ctx context.Context, p *actor.Principal, detaineeID string, in RelativeFields) (RelativeView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (RelativeView, error) {
		if _, err := findDetainee(tx, p, detaineeID); err != nil {
			return RelativeView{}, err
		}
		if !access.MayEditRelatives(p) {
			return RelativeView{}, errEditRelatives
		}
		if held, err := detaineeHeld(tx, p, detaineeID); err != nil {
			return RelativeView{}, err
		} else if !held { // seen only as a co-defendant: the relatives follow its own cases
			return RelativeView{}, errEditRelatives
		}
		r, ch := buildRelative(record.NewID(), detaineeID, p.UserID, s.Now(), in)
		if err := ch.Err(); err != nil {
			return RelativeView{}, err
		}
		if err := tx.Create(r).Error; err != nil {
			return RelativeView{}, err
		}
		return s.relativeWritten(ctx, tx, p, r, "relative.create", ch.Details())
	})
}

// GetRelative returns a relative of the detainee p may see, with its
// current consent and the pressure events linked to it that p sees. The
// read is audited when it shows contact data.
func (s *Service) GetRelative(ctx context.Context, p *actor.Principal, detaineeID, id string) (RelativeView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (RelativeView, error) {
		r, err := findRelative(tx, p, detaineeID, id)
		if err != nil {
			return RelativeView{}, err
		}
		consent, err := currentConsent(tx, []string{r.ID})
		if err != nil {
			return RelativeView{}, err
		}
		v := r.View(p, consent[r.ID])
		if v.Events, err = relativeEvents(tx, p, r.ID); err != nil {
			return RelativeView{}, err
		}
		if access.SeesRelativeContact(p) {
			err = s.Record(ctx, tx, p, audit.Entry{Action: "relative.read", ObjectType: "relative", ObjectID: r.ID,
				Details: map[string]any{"detainee_id": r.DetaineeID}})
		}
		return v, err
	})
}

// UpdateRelative changes a relative if version is current.
func (s *Service) UpdateRelative(ctx context.Context, p *actor.Principal, detaineeID, id string, version int64, in RelativeFields) (RelativeView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (RelativeView, error) {
		r, err := findRelative(tx, p, detaineeID, id)
		if err != nil {
			return RelativeView{}, err
		}
		if !access.MayEditRelatives(p) {
			return RelativeView{}, errEditRelatives
		}
		if r.Version != version {
			return RelativeView{}, record.ErrStale
		}
		ch := record.NewChangeSet()
		r.apply(in, ch)
		if err := ch.Err(); err != nil {
			return RelativeView{}, err
		}
		if ch.Empty() {
			consent, err := currentConsent(tx, []string{r.ID})
			return r.View(p, consent[r.ID]), err
		}
		r.Version, r.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, r, version); err != nil {
			return RelativeView{}, err
		}
		return s.relativeWritten(ctx, tx, p, r, "relative.update", ch.Details())
	})
}

// DeleteRelative removes a relative recorded in error, with a reason, if
// version is current. It is a soft delete: the row and its consent history
// stay, out of every list, and the audit trail keeps the reason. Events
// linked to it keep the link (the relative is no longer shown).
func (s *Service) DeleteRelative(ctx context.Context, p *actor.Principal, detaineeID, id string, version int64, in RelativeDelete) error {
	return s.Do(ctx, p, func(tx *gorm.DB) error {
		r, err := findRelative(tx, p, detaineeID, id)
		if err != nil {
			return err
		}
		if !access.MayEditRelatives(p) {
			return errEditRelatives
		}
		reason := record.Clean(in.Reason)
		if reason == "" || utf8.RuneCountInString(reason) > maxDeleteReason || strings.ContainsRune(reason, 0) {
			return apperr.Field("reason", "required, at most 2000 characters")
		}
		if r.Version != version {
			return record.ErrStale
		}
		now := s.Now()
		res := tx.Model(&Relative{}).Where("id = ? AND version = ? AND deleted_at IS NULL", r.ID, version).
			Updates(map[string]any{"deleted_at": now, "deleted_by": p.UserID, "delete_reason": reason, "updated_at": now, "version": version + 1})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return record.ErrStale
		}
		return s.Record(ctx, tx, p, audit.Entry{Action: "relative.delete", ObjectType: "relative", ObjectID: r.ID,
			Details: map[string]any{"detainee_id": r.DetaineeID, "relation": r.Relation, "version": version, "reason": reason}})
	})
}

// ListRelatives lists the relatives of a detainee p may see (sort name,
// relation or created, "-" for descending), with their current consent. A
// page that shows contact data is audited.
func (s *Service) ListRelatives(ctx context.Context, p *actor.Principal, detaineeID string, o record.ListOptions) (record.Page[RelativeView], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[RelativeView], error) {
		if _, err := findDetainee(tx, p, detaineeID); err != nil {
			return record.Page[RelativeView]{}, err
		}
		base := func() *gorm.DB {
			return record.Where(tx.Model(&Relative{}), access.RelativeVisible(p, "detainee_relatives")).
				Where("detainee_relatives.detainee_id = ? AND detainee_relatives.deleted_at IS NULL", detaineeID)
		}
		page, err := relativeList.Page(base, o)
		if err != nil {
			return record.Page[RelativeView]{}, err
		}
		ids := make([]string, len(page.Items))
		for i := range page.Items {
			ids[i] = page.Items[i].ID
		}
		consent, err := currentConsent(tx, ids)
		if err != nil {
			return record.Page[RelativeView]{}, err
		}
		out := record.Map(page, func(r *Relative) RelativeView { return r.View(p, consent[r.ID]) })
		if len(ids) > 0 && access.SeesRelativeContact(p) {
			err = s.Record(ctx, tx, p, audit.Entry{Action: "relative.list", ObjectType: "detainee", ObjectID: detaineeID,
				Details: map[string]any{"relatives": ids}})
		}
		return out, err
	})
}

// AddConsent appends a consent record (given or withdrawn) to a relative.
func (s *Service) AddConsent(ctx context.Context, p *actor.Principal, detaineeID, relativeID string, in ConsentFields) (ConsentView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (ConsentView, error) {
		r, err := findRelative(tx, p, detaineeID, relativeID)
		if err != nil {
			return ConsentView{}, err
		}
		if !access.MayEditRelatives(p) {
			return ConsentView{}, errEditRelatives
		}
		k, ch := buildConsent(record.NewID(), r.ID, p.UserID, s.Now(), in)
		if err := ch.Err(); err != nil {
			return ConsentView{}, err
		}
		if err := tx.Create(k).Error; err != nil {
			return ConsentView{}, err
		}
		d := ch.Details()
		d["detainee_id"], d["kind"] = r.DetaineeID, k.Kind
		return k.View(), s.Record(ctx, tx, p, audit.Entry{Action: "relative.consent", ObjectType: "relative", ObjectID: r.ID, Details: d})
	})
}

// ListConsents is the consent history of a relative, newest first (every
// record; at most record.MaxLimit, the cursor-less history of one person).
func (s *Service) ListConsents(ctx context.Context, p *actor.Principal, detaineeID, relativeID string, o record.ListOptions) (record.Page[ConsentView], error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (record.Page[ConsentView], error) {
		r, err := findRelative(tx, p, detaineeID, relativeID)
		if err != nil {
			return record.Page[ConsentView]{}, err
		}
		base := func() *gorm.DB { return tx.Model(&RelativeConsent{}).Where("relative_consents.relative_id = ?", r.ID) }
		page, err := consentList.Page(base, o)
		return record.Map(page, func(k *RelativeConsent) ConsentView { return k.View() }), err
	})
}

// relativeWritten records the audit entry of a change to r and answers r.
func (s *Service) relativeWritten(ctx context.Context, tx *gorm.DB, p *actor.Principal, r *Relative, action string, details map[string]any) (RelativeView, error) {
	details["version"], details["detainee_id"] = r.Version, r.DetaineeID
	if err := s.Record(ctx, tx, p, audit.Entry{Action: action, ObjectType: "relative", ObjectID: r.ID, Details: details}); err != nil {
		return RelativeView{}, err
	}
	consent, err := currentConsent(tx, []string{r.ID})
	return r.View(p, consent[r.ID]), err
}

// findRelative is the live relative id of detaineeID, if p may see it.
func findRelative(tx *gorm.DB, p *actor.Principal, detaineeID, id string) (*Relative, error) {
	var r Relative
	err := record.Where(tx, access.RelativeVisible(p, "detainee_relatives")).
		Where("detainee_relatives.detainee_id = ? AND detainee_relatives.id = ? AND detainee_relatives.deleted_at IS NULL", detaineeID, id).
		Take(&r).Error
	if err != nil {
		return nil, record.NotFound(err, "relative")
	}
	return &r, nil
}

// currentConsent is the current state of each consent kind of the
// relatives ids: the status of the latest record per kind (by id, a
// time-ordered UUIDv7). A kind without a record is absent (unknown).
func currentConsent(tx *gorm.DB, ids []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []RelativeConsent
	err := tx.Select("relative_id, kind, status, id").Where("relative_id IN ?", ids).Order("id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, k := range rows {
		if out[k.RelativeID] == nil {
			out[k.RelativeID] = map[string]string{}
		}
		out[k.RelativeID][k.Kind] = k.Status // later rows overwrite earlier ones
	}
	return out, nil
}

// relativeEvents are the live timeline events linked to the relative that
// p sees (by date, at most MaxRelativeEvents).
func relativeEvents(tx *gorm.DB, p *actor.Principal, relativeID string) ([]RelativeEventView, error) {
	var rows []struct {
		ID, CaseID, Type, OccurredAt, Description string
	}
	err := record.Where(tx.Table("case_events"), access.TimelineRowVisible(p, "case_events")).
		Select("case_events.id, case_events.case_id, case_events.type, case_events.occurred_at, case_events.description").
		Where("case_events.relative_id = ? AND case_events.deleted_at IS NULL", relativeID).
		Order("case_events.sort_key, case_events.id").Limit(MaxRelativeEvents).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]RelativeEventView, len(rows))
	for i, e := range rows {
		out[i] = RelativeEventView{ID: e.ID, CaseID: e.CaseID, Type: e.Type, OccurredAt: e.OccurredAt, Description: e.Description}
	}
	return out, nil
}

// relativeList is the keyset of a detainee's relatives.
var relativeList = record.Keyset[Relative]{
	Table: "detainee_relatives",
	Sorts: record.Sorts[Relative]{
		"name":     {Column: "detainee_relatives.name", Value: func(r *Relative) string { return r.Name }},
		"relation": {Column: "detainee_relatives.relation", Value: func(r *Relative) string { return r.Relation }},
		"created":  {Column: "detainee_relatives.id", Value: func(r *Relative) string { return r.ID }},
	},
	DefaultSort: "created", ID: func(r *Relative) string { return r.ID }, Count: true,
}

// consentList is the keyset of a relative's consent history.
var consentList = record.Keyset[RelativeConsent]{
	Table: "relative_consents",
	Sorts: record.Sorts[RelativeConsent]{
		"created": {Column: "relative_consents.id", Value: func(k *RelativeConsent) string { return k.ID }},
	},
	DefaultSort: "-created", ID: func(k *RelativeConsent) string { return k.ID }, Count: true,
}

// MaxExportRelatives bounds the relatives a document export prints.
const MaxExportRelatives = 200

// LoadRelatives reads, inside tx, the live relatives of the detainee that p
// sees (by relation, then name; at most MaxExportRelatives) with the
// current state of each consent kind, for a document export.
func LoadRelatives(tx *gorm.DB, p *actor.Principal, detaineeID string) ([]Relative, map[string]map[string]string, error) {
	var rels []Relative
	err := record.Where(tx, access.RelativeVisible(p, "detainee_relatives")).
		Where("detainee_relatives.detainee_id = ? AND detainee_relatives.deleted_at IS NULL", detaineeID).
		Order("detainee_relatives.id").Limit(MaxExportRelatives).Find(&rels).Error
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(rels))
	for i := range rels {
		ids[i] = rels[i].ID
	}
	consent, err := currentConsent(tx, ids)
	return rels, consent, err
}
