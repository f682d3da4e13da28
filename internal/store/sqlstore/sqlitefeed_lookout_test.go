package sqlstore

import (
	"fmt"
	"testing"
	"time"
)

// TestLookoutAfterAWrite: after a write the feed looks a millisecond later (while the disk
// syncs), then every 5 ms; a commit seen by a look whose previous look also came after the
// write is that write's commit, and the next look is the safety poll's.
func TestLookoutAfterAWrite(t *testing.T) {
	t0 := time.Now()
	at := func(ms float64) time.Time { return t0.Add(time.Duration(ms * float64(time.Millisecond))) }
	l := newLookout(sqliteFeedDefaults, at(0))
	l.looked(at(2000)) // past the looks that follow the start
	l.committed = true

	l.heard(at(5000))
	want(t, "the first look after a write", l.afterWrite(at(5000)), at(5001))
	l.looked(at(5001))
	want(t, "the next look, no commit seen", l.next(), at(5006))
	l.looked(at(5006))
	l.sawCommit()
	want(t, "the look after the commit was seen", l.next(), at(6006))

	// A burst of writes: looks come every 5 ms, whenever the writes come.
	l.heard(at(6010))
	want(t, "after a write", l.afterWrite(at(6010)), at(6011))
	l.looked(at(6011))
	l.heard(at(6012))
	want(t, "during a burst", l.afterWrite(at(6012)), at(6016))
}

// TestLookoutLooksOn: a commit seen by the first look after a write may be the one before
// that write's commit, and so may a commit seen after a write heard between two looks: the
// feed looks on, every 5 ms, then an eighth of the quiet time, until the files have been
// quiet for a second.
func TestLookoutLooksOn(t *testing.T) {
	t0 := time.Now()
	at := func(ms float64) time.Time { return t0.Add(time.Duration(ms * float64(time.Millisecond))) }
	l := newLookout(sqliteFeedDefaults, at(0))
	l.looked(at(2000))
	l.committed = true

	l.heard(at(5000))
	l.looked(at(5001))
	l.sawCommit()
	want(t, "a commit seen by the first look after a write", l.next(), at(5006))
	l.looked(at(5006))
	l.heard(at(5008))
	l.looked(at(5011))
	l.sawCommit()
	want(t, "a commit seen after a write between two looks", l.next(), at(5016))

	for _, c := range []struct{ look, next float64 }{
		{5048, 5053},     // 40 ms after the write: every 5 ms
		{5088, 5098},     // 80 ms: an eighth
		{5808, 5908},     // 800 ms
		{6007, 6131.875}, // 999 ms: an eighth
		{6010, 7010},     // a second: the safety poll
	} {
		l.looked(at(c.look))
		want(t, fmt.Sprintf("after a look at %v ms", c.look), l.next(), at(c.next))
	}

	// From a write to the safety poll: 37 looks.
	l.heard(at(10000))
	l.looked(at(10000))
	looks := 1
	for l.next().Sub(l.look) < l.safety {
		l.looked(l.next())
		looks++
	}
	if looks != 37 {
		t.Errorf("%d looks after a write", looks)
	}
}

// TestLookoutStarts: a commit may be under way when the feed starts; it looks as after a
// write, and a commit seen by its first look is not taken for that one.
func TestLookoutStarts(t *testing.T) {
	t0 := time.Now()
	at := func(ms float64) time.Time { return t0.Add(time.Duration(ms * float64(time.Millisecond))) }
	l := newLookout(sqliteFeedDefaults, at(0))
	want(t, "the first look", l.next(), at(5))
	l.looked(at(5))
	l.sawCommit()
	want(t, "after a commit seen by the first look", l.next(), at(10))
	l.looked(at(10))
	l.sawCommit()
	want(t, "after a commit seen by the second look", l.next(), at(1010))
}

// TestLookoutMissedWrites: a commit seen 10 s or more after the last write heard of tells
// that writes are not reported.
func TestLookoutMissedWrites(t *testing.T) {
	t0 := time.Now()
	l := newLookout(sqliteFeedDefaults, t0)
	l.looked(t0.Add(9 * time.Second))
	if l.longAfterWrite() {
		t.Error("9 s after the start")
	}
	l.looked(t0.Add(10 * time.Second))
	if !l.longAfterWrite() {
		t.Error("10 s after the start")
	}
	l.heard(t0.Add(15 * time.Second))
	l.looked(t0.Add(16 * time.Second))
	if l.longAfterWrite() {
		t.Error("1 s after a write")
	}
}

func want(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s: %v, want %v", what, got.Format("05.000000"), want.Format("05.000000"))
	}
}
