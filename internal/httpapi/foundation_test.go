package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/habeas-org/habeas/internal/db"
	"github.com/habeas-org/habeas/internal/testkit"
)

func TestFoundationRoutes(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		cases := []struct {
			name, method, path string
			status             int
			code               string
			contentType        string
		}{
			{"livez", "GET", "/livez", 200, "", "application/json"},
			{"readyz", "GET", "/readyz", 200, "", "application/json"},
			{"spec", "GET", "/api/openapi.yaml", 200, "", "application/yaml"},
			{"docs", "GET", "/api/docs", 200, "", "text/html"},
			{"unknown api route", "GET", "/api/v1/nope", 404, "route_not_found", "application/json"},
			{"unknown api root", "POST", "/api", 404, "route_not_found", "application/json"},
			{"wrong method", "POST", "/livez", 405, "method_not_allowed", "application/json"},
			{"spa root", "GET", "/", 200, "", "text/html"},
			{"spa deep link", "GET", "/cases/123", 200, "", "text/html"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := s.Do(testkit.Request{Method: c.method, Path: c.path})
				if r.StatusCode != c.status {
					t.Fatalf("status %d, want %d: %s", r.StatusCode, c.status, r.Body)
				}
				if !strings.HasPrefix(r.Header.Get("Content-Type"), c.contentType) {
					t.Errorf("content type %q, want %q", r.Header.Get("Content-Type"), c.contentType)
				}
				if r.Header.Get("X-Request-ID") == "" {
					t.Error("no X-Request-ID")
				}
				for h, want := range map[string]string{
					"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
				} {
					if got := r.Header.Get(h); got != want {
						t.Errorf("%s: %q, want %q", h, got, want)
					}
				}
				if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("CSP %q lacks frame-ancestors 'none'", csp)
				}
				if strings.HasPrefix(c.path, "/api/v1") && r.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("API response Cache-Control %q, want no-store", r.Header.Get("Cache-Control"))
				}
				if c.code != "" && !strings.Contains(string(r.Body), `"code":"`+c.code+`"`) {
					t.Errorf("body %s lacks code %s", r.Body, c.code)
				}
			})
		}
	})
}

func TestReadyzReportsBrokenDatabase(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		s := testkit.NewServer(t, d, nil)
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		r := s.Do(testkit.Request{Method: "GET", Path: "/readyz"})
		if r.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503: %s", r.StatusCode, r.Body)
		}
		var body struct {
			Code   string
			Fields map[string]string
		}
		r.JSON(t, &body)
		if body.Code != "not_ready" || !strings.HasPrefix(body.Fields["database"], "unavailable") || body.Fields["storage"] != "ok" {
			t.Errorf("unexpected readiness %+v", body)
		}
	})
}

func TestOpenAPIDocumentIsValid31(t *testing.T) {
	s := testkit.NewServer(t, testkit.NewDB(t, db.SQLite), nil)
	r := s.Do(testkit.Request{Method: "GET", Path: "/api/openapi.yaml"})
	doc, err := libopenapi.NewDocument(r.Body)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if v := doc.GetVersion(); !strings.HasPrefix(v, "3.1") {
		t.Fatalf("OpenAPI version %q, want 3.1.x", v)
	}
	if _, err := doc.BuildV3Model(); err != nil {
		t.Fatalf("build model: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("spec invalid against the OpenAPI 3.1 schema: %s: %s", e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("  %s at %s", se.Reason, se.FieldPath)
			}
		}
	}
}
