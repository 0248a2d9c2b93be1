package seed

import (
	"encoding/binary"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
)

// idGen makes UUIDv7 ids from a seeded generator: the time part is the
// row's creation time, the random part comes from the generator, so a run
// with the same seed (on an empty database) gives the same ids.
type idGen struct{ r *rand.Rand }

func (g idGen) at(t time.Time) string {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	u[0], u[1], u[2], u[3], u[4], u[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	binary.BigEndian.PutUint16(u[6:8], uint16(g.r.Uint32()))
	binary.BigEndian.PutUint64(u[8:16], g.r.Uint64())
	u[6] = u[6]&0x0f | 0x70 // version 7
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u.String()
}
