package support

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// Input structs: every field is a pointer; absent (or null) leaves the value
// as it is, "" clears a text, a date, an assignee or the amount. Fields no
// caller may set (id, case, version, created_by, timestamps) do not exist
// here, so the strict JSON decoder rejects them.

const (
	maxEvidence = 100
	maxUsers    = 100
	// maxAmountMinor caps an amount (10^15 minor units).
	maxAmountMinor = 1_000_000_000_000_000
)

// PartnerFields are the settable fields of a partner; on create name and
// kind are required.
type PartnerFields struct {
	Name     *string   `json:"name"`
	Kind     *string   `json:"kind"`
	Country  *string   `json:"country"`
	Notes    *string   `json:"notes"`
	Contacts *string   `json:"contacts"`
	UserIDs  *[]string `json:"user_ids"`
	// Confidential defaults to false on create.
	Confidential *bool `json:"confidential"`
}

// ActionFields are the fields of a support action settable on create and
// update; on create type is required. The status is never set on create
// (it starts as proposed, or assigned when an assignee is named).
type ActionFields struct {
	Type              *string   `json:"type"`
	Priority          *string   `json:"priority"`
	Addressee         *string   `json:"addressee"`
	Description       *string   `json:"description"`
	AssigneeUserID    *string   `json:"assignee_user_id"`
	AssigneePartnerID *string   `json:"assignee_partner_id"`
	RequestedAt       *string   `json:"requested_at"`
	DueAt             *string   `json:"due_at"`
	Response          *string   `json:"response"`
	Impact            *string   `json:"impact"`
	Notes             *string   `json:"notes"`
	Amount            *string   `json:"amount"`
	Currency          *string   `json:"currency"`
	EvidenceIDs       *[]string `json:"evidence_ids"`
	// Confidential defaults, on create, to true for the funding types
	// (legal_fee_grant, family_assistance: a foreign grant to a family is
	// dangerous for it) and to false for the others.
	Confidential *bool `json:"confidential"`
}

// ActionPatch is the input of updating an action: its fields and a status
// to move to along the workflow.
type ActionPatch struct {
	ActionFields
	Status *string `json:"status"`
}

// set lists the JSON names of the fields present in p.
func (p ActionPatch) set() []string {
	var out []string
	add := func(present bool, name string) {
		if present {
			out = append(out, name)
		}
	}
	f := p.ActionFields
	add(p.Status != nil, "status")
	add(f.Type != nil, "type")
	add(f.Priority != nil, "priority")
	add(f.Addressee != nil, "addressee")
	add(f.Description != nil, "description")
	add(f.AssigneeUserID != nil, "assignee_user_id")
	add(f.AssigneePartnerID != nil, "assignee_partner_id")
	add(f.RequestedAt != nil, "requested_at")
	add(f.DueAt != nil, "due_at")
	add(f.Response != nil, "response")
	add(f.Impact != nil, "impact")
	add(f.Notes != nil, "notes")
	add(f.Amount != nil, "amount")
	add(f.Currency != nil, "currency")
	add(f.EvidenceIDs != nil, "evidence_ids")
	add(f.Confidential != nil, "confidential")
	return out
}

var amountPattern = regexp.MustCompile(`^[0-9]{1,16}(\.[0-9]{1,4})?$`)

// ParseAmount turns a decimal string ("1500", "1500.5", "1500.50") in the
// given currency into minor units (150050 for EUR), refusing more decimals
// than the currency has (two for EUR, none for JPY, three for KWD).
func ParseAmount(s, cur string) (int64, error) {
	unit, err := currency.ParseISO(cur)
	if err != nil {
		return 0, apperr.Field("currency", "not an ISO 4217 currency code")
	}
	scale, _ := currency.Standard.Rounding(unit)
	if !amountPattern.MatchString(s) {
		return 0, apperr.Field("amount", "a decimal number such as \"1500.00\"")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > scale {
		return 0, apperr.Field("amount", fmt.Sprintf("%s has %d decimal places", cur, scale))
	}
	frac += strings.Repeat("0", scale-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n > maxAmountMinor {
		return 0, apperr.Field("amount", "too large")
	}
	return n, nil
}

// FormatAmount renders minor units of cur as a decimal string ("1500.50").
func FormatAmount(minor int64, cur string) string {
	scale := 2
	if unit, err := currency.ParseISO(cur); err == nil {
		scale, _ = currency.Standard.Rounding(unit)
	}
	s := strconv.FormatInt(minor, 10)
	if scale == 0 {
		return s
	}
	if len(s) <= scale {
		s = strings.Repeat("0", scale-len(s)+1) + s
	}
	return s[:len(s)-scale] + "." + s[len(s)-scale:]
}

// money applies amount and currency together: both are checked against
// the resulting pair ("" clears).
func money(c *record.ChangeSet, a *Action, amount, cur *string) {
	if amount == nil && cur == nil {
		return
	}
	newCur := a.Currency
	if cur != nil {
		newCur = strings.ToUpper(strings.TrimSpace(*cur))
	}
	var oldAmount string
	if a.AmountMinor != nil {
		oldAmount = FormatAmount(*a.AmountMinor, a.Currency)
	}
	newAmount := oldAmount
	if amount != nil {
		newAmount = strings.TrimSpace(*amount)
	}
	switch {
	case newAmount == "" && newCur == "":
		if a.AmountMinor != nil || a.Currency != "" {
			a.AmountMinor, a.Currency = nil, ""
			c.Set("amount", nil, false)
			c.Set("currency", "", false)
		}
		return
	case newCur == "":
		c.Fail("currency", "required with an amount")
		return
	case newAmount == "":
		c.Fail("amount", "required with a currency")
		return
	}
	n, err := ParseAmount(newAmount, newCur)
	if err != nil {
		for f, m := range err.(*apperr.Error).Fields {
			c.Fail(f, m)
		}
		return
	}
	if a.AmountMinor == nil || *a.AmountMinor != n || a.Currency != newCur {
		a.AmountMinor, a.Currency = &n, newCur
		c.Set("amount", FormatAmount(n, newCur), false)
		c.Set("currency", newCur, false)
	}
}

// apply sets the fields of in on a, validating each (not the rules between
// fields, see check).
func (a *Action) apply(in ActionFields, c *record.ChangeSet) {
	c.RequiredVocab(&a.Type, in.Type, "type", ActionTypes)
	c.RequiredVocab(&a.Priority, in.Priority, "priority", Priorities)
	c.Text(&a.Addressee, in.Addressee, "addressee", record.MaxShort, false)
	c.Text(&a.Description, in.Description, "description", record.MaxLong, false)
	c.OptionalID(&a.AssigneeUserID, in.AssigneeUserID, "assignee_user_id")
	c.OptionalID(&a.AssigneePartnerID, in.AssigneePartnerID, "assignee_partner_id")
	c.Day(&a.RequestedAt, in.RequestedAt, "requested_at")
	c.Day(&a.DueAt, in.DueAt, "due_at")
	c.Text(&a.Response, in.Response, "response", record.MaxLong, false)
	c.Text(&a.Impact, in.Impact, "impact", record.MaxLong, false)
	c.Text(&a.Notes, in.Notes, "notes", record.MaxLong, false)
	money(c, a, in.Amount, in.Currency)
	c.IDs(&a.EvidenceIDs, in.EvidenceIDs, "evidence_ids", maxEvidence)
	setFlag(c, &a.Confidential, in.Confidential, "confidential")
}

// setFlag sets a boolean field when given and different.
func setFlag(c *record.ChangeSet, dst *bool, v *bool, field string) {
	if v != nil && *v != *dst {
		*dst = *v
		c.Set(field, *v, false)
	}
}

// check validates the rules between fields of the resulting action.
func (a *Action) check(c *record.ChangeSet) {
	if a.AssigneeUserID != nil && a.AssigneePartnerID != nil {
		c.Fail("assignee_partner_id", "an action is assigned to a user or a partner, not both")
	}
	if a.AmountMinor != nil && !isFunding(a.Type) {
		c.Fail("amount", "only legal_fee_grant and family_assistance actions carry an amount")
	}
	if a.RequestedAt != "" && a.DueAt != "" && a.DueAt < a.RequestedAt {
		c.FailCode("due_at", apperr.FieldBeforeStart, "before requested_at")
	}
}

// newChanges is a change set whose vocabulary errors point at the support
// vocabularies.
func newChanges() *record.ChangeSet {
	return record.NewChangeSet().VocabsAt("/api/v1/support-vocabularies")
}

// needsAssignee reports whether status s requires an assignee.
func needsAssignee(s Status) bool { return IsOpen(s) && s != Proposed }

// apply sets the fields of in on p, validating each.
func (p *Partner) apply(in PartnerFields, c *record.ChangeSet) {
	if in.Name != nil && record.Clean(*in.Name) == "" {
		c.Fail("name", "required")
	} else {
		c.Text(&p.Name, in.Name, "name", record.MaxShort, false)
	}
	c.RequiredVocab(&p.Kind, in.Kind, "kind", PartnerKinds)
	if in.Country != nil {
		s := strings.ToUpper(strings.TrimSpace(*in.Country))
		if s != "" {
			r, err := language.ParseRegion(s)
			if err != nil || len(s) != 2 || !r.IsCountry() {
				c.Fail("country", "an ISO 3166-1 alpha-2 country code such as CH")
				s = p.Country
			}
		}
		if s != p.Country {
			p.Country = s
			c.Set("country", s, false)
		}
	}
	c.Text(&p.Notes, in.Notes, "notes", record.MaxLong, true)
	c.Text(&p.Contacts, in.Contacts, "contacts", record.MaxLong, true)
	setFlag(c, &p.Confidential, in.Confidential, "confidential")
	p.Search = strings.ToLower(p.Name)
}
