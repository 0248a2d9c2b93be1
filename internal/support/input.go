package support

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
)

// Input structs: every field is a pointer; absent (or null) leaves the value
// as it is, "" clears a text, a date, an assignee or the amount. Fields no
// caller may set (id, case, version, created_by, timestamps) do not exist
// here, so the strict JSON decoder rejects them.

const (
	maxShort    = 500
	maxLong     = 20000
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
	return out
}

// changeSet applies input to a model and remembers what changed, for the
// audit entry: new values of ordinary fields, only names of confidential ones.
type changeSet struct {
	values map[string]any
	secret []string
	errs   map[string]string
}

func newChangeSet() *changeSet {
	return &changeSet{values: map[string]any{}, errs: map[string]string{}}
}

func (c *changeSet) fail(field, msg string) {
	if _, dup := c.errs[field]; !dup {
		c.errs[field] = msg
	}
}

func (c *changeSet) record(field string, v any, confidential bool) {
	if confidential {
		c.secret = append(c.secret, field)
		return
	}
	c.values[field] = v
}

func (c *changeSet) empty() bool { return len(c.values) == 0 && len(c.secret) == 0 }

func (c *changeSet) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return apperr.Invalid("validation_failed", "the request has invalid fields", c.errs)
}

func (c *changeSet) details() map[string]any {
	d := map[string]any{"fields": c.values}
	if len(c.secret) > 0 {
		d["confidential_fields"] = c.secret
	}
	return d
}

func checkText(s string, max int) string {
	switch {
	case !utf8.ValidString(s):
		return "not valid UTF-8"
	case utf8.RuneCountInString(s) > max:
		return fmt.Sprintf("at most %d characters", max)
	case strings.ContainsRune(s, 0):
		return "contains a NUL character"
	}
	return ""
}

func (c *changeSet) text(dst *string, v *string, field string, max int, confidential bool) {
	if v == nil {
		return
	}
	s := cases.Clean(*v)
	if msg := checkText(s, max); msg != "" {
		c.fail(field, msg)
		return
	}
	if s != *dst {
		*dst = s
		c.record(field, s, confidential)
	}
}

func (c *changeSet) vocab(dst *string, v *string, field string, voc cases.Vocabulary, required bool) {
	if v == nil {
		return
	}
	s := strings.TrimSpace(*v)
	if (s != "" || required) && !voc.Has(s) {
		c.fail(field, "not a known value (see /api/v1/support-vocabularies)")
		return
	}
	if s != *dst {
		*dst = s
		c.record(field, s, false)
	}
}

// ParseDay parses a calendar day "YYYY-MM-DD" ("" is no date).
func ParseDay(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Year() < 1900 || d.Year() > 2999 {
		return "", apperr.Field("date", "use YYYY-MM-DD")
	}
	return d.Format(time.DateOnly), nil
}

func (c *changeSet) day(dst *string, v *string, field string) {
	if v == nil {
		return
	}
	d, err := ParseDay(*v)
	if err != nil {
		c.fail(field, "use YYYY-MM-DD")
		return
	}
	if d != *dst {
		*dst = d
		c.record(field, d, false)
	}
}

// optionalID sets *dst from an id input: "" clears it, anything else must be a UUID.
func (c *changeSet) optionalID(dst **string, v *string, field string) {
	if v == nil {
		return
	}
	s := strings.ToLower(strings.TrimSpace(*v))
	if s == "" {
		if *dst != nil {
			*dst = nil
			c.record(field, nil, false)
		}
		return
	}
	if _, err := uuid.Parse(s); err != nil || len(s) != 36 {
		c.fail(field, "not an id")
		return
	}
	if *dst == nil || **dst != s {
		*dst = &s
		c.record(field, s, false)
	}
}

func (c *changeSet) ids(dst *cases.JSONList[string], v *[]string, field string, max int) {
	if v == nil {
		return
	}
	if len(*v) > max {
		c.fail(field, fmt.Sprintf("at most %d ids", max))
		return
	}
	out, ok := parseIDs(*v)
	if !ok {
		c.fail(field, "not a list of ids")
		return
	}
	if !sameList(out, *dst) {
		*dst = out
		c.record(field, []string(out), false)
	}
}

// parseIDs normalises a list of UUIDs, dropping duplicates.
func parseIDs(in []string) (cases.JSONList[string], bool) {
	out := cases.JSONList[string]{}
	seen := map[string]bool{}
	for _, raw := range in {
		s := strings.ToLower(strings.TrimSpace(raw))
		if _, err := uuid.Parse(s); err != nil || len(s) != 36 {
			return nil, false
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, true
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
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
func (c *changeSet) money(a *Action, amount, cur *string) {
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
			c.record("amount", nil, false)
			c.record("currency", "", false)
		}
		return
	case newCur == "":
		c.fail("currency", "required with an amount")
		return
	case newAmount == "":
		c.fail("amount", "required with a currency")
		return
	}
	n, err := ParseAmount(newAmount, newCur)
	if err != nil {
		for f, m := range err.(*apperr.Error).Fields {
			c.fail(f, m)
		}
		return
	}
	if a.AmountMinor == nil || *a.AmountMinor != n || a.Currency != newCur {
		a.AmountMinor, a.Currency = &n, newCur
		c.record("amount", FormatAmount(n, newCur), false)
		c.record("currency", newCur, false)
	}
}

// apply sets the fields of in on a, validating each (not the rules between
// fields, see check).
func (a *Action) apply(in ActionFields, c *changeSet) {
	c.vocab(&a.Type, in.Type, "type", ActionTypes, true)
	c.vocab(&a.Priority, in.Priority, "priority", Priorities, true)
	c.text(&a.Addressee, in.Addressee, "addressee", maxShort, false)
	c.text(&a.Description, in.Description, "description", maxLong, false)
	c.optionalID(&a.AssigneeUserID, in.AssigneeUserID, "assignee_user_id")
	c.optionalID(&a.AssigneePartnerID, in.AssigneePartnerID, "assignee_partner_id")
	c.day(&a.RequestedAt, in.RequestedAt, "requested_at")
	c.day(&a.DueAt, in.DueAt, "due_at")
	c.text(&a.Response, in.Response, "response", maxLong, false)
	c.text(&a.Impact, in.Impact, "impact", maxLong, false)
	c.text(&a.Notes, in.Notes, "notes", maxLong, false)
	c.money(a, in.Amount, in.Currency)
	c.ids(&a.EvidenceIDs, in.EvidenceIDs, "evidence_ids", maxEvidence)
}

// check validates the rules between fields of the resulting action.
func (a *Action) check(c *changeSet) {
	if a.AssigneeUserID != nil && a.AssigneePartnerID != nil {
		c.fail("assignee_partner_id", "an action is assigned to a user or a partner, not both")
	}
	if a.AmountMinor != nil && !isFunding(a.Type) {
		c.fail("amount", "only legal_fee_grant and family_assistance actions carry an amount")
	}
	if a.RequestedAt != "" && a.DueAt != "" && a.DueAt < a.RequestedAt {
		c.fail("due_at", "before requested_at")
	}
}

// needsAssignee reports whether status s requires an assignee.
func needsAssignee(s Status) bool { return IsOpen(s) && s != Proposed }

// apply sets the fields of in on p, validating each.
func (p *Partner) apply(in PartnerFields, c *changeSet) {
	if in.Name != nil && cases.Clean(*in.Name) == "" {
		c.fail("name", "required")
	} else {
		c.text(&p.Name, in.Name, "name", maxShort, false)
	}
	c.vocab(&p.Kind, in.Kind, "kind", PartnerKinds, true)
	if in.Country != nil {
		s := strings.ToUpper(strings.TrimSpace(*in.Country))
		if s != "" {
			r, err := language.ParseRegion(s)
			if err != nil || len(s) != 2 || !r.IsCountry() {
				c.fail("country", "an ISO 3166-1 alpha-2 country code such as CH")
				s = p.Country
			}
		}
		if s != p.Country {
			p.Country = s
			c.record("country", s, false)
		}
	}
	c.text(&p.Notes, in.Notes, "notes", maxLong, true)
	c.text(&p.Contacts, in.Contacts, "contacts", maxLong, true)
	p.Search = strings.ToLower(p.Name)
}
