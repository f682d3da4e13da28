//go:build unix

package sqlstore_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// BenchmarkSQLiteFeedIdle measures what the SQLite change feed costs a server that does
// little: the process's CPU time (user + system, from getrusage) per second of wall time
// while the feed watches a database nobody changes ("feed"), or that one commit a second
// changes ("feed, a commit a second"), against the same without a feed ("none": the Go
// runtime's own background work, and the commits). Idle, the feed looks once a second (its
// safety poll); after a commit, ~37 times in the next second. Before it was woken by file
// events it polled 200 times a second. Each iteration lasts one second:
//
//	go test -run '^$' -bench SQLiteFeedIdle -benchtime 10x ./internal/store/sqlstore/
func BenchmarkSQLiteFeedIdle(b *testing.B) {
	db := testdb.Open(b, testdb.Backend{Name: "sqlite"})
	for _, c := range []struct {
		name    string
		feed    app.ChangeFeed
		commits bool
	}{
		{"none", nil, false},
		{"feed", db.ChangeFeed(), false},
		{"none, a commit a second", nil, true},
		{"feed, a commit a second", db.ChangeFeed(), true},
	} {
		b.Run(c.name, func(b *testing.B) {
			if c.feed != nil {
				watch(b, c.feed)
				// Past the looks that follow the start (as after a write).
				time.Sleep(sqlstore.SQLiteSettle * 3 / 2)
			}
			start, wall := cpuTime(b), time.Now()
			for b.Loop() {
				if c.commits {
					if _, err := db.SQL().Exec("UPDATE change_counters SET version = version + 1 WHERE topic = 'customers'"); err != nil {
						b.Fatal(err)
					}
				}
				time.Sleep(time.Second)
			}
			used, took := cpuTime(b)-start, time.Since(wall)
			b.ReportMetric(float64(used.Microseconds())/took.Seconds(), "cpu-µs/s")
		})
	}
}

// cpuTime is the CPU time the process has used so far, in user and kernel mode.
func cpuTime(tb testing.TB) time.Duration {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
