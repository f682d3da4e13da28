package sqlstore

import (
	"testing"
	"time"
)

// TestSQLiteFeedDue: after a write the feed looks every 5 ms, then an eighth of the quiet
// time, then, once the files have been quiet for a second, at the safety poll.
func TestSQLiteFeedDue(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct{ quiet, want time.Duration }{
		{-3 * ms, 5 * ms}, // a write came after the last look
		{0, 5 * ms},
		{40 * ms, 5 * ms},
		{80 * ms, 10 * ms},
		{800 * ms, 100 * ms},
		{999 * ms, 124875 * time.Microsecond},
		{time.Second, time.Second},
		{time.Hour, time.Second},
	} {
		if got := sqliteFeedDefaults.due(c.quiet); got != c.want {
			t.Errorf("due(%v) = %v, want %v", c.quiet, got, c.want)
		}
	}
	// From a write to the safety poll: 37 looks.
	looks := 1
	for last := time.Duration(0); last < sqliteSettle; last += sqliteFeedDefaults.due(last) {
		looks++
	}
	if looks != 37 {
		t.Errorf("%d looks after a write", looks)
	}
}
