package support

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/record"
)

// Service is the international-support service. Every method takes the
// acting principal, asks internal/access (every lookup starts from its
// visibility condition), runs in one transaction and writes its audit entry
// in that transaction: if the entry cannot be written, nothing changes.
type Service struct {
	*record.Kit
}

// NewService returns the service over d, recording into rec.
func NewService(d *db.DB, rec audit.Recorder) *Service {
	return &Service{Kit: record.NewKit("support", d, rec)}
}

// Today is the current calendar day "YYYY-MM-DD" in China Standard Time:
// an open action is overdue from the day after its due day, counted in the
// zone of every time limit of Habeas (see internal/civil).
func (s *Service) Today() string { return civil.Day(s.Now()) }

var (
	errManage   = apperr.New(apperr.ErrForbidden, "forbidden", "only admins and coordinators may do this")
	errReadOnly = apperr.New(apperr.ErrForbidden, "forbidden", "your role may only read support actions")
	errObserver = apperr.New(apperr.ErrForbidden, "forbidden",
		"observers may change only status, response and notes of the actions assigned to them")
	errObserverStatus = apperr.New(apperr.ErrForbidden, "forbidden",
		"observers may move an action only to in_progress, submitted, response_received or declined")
	errAssignee = apperr.New(apperr.ErrConflict, "assignee_required",
		"an action that is assigned or further along needs an assignee (a user or a partner)")
)

// Vocabularies returns the support vocabularies (any signed-in user).
func (s *Service) Vocabularies(p *actor.Principal) (map[string][]VocabularyTerm, error) {
	if err := record.Authenticated(p); err != nil {
		return nil, err
	}
	out := map[string][]VocabularyTerm{}
	for name, v := range Vocabularies {
		for _, t := range v {
			out[name] = append(out[name], VocabularyTerm{Value: t.Value, Label: t.Label})
		}
	}
	return out, nil
}

// VocabularyTerm is one value of a support vocabulary with its label.
type VocabularyTerm struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// views renders rows for p.
func (s *Service) views(tx *gorm.DB, p *actor.Principal, rows []Action) ([]ActionView, error) {
	r, err := loadRelated(tx, p, rows, s.Today())
	if err != nil {
		return nil, err
	}
	out := make([]ActionView, 0, len(rows))
	for i := range rows {
		out = append(out, rows[i].view(p, r))
	}
	return out, nil
}

func (s *Service) one(tx *gorm.DB, p *actor.Principal, a *Action) (ActionView, error) {
	vs, err := s.views(tx, p, []Action{*a})
	if err != nil {
		return ActionView{}, err
	}
	return vs[0], nil
}

func (s *Service) addChange(tx *gorm.DB, p *actor.Principal, a *Action, from Status) error {
	return tx.Create(NewChange(record.NewID(), a, from, p.UserID)).Error
}

// CreateAction records a support action on a case (admin, coordinator). It
// starts as proposed, or assigned when an assignee is named.
func (s *Service) CreateAction(ctx context.Context, p *actor.Principal, caseID string, in ActionFields) (ActionView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (ActionView, error) {
		if err := record.CaseVisible(tx, p, caseID); err != nil {
			return ActionView{}, err
		}
		if !access.ManagesSupport(p) {
			return ActionView{}, errManage
		}
		a, ch := buildAction(record.NewID(), caseID, p.UserID, s.Now(), s.Today(), in)
		if err := ch.Err(); err != nil {
			return ActionView{}, err
		}
		if err := checkReferences(tx, a, ch); err != nil {
			return ActionView{}, err
		}
		if err := ch.Err(); err != nil {
			return ActionView{}, err
		}
		assignIfNamed(a)
		if err := tx.Create(a).Error; err != nil {
			return ActionView{}, err
		}
		if err := s.addChange(tx, p, a, ""); err != nil {
			return ActionView{}, err
		}
		det := ch.Details()
		det["status"] = a.Status
		det["requested_at"] = a.RequestedAt
		if err := s.Record(ctx, tx, p, audit.Entry{Action: "support_action.create", ObjectType: "support_action",
			ObjectID: a.ID, CaseID: a.CaseID, Details: det}); err != nil {
			return ActionView{}, err
		}
		return s.one(tx, p, a)
	})
}

// GetAction returns a support action p may see.
func (s *Service) GetAction(ctx context.Context, p *actor.Principal, id string) (ActionView, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (ActionView, error) {
		a, err := findAction(tx, p, id)
		if err != nil {
			return ActionView{}, err
		}
		return s.one(tx, p, a)
	})
}

// checkObserverPatch refuses a change an observer may not make.
func checkObserverPatch(in ActionPatch) error {
	for _, f := range in.set() {
		allowed := false
		for _, ok := range access.ObserverSupportFields {
			allowed = allowed || f == ok
		}
		if !allowed {
			return errObserver
		}
	}
	if in.Status != nil && !observerMayMoveTo(strings.TrimSpace(*in.Status)) {
		return errObserverStatus
	}
	return nil
}

func invalidTransition(from, to Status) error {
	allowed := AllowedFrom(from)
	msg := "an action in status " + from + " cannot move to " + to
	if len(allowed) == 0 {
		msg += "; it is final"
	} else {
		msg += "; allowed: " + strings.Join(allowed, ", ")
	}
	return apperr.New(apperr.ErrConflict, "invalid_transition", msg)
}

// UpdateAction changes a support action if version is current: admin and
// coordinator any field, an observer (on the actions they see) only status,
// response and notes; lawyers never. A status change must follow the
// workflow (409 invalid_transition otherwise, and nothing changes); each
// status entered is kept for the case timeline.
func (s *Service) UpdateAction(ctx context.Context, p *actor.Principal, id string, version int64, in ActionPatch) (ActionView, error) {
	return record.Write(ctx, s.Kit, p, func(tx *gorm.DB) (ActionView, error) {
		a, err := findAction(tx, p, id)
		if err != nil {
			return ActionView{}, err
		}
		if !access.MayUpdateSupportAction(p) {
			return ActionView{}, errReadOnly
		}
		if !access.ManagesSupport(p) {
			if err := checkObserverPatch(in); err != nil {
				return ActionView{}, err
			}
		}
		if a.Version != version {
			return ActionView{}, record.ErrStale
		}
		from := a.Status
		ch := newChanges()
		if in.Status != nil {
			to := strings.TrimSpace(*in.Status)
			if !ValidStatus(to) {
				return ActionView{}, apperr.Field("status", "not a known status")
			}
			if !Allowed(from, to) {
				return ActionView{}, invalidTransition(from, to)
			}
			a.Status = to
		}
		a.apply(in.ActionFields, ch)
		a.check(ch)
		if err := ch.Err(); err != nil {
			return ActionView{}, err
		}
		if needsAssignee(a.Status) && a.AssigneeUserID == nil && a.AssigneePartnerID == nil {
			return ActionView{}, errAssignee
		}
		if err := checkReferences(tx, a, ch); err != nil {
			return ActionView{}, err
		}
		if err := ch.Err(); err != nil {
			return ActionView{}, err
		}
		if ch.Empty() && a.Status == from {
			return s.one(tx, p, a)
		}
		a.Version, a.UpdatedAt = version+1, s.Now()
		if err := record.SaveVersioned(tx, a, version); err != nil {
			return ActionView{}, err
		}
		det := ch.Details()
		action := "support_action.update"
		if a.Status != from {
			if err := s.addChange(tx, p, a, from); err != nil {
				return ActionView{}, err
			}
			action = "support_action.transition"
			det["from_status"], det["to_status"] = from, a.Status
		}
		if err := s.Record(ctx, tx, p, audit.Entry{Action: action, ObjectType: "support_action",
			ObjectID: a.ID, CaseID: a.CaseID, Details: det}); err != nil {
			return ActionView{}, err
		}
		return s.one(tx, p, a)
	})
}

// ListActions lists the support actions p sees that match f, with the
// summary counts of every matching action (the coordinator's board, or
// with f.Mine the caller's own work).
func (s *Service) ListActions(ctx context.Context, p *actor.Principal, f ActionFilter) (ActionPage, error) {
	if err := f.validate(); err != nil {
		return ActionPage{}, err
	}
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (ActionPage, error) {
		return s.list(tx, p, f)
	})
}

// ListCaseActions lists the support actions of a case that p sees: the
// case must be visible to p, or p must see at least one action on it.
func (s *Service) ListCaseActions(ctx context.Context, p *actor.Principal, caseID string, f ActionFilter) (ActionPage, error) {
	f.CaseID = caseID
	if err := f.validate(); err != nil {
		return ActionPage{}, err
	}
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) (ActionPage, error) {
		if err := caseOrActionsVisible(tx, p, caseID); err != nil {
			return ActionPage{}, err
		}
		return s.list(tx, p, f)
	})
}

func (s *Service) list(tx *gorm.DB, p *actor.Principal, f ActionFilter) (ActionPage, error) {
	today := s.Today()
	base := actionQuery(tx, p, f, today)
	page, err := actionList.Page(base, record.ListOptions{Sort: f.Sort, Cursor: f.Cursor, Limit: f.Limit})
	if err != nil {
		return ActionPage{}, err
	}
	sum, err := summarise(tx, p, f, base, today)
	if err != nil {
		return ActionPage{}, err
	}
	items, err := s.views(tx, p, page.Items)
	if err != nil {
		return ActionPage{}, err
	}
	return ActionPage{Items: items, NextCursor: page.NextCursor, Total: sum.Total, Summary: sum}, nil
}
