package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/habeas-org/habeas/internal/actor"
	"github.com/habeas-org/habeas/internal/apperr"
	"github.com/habeas-org/habeas/internal/lang"
)

// fakeReleases stands for the time-limit engine behind GET /api/v1/releases.
type fakeReleases struct {
	within, status string
	p              *actor.Principal
	l              lang.Lang
}

func (f *fakeReleases) Releases(ctx context.Context, p *actor.Principal, within, status string) (any, error) {
	f.within, f.status, f.p, f.l = within, status, p, lang.From(ctx)
	if within == "400d" {
		return nil, apperr.Field("within", "at most 366d")
	}
	return []map[string]any{{"case_id": "c1", "expected_release_at": "2031-12-25", "status": "expected"}}, nil
}

// The handler passes the raw query, the caller and the language to the
// lister and answers {"items": [...]}, or the lister's field error.
func TestReleasesHandler(t *testing.T) {
	f := &fakeReleases{}
	me := &actor.Principal{UserID: "u1", Role: actor.Coordinator}
	r := gin.New()
	r.Use(language(), func(c *gin.Context) {
		c.Request = c.Request.WithContext(actor.WithPrincipal(c.Request.Context(), me))
	})
	r.GET("/releases", (&releasesHandlers{svc: f}).list)

	req := httptest.NewRequest(http.MethodGet, "/releases?within=30d&status=passed", nil)
	req.Header.Set("Accept-Language", "zh-CN")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), `{"items":[{"case_id":"c1"`) {
		t.Fatalf("list: %d %s", w.Code, w.Body)
	}
	if f.within != "30d" || f.status != "passed" || f.p != me || f.l != lang.Chinese {
		t.Errorf("the lister got within %q status %q principal %v language %q", f.within, f.status, f.p, f.l)
	}
	w = httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/releases?within=400d", nil))
	if w.Code != 400 || !strings.Contains(w.Body.String(), `"within"`) {
		t.Errorf("bad within: %d %s", w.Code, w.Body)
	}
}
