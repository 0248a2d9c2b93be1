package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/cases"
	"github.com/habeas-org/habeas/internal/record"
	"github.com/habeas-org/habeas/internal/timeline"
)

// registerCaseRecords adds the case-records routes (issue 5) to the group of
// fully signed-in callers. Who may see and do what is decided by the cases
// service through internal/access, not here.
func registerCaseRecords(authed *gin.RouterGroup, svc *cases.Service) {
	dh := &detaineesHandlers{svc: svc}
	authed.GET("/detainees", dh.list)
	authed.POST("/detainees", dh.create)
	authed.GET("/detainees/export.csv", dh.export)
	authed.POST("/detainees/import", dh.importCSV)
	authed.GET("/detainees/:id", dh.get)
	authed.PATCH("/detainees/:id", dh.update)
	authed.DELETE("/detainees/:id", dh.remove)

	ch := &casesHandlers{svc: svc}
	authed.GET("/cases", ch.list)
	authed.POST("/cases", ch.create)
	authed.GET("/cases/:id", ch.get)
	authed.PATCH("/cases/:id", ch.update)
	authed.DELETE("/cases/:id", ch.remove)

	ah := &assignmentsHandlers{svc: svc}
	authed.GET("/cases/:id/assignments", ah.list)
	authed.POST("/cases/:id/assignments", ah.create)
	authed.GET("/cases/:id/assignments/:aid", ah.get)
	authed.PATCH("/cases/:id/assignments/:aid", ah.update)
	authed.DELETE("/cases/:id/assignments/:aid", ah.remove)

	sh := &sharesHandlers{svc: svc}
	authed.GET("/cases/:id/shares", sh.list)
	authed.POST("/cases/:id/shares", sh.create)
	authed.DELETE("/cases/:id/shares/:sid", sh.revoke)

	lh := &lawyersHandlers{svc: svc}
	authed.GET("/lawyers", lh.list)
	authed.POST("/lawyers", lh.create)
	authed.GET("/lawyers/:id", lh.get)
	authed.PATCH("/lawyers/:id", lh.update)
	authed.DELETE("/lawyers/:id", lh.remove)

	authed.GET("/vocabularies", func(c *gin.Context) {
		v, err := svc.Vocabularies(principal(c))
		if err != nil {
			Fail(c, err)
			return
		}
		out := map[string]any{}
		for k, x := range v {
			out[k] = x
		}
		for k, x := range timeline.Vocabularies {
			out[k] = x
		}
		c.JSON(http.StatusOK, out)
	})
}

// pathID reads a UUID path parameter; anything else names an object that
// does not exist (404, like an object the caller may not see).
func pathID(c *gin.Context, param, object string) (string, bool) {
	id := c.Param(param)
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		Fail(c, apperr.NotFound(object))
		return "", false
	}
	return strings.ToLower(id), true
}

// etag is the strong entity tag of a record version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads the version a PATCH is based on from If-Match (the ETag of
// the record the client read, "3" or W/"3"). It is required: a client that
// does not say which version it changes could overwrite someone else's change.
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

// listOptions reads q, sort, cursor and limit.
func listOptions(c *gin.Context) (record.ListOptions, bool) {
	o := record.ListOptions{Q: c.Query("q"), Sort: c.Query("sort"), Cursor: c.Query("cursor")}
	if len(o.Q) > 200 {
		Fail(c, apperr.Field("q", "at most 200 bytes"))
		return o, false
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > record.MaxLimit {
			Fail(c, apperr.Field("limit", "must be a whole number from 1 to 200"))
			return o, false
		}
		o.Limit = n
	}
	return o, true
}

// renderVersioned answers a record with its ETag.
func renderVersioned(c *gin.Context, status int, version int64, body any) {
	c.Header("ETag", etag(version))
	c.JSON(status, body)
}
