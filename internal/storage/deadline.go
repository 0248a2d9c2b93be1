package storage

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minio/minio-go/v7"
)

// ErrUnavailable reports a storage server that did not answer in time: a
// connect, a call or a streamed transfer passed its deadline, or the server
// was found unresponsive moments before. Callers answer it as "storage
// unavailable, retry later"; it never means the object is missing.
var ErrUnavailable = errors.New("storage unavailable")

// Default deadlines of the S3 driver (HABEAS_S3_CONNECT_TIMEOUT,
// HABEAS_STORAGE_CALL_TIMEOUT, HABEAS_STORAGE_STALL_TIMEOUT).
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultCallTimeout    = 30 * time.Second
	DefaultStallTimeout   = 30 * time.Second
	// DefaultUnresponsiveHold is how long the S3 driver fails calls at once
	// after a deadline passed (so a hung server costs one timeout, not one
	// per cleanup call).
	DefaultUnresponsiveHold = 5 * time.Second
)

// opGuard is carried in the context of one driver operation: any request of
// the operation that passes a deadline ends the whole operation with cause
// (minio-go would otherwise retry the request up to ten times).
type opGuard struct {
	ctx    context.Context // the operation's
	cancel context.CancelCauseFunc
	// call: every request of the operation is a call without a streamed
	// body (a listing page...), bounded by the call timeout.
	call bool
}

type opGuardKey struct{}

// deadlines is the S3 driver's http.RoundTripper: it bounds each request by
// the stall timeout (no progress on the network side) and, for requests
// without a streamed body, by the call timeout; it turns a passed deadline
// into an ErrUnavailable error, ends the operation of the request and holds
// further requests off for a short while.
type deadlines struct {
	base  http.RoundTripper
	call  time.Duration
	stall time.Duration
	hold  time.Duration
	// hungAt is when a deadline last passed (UnixNano; 0 never).
	hungAt atomic.Int64
}

// newTransport returns the HTTP transport of the S3 client: minio-go's
// default (TLS 1.2 at least, SSL_CERT_FILE, no transparent decompression,
// keep-alive pooling) with the connect timeout on the dial and the TLS
// handshake, and the deadlines of each request in place of its one-minute
// wait for response headers.
func newTransport(secure bool, connect, call, stall, hold time.Duration) (*deadlines, error) {
	base, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, err
	}
	base.DialContext = (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext
	base.TLSHandshakeTimeout = connect
	base.ResponseHeaderTimeout = 0 // the call and stall deadlines bound the wait
	return &deadlines{base: base, call: call, stall: stall, hold: hold}, nil
}

// unresponsive returns an ErrUnavailable error while the server is held
// off after a passed deadline, nil otherwise.
func (d *deadlines) unresponsive() error {
	at := d.hungAt.Load()
	if at == 0 || d.hold <= 0 {
		return nil
	}
	if since := time.Since(time.Unix(0, at)); since < d.hold {
		return fmt.Errorf("%w: the server did not answer in time %v ago; not asked again for %v", ErrUnavailable,
			since.Round(time.Millisecond), d.hold)
	}
	return nil
}

// RoundTrip implements http.RoundTripper.
func (d *deadlines) RoundTrip(req *http.Request) (*http.Response, error) {
	g, _ := req.Context().Value(opGuardKey{}).(*opGuard)
	if g != nil {
		if cause := unavailable(g.ctx); cause != nil {
			// A request of an operation that already failed as unavailable,
			// made on a context detached from it: minio-go's abort of a
			// failed multipart upload. It is answered here, with an error
			// minio-go does not retry, rather than waited for on a hung
			// server; the incomplete upload is left to reconcile
			// (AbortIncompleteUploads).
			closeBody(req)
			return refusal(req, cause), nil
		}
	}
	if err := d.unresponsive(); err != nil {
		if g != nil {
			g.cancel(err) // no retries: the operation is over
		}
		closeBody(req)
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(req.Context())
	var stopCall func() bool
	w := &watchdog{}
	if g != nil && g.call || req.Method != http.MethodPut && req.Method != http.MethodGet {
		// No streamed body: stat, delete, list page, bucket check,
		// multipart initiate/complete/abort. The call timeout bounds the
		// whole request, its answer's body included.
		callErr := fmt.Errorf("%w: no answer within %v (HABEAS_STORAGE_CALL_TIMEOUT): %w", ErrUnavailable, d.call, context.DeadlineExceeded)
		stopCall = time.AfterFunc(d.call, func() { d.trip(g, cancel, callErr) }).Stop
		w.done = true // no stall watchdog
	} else {
		stallErr := fmt.Errorf("%w: no progress for %v (HABEAS_STORAGE_STALL_TIMEOUT)", ErrUnavailable, d.stall)
		w.d, w.fire = d.stall, func() { d.trip(g, cancel, stallErr) }
	}
	req = req.WithContext(ctx)
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = &sendBody{rc: req.Body, w: w}
	}
	w.arm() // connecting, sending, then waiting for the answer
	resp, err := d.base.RoundTrip(req)
	if err != nil {
		w.stop()
		if stopCall != nil {
			stopCall()
		}
		if cause := context.Cause(ctx); errors.Is(cause, ErrUnavailable) {
			err = cause
		} else if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() && req.Context().Err() == nil {
			// Connect or TLS handshake timeout (HABEAS_S3_CONNECT_TIMEOUT).
			err = fmt.Errorf("%w: connect: %w", ErrUnavailable, err)
			d.trip(g, nil, err)
		}
		cancel(nil)
		return nil, err
	}
	w.headers()
	resp.Body = &recvBody{rc: resp.Body, w: w, ctx: ctx, done: func() {
		w.stop()
		if stopCall != nil {
			stopCall()
		}
		cancel(nil)
	}}
	return resp, nil
}

// trip ends a request (cancel), its operation (g) and holds the server off.
func (d *deadlines) trip(g *opGuard, cancel context.CancelCauseFunc, err error) {
	d.hungAt.Store(time.Now().UnixNano())
	if g != nil {
		g.cancel(err)
	}
	if cancel != nil {
		cancel(err)
	}
}

// refusal is a local answer to req that minio-go reports as an error and
// does not retry (a 400 with an S3 error document).
func refusal(req *http.Request, cause error) *http.Response {
	var msg strings.Builder
	_ = xml.EscapeText(&msg, []byte(cause.Error()))
	body := `<?xml version="1.0" encoding="UTF-8"?><Error><Code>HabeasStorageUnavailable</Code><Message>` +
		msg.String() + `</Message></Error>`
	return &http.Response{
		Status: "400 Bad Request", StatusCode: http.StatusBadRequest, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/xml"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// watchdog fires once when it stays armed for d without being re-armed.
// Armed means "waiting on the network": the transport sending the request
// body, the server's answer, or a read of the response body in progress.
// Time spent waiting on the caller (reading the source of an upload, or
// between reads of a download) does not count.
type watchdog struct {
	d    time.Duration
	fire func()

	mu       sync.Mutex
	t        *time.Timer
	armed    bool
	running  bool
	done     bool
	gotHead  bool
	deadline time.Time
}

func (w *watchdog) arm() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return
	}
	w.armed = true
	w.deadline = time.Now().Add(w.d)
	if !w.running {
		w.running = true
		if w.t == nil {
			w.t = time.AfterFunc(w.d, w.check)
		} else {
			w.t.Reset(w.d)
		}
	}
}

func (w *watchdog) disarm() {
	w.mu.Lock()
	w.armed = false
	w.mu.Unlock()
}

// sendArm and sendDisarm are the request body's: once the answer's
// headers came, the request body no longer drives the watchdog.
func (w *watchdog) sendArm() {
	w.mu.Lock()
	head := w.gotHead
	w.mu.Unlock()
	if !head {
		w.arm()
	}
}

func (w *watchdog) sendDisarm() {
	w.mu.Lock()
	if !w.gotHead {
		w.armed = false
	}
	w.mu.Unlock()
}

// headers records that the answer's headers came: the watchdog is now
// armed only during reads of the response body.
func (w *watchdog) headers() {
	w.mu.Lock()
	w.gotHead, w.armed = true, false
	w.mu.Unlock()
}

func (w *watchdog) stop() {
	w.mu.Lock()
	w.done = true
	if w.t != nil {
		w.t.Stop()
	}
	w.mu.Unlock()
}

func (w *watchdog) check() {
	w.mu.Lock()
	if w.done || !w.armed {
		w.running = false
		w.mu.Unlock()
		return
	}
	if left := time.Until(w.deadline); left > 0 {
		w.t.Reset(left)
		w.mu.Unlock()
		return
	}
	w.done = true
	w.mu.Unlock()
	w.fire()
}

// sendBody is a request body: the transport reads it only as fast as the
// connection takes the bytes, so the time between two reads is time spent
// waiting on the network (armed) and the time inside a read is time spent
// waiting on the source (disarmed).
type sendBody struct {
	rc io.ReadCloser
	w  *watchdog
}

func (b *sendBody) Read(p []byte) (int, error) {
	b.w.sendDisarm()
	n, err := b.rc.Read(p)
	b.w.sendArm()
	return n, err
}

func (b *sendBody) Close() error { return b.rc.Close() }

// recvBody is a response body: a read waiting for more than the stall
// timeout fails with the ErrUnavailable cause, and the connection is cut.
type recvBody struct {
	rc   io.ReadCloser
	w    *watchdog
	ctx  context.Context
	done func()
	once sync.Once
}

func (b *recvBody) Read(p []byte) (int, error) {
	b.w.arm()
	n, err := b.rc.Read(p)
	b.w.disarm()
	if err != nil {
		if cause := context.Cause(b.ctx); errors.Is(cause, ErrUnavailable) {
			err = cause
		}
		if err == io.EOF {
			b.once.Do(b.done)
		}
	}
	return n, err
}

func (b *recvBody) Close() error {
	err := b.rc.Close()
	b.once.Do(b.done)
	return err
}
