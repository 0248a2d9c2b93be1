package evidence

import (
	"context"
	"io"
)

// The vault's stages (read and hash, encrypt, store; read and decrypt,
// verify, deliver) run in goroutines of their own, so that on a machine with
// several cores the hash and the cipher do not wait for each other. Stages
// are connected by links that pass buffers, not bytes: a fixed set of
// buffers circulates through each link, so the memory of a pipeline is
// constant whatever the file size, and a buffer is filled in place by the
// stage that reads and handed on without a copy.

const (
	// pieceSize is the size of the buffers that travel through a link. It
	// must be at least holdBack: every piece but the last of a stream is
	// full, which the verifying reader relies on.
	pieceSize = 256 << 10
	// linkDepth is the number of buffers of a link: how far a fast stage
	// may run ahead of a slow one.
	linkDepth = 4
)

// piece is one buffer of a stream on its way through a link, or, when b is
// nil, the end of the stream: err is io.EOF after the last byte, or the
// error that stopped the stage that sent it.
type piece struct {
	b   []byte
	err error
}

// link is a bounded, ordered connection between two stages of one
// pipeline. The producer takes a free buffer, fills it and sends it; the
// consumer gives it back once done with it. full can hold every buffer of
// the link plus the end of the stream, so sending never blocks; the only
// waits are for a free buffer and for the next piece, and both stop when the
// pipeline's context is done (a consumer that went away, a cancelled
// request, a failed stage), so no stage can be left blocked.
type link struct {
	ctx  context.Context
	free chan []byte
	full chan piece
}

// newLink returns a link with linkDepth buffers of pieceSize bytes.
func newLink(ctx context.Context) *link {
	l := &link{ctx: ctx, free: make(chan []byte, linkDepth), full: make(chan piece, linkDepth+1)}
	for range linkDepth {
		l.free <- make([]byte, pieceSize)
	}
	return l
}

// then returns a link that carries the pieces of l one stage further: it
// shares l's buffers, which its consumer gives back.
func (l *link) then() *link {
	return &link{ctx: l.ctx, free: l.free, full: make(chan piece, linkDepth+1)}
}

// buffer waits for a free buffer; it fails when the pipeline stopped.
func (l *link) buffer() ([]byte, error) {
	select {
	case b := <-l.free:
		return b[:cap(b)], nil
	case <-l.ctx.Done():
		return nil, context.Cause(l.ctx)
	}
}

// recycle gives a buffer of the link back; it never blocks.
func (l *link) recycle(b []byte) { l.free <- b[:cap(b)] }

// send passes a piece on; it never blocks. After the end of the stream
// (b nil) nothing more may be sent.
func (l *link) send(p piece) { l.full <- p }

// next waits for the next piece. Pieces already sent come first, even when
// the pipeline has stopped, so the stream ends as its stage ended it when
// it did; otherwise a stopped pipeline ends it with the reason.
func (l *link) next() piece {
	select {
	case p := <-l.full:
		return p
	default:
	}
	select {
	case p := <-l.full:
		return p
	case <-l.ctx.Done():
		return piece{err: context.Cause(l.ctx)}
	}
}

// fill reads src into the link, whole buffers but the last, and ends the
// stream with io.EOF at the end of src or with src's error (or the
// pipeline's, when it stopped first). It is a stage: run it in a goroutine.
func (l *link) fill(src io.Reader) {
	for {
		b, err := l.buffer()
		if err != nil {
			l.send(piece{err: err})
			return
		}
		n := 0
		for n < len(b) && err == nil {
			var m int
			m, err = src.Read(b[n:])
			n += m
		}
		if n > 0 {
			l.send(piece{b: b[:n]})
		} else {
			l.recycle(b)
		}
		if err != nil {
			l.send(piece{err: err}) // io.EOF: the end
			return
		}
	}
}

// linkWriter is an io.Writer into a link: it copies what is written into
// the link's buffers and sends each one when it is full.
type linkWriter struct {
	l   *link
	buf []byte
	n   int
}

func (w *linkWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if w.buf == nil {
			b, err := w.l.buffer()
			if err != nil {
				return written, err
			}
			w.buf, w.n = b, 0
		}
		m := copy(w.buf[w.n:], p)
		w.n += m
		p = p[m:]
		written += m
		if w.n == len(w.buf) {
			w.l.send(piece{b: w.buf})
			w.buf = nil
		}
	}
	return written, nil
}

// close ends the stream: with err nil, it sends what is left and io.EOF;
// otherwise it drops it and sends err.
func (w *linkWriter) close(err error) {
	if w.buf != nil {
		if err == nil && w.n > 0 {
			w.l.send(piece{b: w.buf[:w.n]})
		} else {
			w.l.recycle(w.buf)
		}
		w.buf = nil
	}
	if err == nil {
		err = io.EOF
	}
	w.l.send(piece{err: err})
}

// linkReader is an io.Reader of the stream of a link: it copies the pieces
// out and gives their buffers back. It returns the stream's error (io.EOF at
// its end).
type linkReader struct {
	l   *link
	buf []byte // the piece being read
	off int
	err error
}

func (r *linkReader) Read(p []byte) (int, error) {
	for r.off == len(r.buf) {
		if r.buf != nil {
			r.l.recycle(r.buf)
			r.buf, r.off = nil, 0
		}
		if r.err != nil {
			return 0, r.err
		}
		pc := r.l.next()
		if pc.b == nil {
			r.err = pc.err
			continue
		}
		r.buf, r.off = pc.b, 0
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}
