// Package apperr defines the few kinds of error that services return. Each
// kind maps to exactly one HTTP status, in one place (internal/httpapi).
// Business code never imports net/http to report a failure.
package apperr

import (
	"errors"
	"fmt"
)

// Error kinds. Wrap them (directly or through *Error) so that errors.Is works.
var (
	// ErrInvalid: the input is malformed or breaks a rule (400).
	ErrInvalid = errors.New("invalid input")
	// ErrUnauthenticated: no valid credentials (401).
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: the caller is known but its role may not do this at all (403).
	// Objects the caller may not see are ErrNotFound, never ErrForbidden.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the object does not exist or the caller may not see it (404).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the request conflicts with the current state (409).
	ErrConflict = errors.New("conflict")
	// ErrPrecondition: an If-Match or version check failed (412).
	ErrPrecondition = errors.New("precondition failed")
	// ErrUnprocessable: the request is well formed but cannot be honoured
	// as sent, such as an Idempotency-Key reused with a different body (422).
	ErrUnprocessable = errors.New("unprocessable")
	// ErrTooLarge: the request body or an upload is over its limit (413).
	ErrTooLarge = errors.New("too large")
	// ErrUnsupportedMedia: the request has the wrong content type (415).
	ErrUnsupportedMedia = errors.New("unsupported media type")
	// ErrRateLimited: too many attempts; retry later (429).
	ErrRateLimited = errors.New("rate limited")
	// ErrUnavailable: a dependency is down (503).
	ErrUnavailable = errors.New("unavailable")
	// ErrInsufficientStorage: the server's disk is full; nothing was stored
	// and an operator must free space (507).
	ErrInsufficientStorage = errors.New("insufficient storage")
)

// Error is a domain error with a stable machine-readable code, a message safe
// to show to the caller, and optional per-field messages.
type Error struct {
	Kind    error
	Code    string
	Message string
	Fields  map[string]string
	// FieldCodes gives some of Fields a machine-readable reason (one of the
	// Field* codes); httpapi derives the others from their messages.
	FieldCodes map[string]string
	// RetryAfterSeconds, when positive, is sent as Retry-After.
	RetryAfterSeconds int
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Unwrap returns the kind, so errors.Is(err, ErrNotFound) holds.
func (e *Error) Unwrap() error { return e.Kind }

// New returns an *Error of the given kind.
func New(kind error, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Invalid returns an ErrInvalid error with per-field messages.
func Invalid(code, message string, fields map[string]string) *Error {
	return &Error{Kind: ErrInvalid, Code: code, Message: message, Fields: fields}
}

// NotFound returns an ErrNotFound error for the named object type, e.g. NotFound("case").
func NotFound(object string) *Error {
	return &Error{Kind: ErrNotFound, Code: object + "_not_found", Message: object + " not found"}
}

// Field is a shorthand for an ErrInvalid error about one field.
func Field(field, message string) *Error {
	return Invalid("validation_failed", "the request has invalid fields", map[string]string{field: message})
}

// Machine-readable reasons of a field error (the `field_codes` of the error
// body, api/openapi.yaml FieldCode): clients translate them.
const (
	FieldRequired     = "required"
	FieldTooLong      = "too_long"
	FieldTooShort     = "too_short"
	FieldInvalidDate  = "invalid_date"
	FieldBeforeStart  = "before_start"
	FieldUnknownValue = "unknown_value"
	FieldInvalidID    = "invalid_id"
	FieldNotFound     = "not_found"
	FieldWrongRole    = "wrong_role"
	FieldOutOfRange   = "out_of_range"
	FieldInvalidText  = "invalid_text"
	FieldWrongType    = "wrong_type"
	FieldUnknownField = "unknown_field"
	FieldInvalidCode  = "invalid_code"
	FieldInvalid      = "invalid"
)

// FieldWithCode is Field with the machine-readable reason code.
func FieldWithCode(field, code, message string) *Error {
	e := Field(field, message)
	e.FieldCodes = map[string]string{field: code}
	return e
}
