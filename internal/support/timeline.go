package support

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/civil"
	"github.com/habeas-org/habeas/internal/record"
)

// TimelineKind is the kind of every timeline item of this package.
const TimelineKind = "support_action"

// TimelineItem is one entry of a case timeline: a support action entering a
// status (its creation included, with an empty FromStatus).
type TimelineItem struct {
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
	Status       Status `json:"status"`
	FromStatus   Status `json:"from_status"`
	Confidential bool   `json:"confidential"`
	// ChangedBy is the id of the account that made the change;
	// ChangedByName its name, only for those who see account names
	// (access.ManagesSupport, as for an action's assignee), else nil.
	ChangedBy     string  `json:"changed_by"`
	ChangedByName *string `json:"changed_by_name"`
}

// Timeline returns, oldest first, the status changes of the support actions
// of caseID that p sees (access.SupportActionVisible: all for admins and
// coordinators, those of the case for its lawyers, an observer's own), as
// timeline-ready items. A case the caller sees no action of gives an empty
// list, never an error: the caller (the case timeline) checks the case
// itself. It reads in a transaction of its own and audits nothing; use
// TimelineTx inside a transaction that already exists.
func (s *Service) Timeline(ctx context.Context, p *actor.Principal, caseID string) ([]TimelineItem, error) {
	return record.Read(ctx, s.Kit, p, func(tx *gorm.DB) ([]TimelineItem, error) {
		return TimelineTx(tx, p, caseID)
	})
}

// TimelineTx is Timeline inside the transaction tx.
func TimelineTx(tx *gorm.DB, p *actor.Principal, caseID string) ([]TimelineItem, error) {
	type row struct {
		Change
		Type         string
		Addressee    string
		Confidential bool
	}
	var rows []row
	q := tx.Table("support_action_changes").
		Joins("JOIN support_actions ON support_actions.id = support_action_changes.action_id").
		Where("support_action_changes.case_id = ?", caseID).
		Select("support_action_changes.*, support_actions.type AS type, support_actions.addressee AS addressee, support_actions.confidential AS confidential").
		Order("support_action_changes.changed_at ASC, support_action_changes.id ASC")
	if err := record.Where(q, access.SupportActionVisible(p, "support_actions")).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("support: read the status changes of a case: %w", err)
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ChangedBy
	}
	names, err := changerNames(tx, p, ids)
	if err != nil {
		return nil, err
	}
	out := make([]TimelineItem, 0, len(rows))
	for _, r := range rows {
		title := r.Type
		if t, ok := ActionTypes.Lookup(r.Type); ok {
			title = t.Label
		}
		if r.Addressee != "" {
			title += " — " + r.Addressee
		}
		at := r.ChangedAt.UTC()
		out = append(out, TimelineItem{Date: civil.Day(at), At: at, Kind: TimelineKind,
			ID: r.ActionID, ChangeID: r.ID, Title: title, Type: r.Type, Addressee: r.Addressee, Status: r.ToStatus, FromStatus: r.FromStatus, Confidential: r.Confidential,
			ChangedBy: r.ChangedBy, ChangedByName: lookup(names, &r.ChangedBy)})
	}
	return out, nil
}

// changerNames maps the ids of the accounts that made status changes to
// their names, for a caller who sees account names (access.ManagesSupport);
// for anyone else it is empty.
func changerNames(tx *gorm.DB, p *actor.Principal, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if !access.ManagesSupport(p) {
		return out, nil
	}
	want := set{}
	for _, id := range ids {
		if id != "" {
			want.add(id)
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	type pair struct{ ID, Name string }
	var ps []pair
	if err := tx.Table("users").Where("id IN ?", want.list()).Select("id, name").Scan(&ps).Error; err != nil {
		return nil, fmt.Errorf("support: read the names of who changed statuses: %w", err)
	}
	for _, x := range ps {
		out[x.ID] = x.Name
	}
	return out, nil
}
