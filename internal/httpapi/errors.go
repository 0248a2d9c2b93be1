package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/diskspace"
	"github.com/habeas-org/habeas/internal/logging"
)

// ErrorBody is the one JSON shape of every 4xx and 5xx response.
type ErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// FieldCodes is the machine-readable reason of each of Fields
	// (required, too_long, before_start, invalid_date...; see fieldCodes).
	FieldCodes map[string]string `json:"field_codes,omitempty"`
	RequestID  string            `json:"request_id"`
}

// routeNotFound answers unknown /api/ routes.
var routeNotFound = apperr.New(apperr.ErrNotFound, "route_not_found", "no such API route")

// statusOf is the one mapping from error kind to HTTP status.
func statusOf(err error) int {
	switch {
	case errors.Is(err, apperr.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, apperr.ErrUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, apperr.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, apperr.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, apperr.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, apperr.ErrPrecondition):
		return http.StatusPreconditionFailed
	case errors.Is(err, apperr.ErrUnprocessable):
		return http.StatusUnprocessableEntity
	case errors.Is(err, apperr.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, apperr.ErrUnsupportedMedia):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, apperr.ErrRateLimited):
		return http.StatusTooManyRequests
	case errors.Is(err, apperr.ErrUnavailable):
		return http.StatusServiceUnavailable
	case errors.Is(err, apperr.ErrInsufficientStorage):
		return http.StatusInsufficientStorage
	case errors.Is(err, errClientClosed):
		return StatusClientClosedRequest
	default:
		return http.StatusInternalServerError
	}
}

// writeError renders err in the one error shape. Errors that are not domain
// errors become a generic 500 whose cause is only logged.
func writeError(c *gin.Context, err error) {
	status, body := errorResponse(c, err)
	c.AbortWithStatusJSON(status, body)
}

// errorResponse is the status and body of err (writeError, and the tus
// routes, whose responses tusd writes). It sets Retry-After when err has one.
func errorResponse(c *gin.Context, err error) (int, ErrorBody) {
	err = classify(c, err)
	status := statusOf(err)
	body := ErrorBody{RequestID: RequestID(c)}
	var ae *apperr.Error
	switch {
	case status == StatusClientClosedRequest:
		logging.From(c.Request.Context()).Info("client closed the request", "error", err.Error())
		body.Code, body.Message = "client_closed_request", "the client closed the request"
	case errors.As(err, &ae) && status != http.StatusInternalServerError:
		body.Code, body.Message, body.Fields = ae.Code, ae.Message, ae.Fields
		body.FieldCodes = fieldCodes(ae)
		if ae.RetryAfterSeconds > 0 {
			c.Header("Retry-After", strconv.Itoa(ae.RetryAfterSeconds))
		}
	case status != http.StatusInternalServerError:
		// A bare kind (errors.Is matched a sentinel without *apperr.Error).
		body.Code, body.Message = defaultCode(status), http.StatusText(status)
	default:
		logging.From(c.Request.Context()).Error("request failed", "error", err.Error())
		body.Code, body.Message = "internal_error", "internal error; quote the request id when reporting it"
	}
	c.Set(errorCodeKey, body.Code)
	return status, body
}

// StatusClientClosedRequest (499, nginx's) is logged and counted for a
// request whose client went away before its answer; nobody receives it.
const StatusClientClosedRequest = 499

// errClientClosed marks the error of a request whose client went away.
var errClientClosed = errors.New("client closed the request")

// errDatabaseUnavailable answers a request the database could not serve.
var errDatabaseUnavailable = &apperr.Error{Kind: apperr.ErrUnavailable, Code: "database_unavailable",
	Message: "the database is unavailable; try again shortly", RetryAfterSeconds: 5}

// classify turns the errors of a server fault that are not domain errors
// into what statusOf maps: a request its client cancelled (no server
// error: the client is gone), a full disk (507), or a database that could
// not be used (its cause logged at warn; the answer says only that).
func classify(c *gin.Context, err error) error {
	var ae *apperr.Error
	switch {
	case errors.As(err, &ae):
		return err
	case errors.Is(c.Request.Context().Err(), context.Canceled):
		return fmt.Errorf("%w: %w", errClientClosed, err)
	case diskspace.IsFull(err):
		// ENOSPC, SQLITE_FULL, PostgreSQL disk_full: 507 insufficient_storage.
		return diskspace.Classify(err)
	case db.Unavailable(err):
		logging.From(c.Request.Context()).Warn("database unavailable", "error", err.Error())
		return errDatabaseUnavailable
	}
	return err
}

func defaultCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid_request"
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "conflict"
	case http.StatusPreconditionFailed:
		return "precondition_failed"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusServiceUnavailable:
		return "unavailable"
	case http.StatusInsufficientStorage:
		return "insufficient_storage"
	default:
		return "error"
	}
}

// Fail is the helper handlers call: it renders err and stops the chain.
func Fail(c *gin.Context, err error) { writeError(c, err) }
