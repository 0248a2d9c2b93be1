package cases

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/habeas-org/habeas/internal/access"
	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// Relatives and contacts of a detainee (issue 25, docs/relatives.md): each
// relative is a record of the detainee with its relation, name forms,
// contact and address (confidential fields), where they live, notes, the
// consent records they gave or withdrew, and the timeline events of the
// detainee's cases that concern them (pressure on the family). A relative
// is confidential unless set otherwise: observers never see a confidential
// relative, nor the contact or address of any. The detainee's legacy
// free-text family_contacts field stays as it was ("Family (notes)").

// Relations is the vocabulary of a relative's relation to the detainee.
var Relations = record.Vocabulary{
	{Value: "spouse", Label: "Spouse or partner"},
	{Value: "parent", Label: "Parent"},
	{Value: "child", Label: "Child"},
	{Value: "sibling", Label: "Sibling"},
	{Value: "other_relative", Label: "Other relative"},
	{Value: "friend", Label: "Friend"},
	{Value: "other", Label: "Other contact"},
}

// RelativeConsentKinds is the vocabulary of what a relative consents to.
var RelativeConsentKinds = record.Vocabulary{
	{Value: "un_submission", Label: "Submission to a UN mechanism"},
	{Value: "publicity", Label: "Publicity (media, public campaign)"},
	{Value: "contact", Label: "Being contacted"},
}

// ConsentStatuses are the states of a consent record: given or withdrawn
// ("unknown" is the state of a kind without any record, never stored).
var ConsentStatuses = []string{"given", "withdrawn"}

// ConsentUnknown is the state of a consent kind without any record.
const ConsentUnknown = "unknown"

// MaxRelativeEvents bounds the pressure events a relative's record shows.
const MaxRelativeEvents = 100

// Relative is one row of detainee_relatives.
type Relative struct {
	ID           string `gorm:"primaryKey"`
	DetaineeID   string
	Relation     string
	Name         string
	OtherNames   record.JSONList[OtherName]
	Contact      string // confidential
	Address      string // confidential
	Place        string
	Notes        string
	Confidential bool
	Version      int64
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DeletedAt    *time.Time
	DeletedBy    string
	DeleteReason string
}

// TableName is the detainee_relatives table.
func (Relative) TableName() string { return "detainee_relatives" }

// RelativeConsent is one row of relative_consents (append-only).
type RelativeConsent struct {
	ID          string `gorm:"primaryKey"`
	RelativeID  string
	Kind        string
	Status      string
	GivenBy     string
	GivenAt     string
	GivenAtSort string
	Method      string
	Notes       string
	CreatedBy   string
	CreatedAt   time.Time
}

// TableName is the relative_consents table.
func (RelativeConsent) TableName() string { return "relative_consents" }

// RelativeFields are the settable fields of a relative. Absent leaves a
// field as is; "" clears it (relation and name may not be cleared). An
// absent confidential on creation is true.
type RelativeFields struct {
	Relation     *string      `json:"relation"`
	Name         *string      `json:"name"`
	OtherNames   *[]OtherName `json:"other_names"`
	Contact      *string      `json:"contact"`
	Address      *string      `json:"address"`
	Place        *string      `json:"place"`
	Notes        *string      `json:"notes"`
	Confidential *bool        `json:"confidential"`
}

// RelativeDelete is the body of a relative's deletion: why it is removed.
type RelativeDelete struct {
	Reason string `json:"reason"`
}

// ConsentFields are the fields of a new consent record.
type ConsentFields struct {
	Kind    *string `json:"kind"`
	Status  *string `json:"status"`
	GivenBy *string `json:"given_by"`
	GivenAt *string `json:"given_at"`
	Method  *string `json:"method"`
	Notes   *string `json:"notes"`
}

// apply validates in into r. Contact, address and notes are named, not
// copied, in the audit entry; so is everything of a confidential relative.
func (r *Relative) apply(in RelativeFields, c *record.ChangeSet) {
	if in.Confidential != nil && *in.Confidential != r.Confidential {
		r.Confidential = *in.Confidential
		c.Set("confidential", r.Confidential, false)
	}
	secret := r.Confidential
	c.RequiredVocab(&r.Relation, in.Relation, "relation", Relations)
	if in.Name != nil && record.Clean(*in.Name) == "" {
		c.FailCode("name", apperr.FieldRequired, "required")
	} else {
		c.Text(&r.Name, in.Name, "name", record.MaxShort, secret)
	}
	otherNames(c, &r.OtherNames, in.OtherNames, "other_names")
	c.Text(&r.Contact, in.Contact, "contact", record.MaxShort, true)
	c.Text(&r.Address, in.Address, "address", record.MaxShort, true)
	c.Text(&r.Place, in.Place, "place", record.MaxShort, secret)
	c.Text(&r.Notes, in.Notes, "notes", record.MaxLong, true)
}

// buildRelative returns the relative CreateRelative would store for in.
func buildRelative(id, detaineeID, createdBy string, at time.Time, in RelativeFields) (*Relative, *record.ChangeSet) {
	r := &Relative{ID: id, DetaineeID: detaineeID, Confidential: true, Version: 1, CreatedBy: createdBy, CreatedAt: at, UpdatedAt: at}
	ch := record.NewChangeSet()
	if in.Relation == nil {
		ch.FailCode("relation", apperr.FieldRequired, "required")
	}
	if in.Name == nil {
		ch.FailCode("name", apperr.FieldRequired, "required")
	}
	r.apply(in, ch)
	return r, ch
}

// buildConsent validates a new consent record of relativeID.
func buildConsent(id, relativeID, createdBy string, at time.Time, in ConsentFields) (*RelativeConsent, *record.ChangeSet) {
	k := &RelativeConsent{ID: id, RelativeID: relativeID, CreatedBy: createdBy, CreatedAt: at}
	ch := record.NewChangeSet()
	if in.Kind == nil {
		ch.FailCode("kind", apperr.FieldRequired, "required")
	}
	ch.RequiredVocab(&k.Kind, in.Kind, "kind", RelativeConsentKinds)
	switch {
	case in.Status == nil || *in.Status == "":
		ch.FailCode("status", apperr.FieldRequired, "required")
	case *in.Status != "given" && *in.Status != "withdrawn":
		ch.Fail("status", "one of given, withdrawn")
	default:
		k.Status = *in.Status
		ch.Set("status", k.Status, false)
	}
	ch.Text(&k.GivenBy, in.GivenBy, "given_by", record.MaxShort, true)
	ch.Date(&k.GivenAt, &k.GivenAtSort, in.GivenAt, "given_at")
	ch.Vocab(&k.Method, in.Method, "method", ConsentMethods)
	ch.Text(&k.Notes, in.Notes, "notes", record.MaxLong, true)
	return k, ch
}

// RelativeEventView is a timeline event linked to a relative (pressure on
// the family), as its record shows it.
type RelativeEventView struct {
	ID          string `json:"id"`
	CaseID      string `json:"case_id"`
	Type        string `json:"type"`
	OccurredAt  string `json:"occurred_at"`
	Description string `json:"description"`
}

// RelativeView is a relative as the caller may see it: contact and address
// are null for a caller who may not read them.
type RelativeView struct {
	ID           string      `json:"id"`
	DetaineeID   string      `json:"detainee_id"`
	Relation     string      `json:"relation"`
	Name         string      `json:"name"`
	OtherNames   []OtherName `json:"other_names"`
	Contact      *string     `json:"contact"`
	Address      *string     `json:"address"`
	Place        string      `json:"place"`
	Notes        string      `json:"notes"`
	Confidential bool        `json:"confidential"`
	// Consent is the current state of each consent kind: given, withdrawn
	// or unknown (no record).
	Consent map[string]string `json:"consent"`
	// Events are the timeline events linked to the relative that the
	// caller sees (only on a single relative's record; nil in lists).
	Events    []RelativeEventView `json:"events,omitempty"`
	Version   int64               `json:"version"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
}

// View renders r for p with the current consent states (latest record per kind).
func (r *Relative) View(p *actor.Principal, consent map[string]string) RelativeView {
	v := RelativeView{ID: r.ID, DetaineeID: r.DetaineeID, Relation: r.Relation, Name: r.Name, OtherNames: orEmpty(r.OtherNames),
		Place: r.Place, Notes: r.Notes, Confidential: r.Confidential, Consent: map[string]string{},
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if access.SeesRelativeContact(p) {
		v.Contact, v.Address = &r.Contact, &r.Address
	}
	for _, k := range RelativeConsentKinds {
		v.Consent[k.Value] = ConsentUnknown
		if s, ok := consent[k.Value]; ok {
			v.Consent[k.Value] = s
		}
	}
	return v
}

// ConsentView is a consent record as the API answers it.
type ConsentView struct {
	ID         string    `json:"id"`
	RelativeID string    `json:"relative_id"`
	Kind       string    `json:"kind"`
	Status     string    `json:"status"`
	GivenBy    string    `json:"given_by"`
	GivenAt    *string   `json:"given_at"`
	Method     string    `json:"method"`
	Notes      string    `json:"notes"`
	CreatedAt  time.Time `json:"created_at"`
}

// View renders k.
func (k *RelativeConsent) View() ConsentView {
	return ConsentView{ID: k.ID, RelativeID: k.RelativeID, Kind: k.Kind, Status: k.Status, GivenBy: k.GivenBy,
		GivenAt: date(k.GivenAt), Method: k.Method, Notes: k.Notes, CreatedAt: k.CreatedAt.UTC()}
}

// RelativeRecord is a relative with its whole consent history, oldest
// first: the relatives section of the case export (internal/caseexport).
type RelativeRecord struct {
	RelativeView
	Consents []ConsentView `json:"consents"`
}

// RelativeRecords reads, inside tx, every live relative of the detainee
// that p sees (in the order they were recorded), each as GET of it shows
// it to p (without its events) and with its consent history, oldest first.
func RelativeRecords(tx *gorm.DB, p *actor.Principal, detaineeID string) ([]RelativeRecord, error) {
	var rels []Relative
	err := record.Where(tx, access.RelativeVisible(p, "detainee_relatives")).
		Where("detainee_relatives.detainee_id = ? AND detainee_relatives.deleted_at IS NULL", detaineeID).
		Order("detainee_relatives.id").Find(&rels).Error
	if err != nil {
		return nil, fmt.Errorf("cases: relatives of %s: %w", detaineeID, err)
	}
	out := make([]RelativeRecord, 0, len(rels))
	if len(rels) == 0 {
		return out, nil
	}
	ids := make([]string, len(rels))
	for i := range rels {
		ids[i] = rels[i].ID
	}
	consent, err := currentConsent(tx, ids)
	if err != nil {
		return nil, fmt.Errorf("cases: consent of relatives: %w", err)
	}
	var rows []RelativeConsent
	if err := tx.Where("relative_id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("cases: consent history of relatives: %w", err)
	}
	history := map[string][]ConsentView{}
	for i := range rows {
		history[rows[i].RelativeID] = append(history[rows[i].RelativeID], rows[i].View())
	}
	for i := range rels {
		r := RelativeRecord{RelativeView: rels[i].View(p, consent[rels[i].ID]), Consents: history[rels[i].ID]}
		if r.Consents == nil {
			r.Consents = []ConsentView{}
		}
		out = append(out, r)
	}
	return out, nil
}
