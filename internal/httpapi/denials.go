package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/audit"
)

// errorCodeKey holds the code of the error a request was answered with.
const errorCodeKey = "habeas.error_code"

// noteDenials counts the refusals of signed-in requests (403: not yours to
// change; 404: not yours to see, or missing, which the answer does not tell
// apart) in the audit trail's denial counts (audit.Denials: one entry per
// actor, route and minute). It runs after the handler and adds nothing to
// the answer: the body and the work done are the same whether the object
// exists or belongs to another case. With d nil it does nothing.
func noteDenials(d *audit.Denials) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		status := c.Writer.Status()
		if d == nil || (status != http.StatusNotFound && status != http.StatusForbidden) {
			return
		}
		p := principal(c)
		route := c.FullPath()
		if p == nil || route == "" {
			return
		}
		n := audit.Denial{ActorID: p.UserID, ActorRole: string(p.Role), Route: c.Request.Method + " " + route,
			Status: status, Code: c.GetString(errorCodeKey), ClientIP: c.ClientIP(), RequestID: RequestID(c)}
		for _, prm := range c.Params {
			v := strings.ToLower(prm.Value)
			if !isID(v) {
				v = "(not an id)" // never store what a prober typed
			}
			n.Objects = append(n.Objects, prm.Key+"="+v)
			if prm.Key == "id" && strings.HasPrefix(route, "/api/v1/cases/:id") && isID(v) {
				n.CaseID = v
			}
		}
		d.Note(n)
	}
}
