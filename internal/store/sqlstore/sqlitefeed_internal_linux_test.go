package sqlstore

import (
	"encoding/binary"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestInotifyParse: writes to the database's files count, to other files of the folder do
// not; a full queue counts (writes were lost); the end of the watch is an error.
func TestInotifyParse(t *testing.T) {
	w := &inotifyWatch{base: "clientela.db"}
	for _, c := range []struct {
		what    string
		events  []byte
		changed bool
		err     string
	}{
		{"the WAL", event(unix.IN_MODIFY, "clientela.db-wal"), true, ""},
		{"the database", event(unix.IN_MODIFY, "clientela.db"), true, ""},
		{"the WAL created", event(unix.IN_CREATE, "clientela.db-wal"), true, ""},
		{"a journal closed", event(unix.IN_CLOSE_WRITE, "clientela.db-journal"), true, ""},
		{"a database moved in", event(unix.IN_MOVED_TO, "clientela.db"), true, ""},
		{"other files", cat(event(unix.IN_MODIFY, "clientela.dbx"), event(unix.IN_CREATE, "backup-clientela.db"), event(unix.IN_MODIFY, "clientela.db.load")), false, ""},
		{"other files, then the WAL", cat(event(unix.IN_MODIFY, "notes.txt"), event(unix.IN_MODIFY, "clientela.db-wal")), true, ""},
		{"a full queue", event(unix.IN_Q_OVERFLOW, ""), true, ""},
		{"the end of the watch", cat(event(unix.IN_MODIFY, "clientela.db-wal"), event(unix.IN_IGNORED, "")), false, "no longer watched"},
		{"an event cut short", event(unix.IN_MODIFY, "clientela.db-wal")[:20], false, "cut short"},
	} {
		changed, err := w.parse(c.events)
		if changed != c.changed || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: %v, %v; want %v, %q", c.what, changed, err, c.changed, c.err)
		}
	}
	deaf := &inotifyWatch{base: "clientela.db", deaf: true}
	if changed, err := deaf.parse(cat(event(unix.IN_MODIFY, "clientela.db-wal"), event(unix.IN_Q_OVERFLOW, ""))); changed || err != nil {
		t.Errorf("a deaf watch heard %v, %v", changed, err)
	}
}

// event encodes an inotify event as the kernel does, the name padded with NULs.
func event(mask uint32, name string) []byte {
	n := 0
	if name != "" {
		n = (len(name) + 1 + 15) / 16 * 16
	}
	b := make([]byte, unix.SizeofInotifyEvent+n)
	binary.NativeEndian.PutUint32(b[0:], 1) // wd
	binary.NativeEndian.PutUint32(b[4:], mask)
	binary.NativeEndian.PutUint32(b[12:], uint32(n))
	copy(b[unix.SizeofInotifyEvent:], name)
	return b
}

func cat(events ...[]byte) []byte {
	var b []byte
	for _, e := range events {
		b = append(b, e...)
	}
	return b
}
