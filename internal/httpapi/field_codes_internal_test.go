package httpapi

import (
	"testing"

	"github.com/habeas-org/habeas/internal/apperr"
)

// TestCodeOfMessage: the wordings of the services' field messages map to
// their reasons; an explicit code wins over the wording.
func TestCodeOfMessage(t *testing.T) {
	for msg, want := range map[string]string{
		"required":                                   apperr.FieldRequired,
		"is required (e.g. the device)":              apperr.FieldRequired,
		"at most 200 characters":                     apperr.FieldTooLong,
		"at most 64 KiB":                             apperr.FieldTooLong,
		"at most 50 ids":                             apperr.FieldOutOfRange,
		`"2019-13" is not a date; use YYYY`:          apperr.FieldInvalidDate,
		"2019-02-30 does not exist: February has 28": apperr.FieldInvalidDate,
		"use YYYY-MM-DD":                             apperr.FieldInvalidDate,
		"before requested_at":                        apperr.FieldBeforeStart,
		"must be after from":                         apperr.FieldBeforeStart,
		"not a known status":                         apperr.FieldUnknownValue,
		"not an id":                                  apperr.FieldInvalidID,
		"no such lawyer":                             apperr.FieldNotFound,
		"not an enabled user with role observer":     apperr.FieldWrongRole,
		"between 1 and 200":                          apperr.FieldOutOfRange,
		"must be at least 12 characters long":        apperr.FieldTooShort,
		"unknown field":                              apperr.FieldUnknownField,
		"is wrong":                                   apperr.FieldInvalidCode,
		"must differ from the current password":      apperr.FieldInvalid,
	} {
		if got := codeOfMessage(msg); got != want {
			t.Errorf("codeOfMessage(%q) = %q, want %q", msg, got, want)
		}
	}
	e := apperr.Invalid("validation_failed", "x", map[string]string{"due_at": "required", "title": "at most 200 characters"})
	e.FieldCodes = map[string]string{"due_at": apperr.FieldBeforeStart}
	got := fieldCodes(e)
	if got["due_at"] != apperr.FieldBeforeStart || got["title"] != apperr.FieldTooLong || len(got) != 2 {
		t.Errorf("fieldCodes = %v", got)
	}
}
