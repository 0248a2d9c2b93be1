package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/habeas-org/habeas/api"
	"github.com/habeas-org/habeas/internal/app"
	"github.com/habeas-org/habeas/internal/auth"
	"github.com/habeas-org/habeas/internal/config"
	"github.com/habeas-org/habeas/internal/db"
)

// Server is a running Habeas on a fresh database, reached over real HTTP.
type Server struct {
	t      testing.TB
	App    *app.App
	URL    string
	Client *http.Client
}

// NewServer starts Habeas on d with local storage in a temp dir. configure,
// when given, adjusts the configuration before the app is built. With d nil
// the app opens (and migrates) the configured database itself, like a real
// process: SQLite in the data dir, or the configured PostgreSQL URL.
func NewServer(t testing.TB, d *db.DB, configure func(*config.Config), opts ...app.Option) *Server {
	t.Helper()
	return NewServerLogging(t, d, configure, nil, opts...)
}

// NewServerLogging is NewServer whose log records (every level) also go to
// h when h is not nil: tests that check what the server logs use it.
func NewServerLogging(t testing.TB, d *db.DB, configure func(*config.Config), h slog.Handler, opts ...app.Option) *Server {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		t.Fatalf("default config: %v", err)
	}
	cfg.DataDir = t.TempDir()
	if configure != nil {
		configure(cfg)
	}
	var handler slog.Handler = slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})
	if h != nil {
		handler = teeHandler{handler, h}
	}
	logger := slog.New(handler)
	// Cheap password hashing unless a test asks otherwise (options given later win).
	base := []app.Option{app.WithPasswordParams(auth.FastTestParams)}
	if d != nil {
		base = append(base, app.WithDB(d))
	}
	a, err := app.New(context.Background(), cfg, logger, append(base, opts...)...)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	ts := httptest.NewServer(a.Handler)
	t.Cleanup(func() {
		ts.Close()
		_ = a.Close()
	})
	return &Server{t: t, App: a, URL: ts.URL, Client: ts.Client()}
}

// Response is a finished response with its body read.
type Response struct {
	*http.Response
	Body []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s body %q: %v", r.Request.URL.Path, r.Body, err)
	}
}

// Request describes one call.
type Request struct {
	Method string
	Path   string
	// Body is sent as JSON unless it is an io.Reader or []byte.
	Body   any
	Header http.Header
	// Token, when set, is sent as a bearer token.
	Token string
}

// Do sends the request and checks the response against the OpenAPI contract:
// a documented route must answer as documented; any 4xx/5xx must have the
// Error shape. A mismatch fails the test (the contract and code cannot drift).
func (s *Server) Do(r Request) *Response {
	s.t.Helper()
	var body io.Reader
	contentType := ""
	switch b := r.Body.(type) {
	case nil:
	case io.Reader:
		body = b
	case []byte:
		body = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			s.t.Fatalf("encode body: %v", err)
		}
		body, contentType = bytes.NewReader(raw), "application/json"
	}
	req, err := http.NewRequest(r.Method, s.URL+r.Path, body)
	if err != nil {
		s.t.Fatalf("new request: %v", err)
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if contentType != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", contentType)
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("%s %s: read body: %v", r.Method, r.Path, err)
	}
	out := &Response{Response: resp, Body: raw}
	CheckContract(s.t, req, out)
	return out
}

var (
	specOnce      sync.Once
	specValidator validator.Validator
	specErr       error
)

// Validator returns the validator built from api/openapi.yaml.
func Validator(t testing.TB) validator.Validator {
	t.Helper()
	specOnce.Do(func() {
		doc, err := libopenapi.NewDocument(api.Spec)
		if err != nil {
			specErr = err
			return
		}
		v, errs := validator.NewValidator(doc)
		if len(errs) > 0 {
			specErr = errs[0]
			return
		}
		specValidator = v
	})
	if specErr != nil {
		t.Fatalf("api/openapi.yaml: %v", specErr)
	}
	return specValidator
}

// CheckContract fails t when resp does not match the contract.
func CheckContract(t testing.TB, req *http.Request, resp *Response) {
	t.Helper()
	if resp.StatusCode >= 400 && req.Method != http.MethodHead { // a HEAD answer has no body
		CheckErrorShape(t, resp)
	}
	if !strings.HasPrefix(req.URL.Path, "/api/") && req.URL.Path != "/livez" && req.URL.Path != "/readyz" {
		return // SPA pages are not part of the API contract
	}
	if resp.StatusCode == http.StatusNotFound && strings.Contains(string(resp.Body), `"route_not_found"`) {
		return // unknown route: the shape check above is the contract
	}
	if resp.StatusCode == http.StatusMethodNotAllowed {
		return
	}
	// The validator reads the body again.
	resp.Response.Body = io.NopCloser(bytes.NewReader(resp.Body))
	ok, errs := Validator(t).ValidateHttpResponse(req, resp.Response)
	if !ok {
		for _, e := range errs {
			t.Errorf("contract: %s %s -> %d: %s (%s)", req.Method, req.URL.Path, resp.StatusCode, e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("  schema: %s at %s", se.Reason, se.FieldPath)
			}
		}
	}
}

// CheckErrorShape fails t unless the body is exactly the Error shape.
func CheckErrorShape(t testing.TB, resp *Response) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(resp.Body, &m); err != nil {
		t.Errorf("error response %d is not JSON: %q", resp.StatusCode, resp.Body)
		return
	}
	for _, k := range []string{"code", "message", "request_id"} {
		if s, ok := m[k].(string); !ok || s == "" {
			t.Errorf("error response %d: %q missing or not a string in %s", resp.StatusCode, k, resp.Body)
		}
	}
	for k := range m {
		switch k {
		case "code", "message", "request_id", "fields":
		case "field_codes":
			fc, _ := m["field_codes"].(map[string]any)
			fs, _ := m["fields"].(map[string]any)
			if len(fc) != len(fs) {
				t.Errorf("error response %d: field_codes %v do not match fields %v", resp.StatusCode, fc, fs)
			}
			for f := range fc {
				if _, ok := fs[f]; !ok {
					t.Errorf("error response %d: field_codes names %q, not in fields", resp.StatusCode, f)
				}
			}
		default:
			t.Errorf("error response %d: unexpected key %q", resp.StatusCode, k)
		}
	}
	if id := resp.Header.Get("X-Request-ID"); id == "" || id != m["request_id"] {
		t.Errorf("error response %d: request_id %v does not match X-Request-ID %q", resp.StatusCode, m["request_id"], id)
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// teeHandler sends each record to both handlers, each at its own level.
type teeHandler [2]slog.Handler

func (h teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h[0].Enabled(ctx, l) || h[1].Enabled(ctx, l)
}

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, x := range h {
		if x.Enabled(ctx, r.Level) {
			if err := x.Handle(ctx, r.Clone()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return teeHandler{h[0].WithAttrs(as), h[1].WithAttrs(as)}
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	return teeHandler{h[0].WithGroup(name), h[1].WithGroup(name)}
}
