package evidence

import (
	"context"
	"io"
)

// OpenRange returns a reader of length plaintext bytes from offset start of
// the object (a Range request). The whole object is still read and
// verified: the bytes before start are discarded, and the last chunk of the
// range (up to 64 KiB) is held back until the rest of the object has been
// read and checked, so a range of an altered object fails before its last
// byte, like a full download. (This costs a read of the whole object per
// range; age could seek, but then nothing would be verified.)
func (v *Vault) OpenRange(ctx context.Context, key, sha string, size, start, length int64) (io.ReadCloser, error) {
	rc, err := v.Open(ctx, key, sha, size)
	if err != nil {
		return nil, err
	}
	return &rangeReader{rc: rc, skip: start, left: length}, nil
}

type rangeReader struct {
	rc   io.ReadCloser
	skip int64  // bytes still to discard before the range
	left int64  // bytes of the range not yet delivered
	tail []byte // the range's last bytes, delivered once the object is verified
	err  error
}

func (r *rangeReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.skip > 0 {
		if _, err := io.CopyN(io.Discard, r.rc, r.skip); err != nil {
			return 0, r.fail(err)
		}
		r.skip = 0
	}
	if r.left == 0 {
		return 0, io.EOF
	}
	hold := min(r.left, holdBack)
	if r.tail == nil && r.left > hold {
		n, err := r.rc.Read(p[:min(int64(len(p)), r.left-hold)])
		r.left -= int64(n)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // the verifying reader only ends after a good check: cannot happen
		}
		if err != nil {
			return n, r.fail(err)
		}
		return n, nil
	}
	if r.tail == nil {
		r.tail = make([]byte, hold)
		if _, err := io.ReadFull(r.rc, r.tail); err != nil {
			return 0, r.fail(err)
		}
		if _, err := io.Copy(io.Discard, r.rc); err != nil { // verify the rest of the object
			return 0, r.fail(err)
		}
	}
	n := copy(p, r.tail)
	r.tail = r.tail[n:]
	r.left -= int64(n)
	return n, nil
}

func (r *rangeReader) fail(err error) error {
	r.err = err
	return err
}

func (r *rangeReader) Close() error { return r.rc.Close() }
