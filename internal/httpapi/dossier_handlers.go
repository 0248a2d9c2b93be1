package httpapi

import (
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/dossier"
	"github.com/habeas-org/habeas/internal/logging"
)

// dossierHandlers serve the PDF exports of a case (issue 10).
type dossierHandlers struct{ svc *dossier.Service }

// dossier streams the case dossier: ?audience=internal|external (default
// external) & lang=en|zh|bilingual (default en).
func (h *dossierHandlers) dossier(c *gin.Context) {
	h.export(c, dossier.Request{Kind: dossier.KindDossier,
		Audience: dossier.Audience(c.Query("audience")), Lang: dossier.Lang(c.Query("lang"))})
}

// wgad streams the draft communication to the UN WGAD: ?lang=en|zh|bilingual.
func (h *dossierHandlers) wgad(c *gin.Context) {
	h.export(c, dossier.Request{Kind: dossier.KindWGAD, Lang: dossier.Lang(c.Query("lang"))})
}

// wgadODT streams the WGAD draft as an editable ODT: ?lang=en|zh|bilingual.
func (h *dossierHandlers) wgadODT(c *gin.Context) {
	h.export(c, dossier.Request{Kind: dossier.KindWGAD, Lang: dossier.Lang(c.Query("lang")), ODT: true})
}

func (h *dossierHandlers) export(c *gin.Context, q dossier.Request) {
	var ok bool
	if q.CaseID, ok = pathCaseID(c); !ok {
		return
	}
	started := false
	err := h.svc.Export(c.Request.Context(), principal(c), q, func(name string) io.Writer {
		started = true
		hd := c.Writer.Header()
		ct := "application/pdf"
		if q.ODT {
			ct = dossier.ODTMediaType
		}
		hd.Set("Content-Type", ct)
		hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		hd.Set("Cache-Control", "no-store")
		c.Status(http.StatusOK)
		return c.Writer
	})
	if err == nil {
		return
	}
	if !started {
		Fail(c, err)
		return
	}
	// The response has begun: it cannot become an error any more. The
	// client gets a truncated file; the log says why.
	logging.From(c.Request.Context()).Error("dossier stream failed", "error", err.Error())
	c.Abort()
}
