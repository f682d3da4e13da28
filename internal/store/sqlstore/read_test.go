package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// TestReadIsReadOnly: a write inside Read fails, and nothing it tried is stored.
func TestReadIsReadOnly(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := newCustomer(t, "Lucía", "Ortega")
		if err := db.Read(ctx, func(tx app.Tx) error { return tx.PutSetting(ctx, "read.test", "written") }); err == nil {
			t.Error("PutSetting inside Read succeeded")
		}
		if err := db.Read(ctx, func(tx app.Tx) error { return tx.CreateCustomer(ctx, &c) }); err == nil {
			t.Error("CreateCustomer inside Read succeeded")
		}
		// A write whose error fn ignores is refused all the same.
		if err := db.Read(ctx, func(tx app.Tx) error { _ = tx.PutSetting(ctx, "read.test", "ignored"); return nil }); err != nil {
			t.Logf("Read whose write failed: %v", err) // PostgreSQL reports the aborted transaction at its end
		}
		err := db.Read(ctx, func(tx app.Tx) error {
			if _, ok, err := tx.Setting(ctx, "read.test"); err != nil || ok {
				t.Errorf("the setting written inside Read is stored: %v %v", ok, err)
			}
			if _, err := tx.Customer(ctx, c.ID); err == nil {
				t.Error("the customer created inside Read is stored")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestReadSnapshot: the statements of one Read see one snapshot, whatever commits between
// them.
func TestReadSnapshot(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		put := func(v string) {
			t.Helper()
			if err := db.Write(ctx, func(tx app.Tx) error { return tx.PutSetting(ctx, "snapshot.test", v) }); err != nil {
				t.Fatal(err)
			}
		}
		put("before")
		var first, second string
		err := db.Read(ctx, func(tx app.Tx) (err error) {
			if first, _, err = tx.Setting(ctx, "snapshot.test"); err != nil {
				return err
			}
			put("after") // another transaction commits between the two statements
			second, _, err = tx.Setting(ctx, "snapshot.test")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if first != "before" || second != "before" {
			t.Errorf("one Read saw %q then %q; want one snapshot (%q twice)", first, second, "before")
		}
		err = db.Read(ctx, func(tx app.Tx) (err error) {
			first, _, err = tx.Setting(ctx, "snapshot.test")
			return err
		})
		if err != nil || first != "after" {
			t.Errorf("a later Read sees %q, %v; want %q", first, err, "after")
		}
	})
}

// TestReadOne: ReadOne's statement cannot write either, and a second statement is refused.
func TestReadOne(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := newCustomer(t, "Lucía", "Ortega")
		c.Reference = "2000000000017"
		if err := c.Prepare("ES"); err != nil {
			t.Fatal(err)
		}
		if err := db.ReadOne(ctx, func(tx app.Tx) error { return tx.CreateCustomer(ctx, &c) }); err == nil {
			t.Fatal("CreateCustomer inside ReadOne succeeded")
		}
		mustCreate(t, db, &c)
		var got domain.Customer
		err := db.ReadOne(ctx, func(tx app.Tx) (err error) {
			got, err = tx.CustomerByReference(ctx, c.Reference)
			return err
		})
		if err != nil || got.ID != c.ID {
			t.Fatalf("lookup in ReadOne: %v %v", got.ID, err)
		}
		defer func() {
			if recover() == nil {
				t.Error("a second statement inside ReadOne ran")
			}
		}()
		_ = db.ReadOne(ctx, func(tx app.Tx) error {
			_, _ = tx.CustomerByReference(ctx, c.Reference)
			_, _ = tx.Customer(ctx, c.ID)
			return nil
		})
	})
}

// TestManyTransactionsNeverWaitForThemselves: more concurrent transactions than the pools
// have connections, each running statements never run before, all finish. Preparing a
// statement inside a transaction once waited for a connection the other transactions held,
// each of them waiting in turn for the cache the first one held: every reader hung.
func TestManyTransactionsNeverWaitForThemselves(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for i := range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				read := func(tx app.Tx) error {
					if _, err := tx.UserByUsername(ctx, "nobody"); domain.ErrorCode(err) != domain.CodeNotFound {
						return fmt.Errorf("user: %w", err)
					}
					_, err := tx.CountUsers(ctx)
					return err
				}
				if err := db.Read(ctx, read); err != nil {
					errs <- err
				}
				if err := db.Write(ctx, func(tx app.Tx) error { return tx.PutSetting(ctx, fmt.Sprintf("many.%d", i), "x") }); err != nil {
					errs <- err
				}
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(25 * time.Second):
			t.Fatal("transactions still waiting after 25 s: they wait for each other")
		}
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}
