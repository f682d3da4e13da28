package sqlstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestClaimSetting: of processes racing to claim a day, one wins; a later day is claimed
// again, an earlier one never.
func TestClaimSetting(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			ctx := context.Background()
			var dbs []*sqlstore.DB
			for range 4 {
				db, err := sqlstore.Open(ctx, b.URL, b.DataDir)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				dbs = append(dbs, db)
			}
			claim := func(db *sqlstore.DB, day string) bool {
				var won bool
				if err := db.Write(ctx, func(tx app.Tx) (err error) {
					won, err = tx.ClaimSetting(ctx, "backup.daily", day)
					return err
				}); err != nil {
					t.Error(err)
				}
				return won
			}
			var mu sync.Mutex
			wins := 0
			var wg sync.WaitGroup
			for _, db := range dbs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if claim(db, "2030-01-02") {
						mu.Lock()
						wins++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if wins != 1 {
				t.Fatalf("%d processes claimed one day", wins)
			}
			if claim(dbs[0], "2030-01-01") || !claim(dbs[1], "2030-01-03") || claim(dbs[2], "2030-01-03") {
				t.Fatal("an earlier day was claimed, or a later one not exactly once")
			}
			if b.Name == "postgres" {
				if err := dbs[0].Snapshot(ctx, filepath.Join(t.TempDir(), "x.db")); !errors.Is(err, sqlstore.ErrNotSQLite) {
					t.Fatalf("snapshot on PostgreSQL: %v", err)
				}
			}
		})
	}
}

// TestServeLock: serve processes share the data directory; restore takes it alone.
func TestServeLock(t *testing.T) {
	dir := t.TempDir()
	one, err := sqlstore.LockServe(dir)
	if err != nil {
		t.Fatal(err)
	}
	two, err := sqlstore.LockServe(dir)
	if err != nil {
		t.Fatalf("a second serve: %v", err)
	}
	if _, err := sqlstore.LockDataDir(dir); !errors.Is(err, sqlstore.ErrInUse) {
		t.Fatalf("restore while serve runs: %v", err)
	}
	one.Release()
	two.Release()
	r, err := sqlstore.LockDataDir(dir)
	if err != nil {
		t.Fatalf("restore once serve stopped: %v", err)
	}
	if _, err := sqlstore.LockServe(dir); !errors.Is(err, sqlstore.ErrRestoring) {
		t.Fatalf("serve during a restore: %v", err)
	}
	r.Release()
}
