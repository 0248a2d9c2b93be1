package record

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/partialdate"
)

// ChangeSet applies input fields to a model, collects per-field errors and
// remembers what changed, for the audit entry: the new values of ordinary
// fields, only the names of confidential ones. Each setter does nothing
// when its input is nil (absent: leave as is).
type ChangeSet struct {
	values map[string]any
	secret []string
	errs   map[string]string
	codes  map[string]string
	vocabs string
}

// NewChangeSet returns an empty change set whose vocabulary errors point
// at /api/v1/vocabularies.
func NewChangeSet() *ChangeSet {
	return &ChangeSet{values: map[string]any{}, errs: map[string]string{}, codes: map[string]string{}, vocabs: "/api/v1/vocabularies"}
}

// VocabsAt makes vocabulary errors point at route instead; it returns c.
func (c *ChangeSet) VocabsAt(route string) *ChangeSet {
	c.vocabs = route
	return c
}

// Fail records msg as field's error (the first one per field is kept).
func (c *ChangeSet) Fail(field, msg string) {
	if _, dup := c.errs[field]; !dup {
		c.errs[field] = msg
	}
}

// FailCode records msg as field's error with its machine-readable reason
// code (apperr.Field*), for a message the API's mapping cannot classify.
func (c *ChangeSet) FailCode(field, code, msg string) {
	if _, dup := c.errs[field]; !dup {
		c.errs[field] = msg
		c.codes[field] = code
	}
}

// Set records that field changed to v (only its name when confidential).
func (c *ChangeSet) Set(field string, v any, confidential bool) {
	if confidential {
		c.secret = append(c.secret, field)
		return
	}
	c.values[field] = v
}

// Changed reports whether field was set.
func (c *ChangeSet) Changed(field string) bool {
	if _, ok := c.values[field]; ok {
		return true
	}
	for _, s := range c.secret {
		if s == field {
			return true
		}
	}
	return false
}

// Empty reports that nothing changed.
func (c *ChangeSet) Empty() bool { return len(c.values) == 0 && len(c.secret) == 0 }

// Err is the validation error of every failed field, or nil.
func (c *ChangeSet) Err() error {
	if len(c.errs) == 0 {
		return nil
	}
	e := apperr.Invalid("validation_failed", "the request has invalid fields", c.errs)
	if len(c.codes) > 0 {
		e.FieldCodes = c.codes
	}
	return e
}

// Values are the new values of the ordinary fields that changed.
func (c *ChangeSet) Values() map[string]any { return c.values }

// Details are the audit details of the change.
func (c *ChangeSet) Details() map[string]any {
	d := map[string]any{"fields": c.values}
	if len(c.secret) > 0 {
		d["confidential_fields"] = c.secret
	}
	return d
}

// Text sets *dst to v cleaned, if it is text of at most max characters.
func (c *ChangeSet) Text(dst *string, v *string, field string, max int, confidential bool) {
	if v == nil {
		return
	}
	s := Clean(*v)
	if msg := CheckText(s, max); msg != "" {
		c.Fail(field, msg)
		return
	}
	if s != *dst {
		*dst = s
		c.Set(field, s, confidential)
	}
}

// Required is Text of a short field that may not be cleared.
func (c *ChangeSet) Required(dst *string, v *string, field string) {
	if v != nil && Clean(*v) == "" {
		c.FailCode(field, apperr.FieldRequired, "required")
		return
	}
	c.Text(dst, v, field, MaxShort, false)
}

// Vocab sets *dst to v if it is "" or a term of voc (Vocabulary.Resolve:
// its value, label or an alias; the value is stored).
func (c *ChangeSet) Vocab(dst *string, v *string, field string, voc Vocabulary) {
	c.vocab(dst, v, field, voc, false)
}

// RequiredVocab sets *dst to v if it is a term of voc (see Vocab).
func (c *ChangeSet) RequiredVocab(dst *string, v *string, field string, voc Vocabulary) {
	c.vocab(dst, v, field, voc, true)
}

func (c *ChangeSet) vocab(dst *string, v *string, field string, voc Vocabulary, required bool) {
	if v == nil {
		return
	}
	s := strings.TrimSpace(*v)
	if s != "" || required {
		value, ok := voc.Resolve(s)
		if !ok {
			c.Fail(field, c.Unknown(s, field, voc))
			return
		}
		s = value
	}
	if s != *dst {
		*dst = s
		c.Set(field, s, false)
	}
}

// Unknown is the message for v, not a term of voc, given for field (see
// record.Unknown), pointing at this change set's vocabulary route.
func (c *ChangeSet) Unknown(v, field string, voc Vocabulary) string {
	return Unknown(v, field, voc, c.vocabs)
}

// ParseDate parses a partial date as stored: "" (unknown), YYYY, YYYY-MM or
// YYYY-MM-DD, optionally followed by "~"; it returns the text and sort key.
func ParseDate(s string) (text, sort string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", nil
	}
	if len(s) > 11 { // no timestamps: a date of a life is a calendar date
		return "", "", partialdate.NotADate(s)
	}
	d, err := partialdate.Parse(s, time.UTC)
	if err != nil {
		return "", "", err
	}
	return d.String(), d.SortKey(), nil
}

// Date sets the partial date *dst and its sort key *dstSort from v. Its
// error quotes the value and says whether its form is wrong or the date does
// not exist (partialdate.Error).
func (c *ChangeSet) Date(dst, dstSort *string, v *string, field string) {
	if v == nil {
		return
	}
	text, sort, err := ParseDate(*v)
	if err != nil {
		var pe *partialdate.Error
		if !errors.As(err, &pe) {
			pe = &partialdate.Error{Value: strings.TrimSpace(*v)}
		}
		c.FailCode(field, apperr.FieldInvalidDate, pe.Error())
		return
	}
	if text != *dst {
		*dst, *dstSort = text, sort
		c.Set(field, text, false)
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

// Day sets the calendar day *dst from v.
func (c *ChangeSet) Day(dst *string, v *string, field string) {
	if v == nil {
		return
	}
	d, err := ParseDay(*v)
	if err != nil {
		c.Fail(field, "use YYYY-MM-DD")
		return
	}
	if d != *dst {
		*dst = d
		c.Set(field, d, false)
	}
}

// ParseID normalises an id (a UUID in its 36-character form, lower case).
func ParseID(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if _, err := uuid.Parse(s); err != nil || len(s) != 36 {
		return "", false
	}
	return s, true
}

// OptionalID sets *dst from an id input: "" clears it, anything else must be an id.
func (c *ChangeSet) OptionalID(dst **string, v *string, field string) {
	if v == nil {
		return
	}
	if strings.TrimSpace(*v) == "" {
		if *dst != nil {
			*dst = nil
			c.Set(field, nil, false)
		}
		return
	}
	s, ok := ParseID(*v)
	if !ok {
		c.Fail(field, "not an id")
		return
	}
	if *dst == nil || **dst != s {
		*dst = &s
		c.Set(field, s, false)
	}
}

// ParseIDs normalises a list of ids, dropping duplicates.
func ParseIDs(in []string) (JSONList[string], bool) {
	out := JSONList[string]{}
	seen := map[string]bool{}
	for _, raw := range in {
		s, ok := ParseID(raw)
		if !ok {
			return nil, false
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, true
}

// IDs sets the id list *dst from v (at most max ids, duplicates dropped).
func (c *ChangeSet) IDs(dst *JSONList[string], v *[]string, field string, max int) {
	if v == nil {
		return
	}
	if len(*v) > max {
		c.Fail(field, fmt.Sprintf("at most %d ids", max))
		return
	}
	out, ok := ParseIDs(*v)
	if !ok {
		c.Fail(field, "not a list of ids")
		return
	}
	if !Same(out, *dst) {
		*dst = out
		c.Set(field, []string(out), false)
	}
}

// Strings sets the text list *dst from v (at most MaxList entries, each
// short text and, when voc is not nil, a term of voc, stored as its value;
// duplicates dropped).
func (c *ChangeSet) Strings(dst *JSONList[string], v *[]string, field string, voc Vocabulary) {
	if v == nil {
		return
	}
	if len(*v) > MaxList {
		c.Fail(field, fmt.Sprintf("at most %d values", MaxList))
		return
	}
	out := make(JSONList[string], 0, len(*v))
	seen := map[string]bool{}
	for i, s := range *v {
		s = Clean(s)
		if s == "" || CheckText(s, MaxShort) != "" {
			c.Fail(fmt.Sprintf("%s[%d]", field, i), "empty, too long or not valid text")
			return
		}
		if voc != nil {
			value, ok := voc.Resolve(s)
			if !ok {
				c.Fail(fmt.Sprintf("%s[%d]", field, i), c.Unknown(s, field, voc))
				return
			}
			s = value
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if !Same(*dst, out) {
		*dst = out
		c.Set(field, out, false)
	}
}
