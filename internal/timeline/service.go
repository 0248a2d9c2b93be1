package timeline

import (
	"context"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
)

// Service is the timeline service. Every method takes the acting principal,
// asks internal/access (every lookup starts from its case scope, so an event
// or hearing of a case the caller may not see, or of another case, is not
// found), runs in one transaction (record.Write, or record.Read for reads)
// and records its audit entry in it.
type Service struct {
	*record.Kit
	support SupportSource
}

// NewService returns the timeline service over d, recording into rec. The
// merged timeline shows the support actions of support (none when nil).
func NewService(d *db.DB, rec audit.Recorder, support SupportSource) *Service {
	return &Service{Kit: record.NewKit("timeline", d, rec), support: support}
}

var (
	errEdit    = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not change the timeline of this case")
	errDeleted = apperr.New(apperr.ErrConflict, "event_deleted", "the event is deleted; deleted events are not changed")
)

// editable finds the case and checks p may change its timeline.
func editable(tx *gorm.DB, p *actor.Principal, caseID string) error {
	if err := record.CaseVisible(tx, p, caseID); err != nil {
		return err
	}
	if !access.MayEditTimeline(p) {
		return errEdit
	}
	return nil
}

// ---- events ----

// CreateEvent records an event of the case (admin, coordinator, a lawyer
// of the case) with its first revision.
func (s *Service) CreateEvent(ctx context.Context, p *actor.Principal, caseID string, f EventFields) (EventView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (EventView, error) {
		if err := editable(tx, p, caseID); err != nil {
			return EventView{}, err
		}
		ev, ch, err := buildEvent(record.NewID(), caseID, p.UserID, s.Now(), f)
		if err != nil {
			return EventView{}, err
		}
		if err := checkRefs(tx, p, ev, ch); err != nil {
			return EventView{}, err
		}
		if err := tx.Create(ev).Error; err != nil {
			return EventView{}, err
		}
		return s.written(ctx, tx, p, ev, "create", "", audit.Entry{Action: "event.create", Details: auditDetails(ch, ev.Version)})
	})
}

// written stores the revision of ev after a change, records the audit
// entry e (of the event) and returns ev with its revisions.
func (s *Service) written(ctx context.Context, tx *gorm.DB, p *actor.Principal, ev *Event, change, reason string, e audit.Entry) (EventView, error) {
	if err := writeRevision(tx, ev, change, reason, p.UserID); err != nil {
		return EventView{}, err
	}
	out := ev.View()
	var err error
	if out.Revisions, err = revisions(tx, p, ev.ID); err != nil {
		return EventView{}, err
	}
	e.ObjectType, e.ObjectID, e.CaseID = "event", ev.ID, ev.CaseID
	return out, s.Record(ctx, tx, p, e)
}

// auditDetails are the changed fields and the new version, for an audit
// entry. Free text is named, not copied: the audit log is read by more
// people (and kept longer) than a confidential event.
func auditDetails(ch map[string]any, version int64) map[string]any {
	d := map[string]any{"version": version}
	var text []string
	for k, v := range ch {
		switch k {
		case "description", "place", "source", "outcome", "observers", "notes", "court":
			text = append(text, k)
		default:
			d[k] = v
		}
	}
	if len(text) > 0 {
		d["text_changed"] = text
	}
	return d
}

// GetEvent returns one event with its revisions (deleted events too) and
// audits the read.
func (s *Service) GetEvent(ctx context.Context, p *actor.Principal, caseID, id string) (EventView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (EventView, error) {
		ev, err := findEvent(tx, p, caseID, id)
		if err != nil {
			return EventView{}, err
		}
		out := ev.View()
		if out.Revisions, err = revisions(tx, p, ev.ID); err != nil {
			return EventView{}, err
		}
		views := []*EventView{&out}
		states := make([]*EventView, len(out.Revisions))
		for i := range out.Revisions {
			states[i] = &EventView{EventState: out.Revisions[i].State}
		}
		if err := HideLinks(tx, p, append(views, states...)); err != nil {
			return EventView{}, err
		}
		for i := range states {
			out.Revisions[i].State = states[i].EventState
		}
		return out, s.Record(ctx, tx, p, audit.Entry{Action: "event.read", ObjectType: "event", ObjectID: ev.ID, CaseID: caseID})
	})
}

// changeable finds the event p changes, checks that p may change it and
// that it is at version (unless anyVersion).
func changeable(tx *gorm.DB, p *actor.Principal, caseID, id string, version int64, anyVersion bool) (*Event, error) {
	ev, err := findEvent(tx, p, caseID, id)
	if err != nil {
		return nil, err
	}
	switch {
	case !access.MayEditTimeline(p):
		return nil, errEdit
	case ev.DeletedAt != nil:
		return nil, errDeleted
	case !anyVersion && ev.Version != version:
		return nil, record.ErrStale
	}
	return ev, nil
}

// UpdateEvent changes an event if version is current, writing a new revision.
func (s *Service) UpdateEvent(ctx context.Context, p *actor.Principal, caseID, id string, version int64, f EventFields) (EventView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (EventView, error) {
		ev, err := changeable(tx, p, caseID, id, version, false)
		if err != nil {
			return EventView{}, err
		}
		ch, err := f.apply(ev)
		if err != nil {
			return EventView{}, err
		}
		if len(ch) == 0 {
			return EventView{}, apperr.Invalid("no_change", "the request changes nothing", nil)
		}
		if err := checkRefs(tx, p, ev, ch); err != nil {
			return EventView{}, err
		}
		ev.Version, ev.UpdatedBy, ev.UpdatedAt = version+1, p.UserID, s.Now()
		if err := record.SaveVersioned(tx, ev, version); err != nil {
			return EventView{}, err
		}
		return s.written(ctx, tx, p, ev, "update", "", audit.Entry{Action: "event.update", Details: auditDetails(ch, ev.Version)})
	})
}

// DeleteEvent soft-deletes an event with a reason; it stays readable (with
// its revisions) but leaves the timeline. version 0 skips the version check.
func (s *Service) DeleteEvent(ctx context.Context, p *actor.Principal, caseID, id string, version int64, in DeleteInput) (EventView, error) {
	reason := strings.TrimSpace(in.Reason)
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (EventView, error) {
		ev, err := changeable(tx, p, caseID, id, version, version == 0)
		if err != nil {
			return EventView{}, err
		}
		if reason == "" || utf8.RuneCountInString(reason) > maxReason || strings.ContainsRune(reason, 0) {
			return EventView{}, apperr.Field("reason", "required, at most 2000 characters")
		}
		now, old := s.Now(), ev.Version
		ev.DeletedAt, ev.DeletedBy, ev.DeleteReason = &now, p.UserID, reason
		ev.Version, ev.UpdatedBy, ev.UpdatedAt = old+1, p.UserID, now
		if err := record.SaveVersioned(tx, ev, old); err != nil {
			return EventView{}, err
		}
		return s.written(ctx, tx, p, ev, "delete", reason, audit.Entry{Action: "event.delete",
			Details: map[string]any{"version": ev.Version, "reason": reason}})
	})
}
