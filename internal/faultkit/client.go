package faultkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client is one signed-in API user. It is safe for concurrent use; an
// answer 401 (the access token expired, or the server restarted with
// another key) signs in again once and repeats the request, which the
// server did not process.
type Client struct {
	Base            string
	Email, Password string
	HTTP            *http.Client

	mu    sync.Mutex
	token string
}

// NewClient returns a client of base signing in as email (not yet signed in).
func NewClient(base, email, password string) *Client {
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute,
		ResponseHeaderTimeout: 2 * time.Minute}
	return &Client{Base: strings.TrimRight(base, "/"), Email: email, Password: password,
		HTTP: &http.Client{Transport: tr, Timeout: 3 * time.Minute}}
}

// AdminClient signs in as the kit's bootstrap admin of s.
func AdminClient(ctx context.Context, s *Server) (*Client, error) {
	c := NewClient(s.URL(), AdminEmail, AdminPassword)
	return c, c.Login(ctx)
}

// Response is one answer, its body read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// OK reports a 2xx answer.
func (r *Response) OK() bool { return r != nil && r.Status/100 == 2 }

// Decode decodes the JSON body into v.
func (r *Response) Decode(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decode answer %d %.200s: %w", r.Status, r.Body, err)
	}
	return nil
}

// Code is the error code of an error answer ("" when none).
func (r *Response) Code() string {
	var e struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Code
}

// ETag is the version in the answer's ETag (0 when none).
func (r *Response) ETag() int64 {
	v, _ := strconv.ParseInt(strings.Trim(strings.TrimPrefix(r.Header.Get("ETag"), "W/"), `"`), 10, 64)
	return v
}

// String describes the answer for a failure message.
func (r *Response) String() string {
	if r == nil {
		return "no answer"
	}
	return fmt.Sprintf("%d %.300s", r.Status, r.Body)
}

// Login signs in and keeps the access token.
func (c *Client) Login(ctx context.Context) error {
	b, _ := json.Marshal(map[string]string{"email": c.Email, "password": c.Password})
	resp, err := c.send(ctx, "POST", "/api/v1/auth/login", "", http.Header{"Content-Type": {"application/json"}}, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("sign in as %s: %w", c.Email, err)
	}
	var out struct {
		State       string `json:"state"`
		AccessToken string `json:"access_token"`
	}
	if resp.Status != http.StatusOK || resp.Decode(&out) != nil || out.State != "ok" || out.AccessToken == "" {
		return fmt.Errorf("sign in as %s: %s", c.Email, resp)
	}
	c.mu.Lock()
	c.token = out.AccessToken
	c.mu.Unlock()
	return nil
}

func (c *Client) currentToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// send makes one request and reads the whole answer.
func (c *Client) send(ctx context.Context, method, path, token string, hdr http.Header, body io.Reader) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if err != nil {
		return r, fmt.Errorf("%s %s: reading the answer %d: %w", method, path, resp.StatusCode, err)
	}
	return r, nil
}

// Do sends a JSON request (body nil for none) with the extra headers hdr.
// A transport error (no answer) is returned as err with a nil Response.
func (c *Client) Do(ctx context.Context, method, path string, hdr http.Header, body any) (*Response, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	h := http.Header{}
	for k, vs := range hdr {
		h[k] = vs
	}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	for attempt := 0; ; attempt++ {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(raw)
		}
		resp, err := c.send(ctx, method, path, c.currentToken(), h, rd)
		if err != nil || resp.Status != http.StatusUnauthorized || attempt > 0 {
			return resp, err
		}
		if err := c.Login(ctx); err != nil {
			return resp, nil // the 401 stands
		}
	}
}

// Get is Do("GET", path).
func (c *Client) Get(ctx context.Context, path string) (*Response, error) {
	return c.Do(ctx, "GET", path, nil, nil)
}

// CreateCase creates a detainee and a case of theirs and returns the case id.
func (c *Client) CreateCase(ctx context.Context, name string) (string, error) {
	r, err := c.Do(ctx, "POST", "/api/v1/detainees", nil, map[string]any{"name": name})
	if err != nil || r.Status != http.StatusCreated {
		return "", fmt.Errorf("create detainee: %s %v", r, err)
	}
	var d struct {
		ID string `json:"id"`
	}
	if err := r.Decode(&d); err != nil {
		return "", err
	}
	r, err = c.Do(ctx, "POST", "/api/v1/cases", nil, map[string]any{"detainee_id": d.ID, "title": "Case of " + name})
	if err != nil || r.Status != http.StatusCreated {
		return "", fmt.Errorf("create case: %s %v", r, err)
	}
	var cs struct {
		ID string `json:"id"`
	}
	return cs.ID, r.Decode(&cs)
}

// AddEvent logs a timeline event on the case with the description and
// returns the answer (201 with the event on success).
func (c *Client) AddEvent(ctx context.Context, caseID, description string) (*Response, error) {
	return c.Do(ctx, "POST", "/api/v1/cases/"+caseID+"/events", nil, map[string]any{
		"type": "other", "occurred_at": time.Now().UTC().Format("2006-01-02"), "description": description,
	})
}

// UpdateCase changes the case's summary with If-Match version.
func (c *Client) UpdateCase(ctx context.Context, caseID string, version int64, summary string) (*Response, error) {
	return c.Do(ctx, "PATCH", "/api/v1/cases/"+caseID, http.Header{"If-Match": {`"` + strconv.FormatInt(version, 10) + `"`}},
		map[string]any{"summary": summary})
}

// IDOf is the "id" of a JSON answer.
func IDOf(r *Response) string {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(r.Body, &v)
	return v.ID
}

// Upload streams body as the file of a new evidence item of the case
// (multipart/form-data, chunked: the size is not announced), with the
// Idempotency-Key idemKey ("" for none) and the title.
func (c *Client) Upload(ctx context.Context, caseID, idemKey, title, filename string, body io.Reader) (*Response, error) {
	for attempt := 0; ; attempt++ {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			err := mw.WriteField("title", title)
			if err == nil {
				var fw io.Writer
				if fw, err = mw.CreateFormFile("file", filename); err == nil {
					if _, err = io.Copy(fw, body); err == nil {
						err = mw.Close()
					}
				}
			}
			pw.CloseWithError(err)
		}()
		h := http.Header{"Content-Type": {mw.FormDataContentType()}}
		if idemKey != "" {
			h.Set("Idempotency-Key", idemKey)
		}
		resp, err := c.send(ctx, "POST", "/api/v1/cases/"+caseID+"/evidence", c.currentToken(), h, pr)
		_ = pr.CloseWithError(io.ErrClosedPipe)
		// A 401 is answered before the body is read: sign in and resend,
		// when the body can be read again.
		if err != nil || resp.Status != http.StatusUnauthorized || attempt > 0 {
			return resp, err
		}
		s, ok := body.(io.Seeker)
		if !ok {
			return resp, nil
		}
		if _, err := s.Seek(0, io.SeekStart); err != nil {
			return resp, nil
		}
		if err := c.Login(ctx); err != nil {
			return resp, nil
		}
	}
}

// Download reads an evidence item's content.
func (c *Client) Download(ctx context.Context, caseID, itemID string) (*Response, error) {
	return c.Get(ctx, "/api/v1/cases/"+caseID+"/evidence/"+itemID+"/content")
}

// EvidenceCount counts the case's evidence items the API lists (one page
// of up to 100).
func (c *Client) EvidenceCount(ctx context.Context, caseID string) (int, error) {
	r, err := c.Get(ctx, "/api/v1/cases/"+caseID+"/evidence?limit=100")
	if err != nil || r.Status != http.StatusOK {
		return 0, fmt.Errorf("list evidence: %s %v", r, err)
	}
	var page struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := r.Decode(&page); err != nil {
		return 0, err
	}
	return len(page.Items), nil
}
