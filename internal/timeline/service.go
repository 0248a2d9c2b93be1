package timeline

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/db"
)

// Service is the timeline service. Every method takes the acting principal,
// asks internal/access (every lookup starts from its case scope, so an event
// or hearing of a case the caller may not see, or of another case, is not
// found), runs in one transaction and records its audit entry in it.
type Service struct {
	db    *db.DB
	audit audit.Recorder
	now   func() time.Time
}

// NewService returns the timeline service over d, recording into rec.
func NewService(d *db.DB, rec audit.Recorder) *Service {
	return &Service{db: d, audit: rec, now: func() time.Time { return time.Now().UTC() }}
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

var (
	errEdit  = apperr.New(apperr.ErrForbidden, "forbidden", "your role may not change the timeline of this case")
	errStale = apperr.New(apperr.ErrPrecondition, "version_mismatch",
		"the record was changed by someone else; reload it and apply your change again")
	errDeleted = apperr.New(apperr.ErrConflict, "event_deleted", "the event is deleted; deleted events are not changed")
)

func authenticated(p *actor.Principal) error {
	if p == nil || p.UserID == "" {
		return apperr.New(apperr.ErrUnauthenticated, "unauthenticated", "sign in first")
	}
	return nil
}

func (s *Service) tx(ctx context.Context, p *actor.Principal, fn func(tx *gorm.DB) error) error {
	if err := authenticated(p); err != nil {
		return err
	}
	return s.db.WithTx(actor.WithPrincipal(ctx, p), fn)
}

// readTx runs fn, a read that records its audit entry with s.record, in a
// read transaction; the entry is group-committed (audit.ReadTx) before the
// caller answers.
func (s *Service) readTx(ctx context.Context, p *actor.Principal, fn func(tx *gorm.DB) error) error {
	if err := authenticated(p); err != nil {
		return err
	}
	return audit.ReadTx(actor.WithPrincipal(ctx, p), s.db, s.audit, fn)
}

func (s *Service) record(ctx context.Context, tx *gorm.DB, p *actor.Principal, e audit.Entry) error {
	e.ActorID, e.ActorRole = p.UserID, string(p.Role)
	if err := s.audit.Record(actor.WithPrincipal(ctx, p), tx, e); err != nil {
		return errors.Join(errors.New("timeline: audit"), err)
	}
	return nil
}

// editable finds the case and checks p may change its timeline.
func editable(tx *gorm.DB, p *actor.Principal, caseID string) error {
	if err := caseVisible(tx, p, caseID); err != nil {
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
	var out EventView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		if err := editable(tx, p, caseID); err != nil {
			return err
		}
		ev, ch, err := buildEvent(newID(), caseID, p.UserID, s.now(), f)
		if err != nil {
			return err
		}
		if err := checkRefs(tx, p, ev, ch); err != nil {
			return err
		}
		if err := tx.Create(ev).Error; err != nil {
			return err
		}
		if err := writeRevision(tx, ev, "create", "", p.UserID); err != nil {
			return err
		}
		out = ev.View()
		out.Revisions, err = revisions(tx, p, ev.ID)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "event.create", ObjectType: "event", ObjectID: ev.ID, CaseID: caseID,
			Details: auditDetails(ch, ev.Version)})
	})
	return out, err
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
	var out EventView
	err := s.readTx(ctx, p, func(tx *gorm.DB) error {
		ev, err := findEvent(tx, p, caseID, id)
		if err != nil {
			return err
		}
		out = ev.View()
		if out.Revisions, err = revisions(tx, p, ev.ID); err != nil {
			return err
		}
		views := []*EventView{&out}
		states := make([]*EventView, len(out.Revisions))
		for i := range out.Revisions {
			states[i] = &EventView{EventState: out.Revisions[i].State}
		}
		if err := hideEvidence(tx, p, append(views, states...)); err != nil {
			return err
		}
		for i := range states {
			out.Revisions[i].State = states[i].EventState
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "event.read", ObjectType: "event", ObjectID: ev.ID, CaseID: caseID})
	})
	return out, err
}

// UpdateEvent changes an event if version is current, writing a new revision.
func (s *Service) UpdateEvent(ctx context.Context, p *actor.Principal, caseID, id string, version int64, f EventFields) (EventView, error) {
	var out EventView
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		ev, err := findEvent(tx, p, caseID, id)
		if err != nil {
			return err
		}
		if !access.MayEditTimeline(p) {
			return errEdit
		}
		if ev.DeletedAt != nil {
			return errDeleted
		}
		if ev.Version != version {
			return errStale
		}
		ch, err := f.apply(ev)
		if err != nil {
			return err
		}
		if len(ch) == 0 {
			return apperr.Invalid("no_change", "the request changes nothing", nil)
		}
		if err := checkRefs(tx, p, ev, ch); err != nil {
			return err
		}
		ev.Version, ev.UpdatedBy, ev.UpdatedAt = version+1, p.UserID, s.now()
		if err := saveEvent(tx, ev, version); err != nil {
			return err
		}
		if err := writeRevision(tx, ev, "update", "", p.UserID); err != nil {
			return err
		}
		out = ev.View()
		if out.Revisions, err = revisions(tx, p, ev.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "event.update", ObjectType: "event", ObjectID: ev.ID, CaseID: caseID,
			Details: auditDetails(ch, ev.Version)})
	})
	return out, err
}

// saveEvent writes ev if its row is still at version old.
func saveEvent(tx *gorm.DB, ev *Event, old int64) error {
	res := tx.Model(&Event{}).Where("id = ? AND version = ?", ev.ID, old).Select("*").Omit("id", "case_id", "created_by", "created_at").Updates(ev)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return errStale
	}
	return nil
}

// DeleteEvent soft-deletes an event with a reason; it stays readable (with
// its revisions) but leaves the timeline. version 0 skips the version check.
func (s *Service) DeleteEvent(ctx context.Context, p *actor.Principal, caseID, id string, version int64, in DeleteInput) (EventView, error) {
	var out EventView
	reason := strings.TrimSpace(in.Reason)
	err := s.tx(ctx, p, func(tx *gorm.DB) error {
		ev, err := findEvent(tx, p, caseID, id)
		if err != nil {
			return err
		}
		if !access.MayEditTimeline(p) {
			return errEdit
		}
		if ev.DeletedAt != nil {
			return errDeleted
		}
		if version != 0 && ev.Version != version {
			return errStale
		}
		if reason == "" || utf8.RuneCountInString(reason) > maxReason || strings.ContainsRune(reason, 0) {
			return apperr.Field("reason", "required, at most 2000 characters")
		}
		now, old := s.now(), ev.Version
		ev.DeletedAt, ev.DeletedBy, ev.DeleteReason = &now, p.UserID, reason
		ev.Version, ev.UpdatedBy, ev.UpdatedAt = old+1, p.UserID, now
		if err := saveEvent(tx, ev, old); err != nil {
			return err
		}
		if err := writeRevision(tx, ev, "delete", reason, p.UserID); err != nil {
			return err
		}
		out = ev.View()
		if out.Revisions, err = revisions(tx, p, ev.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, p, audit.Entry{Action: "event.delete", ObjectType: "event", ObjectID: ev.ID, CaseID: caseID,
			Details: map[string]any{"version": ev.Version, "reason": reason}})
	})
	return out, err
}
