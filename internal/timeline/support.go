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

// SupportChange is one timeline entry of kind support_action: a support
// action entering a status (its creation included, with an empty
// FromStatus).
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
}

// supportItems are the status changes of the case's support actions that p
// sees (the SupportSource decides which: an observer only those of actions
// assigned to them or their partner). They are never obstacles.
func (s *Service) supportItems(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseID string, q TimelineQuery, after *cursorPos, limit int) ([]Item, error) {
	if q.ObstaclesOnly || s.support == nil {
		return nil, nil
	}
	changes, err := s.support.SupportChanges(ctx, tx, p, caseID)
	if err != nil {
		return nil, err
	}
	var out []Item
	for i := range changes {
		ch := &changes[i]
		key := instantKey(ch.At)
		if !after.after(key, KindSupportAction, ch.ChangeID) {
			continue
		}
		out = append(out, Item{Kind: KindSupportAction, ID: ch.ChangeID, SortKey: key,
			Date: ch.At.Format(time.RFC3339), Precision: PrecisionTime, SupportAction: ch})
	}
	sortItems(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
