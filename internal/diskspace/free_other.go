//go:build !linux

package diskspace

import "errors"

// Free is not implemented off Linux: the free-space checks report
// ErrUnsupported and never refuse anything.
func Free(string) (int64, error) { return 0, errors.ErrUnsupported }
