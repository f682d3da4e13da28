package app_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// TestDuplicatesBench times the duplicate scan on a database seeded beforehand (see
// docs/performance.md): CLIENTELA_DUP_BENCH_DIR names a SQLite data directory,
// CLIENTELA_DUP_BENCH_URL a PostgreSQL database. It reports the first page (cold: the first
// request of a process) and the whole list walked page by page. Skipped without either.
func TestDuplicatesBench(t *testing.T) {
	dir, dbURL := os.Getenv("CLIENTELA_DUP_BENCH_DIR"), os.Getenv("CLIENTELA_DUP_BENCH_URL")
	if dir == "" && dbURL == "" {
		t.Skip("set CLIENTELA_DUP_BENCH_DIR or CLIENTELA_DUP_BENCH_URL to a seeded database")
	}
	ctx := context.Background()
	start := time.Now()
	db, err := sqlstore.Open(ctx, dbURL, dir, sqlstore.Existing())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t.Logf("open (with the name keys' fill when needed): %v", time.Since(start).Round(time.Millisecond))
	n, err := db.CountCustomers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(app.Config{Store: db})
	for round := range 3 {
		start = time.Now()
		page, err := a.Duplicates(ctx, app.System(), app.DuplicatesQuery{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s, %d customers: first page (%d pairs, %d clusters), round %d: %v", db.Backend(), n, len(page.Pairs), len(page.Clusters), round+1,
			time.Since(start).Round(time.Millisecond))
	}
	start = time.Now()
	pairs, pages := 0, 0
	q := app.DuplicatesQuery{Limit: app.MaxPageSize}
	for {
		page, err := a.Duplicates(ctx, app.System(), q)
		if err != nil {
			t.Fatal(err)
		}
		pairs += len(page.Pairs)
		pages++
		if page.NextCursor == "" || os.Getenv("CLIENTELA_DUP_BENCH_ALL") == "" && pages == 5 {
			break
		}
		q.Cursor = page.NextCursor
	}
	el := time.Since(start)
	t.Logf("%s: %d pairs in %d pages of %d: %v (%v a page)", db.Backend(), pairs, pages, app.MaxPageSize, el.Round(time.Millisecond), (el / time.Duration(pages)).Round(time.Millisecond))
}
