package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// DefaultS3PartSize is the multipart part size of the S3 driver.
//
// Memory bound: a multipart Put holds s3PartsInFlight part buffers,
// 2 x 8 MiB = 16 MiB of object data whatever the object size: one part
// is uploaded while the next is read from the caller, so the caller's
// producer (the evidence pipeline) does not wait for the network and the
// server. A Put of known size no larger than one part is a single streamed
// PUT with no part buffer. The largest object is 10,000 parts x part size
// (78 GiB at 8 MiB).
const DefaultS3PartSize = 8 << 20

// s3PartsInFlight is how many parts of a multipart Put are buffered (one
// being read, one being uploaded).
const s3PartsInFlight = 2

// minS3PartSize is the S3 protocol's smallest non-final part.
const minS3PartSize = 5 << 20

// S3Options configures NewS3. SecretKey is never logged nor put in errors.
type S3Options struct {
	Endpoint  string // host:port, no scheme
	Bucket    string
	AccessKey string
	SecretKey string
	UseTLS    bool
	Region    string // empty: asked from the server
	// PartSize overrides DefaultS3PartSize (at least 5 MiB); tests use it.
	PartSize uint64
	// StartTimeout bounds the bucket check in NewS3; 0 means 30s.
	StartTimeout time.Duration
	// ConnectTimeout bounds a TCP connect and TLS handshake
	// (HABEAS_S3_CONNECT_TIMEOUT); 0 means DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// CallTimeout bounds one call without a streamed body: stat, delete,
	// bucket check, one page of a listing, multipart initiate, complete and
	// abort (HABEAS_STORAGE_CALL_TIMEOUT); 0 means DefaultCallTimeout.
	CallTimeout time.Duration
	// StallTimeout fails a streamed transfer (upload part, download) that
	// makes no progress on the network for this long
	// (HABEAS_STORAGE_STALL_TIMEOUT); 0 means DefaultStallTimeout.
	StallTimeout time.Duration
	// UnresponsiveHold is how long calls fail at once with ErrUnavailable
	// after one passed its deadline; 0 means DefaultUnresponsiveHold,
	// negative disables it.
	UnresponsiveHold time.Duration
}

// S3 stores objects in one bucket of an S3-compatible server (AWS S3, MinIO,
// versitygw...). An object becomes visible only when its upload completes:
// a single PUT or a completed multipart upload; failed uploads are aborted.
//
// Every call has a deadline (see S3Options): a server that stops answering
// makes the call fail with an error wrapping ErrUnavailable, never hang.
type S3 struct {
	client   *minio.Client
	bucket   string
	endpoint string
	partSize uint64
	tr       *deadlines
}

// NewS3 connects to the server and checks that the bucket exists and is
// reachable with the given credentials. It never creates the bucket.
func NewS3(ctx context.Context, o S3Options) (*S3, error) {
	if o.Endpoint == "" || o.Bucket == "" || o.AccessKey == "" || o.SecretKey == "" {
		return nil, errors.New("s3 storage: endpoint, bucket, access key and secret key are all required (HABEAS_S3_ENDPOINT, HABEAS_S3_BUCKET, HABEAS_S3_ACCESS_KEY, HABEAS_S3_SECRET_KEY)")
	}
	if o.PartSize == 0 {
		o.PartSize = DefaultS3PartSize
	}
	if o.PartSize < minS3PartSize {
		return nil, fmt.Errorf("s3 storage: part size %d is below the S3 minimum of 5 MiB", o.PartSize)
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 30 * time.Second
	}
	orDefault := func(d *time.Duration, def time.Duration) {
		if *d == 0 {
			*d = def
		}
	}
	orDefault(&o.ConnectTimeout, DefaultConnectTimeout)
	orDefault(&o.CallTimeout, DefaultCallTimeout)
	orDefault(&o.StallTimeout, DefaultStallTimeout)
	orDefault(&o.UnresponsiveHold, DefaultUnresponsiveHold)
	if o.ConnectTimeout < 0 || o.CallTimeout < 0 || o.StallTimeout < 0 {
		return nil, errors.New("s3 storage: connect, call and stall timeouts must be positive")
	}
	tr, err := newTransport(o.UseTLS, o.ConnectTimeout, o.CallTimeout, o.StallTimeout, o.UnresponsiveHold)
	if err != nil {
		return nil, fmt.Errorf("s3 storage: transport: %w", err)
	}
	client, err := minio.New(o.Endpoint, &minio.Options{
		Creds:     credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""),
		Secure:    o.UseTLS,
		Region:    o.Region,
		Transport: tr,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 storage: endpoint %q (HABEAS_S3_ENDPOINT): %w", o.Endpoint, err)
	}
	s := &S3{client: client, bucket: o.Bucket, endpoint: o.Endpoint, partSize: o.PartSize, tr: tr}
	cctx, cancel := context.WithTimeout(ctx, o.StartTimeout)
	defer cancel()
	if err := s.checkBucket(cctx); err != nil {
		return nil, err
	}
	return s, nil
}

// checkBucket is a cheap HEAD of the bucket; it turns every failure into an
// error that names the configuration key to look at.
func (s *S3) checkBucket(ctx context.Context) error {
	ctx, end, err := s.begin(ctx, true, true)
	if err != nil {
		return fmt.Errorf("s3 storage: check bucket %q at %s: %w", s.bucket, s.endpoint, err)
	}
	defer end()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		if cause := unavailable(ctx); cause != nil {
			return fmt.Errorf("s3 storage: check bucket %q at %s (HABEAS_S3_ENDPOINT): %w", s.bucket, s.endpoint, cause)
		}
		var resp minio.ErrorResponse
		if errors.As(err, &resp) && isCredentialsCode(resp.Code) {
			return fmt.Errorf("s3 storage: access to bucket %q at %s denied (%s): check HABEAS_S3_ACCESS_KEY, HABEAS_S3_SECRET_KEY and the bucket policy: %w",
				s.bucket, s.endpoint, resp.Code, os.ErrPermission)
		}
		return fmt.Errorf("s3 storage: cannot check bucket %q at %s (HABEAS_S3_ENDPOINT, HABEAS_S3_USE_TLS): %w", s.bucket, s.endpoint, err)
	}
	if !ok {
		return fmt.Errorf("s3 storage: bucket %q does not exist at %s (HABEAS_S3_BUCKET); create it first, Habeas never creates buckets", s.bucket, s.endpoint)
	}
	return nil
}

// Name implements Storage.
func (s *S3) Name() string { return "s3" }

// Bucket is the bucket name, for logs.
func (s *S3) Bucket() string { return s.bucket }

// Put implements Storage. The reader is consumed sequentially: size < 0 or
// size > part size means a multipart upload with s3PartsInFlight parts
// buffered (one uploaded while the next is read); otherwise one streamed PUT. When the reader fails, ctx ends or the
// server fails, the multipart upload is aborted (by minio-go, with a fresh
// one-minute context) and nothing is visible under key. If the abort itself
// cannot reach the server, an incomplete upload (never a visible object)
// remains until AbortIncompleteUploads or a bucket lifecycle rule removes it.
// With size >= 0, a reader yielding fewer or more bytes is an error and
// nothing is stored.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) (int64, error) {
	if err := CheckKey(key); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("s3 storage: put %s: %w", key, err)
	}
	ctx, end, err := s.begin(ctx, false, false)
	if err != nil {
		return 0, fmt.Errorf("s3 storage: put %s: %w", key, err)
	}
	defer end()
	// countingReader hides any ReaderAt/Seeker of r so minio-go takes its
	// sequential, single-buffer path (its ReaderAt path runs parallel parts).
	cr := &countingReader{r: ctxReader{ctx: ctx, r: r}}
	var body io.Reader = cr
	if size >= 0 {
		body = &exactReader{r: cr, left: size}
	}
	if size == 0 { // minio-go never reads an empty body: check it here
		if _, err := body.Read(make([]byte, 1)); err != io.EOF {
			return cr.n, fmt.Errorf("s3 storage: put %s: %w", key, err)
		}
		body = strings.NewReader("")
	}
	_, err = s.client.PutObject(ctx, s.bucket, key, body, size, minio.PutObjectOptions{
		ContentType: "application/octet-stream",
		PartSize:    s.partSize,
		// s3PartsInFlight part buffers, filled in order: a part is uploaded
		// while the next one is read.
		NumThreads:            s3PartsInFlight,
		ConcurrentStreamParts: true,
	})
	if err != nil {
		return cr.n, s.fail(ctx, "put", key, err)
	}
	return cr.n, nil
}

// Open implements Storage with one GET whose body is streamed: a missing
// object fails here, and the reader yields exactly the version that existed
// when Open was called, even if the key is overwritten meanwhile. (minio-go's
// Client.GetObject is not used: its lazy HEAD-then-GET fails reads with
// PreconditionFailed when the key is overwritten in between.) On S3, ctx
// governs the whole read, not just the call. A read that waits more than
// the stall timeout for the server fails with ErrUnavailable and cuts the
// connection.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	ctx, end, err := s.begin(ctx, false, false)
	if err != nil {
		return nil, fmt.Errorf("s3 storage: open %s: %w", key, err)
	}
	body, _, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		err = s.fail(ctx, "open", key, err)
		end()
		return nil, err
	}
	return &s3Body{rc: body, ctx: ctx, end: end, key: key}, nil
}

// s3Body is the content of an Open; Close ends the operation.
type s3Body struct {
	rc  io.ReadCloser
	ctx context.Context
	end func()
	key string
}

func (b *s3Body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF {
		if cause := unavailable(b.ctx); cause != nil {
			err = cause
		}
		err = fmt.Errorf("s3 storage: read %s: %w", b.key, err)
	}
	return n, err
}

func (b *s3Body) Close() error {
	err := b.rc.Close()
	b.end()
	return err
}

// Stat implements Storage.
func (s *S3) Stat(ctx context.Context, key string) (Object, error) {
	if err := CheckKey(key); err != nil {
		return Object{}, err
	}
	ctx, end, err := s.begin(ctx, true, true)
	if err != nil {
		return Object{}, fmt.Errorf("s3 storage: stat %s: %w", key, err)
	}
	defer end()
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Object{}, s.fail(ctx, "stat", key, err)
	}
	return Object{Key: key, Size: info.Size}, nil
}

// Delete implements Storage.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	ctx, end, err := s.begin(ctx, true, true)
	if err != nil {
		return fmt.Errorf("s3 storage: delete %s: %w", key, err)
	}
	defer end()
	err = s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil {
		if err = s.fail(ctx, "delete", key, err); errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	return nil
}

// Walk implements Storage: every object whose key starts with prefix, in
// lexical order. Directory markers (keys ending in "/") are skipped. Each
// page of the listing is bounded by the call timeout, not the whole walk.
func (s *S3) Walk(ctx context.Context, prefix string, fn func(Object) error) error {
	ctx, end, err := s.begin(ctx, true, false) // end also stops the lister when fn fails
	if err != nil {
		return fmt.Errorf("s3 storage: walk %s*: %w", prefix, err)
	}
	defer end()
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			return s.fail(ctx, "walk", prefix+"*", obj.Err)
		}
		if strings.HasSuffix(obj.Key, "/") {
			continue
		}
		if err := fn(Object{Key: obj.Key, Size: obj.Size}); err != nil {
			return err
		}
	}
	if cause := unavailable(ctx); cause != nil {
		return fmt.Errorf("s3 storage: walk %s*: %w", prefix, cause)
	}
	return ctx.Err()
}

// Ping implements Storage with a cheap HEAD of the bucket: it proves the
// server answers, the credentials are accepted and the bucket exists. It
// does not write (a write per readiness probe would cost requests and leave
// garbage on failure); a failing Put reports its own error.
func (s *S3) Ping(ctx context.Context) error { return s.checkBucket(ctx) }

// AbortIncompleteUploads aborts the multipart uploads under prefix that were
// started more than olderThan ago (0: all) and returns how many it aborted.
// A Put interrupted by a server crash can leave one behind (never a visible
// object); reconciliation should call this periodically with an age well
// above the longest upload, e.g. 24h. A bucket lifecycle rule
// (AbortIncompleteMultipartUpload) does the same on servers that have them.
func (s *S3) AbortIncompleteUploads(ctx context.Context, prefix string, olderThan time.Duration) (int, error) {
	ctx, end, err := s.begin(ctx, true, false)
	if err != nil {
		return 0, fmt.Errorf("s3 storage: list incomplete uploads %s*: %w", prefix, err)
	}
	defer end()
	core := minio.Core{Client: s.client}
	cutoff := time.Now().Add(-olderThan)
	n := 0
	for u := range s.client.ListIncompleteUploads(ctx, s.bucket, prefix, true) {
		if u.Err != nil {
			return n, s.fail(ctx, "list incomplete uploads", prefix+"*", u.Err)
		}
		if olderThan > 0 && !u.Initiated.IsZero() && u.Initiated.After(cutoff) {
			continue
		}
		if err := core.AbortMultipartUpload(ctx, s.bucket, u.Key, u.UploadID); err != nil {
			if werr := s.fail(ctx, "abort upload", u.Key, err); !errors.Is(werr, os.ErrNotExist) {
				return n, werr
			}
			continue // finished or aborted meanwhile
		}
		n++
	}
	if cause := unavailable(ctx); cause != nil {
		return n, fmt.Errorf("s3 storage: list incomplete uploads %s*: %w", prefix, cause)
	}
	return n, ctx.Err()
}

// IncompleteUpload is a multipart upload that was started and neither
// completed nor aborted.
type IncompleteUpload struct {
	Key       string
	UploadID  string
	Initiated time.Time
}

// IncompleteUploads lists the multipart uploads in progress under prefix.
func (s *S3) IncompleteUploads(ctx context.Context, prefix string) ([]IncompleteUpload, error) {
	ctx, end, err := s.begin(ctx, true, false)
	if err != nil {
		return nil, fmt.Errorf("s3 storage: list incomplete uploads %s*: %w", prefix, err)
	}
	defer end()
	var out []IncompleteUpload
	for u := range s.client.ListIncompleteUploads(ctx, s.bucket, prefix, true) {
		if u.Err != nil {
			return out, s.fail(ctx, "list incomplete uploads", prefix+"*", u.Err)
		}
		out = append(out, IncompleteUpload{Key: u.Key, UploadID: u.UploadID, Initiated: u.Initiated})
	}
	if cause := unavailable(ctx); cause != nil {
		return out, fmt.Errorf("s3 storage: list incomplete uploads %s*: %w", prefix, cause)
	}
	return out, ctx.Err()
}

// begin starts one operation of the driver. Its context ends, with an
// ErrUnavailable cause, as soon as one of its requests passes a deadline
// (minio-go would otherwise retry it); call marks every request of the
// operation as a call without a streamed body (call timeout per request);
// whole also bounds the operation, retries included, by the call timeout.
// While the server is held off after a passed deadline, begin fails at
// once. end must be called when the operation is over.
func (s *S3) begin(ctx context.Context, call, whole bool) (context.Context, func(), error) {
	if err := s.tr.unresponsive(); err != nil {
		return ctx, func() {}, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	g := &opGuard{ctx: ctx, cancel: cancel, call: call}
	ctx = context.WithValue(ctx, opGuardKey{}, g)
	if !whole {
		return ctx, func() { cancel(nil) }, nil
	}
	err := fmt.Errorf("%w: no answer within %v (HABEAS_STORAGE_CALL_TIMEOUT): %w", ErrUnavailable, s.tr.call, context.DeadlineExceeded)
	t := time.AfterFunc(s.tr.call, func() { s.tr.trip(g, nil, err) })
	return ctx, func() { t.Stop(); cancel(nil) }, nil
}

// unavailable returns the ErrUnavailable cause that ended ctx, if any.
func unavailable(ctx context.Context) error {
	if cause := context.Cause(ctx); cause != nil && errors.Is(cause, ErrUnavailable) {
		return cause
	}
	return nil
}

// fail is wrap for the error of an operation begun with begin: a passed
// deadline, or a server that could not be reached at all (no HTTP answer),
// is reported as ErrUnavailable.
func (s *S3) fail(ctx context.Context, op, key string, err error) error {
	if cause := unavailable(ctx); cause != nil {
		return fmt.Errorf("s3 storage: %s %s: %w", op, key, cause)
	}
	if errors.Is(err, ErrUnavailable) {
		return fmt.Errorf("s3 storage: %s %s: %w", op, key, err)
	}
	var ue *url.Error
	if errors.As(err, &ue) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("s3 storage: %s %s: %w: %w", op, key, ErrUnavailable, err)
	}
	return s.wrap(op, key, err)
}

// wrap normalises minio-go errors the way gitea's modules/storage/minio.go
// does (NoSuchKey -> os.ErrNotExist, AccessDenied -> os.ErrPermission) and
// adds the operation and key. A missing bucket is NOT reported as a missing
// object: callers reconciling storage must not mistake it for lost evidence.
func (s *S3) wrap(op, key string, err error) error {
	var resp minio.ErrorResponse
	if errors.As(err, &resp) {
		switch {
		case resp.Code == "NoSuchKey" || resp.Code == "NoSuchUpload":
			return fmt.Errorf("s3 storage: %s %s: %w", op, key, os.ErrNotExist)
		case isCredentialsCode(resp.Code):
			return fmt.Errorf("s3 storage: %s %s: %s (check HABEAS_S3_ACCESS_KEY, HABEAS_S3_SECRET_KEY and the bucket policy): %w", op, key, resp.Code, os.ErrPermission)
		case resp.Code == "NoSuchBucket":
			return fmt.Errorf("s3 storage: %s %s: bucket %q does not exist at %s (HABEAS_S3_BUCKET): %w", op, key, s.bucket, s.endpoint, err)
		}
	}
	return fmt.Errorf("s3 storage: %s %s: %w", op, key, err)
}

func isCredentialsCode(code string) bool {
	switch code {
	case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled":
		return true
	}
	return false
}

// countingReader counts bytes read; it deliberately exposes only Read.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// errSizeMismatch reports a reader longer or shorter than the declared size.
var errSizeMismatch = errors.New("reader length differs from the declared size")

// exactReader yields exactly left bytes and fails (so the upload is never
// completed) when the underlying reader is shorter or longer. It probes for
// extra bytes as soon as the declared size is reached, because the uploader
// stops reading there and would otherwise commit a truncated object.
type exactReader struct {
	r    io.Reader
	left int64
	err  error
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.left == 0 {
		e.err = e.probe()
		return 0, e.err
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	switch {
	case err == io.EOF && e.left > 0:
		e.err = fmt.Errorf("%w: %d bytes missing", errSizeMismatch, e.left)
	case err != nil && err != io.EOF:
		e.err = err
	case e.left == 0:
		e.err = e.probe()
	}
	return n, e.err
}

func (e *exactReader) probe() error {
	var one [1]byte
	for {
		n, err := e.r.Read(one[:])
		if n > 0 {
			return fmt.Errorf("%w: more bytes than declared", errSizeMismatch)
		}
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return err
		}
	}
}
