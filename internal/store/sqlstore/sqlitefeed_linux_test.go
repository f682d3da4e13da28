package sqlstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestSQLiteFeedWokenByWrites: on Linux the SQLite feed sleeps until the database's files
// are written (inotify), and hears every change of another store on the same folder, of
// its own store, across checkpoints that empty or rewind the WAL, and at the end of a burst.
// Its safety poll never comes during the test, so what it hears, file events brought (each
// write makes it look for a while: a commit is published after its write).
func TestSQLiteFeedWokenByWrites(t *testing.T) {
	t.Parallel()
	var logs logBuffer
	listener, writer := openSQLiteTwice(t, &logs)
	w := watch(t, sqlstore.SQLiteFeed(listener, sqlstore.SQLiteFeedTuning{SafetyPoll: time.Hour}))
	logs.expect(t, "change feed: woken by writes to the SQLite database's files")
	// It looks for a while after it starts, as after a write (a commit may have been under
	// way); the last of those looks comes before 9/8 of SQLiteSettle.
	time.Sleep(sqlstore.SQLiteSettle * 3 / 2)

	ctx := context.Background()
	other := app.New(app.Config{Store: writer})
	if _, err := other.CreateCustomer(ctx, app.System(), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Ana")}); err != nil {
		t.Fatal(err)
	}
	w.expect(t, "a new customer", app.TopicCustomers)
	bump(t, writer, app.TopicAccess)
	w.expect(t, "an access change", app.TopicAccess)

	// TRUNCATE empties the WAL file, RESTART makes the next writer start it over.
	wal := filepath.Join(filepath.Dir(sqlstore.SQLitePath(listener)), sqlstore.SQLiteFile+"-wal")
	for _, mode := range []string{"TRUNCATE", "RESTART", "TRUNCATE"} {
		var busy, frames, done int
		if err := writer.SQL().QueryRow("PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &frames, &done); err != nil || busy != 0 {
			t.Fatalf("checkpoint %s: busy %d, %v", mode, busy, err)
		}
		if st, err := os.Stat(wal); err != nil || (mode == "TRUNCATE" && st.Size() != 0) {
			t.Fatalf("the WAL after checkpoint %s: %v %v", mode, st, err)
		}
		bump(t, writer, app.TopicCustomers)
		w.expect(t, "a change after checkpoint "+mode, app.TopicCustomers)
	}

	bump(t, listener, app.TopicAccess)
	w.expect(t, "a change by the listening store", app.TopicAccess)

	for range 300 {
		bump(t, writer, app.TopicCustomers)
	}
	bump(t, writer, app.TopicAccess)
	w.expect(t, "a burst, then an access change", app.TopicCustomers, app.TopicAccess)
}

// TestSQLiteFeedMissedWrites: where writes come without events (a filesystem that reports
// none; here the feed is made deaf to them), the safety poll still finds the changes, and
// the first one it finds makes the feed say so and poll fast from then on.
func TestSQLiteFeedMissedWrites(t *testing.T) {
	t.Parallel()
	var logs logBuffer
	listener, writer := openSQLiteTwice(t, &logs)
	w := watch(t, sqlstore.SQLiteFeed(listener, sqlstore.SQLiteFeedTuning{SafetyPoll: 10 * time.Millisecond, Deaf: true, MissedAfter: time.Millisecond}))
	logs.expect(t, "change feed: woken by writes")
	const warning = "change feed: a commit came without a file event; polling the SQLite database from now on"
	// The warning comes after the feed reported the change; a write may also still be
	// queued when it finds the change, which puts the warning off to the next one.
	for start := time.Now(); !strings.Contains(logs.String(), warning); {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("no warning in the log:\n%s", logs.String())
		}
		bump(t, writer, app.TopicCustomers)
		w.expect(t, "a change found by the safety poll", app.TopicCustomers)
	}
	bump(t, writer, app.TopicAccess)
	w.expect(t, "a change found by the fast poll", app.TopicAccess)
}

// TestSQLiteFeedLetsGo: a feed whose context ends returns ctx's error and leaves nothing
// behind: no inotify descriptor, no goroutine, whether it was asleep or looking after a
// write.
func TestSQLiteFeedLetsGo(t *testing.T) {
	db := testdb.Open(t, testdb.Backend{Name: "sqlite"})
	// Feeds of earlier tests may still be closing their descriptors: count once the number
	// has held still for a moment.
	fds := settledInotifyFDs(t)
	goroutines := runtime.NumGoroutine()
	for i := range 4 {
		ctx, cancel := context.WithCancel(context.Background())
		ready, done := make(chan struct{}), make(chan error, 1)
		go func() { done <- db.ChangeFeed().Watch(ctx, func() { close(ready) }, func(app.Topic) {}) }()
		select {
		case <-ready:
		case err := <-done:
			t.Fatalf("the feed ended before it was ready: %v", err)
		}
		if n := waitInotifyFDs(t, fds+1); n != fds+1 {
			t.Fatalf("%d inotify descriptors while watching, want %d", n, fds+1)
		}
		if i%2 == 1 {
			bump(t, db, app.TopicCustomers) // the feed looks every few ms for a while
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("the feed ended with %v, want context.Canceled", err)
		}
	}
	if n := waitInotifyFDs(t, fds); n != fds {
		t.Fatalf("%d inotify descriptors left, want %d", n, fds)
	}
	// Goroutines of the feed's connection pool end just after it closes.
	for start := time.Now(); runtime.NumGoroutine() > goroutines; time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), goroutines, buf[:runtime.Stack(buf, true)])
		}
	}
}

// settledInotifyFDs counts the process's inotify descriptors once the count has not changed
// for 200 ms (at most 5 s).
func settledInotifyFDs(t *testing.T) int {
	t.Helper()
	n, since := inotifyFDs(t), time.Now()
	for start := time.Now(); time.Since(since) < 200*time.Millisecond && time.Since(start) < 5*time.Second; time.Sleep(10 * time.Millisecond) {
		if m := inotifyFDs(t); m != n {
			n, since = m, time.Now()
		}
	}
	return n
}

// waitInotifyFDs waits up to 2 s for the count of inotify descriptors to be want, and
// returns the last count.
func waitInotifyFDs(t *testing.T, want int) int {
	t.Helper()
	n := inotifyFDs(t)
	for start := time.Now(); n != want && time.Since(start) < 2*time.Second; n = inotifyFDs(t) {
		time.Sleep(5 * time.Millisecond)
	}
	return n
}

// inotifyFDs counts the process's inotify descriptors.
func inotifyFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && target == "anon_inode:inotify" {
			n++
		}
	}
	return n
}
