package support

import (
	"time"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
)

// ActionView is a support action as the caller may see it.
type ActionView struct {
	ID     string `json:"id"`
	CaseID string `json:"case_id"`
	// DetaineeName is the name of the case's detainee, null when the caller
	// does not see the case itself (an observer assigned an action on a case
	// not shared with them).
	DetaineeName      *string   `json:"detainee_name"`
	Type              string    `json:"type"`
	Status            Status    `json:"status"`
	AllowedStatuses   []Status  `json:"allowed_statuses"`
	Priority          string    `json:"priority"`
	Addressee         string    `json:"addressee"`
	Description       string    `json:"description"`
	AssigneeUserID    *string   `json:"assignee_user_id"`
	AssigneeUserName  *string   `json:"assignee_user_name"`
	AssigneePartnerID *string   `json:"assignee_partner_id"`
	AssigneePartner   *string   `json:"assignee_partner_name"`
	RequestedAt       *string   `json:"requested_at"`
	DueAt             *string   `json:"due_at"`
	Overdue           bool      `json:"overdue"`
	Response          string    `json:"response"`
	Impact            string    `json:"impact"`
	Notes             string    `json:"notes"`
	Amount            *string   `json:"amount"`
	AmountMinor       *int64    `json:"amount_minor"`
	Currency          *string   `json:"currency"`
	EvidenceIDs       []string  `json:"evidence_ids"`
	Confidential      bool      `json:"confidential"`
	Version           int64     `json:"version"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// related is what a view needs from outside the action row.
type related struct {
	detainee map[string]string // visible case id -> detainee name
	partners map[string]string // partner id -> name
	users    map[string]string // user id -> name (admin, coordinator only)
	evidence map[string]bool   // evidence ids the caller may see
	today    string            // YYYY-MM-DD in CST
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func lookup(m map[string]string, id *string) *string {
	if id == nil {
		return nil
	}
	if v, ok := m[*id]; ok {
		return &v
	}
	return nil
}

// overdue reports whether a is open and past its due day (today is the
// current day in China Standard Time).
func (a *Action) overdue(today string) bool {
	return IsOpen(a.Status) && a.DueAt != "" && a.DueAt < today
}

// allowedFor lists the statuses p may move a to.
func allowedFor(p *actor.Principal, a *Action) []Status {
	out := []Status{}
	if !access.MayUpdateSupportAction(p) {
		return out
	}
	for _, to := range AllowedFrom(a.Status) {
		if access.ManagesSupport(p) || observerMayMoveTo(to) {
			out = append(out, to)
		}
	}
	return out
}

func observerMayMoveTo(to Status) bool {
	for _, s := range access.ObserverTargetStatuses {
		if s == to {
			return true
		}
	}
	return false
}

func (a *Action) view(p *actor.Principal, r related) ActionView {
	v := ActionView{
		ID: a.ID, CaseID: a.CaseID, Type: a.Type, Status: a.Status, AllowedStatuses: allowedFor(p, a),
		Priority: a.Priority, Addressee: a.Addressee, Description: a.Description,
		AssigneeUserID: a.AssigneeUserID, AssigneePartnerID: a.AssigneePartnerID,
		AssigneeUserName: lookup(r.users, a.AssigneeUserID), AssigneePartner: lookup(r.partners, a.AssigneePartnerID),
		RequestedAt: optional(a.RequestedAt), DueAt: optional(a.DueAt), Overdue: a.overdue(r.today),
		Response: a.Response, Impact: a.Impact, Notes: a.Notes, EvidenceIDs: []string{}, Confidential: a.Confidential,
		Version: a.Version, CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(),
	}
	if name, ok := r.detainee[a.CaseID]; ok {
		v.DetaineeName = &name
	}
	if a.AmountMinor != nil {
		amt, minor, cur := FormatAmount(*a.AmountMinor, a.Currency), *a.AmountMinor, a.Currency
		v.Amount, v.AmountMinor, v.Currency = &amt, &minor, &cur
	}
	for _, id := range a.EvidenceIDs {
		if r.evidence[id] {
			v.EvidenceIDs = append(v.EvidenceIDs, id)
		}
	}
	return v
}

// PartnerView is a partner as the caller may see it. Notes, contacts and
// the linked accounts are absent for observers.
type PartnerView struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Kind         string    `json:"kind"`
	Country      string    `json:"country"`
	Notes        *string   `json:"notes,omitempty"`
	Contacts     *string   `json:"contacts,omitempty"`
	UserIDs      []string  `json:"user_ids,omitempty"`
	Confidential bool      `json:"confidential"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func (pt *Partner) view(p *actor.Principal, users []string) PartnerView {
	v := PartnerView{ID: pt.ID, Name: pt.Name, Kind: pt.Kind, Country: pt.Country, Confidential: pt.Confidential, Version: pt.Version,
		CreatedAt: pt.CreatedAt.UTC(), UpdatedAt: pt.UpdatedAt.UTC()}
	if access.SeesPartnerConfidential(p) {
		notes, contacts := pt.Notes, pt.Contacts
		v.Notes, v.Contacts = &notes, &contacts
		v.UserIDs = users
		if v.UserIDs == nil {
			v.UserIDs = []string{}
		}
	}
	return v
}
