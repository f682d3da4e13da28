package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// inotifyWatch reports changes to the database's files through inotify. It watches the data
// directory rather than the files: the WAL is truncated at checkpoints and deleted and
// created again when the last connection closes, and a watch on the directory sees all of
// that by name. Only write(2) and its kin make events (not the writes through mmap that
// SQLite makes to the -shm file), so the feed's own reads never wake it.
type inotifyWatch struct {
	f    *os.File // pollable: Read waits in the runtime's poller, with a deadline
	stop func() bool
	base string // the database's file name; its -wal, -shm and -journal share the prefix
	deaf bool   // for tests: no event counts (a filesystem that sends none)
	buf  []byte
}

// watchFiles starts watching the database's files, until ctx ends or close.
func (f *sqliteChangeFeed) watchFiles(ctx context.Context) (fileWatch, error) {
	// SQLite follows a symbolic link to the database and keeps the WAL next to the target.
	path, err := filepath.EvalSymlinks(f.path)
	if err != nil {
		return nil, fmt.Errorf("watch for changes: %w", err)
	}
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("inotify: %w", err)
	}
	file := os.NewFile(uintptr(fd), "inotify")
	const events = unix.IN_MODIFY | unix.IN_CREATE | unix.IN_CLOSE_WRITE | unix.IN_MOVED_TO
	if _, err := unix.InotifyAddWatch(fd, filepath.Dir(path), events|unix.IN_ONLYDIR); err != nil {
		file.Close()
		return nil, fmt.Errorf("inotify: watch %s: %w", filepath.Dir(path), err)
	}
	// Deadlines work only on a file in the runtime's poller.
	if err := file.SetReadDeadline(time.Time{}); err != nil {
		file.Close()
		return nil, fmt.Errorf("inotify: %w", err)
	}
	w := &inotifyWatch{f: file, base: filepath.Base(path), deaf: f.deaf,
		buf: make([]byte, 64*(unix.SizeofInotifyEvent+unix.NAME_MAX+1))}
	// Closing the file ends a Read waiting in wait: the feed then sees ctx has ended.
	w.stop = context.AfterFunc(ctx, func() { file.Close() })
	return w, nil
}

func (w *inotifyWatch) wait(timeout time.Duration) (bool, error) {
	if err := w.f.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return false, fmt.Errorf("watch for changes: %w", err)
	}
	for {
		n, err := w.f.Read(w.buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("watch for changes: read file events: %w", err)
		}
		changed, err := w.parse(w.buf[:n])
		if err != nil || changed {
			return changed, err
		}
		// Only other files changed: wait on until the deadline.
	}
}

func (w *inotifyWatch) drain() (bool, error) {
	seen := false
	for {
		q, err := w.queued()
		if err != nil || !q {
			return seen, err
		}
		// Queued events make Read return at once; the deadline only guards the unexpected.
		if err := w.f.SetReadDeadline(time.Now().Add(time.Second)); err != nil {
			return seen, fmt.Errorf("watch for changes: %w", err)
		}
		n, err := w.f.Read(w.buf)
		if err != nil {
			return seen, fmt.Errorf("watch for changes: read file events: %w", err)
		}
		changed, err := w.parse(w.buf[:n])
		if err != nil {
			return seen, err
		}
		seen = seen || changed
	}
}

func (w *inotifyWatch) queued() (bool, error) {
	// FIONREAD (TIOCINQ in x/sys): the bytes of events queued. Through SyscallConn: Fd
	// would take the file out of the poller.
	rc, err := w.f.SyscallConn()
	if err != nil {
		return false, fmt.Errorf("watch for changes: %w", err)
	}
	var n int
	var ioErr error
	if err := rc.Control(func(fd uintptr) { n, ioErr = unix.IoctlGetInt(int(fd), unix.TIOCINQ) }); err != nil {
		return false, fmt.Errorf("watch for changes: %w", err)
	}
	if ioErr != nil {
		return false, fmt.Errorf("watch for changes: queued file events: %w", ioErr)
	}
	return n > 0, nil
}

func (w *inotifyWatch) close() error {
	w.stop()
	if err := w.f.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("watch for changes: %w", err)
	}
	return nil
}

// parse reads a batch of events and reports whether one is about the database's files. A
// full queue (events were lost) counts as a change; the end of the watch (the directory was
// deleted or its filesystem unmounted) is an error.
func (w *inotifyWatch) parse(b []byte) (bool, error) {
	changed := false
	for len(b) >= unix.SizeofInotifyEvent {
		e := (*unix.InotifyEvent)(unsafe.Pointer(&b[0]))
		end := unix.SizeofInotifyEvent + int(e.Len)
		if end > len(b) {
			return false, errors.New("watch for changes: a file event cut short")
		}
		name := string(bytes.TrimRight(b[unix.SizeofInotifyEvent:end], "\x00"))
		b = b[end:]
		switch {
		case e.Mask&unix.IN_IGNORED != 0:
			return false, errors.New("watch for changes: the data directory is no longer watched (deleted or unmounted)")
		case w.deaf:
		case e.Mask&unix.IN_Q_OVERFLOW != 0:
			changed = true
		case name == w.base || strings.HasPrefix(name, w.base+"-"):
			changed = true
		}
	}
	return changed, nil
}
