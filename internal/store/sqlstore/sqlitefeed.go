package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/clientela/clientela/internal/app"
)

// sqlitePollEvery is how often the SQLite change feed asks whether anything was committed:
// the most a change by another process (or this one) takes to reach this process's caches,
// such as a token revoked from the command line. A poll is ~3 µs of work when warm; an idle
// server, waking 200 times a second for it, used ~35 ms of CPU a second on a busy 2-core VM
// (docs/performance.md). A longer interval trades revocation latency for idle CPU.
const sqlitePollEvery = 5 * time.Millisecond

// sqliteChangeFeed watches the counters of migration 0003 on a read-only connection of its
// own. PRAGMA data_version on one connection changes whenever another connection, in any
// process, commits; only then does the feed read the counters, and it reports each topic
// whose counter moved.
type sqliteChangeFeed struct {
	path  string
	every time.Duration
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

	// The poll runs 200 times a second in an idle server, so it is kept cheap: prepared, and
	// run without a cancellable context, for which database/sql and the driver would each
	// start a goroutine per query (ctx is checked between polls instead).
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
		return err
	}
	counters, err := readCounters(ctx, conn)
	if err != nil {
		return err
	}
	ready()

	t := time.NewTicker(f.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		v, err := dataVersion()
		if err != nil {
			return err
		}
		if v == seen {
			continue
		}
		seen = v
		now, err := readCounters(ctx, conn)
		if err != nil {
			return err
		}
		for topic, n := range now {
			if n != counters[topic] {
				changed(topic)
			}
		}
		counters = now
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
