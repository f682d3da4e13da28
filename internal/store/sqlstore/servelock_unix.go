//go:build unix

package sqlstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

func lockDir(path string, exclusive bool) (DirLock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("data directory lock: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("data directory lock: %w", err)
	}
	how, busy := syscall.LOCK_SH|syscall.LOCK_NB, ErrRestoring
	if exclusive {
		how, busy = syscall.LOCK_EX|syscall.LOCK_NB, ErrInUse
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, busy
		}
		return nil, fmt.Errorf("data directory lock: %w", err)
	}
	return fileDirLock{f}, nil
}

type fileDirLock struct{ f *os.File }

// Release drops the lock (closing the file does).
func (l fileDirLock) Release() error { return l.f.Close() }
