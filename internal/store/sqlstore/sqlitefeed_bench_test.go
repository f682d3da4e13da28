//go:build unix

package sqlstore_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/testdb"
)

// BenchmarkSQLiteFeedIdle measures what an idle SQLite change feed costs: the process's CPU
// time (user + system, from getrusage) per second of wall time while the feed watches a
// database nobody changes, against the same wait without a feed ("none": the Go runtime's
// own background work). Each iteration idles for one second:
//
//	go test -run '^$' -bench SQLiteFeedIdle -benchtime 10x ./internal/store/sqlstore/
func BenchmarkSQLiteFeedIdle(b *testing.B) {
	db := testdb.Open(b, testdb.Backend{Name: "sqlite"})
	for _, c := range []struct {
		name string
		feed app.ChangeFeed
	}{{"none", nil}, {"feed", db.ChangeFeed()}} {
		b.Run(c.name, func(b *testing.B) {
			if c.feed != nil {
				watch(b, c.feed)
			}
			b.ResetTimer()
			start, wall := cpuTime(b), time.Now()
			for b.Loop() {
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
