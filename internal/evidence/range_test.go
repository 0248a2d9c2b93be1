package evidence_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/habeas-org/habeas/internal/evidence"
)

func TestOpenRange(t *testing.T) {
	keys, _ := testKeys(t)
	s := localStore(t)
	v := evidence.NewVault(s, keys, 0)
	ctx := context.Background()
	const size = 200<<10 + 5
	content, _ := io.ReadAll(plaintext(4, size))
	key := evidence.NewObjectKey()
	st, err := v.Put(ctx, key, bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][2]int64{{0, 1}, {0, size}, {size - 1, 1}, {1000, 100 << 10}, {70 << 10, 10}, {5, 0}} {
		rc, err := v.OpenRange(ctx, key, st.SHA256, st.Size, r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil || !bytes.Equal(got, content[r[0]:r[0]+r[1]]) {
			t.Fatalf("range %v: %d bytes, %v", r, len(got), err)
		}
	}
	rewrite(t, s, key, func(raw []byte) []byte { raw[len(raw)-3] ^= 1; return raw })
	for _, r := range [][2]int64{{0, 1}, {0, 100 << 10}, {1000, 10}} { // ranges far from the damage still fail
		rc, err := v.OpenRange(ctx, key, st.SHA256, st.Size, r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		_ = rc.Close()
		if !errors.Is(err, evidence.ErrIntegrity) || int64(len(got)) >= r[1] {
			t.Fatalf("range %v of an altered object: %d bytes, %v; want ErrIntegrity before the last byte", r, len(got), err)
		}
	}
}
