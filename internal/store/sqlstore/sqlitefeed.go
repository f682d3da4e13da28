package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/clientela/clientela/internal/app"
)

// How the SQLite change feed learns that something was committed. Every commit, by any
// process, writes the WAL through write(2); where the system reports such writes (inotify on
// Linux, sqlitefeed_linux.go), the feed sleeps until the database's files are written, so an
// idle server costs nothing. A write comes before its commit can be seen: SQLite writes the
// WAL, waits for the disk (fsync), and only then publishes the commit in the -shm file, which
// makes no event. So after a write the feed looks every few milliseconds, then less and less
// often, until it knows it has seen the commit or the files have been quiet for a second
// (sqlitefeed_lookout.go). Where writes are not reported, it polls fast.
const (
	// sqlitePollEvery is the fast poll, where writes are not reported: the most a change by
	// another process (or this one), such as a token revoked from the command line, takes to
	// reach this process's caches once committed. It is also how often the feed looks after
	// a write, and at most while writes go on (a bulk load writes the WAL thousands of times
	// a second). A look is ~3 µs of work when warm, hundreds of µs when cold; an idle server
	// polling 200 times a second used 16–55 ms of CPU a second on a busy 2-core VM
	// (docs/performance.md).
	sqlitePollEvery = 5 * time.Millisecond
	// sqliteHush: the first look after a write comes this long after it. A commit writes the
	// WAL page by page within microseconds, then syncs the disk for a millisecond or more:
	// a look then, and one after the commit is published, tell the feed it has seen it.
	sqliteHush = time.Millisecond
	// sqliteSettle: after a write whose commit it does not know it has seen, the feed keeps
	// looking this long, each look an eighth of the quiet time after the previous one (at
	// least sqlitePollEvery): 37 looks, and a commit that takes the disk 100 ms to publish
	// is seen within 13 ms of it.
	sqliteSettle = time.Second
	// sqliteSafetyPoll: with file events, the feed still looks this often.
	sqliteSafetyPoll = time.Second
	// sqliteEventsMissed: a commit that shows up this long after the last write the feed
	// heard of means this filesystem does not report writes; the feed says so and polls fast
	// from then on.
	sqliteEventsMissed = 10 * time.Second
)

// sqliteChangeFeed watches the counters of migration 0003 on a read-only connection of its
// own. PRAGMA data_version on one connection changes whenever another connection, in any
// process, commits; only then does the feed read the counters, and it reports each topic
// whose counter moved.
type sqliteChangeFeed struct {
	path string
	sqliteFeedTiming
	// noFiles forces the fast poll; deaf keeps the watch but hears no write (a filesystem
	// that reports none). Both are for tests.
	noFiles, deaf bool
	log           *slog.Logger
}

// sqliteFeedTiming: see the constants above.
type sqliteFeedTiming struct {
	every, hush, settle, safety, missed time.Duration
}

var sqliteFeedDefaults = sqliteFeedTiming{every: sqlitePollEvery, hush: sqliteHush, settle: sqliteSettle,
	safety: sqliteSafetyPoll, missed: sqliteEventsMissed}

// A fileWatch reports writes to the database's files (sqlitefeed_linux.go).
type fileWatch interface {
	// wait returns true once the database's files were written, false once timeout has
	// passed without a write.
	wait(timeout time.Duration) (bool, error)
	// drain takes in the writes queued so far, without waiting, and reports whether any
	// was to the database's files.
	drain() (bool, error)
	// queued reports whether writes wait to be taken in.
	queued() (bool, error)
	close() error
}

// Watch implements app.ChangeFeed: it calls ready once it has read the counters, then
// changed for each topic whose counter moved, until ctx ends or the database fails.
func (f *sqliteChangeFeed) Watch(ctx context.Context, ready func(), changed func(app.Topic)) error {
	// A pool of its own, so that a busy read pool never starves the feed, with one
	// connection: data_version compares commits with what that same connection saw last.
	pool, err := sql.Open("sqlite", "file:"+f.path+"?_pragma=query_only(1)&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("watch for changes: %w", err)
	}
	defer pool.Close()
	pool.SetMaxOpenConns(1)
	conn, err := pool.Conn(ctx)
	if err != nil {
		return fmt.Errorf("watch for changes: %w", err)
	}
	defer conn.Close()

	// The watch starts before data_version is first read, so that no commit falls between.
	var files fileWatch
	if f.noFiles {
		err = errors.New("turned off")
	} else {
		files, err = f.watchFiles(ctx)
	}
	dir := filepath.Dir(f.path)
	if err != nil {
		f.log.InfoContext(ctx, "change feed: polling the SQLite database", slog.Duration("every", f.every),
			slog.String("dir", dir), slog.String("reason", err.Error()))
	} else {
		defer files.close()
		f.log.InfoContext(ctx, "change feed: woken by writes to the SQLite database's files",
			slog.String("dir", dir), slog.Duration("safety_poll", f.safety))
	}
	// Once ctx ends, what fails (the watch is closed for it) fails because of that.
	fail := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}

	// A look runs after every write (and, polling, 200 times a second), so it is kept cheap:
	// prepared, and run without a cancellable context, for which database/sql and the driver
	// would each start a goroutine per query (ctx is checked between looks instead).
	quick := context.WithoutCancel(ctx)
	poll, err := conn.PrepareContext(ctx, "PRAGMA data_version")
	if err != nil {
		return fmt.Errorf("watch for changes: %w", err)
	}
	defer poll.Close()
	dataVersion := func() (int64, error) {
		var v int64
		if err := poll.QueryRowContext(quick).Scan(&v); err != nil {
			return 0, fmt.Errorf("watch for changes: data_version: %w", err)
		}
		return v, nil
	}
	// data_version is read before the counters: a commit between the two shows in the
	// counters now and moves data_version again, so it is read twice at worst, never missed.
	seen, err := dataVersion()
	if err != nil {
		return fail(err)
	}
	counters, err := readCounters(ctx, conn)
	if err != nil {
		return fail(err)
	}
	ready()

	var tick *time.Ticker // the fast poll, without file events
	defer func() {
		if tick != nil {
			tick.Stop()
		}
	}()
	if files == nil {
		tick = time.NewTicker(f.every)
	}
	l := newLookout(f.sqliteFeedTiming, time.Now())
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if files != nil {
			if err := l.wait(ctx, files); err != nil {
				return fail(err)
			}
		} else {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-tick.C:
			}
		}
		l.looked(time.Now())
		v, err := dataVersion()
		if err != nil {
			return fail(err)
		}
		if v == seen {
			continue
		}
		seen = v
		l.sawCommit()
		now, err := readCounters(ctx, conn)
		if err != nil {
			return fail(err)
		}
		for topic, n := range now {
			if n != counters[topic] {
				changed(topic)
			}
		}
		counters = now
		if files == nil || !l.longAfterWrite() {
			continue
		}
		// A commit long after the last write heard of. Its own write came before it could
		// be seen, so unless that write is still queued, this filesystem keeps writes quiet.
		if q, err := files.queued(); err != nil || !q {
			f.log.WarnContext(ctx, "change feed: a commit came without a file event; polling the SQLite database from now on",
				slog.String("dir", dir), slog.Duration("every", f.every), slog.Any("error", err))
			if err := files.close(); err != nil {
				return fail(err)
			}
			files = nil
			tick = time.NewTicker(f.every)
		}
	}
}

// readCounters reads every topic's counter in one statement, so they agree with each other.
func readCounters(ctx context.Context, conn *sql.Conn) (map[app.Topic]int64, error) {
	rows, err := conn.QueryContext(ctx, "SELECT topic, version FROM change_counters")
	if err != nil {
		return nil, fmt.Errorf("watch for changes: read counters: %w", err)
	}
	defer rows.Close()
	counters := map[app.Topic]int64{}
	for rows.Next() {
		var topic string
		var n int64
		if err := rows.Scan(&topic, &n); err != nil {
			return nil, fmt.Errorf("watch for changes: read counters: %w", err)
		}
		counters[app.Topic(topic)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("watch for changes: read counters: %w", err)
	}
	return counters, nil
}
