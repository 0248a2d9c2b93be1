package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
)

// DefaultMaxJSONBody caps JSON request bodies unless configured
// (HABEAS_HTTP_MAX_JSON_BODY); uploads have their own limits.
const DefaultMaxJSONBody = 1 << 20

// maxJSONKey is the context key of the configured JSON body cap.
const maxJSONKey = "habeas.maxJSONBody"

// jsonLimit puts the JSON body cap in each request's context for BindJSON.
func jsonLimit(n int) gin.HandlerFunc {
	if n <= 0 {
		n = DefaultMaxJSONBody
	}
	return func(c *gin.Context) {
		c.Set(maxJSONKey, int64(n))
		c.Next()
	}
}

// maxJSON is the JSON body cap of the request.
func maxJSON(c *gin.Context) int64 {
	if n := c.GetInt64(maxJSONKey); n > 0 {
		return n
	}
	return DefaultMaxJSONBody
}

// BindJSON decodes the request body into dst, strictly: Content-Type
// application/json, at most the configured cap (DefaultMaxJSONBody), valid
// UTF-8 (no lone surrogate escapes), exactly one JSON value, every key
// spelled exactly as dst declares it and none repeated (checkStrictJSON),
// no NUL in any text. Its errors are apperr kinds (400, 413, 415) for
// Fail; a refused key is named by its path. Every handler reads JSON
// through it.
func BindJSON(c *gin.Context, dst any) error { return bindJSON(c, dst, false) }

// BindOptionalJSON is BindJSON for endpoints whose body may be empty: an
// empty body leaves dst untouched.
func BindOptionalJSON(c *gin.Context, dst any) error { return bindJSON(c, dst, true) }

func bindJSON(c *gin.Context, dst any, optional bool) error {
	limit := maxJSON(c)
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.ErrTooLarge, "body_too_large", fmt.Sprintf("the request body is over %d bytes", limit))
		}
		return apperr.New(apperr.ErrInvalid, "invalid_body", "the request body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return apperr.New(apperr.ErrInvalid, "invalid_json", "a JSON request body is required")
	}
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "application/json" {
		return apperr.New(apperr.ErrUnsupportedMedia, "unsupported_media_type", "send the body as application/json")
	}
	if err := checkStrictJSON(body, reflect.TypeOf(dst)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.ErrInvalid, "invalid_json", "the body must be a single JSON value")
	}
	if bytes.Contains(body, []byte(`\u0000`)) && hasNUL(body) {
		return apperr.New(apperr.ErrInvalid, "invalid_json", "text must not contain NUL characters (\\u0000)")
	}
	return nil
}

// hasNUL reports whether a string or key of the JSON document holds a NUL
// character, which no text field needs and PostgreSQL cannot store.
func hasNUL(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if s, ok := tok.(string); ok && strings.ContainsRune(s, 0) {
			return true
		}
	}
}

func jsonError(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.ErrInvalid, "invalid_json", "the body is not valid JSON")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return apperr.New(apperr.ErrInvalid, "invalid_json", "the body must be a JSON object")
		}
		return apperr.Invalid("validation_failed", "the request has invalid fields", map[string]string{field: "must be a " + typ.Type.String()})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if len(field) > 100 {
			field = field[:100]
		}
		return apperr.Invalid("unknown_field", "the body has a field this endpoint does not take", map[string]string{field: "unknown field"})
	default:
		return apperr.New(apperr.ErrInvalid, "invalid_json", "the body is not valid JSON for this endpoint")
	}
}
