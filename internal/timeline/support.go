package timeline

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
)

// SupportSource gives the status changes of the support actions of a case
// for its timeline (internal/support, wired by internal/app): oldest first,
// only those p sees, read in tx. A case p sees no action of gives an empty
// list, never an error (the timeline checks the case itself).
type SupportSource interface {
	SupportChanges(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string) ([]SupportChange, error)
}

// SupportChange is a support action entering a status (its creation
// included, with an empty FromStatus), as the SupportSource gives it.
type SupportChange struct {
	// Date is the calendar day of the change in China Standard Time
	// ("YYYY-MM-DD", the zone of every date computation of Habeas).
	Date string `json:"date"`
	// At is the exact time of the change (UTC).
	At time.Time `json:"at"`
	// Kind is always "support_action".
	Kind string `json:"kind"`
	// ID is the support action's id; ChangeID the status change's.
	ID       string `json:"id"`
	ChangeID string `json:"change_id"`
	// Title is the action type's English label, with its addressee when
	// known; the web composes it in the reader's language from Type and
	// Addressee.
	Title        string `json:"title"`
	Type         string `json:"type"`
	Addressee    string `json:"addressee"`
	Status       string `json:"status"`
	FromStatus   string `json:"from_status"`
	Confidential bool   `json:"confidential"`
	// ChangedBy is the account that made the change; ChangedByName its
	// name when the caller sees account names, else nil.
	ChangedBy     string  `json:"changed_by"`
	ChangedByName *string `json:"changed_by_name"`
}

// SupportStep is one status change in a SupportGroup's history.
type SupportStep struct {
	ChangeID   string    `json:"change_id"`
	Date       string    `json:"date"`
	At         time.Time `json:"at"`
	FromStatus string    `json:"from_status"`
	Status     string    `json:"status"`
	// ChangedByName is nil when the caller does not see account names.
	ChangedByName *string `json:"changed_by_name"`
}

// SupportGroup is the one timeline entry of a support action: its current
// status (the fields of its latest change) and every change the caller
// sees, oldest first. The entry is placed at the action's first change (its
// creation), which never moves, so a change made while someone pages
// through the timeline cannot show the action twice or skip it.
type SupportGroup struct {
	SupportChange
	// StartedAt is the time of the first change (the item's place).
	StartedAt time.Time     `json:"started_at"`
	Changes   []SupportStep `json:"changes"`
}

// groupChanges turns changes (oldest first) into one group per action, in
// the order of their first change.
func groupChanges(changes []SupportChange) []*SupportGroup {
	var out []*SupportGroup
	byID := map[string]*SupportGroup{}
	for i := range changes {
		ch := changes[i]
		g, ok := byID[ch.ID]
		if !ok {
			g = &SupportGroup{StartedAt: ch.At}
			byID[ch.ID] = g
			out = append(out, g)
		}
		g.SupportChange = ch // the latest so far: changes come oldest first
		g.Changes = append(g.Changes, SupportStep{ChangeID: ch.ChangeID, Date: ch.Date, At: ch.At,
			FromStatus: ch.FromStatus, Status: ch.Status, ChangedByName: ch.ChangedByName})
	}
	return out
}

// supportItems are the support actions of the case that p sees (the
// SupportSource decides which: an observer only those assigned to them or
// their partner), one item per action with its changes, placed at its first
// change. They are never obstacles.
func (s *Service) supportItems(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, q TimelineQuery, after *cursorPos, limit int) ([]Item, error) {
	if q.ObstaclesOnly || s.support == nil {
		return nil, nil
	}
	changes, err := s.support.SupportChanges(ctx, tx, p, caseID)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, g := range groupChanges(changes) {
		key := instantKey(g.StartedAt)
		if !after.after(key, KindSupportAction, g.ID) {
			continue
		}
		out = append(out, Item{Kind: KindSupportAction, ID: g.ID, SortKey: key,
			Date: g.StartedAt.Format(time.RFC3339), Precision: PrecisionTime, SupportAction: g})
	}
	sortItems(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
