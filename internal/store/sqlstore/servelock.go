package sqlstore

import (
	"errors"
	"path/filepath"
)

// A serve process holds a shared lock on a file beside the SQLite database for as long as it
// runs (several may share a data directory); restore takes it exclusively, so that it refuses
// to replace a database a server uses, and a server does not start while a restore runs
// (servelock_unix.go). The kernel drops the lock when the process dies.

// ServeLockFile is the name of the lock file inside the data directory.
const ServeLockFile = SQLiteFile + ".serve"

// ErrInUse: a serve process uses the data directory.
var ErrInUse = errors.New("a clientela serve is using this data directory")

// ErrRestoring: a restore is replacing the database of the data directory.
var ErrRestoring = errors.New("a restore is replacing the database of this data directory")

// DirLock is a held data-directory lock.
type DirLock interface{ Release() error }

// LockServe takes serve's shared lock on dataDir, or fails with ErrRestoring.
func LockServe(dataDir string) (DirLock, error) {
	return lockDir(filepath.Join(dataDirOrDefault(dataDir), ServeLockFile), false)
}

// LockDataDir takes the exclusive lock restore holds, or fails with ErrInUse.
func LockDataDir(dataDir string) (DirLock, error) {
	return lockDir(filepath.Join(dataDirOrDefault(dataDir), ServeLockFile), true)
}

func dataDirOrDefault(dir string) string {
	if dir == "" {
		return "data"
	}
	return dir
}
