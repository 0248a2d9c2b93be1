package httpapi

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/record"
)

// principal is the signed-in caller of the request.
func principal(c *gin.Context) *actor.Principal { return actor.From(c.Request.Context()) }

// isID reports whether s is an id: a UUID in its 36-character form.
func isID(s string) bool {
	_, ok := record.ParseID(s)
	return ok && len(s) == 36
}

// pathID reads a UUID path parameter, normalised (lower case); anything
// else names an object that does not exist (404, like an object the caller
// may not see).
func pathID(c *gin.Context, param, object string) (string, bool) {
	raw := c.Param(param)
	if !isID(raw) {
		Fail(c, apperr.NotFound(object))
		return "", false
	}
	id, _ := record.ParseID(raw)
	return id, true
}

// pathCaseID reads {id}, the case of a route under /cases/:id.
func pathCaseID(c *gin.Context) (string, bool) { return pathID(c, "id", "case") }

// ifMatch reads the version a change is based on from If-Match (the ETag
// of the record the client read, "3" or W/"3"). It is required: a client
// that does not say which version it changes could overwrite someone
// else's change. Handlers read it after the path ids and before the body,
// so a missing or malformed precondition is reported before body errors.
func ifMatch(c *gin.Context) (int64, bool) {
	raw := strings.TrimSpace(c.GetHeader("If-Match"))
	if raw == "" {
		Fail(c, apperr.New(apperr.ErrInvalid, "if_match_required", "send If-Match with the ETag (version) of the record you read"))
		return 0, false
	}
	raw = strings.TrimPrefix(raw, "W/")
	v, err := strconv.ParseInt(strings.Trim(raw, `"`), 10, 64)
	if err != nil || v < 1 || !strings.HasPrefix(raw, `"`) || !strings.HasSuffix(raw, `"`) {
		Fail(c, apperr.New(apperr.ErrPrecondition, "version_mismatch", "If-Match does not name a version of this record"))
		return 0, false
	}
	return v, true
}

// bind decodes the JSON body (BindJSON); a refused body is answered.
func bind[In any](c *gin.Context) (In, bool) {
	var in In
	if err := BindJSON(c, &in); err != nil {
		Fail(c, err)
		return in, false
	}
	return in, true
}

// change reads what a PATCH needs after the path ids, in the one order
// every update follows: the If-Match version, then the body.
func change[In any](c *gin.Context) (int64, In, bool) {
	version, ok := ifMatch(c)
	if !ok {
		var none In
		return 0, none, false
	}
	in, ok := bind[In](c)
	return version, in, ok
}

// queryLimit reads the page size ?limit, 1..max; 0 when absent (the
// service's default).
func queryLimit(c *gin.Context, max int) (int, bool) {
	v := c.Query("limit")
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		Fail(c, apperr.Field("limit", "must be a whole number from 1 to "+strconv.Itoa(max)))
		return 0, false
	}
	return n, true
}

// listOptions reads q, sort, cursor and limit of a sorted list.
func listOptions(c *gin.Context) (record.ListOptions, bool) {
	o := record.ListOptions{Q: c.Query("q"), Sort: c.Query("sort"), Cursor: c.Query("cursor")}
	if len(o.Q) > 200 {
		Fail(c, apperr.Field("q", "at most 200 bytes"))
		return o, false
	}
	var ok bool
	o.Limit, ok = queryLimit(c, record.MaxLimit)
	return o, ok
}
