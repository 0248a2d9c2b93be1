package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/audit"
)

// auditHandlers serve the audit log (issue 13).
type auditHandlers struct{ log *audit.Log }

// auditEntryJSON is an entry as the API shows it: details as a JSON object.
type auditEntryJSON struct {
	audit.Row
	Details json.RawMessage `json:"details"`
}

// list answers GET /api/v1/audit: newest first, filtered, keyset-paginated.
func (h *auditHandlers) list(c *gin.Context) {
	f := audit.Filter{
		ActorID: c.Query("actor_id"), CaseID: c.Query("case_id"), ObjectType: c.Query("object_type"),
		ObjectID: c.Query("object_id"), Action: c.Query("action"),
	}
	for name, v := range map[string]string{"actor_id": f.ActorID, "case_id": f.CaseID, "object_type": f.ObjectType,
		"object_id": f.ObjectID, "action": f.Action} {
		if len(v) > 200 {
			Fail(c, apperr.Field(name, "at most 200 bytes"))
			return
		}
	}
	var ok bool
	if f.ExcludeActions, ok = excludedActions(c); !ok {
		return
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := c.Query(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				Fail(c, apperr.Field(name, "must be an RFC 3339 time, e.g. 2026-11-27T00:00:00Z"))
				return
			}
			*dst = t
		}
	}
	if v := c.Query("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			Fail(c, apperr.Field("cursor", "not a cursor from a previous page"))
			return
		}
		f.Before = n
	}
	if f.Limit, ok = queryLimit(c, audit.MaxPage); !ok {
		return
	}
	page, err := h.log.Read(c.Request.Context(), principal(c), f)
	if err != nil {
		Fail(c, err)
		return
	}
	items := make([]auditEntryJSON, len(page.Items))
	for i, r := range page.Items {
		items[i] = auditEntryJSON{Row: r, Details: json.RawMessage(r.Details)}
	}
	var next *string
	if page.NextCursor != "" {
		next = &page.NextCursor
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

// maxExcluded is how many actions one audit query may leave out.
const maxExcluded = 20

// excludedActions reads exclude_action (comma-separated, repeatable): the
// actions to leave out. A 400 naming the field is sent when it is too long.
func excludedActions(c *gin.Context) ([]string, bool) {
	var out []string
	for _, v := range c.QueryArray("exclude_action") {
		if len(v) > 200 {
			Fail(c, apperr.Field("exclude_action", "at most 200 bytes"))
			return nil, false
		}
		for _, a := range strings.Split(v, ",") {
			if a = strings.TrimSpace(a); a != "" {
				out = append(out, a)
			}
		}
	}
	if len(out) > maxExcluded {
		Fail(c, apperr.Field("exclude_action", "at most 20 actions"))
		return nil, false
	}
	return out, true
}

// verifyResponse is the result of GET /api/v1/audit/verify.
type verifyResponse struct {
	Intact   bool           `json:"intact"`
	Entries  int64          `json:"entries"`
	HeadSeq  int64          `json:"head_seq"`
	HeadHash string         `json:"head_hash"`
	Problem  *audit.Problem `json:"problem,omitempty"`
}

// verify answers GET /api/v1/audit/verify (admin): the chain re-hashed now.
func (h *auditHandlers) verify(c *gin.Context) {
	rep, err := h.log.VerifyAs(c.Request.Context(), principal(c))
	render(c, http.StatusOK, verifyResponse{Intact: rep.OK(), Entries: rep.Entries, HeadSeq: rep.HeadSeq, HeadHash: rep.HeadHash, Problem: rep.Problem}, err)
}
