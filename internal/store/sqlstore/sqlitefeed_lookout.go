package sqlstore

import (
	"context"
	"time"
)

// lookout decides when the SQLite change feed looks at data_version, from the writes to the
// database's files it hears of and the commits its looks see.
//
// How it knows it has seen the commit of every write it heard of: commits come one at a
// time (one writer), each published before the next one writes. Say a look saw a commit C
// that the look before it had not, and no write was heard between the two. A commit whose
// write was heard and that was still unpublished at the second look wrote before the first
// look (no write was heard since); C, coming before it, was published before that write, so
// before the first look, which would have seen it. So every commit whose write was heard has
// been seen. A commit seen by the first look after a write may be the one before that
// write's commit: the lookout looks on.
type lookout struct {
	sqliteFeedTiming
	look, previous time.Time // the last look, and the one before
	written        time.Time // when the last write was heard of
	committed      bool      // the commits of all writes heard of have been seen
}

// newLookout starts with a look at now, and counts it as coming with a write whose commit
// is unseen: a commit may be under way (its write made before the watch began).
func newLookout(t sqliteFeedTiming, now time.Time) *lookout {
	return &lookout{sqliteFeedTiming: t, look: now, previous: now, written: now}
}

// heard notes a write heard of at now.
func (l *lookout) heard(now time.Time) {
	l.written, l.committed = now, false
}

// looked notes a look at now.
func (l *lookout) looked(now time.Time) {
	l.previous, l.look = l.look, now
}

// sawCommit notes that the last look saw a commit.
func (l *lookout) sawCommit() {
	if l.written.Before(l.previous) {
		l.committed = true
	}
}

// next is when the next look is due without another write: an eighth of the quiet time
// between the last write and the last look after that look (at least every), so a commit is
// seen within an eighth of the time it took to be published; the safety poll once the
// commits of the writes heard of were seen, or the files have been quiet for settle.
func (l *lookout) next() time.Time {
	quiet := l.look.Sub(l.written)
	if l.committed || quiet >= l.settle {
		return l.look.Add(l.safety)
	}
	return l.look.Add(max(l.every, quiet/8))
}

// afterWrite is when to look after a write heard of at now: hush after it (when the commit
// is likely being synced to disk), but not sooner than every after the last look, so that
// the rest of a burst of writes waits in the kernel's queue (which merges repeated events)
// rather than waking the feed write by write.
func (l *lookout) afterWrite(now time.Time) time.Time {
	return maxTime(now.Add(l.hush), l.look.Add(l.every))
}

// longAfterWrite reports whether the last look came so long after the last write heard of
// that a commit it saw tells that writes are not being reported.
func (l *lookout) longAfterWrite() bool {
	return l.look.Sub(l.written) >= l.missed
}

// wait waits until the next look is due, noting the writes it hears of.
func (l *lookout) wait(ctx context.Context, files fileWatch) error {
	if timeout := time.Until(l.next()); timeout > 0 {
		written, err := files.wait(timeout)
		if err != nil {
			return err
		}
		if written {
			now := time.Now()
			l.heard(now)
			if err := sleep(ctx, time.Until(l.afterWrite(now))); err != nil {
				return err
			}
		}
	}
	// Writes queued by now come before the look.
	written, err := files.drain()
	if err != nil {
		return err
	}
	if written {
		l.heard(time.Now())
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// sleep waits for d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
