package app

import (
	"context"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/deadlines"
	"github.com/habeas-org/habeas/internal/notify"
	"github.com/habeas-org/habeas/internal/notify/webhook"
	"github.com/habeas-org/habeas/internal/support"
	"github.com/habeas-org/habeas/internal/timeline"
)

// The adapters between features that sit side by side: each feature
// declares the small interface it reads another through, and the
// composition root, which sees both, implements it. So timeline imports
// neither support nor deadlines.

// SupportTimeline gives the case timeline the status changes of the
// case's support actions (timeline.SupportSource over internal/support).
type SupportTimeline struct{}

// SupportChanges implements timeline.SupportSource.
func (SupportTimeline) SupportChanges(_ context.Context, tx *gorm.DB, p *actor.Principal, caseID string) ([]timeline.SupportChange, error) {
	items, err := support.TimelineTx(tx, p, caseID)
	if err != nil {
		return nil, err
	}
	out := make([]timeline.SupportChange, len(items))
	for i, it := range items {
		out[i] = supportChange(it)
	}
	return out, nil
}

// supportChange is it as a timeline item.
func supportChange(it support.TimelineItem) timeline.SupportChange {
	return timeline.SupportChange{Date: it.Date, At: it.At, Kind: it.Kind, ID: it.ID, ChangeID: it.ChangeID,
		Title: it.Title, Type: it.Type, Addressee: it.Addressee, Status: it.Status, FromStatus: it.FromStatus, Confidential: it.Confidential,
		ChangedBy: it.ChangedBy, ChangedByName: it.ChangedByName}
}

// TimelineEvents gives the time-limit rules the dated events of the case
// timeline (deadlines.EventSource over internal/timeline).
type TimelineEvents struct{}

// DeadlineEvents implements deadlines.EventSource: the live events of
// caseIDs, confidential ones only withConfidential.
func (TimelineEvents) DeadlineEvents(_ context.Context, tx *gorm.DB, caseIDs []string, withConfidential bool) (map[string][]deadlines.Event, error) {
	dated, err := timeline.DatedEventsTx(tx, caseIDs, withConfidential)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]deadlines.Event, len(dated))
	for caseID, events := range dated {
		list := make([]deadlines.Event, len(events))
		for i, ev := range events {
			list[i] = ev
		}
		out[caseID] = list
	}
	return out, nil
}

// CaseReleases gives internal/cases the expected release dates computed by
// internal/deadlines (cases.ReleaseSource over deadlines.Service).
type CaseReleases struct{ Deadlines *deadlines.Service }

// ExpectedReleases implements cases.ReleaseSource.
func (r CaseReleases) ExpectedReleases(ctx context.Context, tx *gorm.DB, p *actor.Principal, caseIDs []string) (map[string]cases.CaseRelease, error) {
	rel, err := r.Deadlines.ExpectedReleases(ctx, tx, p, caseIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]cases.CaseRelease, len(rel))
	for id, x := range rel {
		out[id] = cases.CaseRelease{At: x.At.String(), Basis: x.Basis}
	}
	return out, nil
}

// WebhookChannel posts the notifications' webhook events through the
// signed webhook client (notify.Webhook over internal/notify/webhook).
type WebhookChannel struct{ Client *webhook.Client }

// Send implements notify.Webhook: e.ID is the webhook-id, stable across
// retries.
func (w WebhookChannel) Send(ctx context.Context, e notify.HookEvent) error {
	return w.Client.Send(ctx, webhook.Event{ID: e.ID, Rule: e.Rule, Count: e.Count, Text: e.Text, Link: e.Link,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, CreatedAt: e.CreatedAt})
}

// Permanent implements notify.Webhook: a retry cannot mend err.
func (WebhookChannel) Permanent(err error) bool { return webhook.IsPermanent(err) }
