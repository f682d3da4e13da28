package app_test

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// TestDuplicatesBench times the duplicate scan on a database seeded beforehand (see
// docs/performance.md): CLIENTELA_DUP_BENCH_DIR names a SQLite data directory,
// CLIENTELA_DUP_BENCH_URL a PostgreSQL database. As serve runs it, with the change feed
// listening: the first page cold (the scan), the first page again (the scan kept), and the
// whole list page by page. Each with its wall time and the process's CPU time (the machine
// may be busy). Skipped without either variable.
func TestDuplicatesBench(t *testing.T) {
	dir, dbURL := os.Getenv("CLIENTELA_DUP_BENCH_DIR"), os.Getenv("CLIENTELA_DUP_BENCH_URL")
	if dir == "" && dbURL == "" {
		t.Skip("set CLIENTELA_DUP_BENCH_DIR or CLIENTELA_DUP_BENCH_URL to a seeded database")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	type mark struct{ wall, cpu time.Duration }
	show := func(m mark) string { return "wall " + m.wall.String() + ", CPU " + m.cpu.String() }
	var startWall time.Time
	var startCPU time.Duration
	begin := func() { startWall, startCPU = time.Now(), cpu() }
	end := func() string {
		return show(mark{time.Since(startWall).Round(time.Millisecond), (cpu() - startCPU).Round(time.Millisecond)})
	}
	begin()
	db, err := sqlstore.Open(ctx, dbURL, dir, sqlstore.Existing())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t.Logf("open (with the name keys' fill when needed): %s", end())
	n, err := db.CountCustomers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(app.Config{Store: db, Changes: db.ChangeFeed()})
	go a.WatchChanges(ctx)
	eventually(t, "the change feed listens", a.LookupCacheLive)
	for _, what := range []string{"cold (scan)", "again (scan kept)"} {
		begin()
		page, err := a.Duplicates(ctx, app.System(), app.DuplicatesQuery{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s, %d customers: first page of %d pairs and %d clusters, %s: %s", db.Backend(), n, len(page.Pairs), len(page.Clusters), what, end())
	}
	begin()
	pairs, pages := 0, 0
	q := app.DuplicatesQuery{Limit: app.MaxPageSize}
	for {
		page, err := a.Duplicates(ctx, app.System(), q)
		if err != nil {
			t.Fatal(err)
		}
		pairs += len(page.Pairs)
		pages++
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	t.Logf("%s: the whole list, %d pairs in %d pages of %d: %s", db.Backend(), pairs, pages, app.MaxPageSize, end())
	// Without the feed (the command line, or a feed that is down): every page scans.
	plain := app.New(app.Config{Store: db})
	begin()
	if _, err := plain.Duplicates(ctx, app.System(), app.DuplicatesQuery{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: a page without the feed: %s", db.Backend(), end())
}
