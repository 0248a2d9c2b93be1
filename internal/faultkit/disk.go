package faultkit

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
)

// MountTmpfs mounts a tmpfs of size bytes on dir (created), mode 0700. It
// needs root (or CAP_SYS_ADMIN); it fails loudly otherwise.
func MountTmpfs(dir string, size int64) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.FormatInt(size, 10)+",mode=0700", "tmpfs", dir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("mount a %d-byte tmpfs on %s (the full-disk drill needs root, or CAP_SYS_ADMIN): %w: %s", size, dir, err, out)
	}
	return nil
}

// Unmount unmounts dir (lazily, so a process still holding a file there
// does not block it).
func Unmount(dir string) error {
	if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("umount %s: %w: %s", dir, err, out)
	}
	return nil
}

// FreeBytes is the space left to an unprivileged writer on dir's file system.
func FreeBytes(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("statfs %s: %w", dir, err)
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// Fill writes the file dir/name until the file system is full (ENOSPC)
// and returns its path; remove it to free the space.
func Fill(dir, name string) (string, error) {
	p := filepath.Join(dir, name)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return p, err
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			return p, fmt.Errorf("fill %s: %w", dir, err)
		}
	}
	// Small writes take the last partial blocks.
	for _, n := range []int{4096, 512, 1} {
		for {
			if _, err := f.Write(buf[:n]); err != nil {
				break
			}
		}
	}
	return p, nil
}
