package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestPutSettingIfAbsentRace: processes that each try to add a setting at once (two handles on
// one database here) all end up with the one value that was stored.
func TestPutSettingIfAbsentRace(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			b = testdb.Prepare(t, b)
			var dbs []*sqlstore.DB
			for range 2 {
				db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs = append(dbs, db)
			}
			got := make([]string, 16)
			errs := make([]error, len(got))
			var wg sync.WaitGroup
			for i := range got {
				wg.Go(func() {
					errs[i] = dbs[i%2].Write(context.Background(), func(tx app.Tx) (err error) {
						got[i], err = tx.PutSettingIfAbsent(context.Background(), "race", fmt.Sprint("value ", i))
						return err
					})
				})
			}
			wg.Wait()
			var stored string
			if err := dbs[0].Read(context.Background(), func(tx app.Tx) (err error) {
				stored, _, err = tx.Setting(context.Background(), "race")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if errs[i] != nil || got[i] != stored {
					t.Errorf("caller %d got %q, %v; the setting holds %q", i, got[i], errs[i], stored)
				}
			}
		})
	}
}
