//go:build !unix

package diskspace

func isQuota(error) bool { return false }
