package evidence

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/record"
)

// List returns a page of the case's available items that p may see, newest first.
func (s *Service) List(ctx context.Context, p *actor.Principal, caseID string, in ListInput) (Page, error) {
	if in.Limit <= 0 {
		in.Limit = 50
	}
	in.Limit = min(in.Limit, MaxPage)
	out, err := record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (Page, error) {
		out := Page{Items: []View{}}
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return out, err
		}
		q := record.Where(tx, access.EvidenceVisible(p, "evidence")).
			Where("evidence.case_id = ? AND evidence.status = ?", caseID, Available)
		if in.Cursor != "" {
			q = q.Where("evidence.id < ?", in.Cursor) // ids are UUIDv7: time-ordered
		}
		var items []Item
		if err := q.Order("evidence.id DESC").Limit(in.Limit + 1).Find(&items).Error; err != nil {
			return out, err
		}
		if len(items) > in.Limit {
			items = items[:in.Limit]
			out.NextCursor = items[len(items)-1].ID
		}
		for i := range items {
			out.Items = append(out.Items, items[i].View())
		}
		return out, nil
	})
	if err != nil {
		return Page{Items: []View{}}, err
	}
	return out, nil
}

// Get returns one item and audits the view.
func (s *Service) Get(ctx context.Context, p *actor.Principal, caseID, id string) (View, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (View, error) {
		it, err := findItem(tx, p, caseID, id, shown...)
		if err != nil {
			return View{}, err
		}
		return it.View(), s.Record(ctx, tx, p, audit.Entry{Action: "evidence.read", ObjectType: objectType, ObjectID: it.ID, CaseID: it.CaseID})
	})
}

// Update changes an item's metadata if version is current (admin,
// coordinator, a lawyer of the case).
func (s *Service) Update(ctx context.Context, p *actor.Principal, caseID, id string, version int64, f Fields) (View, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (View, error) {
		it, err := findItem(tx, p, caseID, id, Available)
		if err != nil {
			return View{}, err
		}
		if !access.MayEditCase(p) {
			return View{}, errUpload
		}
		if it.Version != version {
			return View{}, record.ErrStale
		}
		changes, err := f.apply(it)
		if err != nil {
			return View{}, err
		}
		if len(changes) == 0 {
			return View{}, apperr.Invalid("no_change", "the request changes nothing", nil)
		}
		if err := checkLinkedEvents(tx, it, changes); err != nil {
			return View{}, err
		}
		it.Version, it.UpdatedAt = version+1, s.Now()
		res := tx.Model(&Item{}).Where("id = ? AND version = ?", it.ID, version).Select(
			"title", "description", "kind", "source", "captured_at", "captured_at_sort", "language",
			"confidential", "linked_events", "version", "updated_at").Updates(it)
		if res.Error != nil {
			return View{}, res.Error
		}
		if res.RowsAffected != 1 {
			return View{}, record.ErrStale
		}
		return it.View(), s.Record(ctx, tx, p, audit.Entry{Action: "evidence.update", ObjectType: objectType, ObjectID: it.ID,
			CaseID: it.CaseID, Details: changes})
	})
}

// Delete soft-deletes an item with a reason (admin, coordinator). Its
// content is purged by reconcile once the retention period has passed.
func (s *Service) Delete(ctx context.Context, p *actor.Principal, caseID, id string, in DeleteInput) (View, error) {
	reason := strings.TrimSpace(in.Reason)
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (View, error) {
		it, err := findItem(tx, p, caseID, id, Available)
		if err != nil {
			return View{}, err
		}
		if !access.MayDeleteEvidence(p) {
			return View{}, errDelete
		}
		if reason == "" || len([]rune(reason)) > 2000 {
			return View{}, apperr.Field("reason", "required, at most 2000 characters")
		}
		now := s.Now()
		purge := now.Add(s.retention)
		it.Status, it.DeletedAt, it.DeletedBy, it.DeleteReason, it.PurgeAfter = Deleted, &now, p.UserID, reason, &purge
		it.UpdatedAt, it.Version = now, it.Version+1
		if err := tx.Model(&Item{}).Where("id = ? AND status = ?", it.ID, Available).Select(
			"status", "deleted_at", "deleted_by", "delete_reason", "purge_after", "updated_at", "version").Updates(it).Error; err != nil {
			return View{}, err
		}
		return it.View(), s.Record(ctx, tx, p, audit.Entry{Action: "evidence.delete", ObjectType: objectType, ObjectID: it.ID,
			CaseID: it.CaseID, Details: map[string]any{"reason": reason, "purge_after": purge.Format(time.RFC3339)}})
	})
}

// checkLinkedEvents checks, when the links changed, that every linked event
// is a timeline event of the item's own case that is not deleted (issue 6).
func checkLinkedEvents(tx *gorm.DB, it *Item, changes map[string]any) error {
	if _, changed := changes["linked_events"]; !changed || len(it.LinkedEvents) == 0 {
		return nil
	}
	var n int64
	if err := tx.Table("case_events").Where("case_id = ? AND deleted_at IS NULL AND id IN ?", it.CaseID, []string(it.LinkedEvents)).
		Count(&n).Error; err != nil {
		return err
	}
	if n != int64(len(it.LinkedEvents)) {
		return apperr.Field("linked_events", "every id must be an event of this case")
	}
	return nil
}
