//go:build unix

package sqlstore

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockLoadFile locks path (created if missing) for the bulk-load lease. The kernel drops the
// lock when the process dies, so a crashed load never leaves it held.
func lockLoadFile(path string, wait bool) (loadLease, bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("bulk load lease: %w", err)
	}
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("bulk load lease: %w", err)
	}
	return fileLease{f}, true, nil
}

type fileLease struct{ f *os.File }

func (l fileLease) release() error {
	// Closing the file drops the lock.
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("release bulk load lease: %w", err)
	}
	return nil
}
