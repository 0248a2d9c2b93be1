package httpapi

import (
	"strings"

	"github.com/habeas-org/habeas/internal/apperr"
)

// fieldCodes gives every field of an error its machine-readable reason: the
// code its producer set (apperr.Error.FieldCodes), else one read from the
// message's wording, else apperr.FieldInvalid. Clients translate the codes
// (the messages stay English).
func fieldCodes(ae *apperr.Error) map[string]string {
	if len(ae.Fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(ae.Fields))
	for f, msg := range ae.Fields {
		if c := ae.FieldCodes[f]; c != "" {
			out[f] = c
			continue
		}
		out[f] = codeOfMessage(msg)
	}
	return out
}

// messageCodes are the wordings of field messages and their codes, the
// first match winning (checked in order).
var messageCodes = []struct{ part, code string }{
	{"already linked", apperr.FieldInvalid},
	{"not an enabled user with role", apperr.FieldWrongRole},
	{"is not a date", apperr.FieldInvalidDate},
	{"does not exist", apperr.FieldInvalidDate},
	{"use yyyy", apperr.FieldInvalidDate},
	{"rfc 3339", apperr.FieldInvalidDate},
	{"must be after", apperr.FieldBeforeStart},
	{"is before", apperr.FieldBeforeStart},
	{"before ", apperr.FieldBeforeStart},
	{"unknown field", apperr.FieldUnknownField},
	{"not a known", apperr.FieldUnknownValue},
	{"allowed:", apperr.FieldUnknownValue},
	{"not an allowed", apperr.FieldUnknownValue},
	{"one of ", apperr.FieldUnknownValue},
	{"not a list of ids", apperr.FieldInvalidID},
	{"not an id", apperr.FieldInvalidID},
	{"no such", apperr.FieldNotFound},
	{"code is", apperr.FieldInvalidCode},
	{"is wrong", apperr.FieldInvalidCode},
	{"required", apperr.FieldRequired},
	{"too long", apperr.FieldTooLong},
	{"at least", apperr.FieldTooShort},
	{"between ", apperr.FieldOutOfRange},
	{"whole number", apperr.FieldOutOfRange},
	{"must be a ", apperr.FieldWrongType},
	{"true or false", apperr.FieldWrongType},
	{"utf-8", apperr.FieldInvalidText},
	{"character", apperr.FieldInvalidText},
	{"at most", apperr.FieldTooLong},
}

// codeOfMessage reads the reason of a field message without a code.
func codeOfMessage(msg string) string {
	m := strings.ToLower(msg)
	if strings.HasPrefix(m, "at most") {
		if strings.Contains(m, "ids") || strings.Contains(m, "values") {
			return apperr.FieldOutOfRange // too many entries in a list
		}
		return apperr.FieldTooLong
	}
	for _, mc := range messageCodes {
		if strings.Contains(m, mc.part) {
			return mc.code
		}
	}
	return apperr.FieldInvalid
}
