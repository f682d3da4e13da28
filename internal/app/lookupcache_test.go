package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestBarcodeLookupCacheFollowsOtherServers runs two servers' apps on one PostgreSQL
// database: the first caches barcode lookups, and every change the second makes reaches it.
func TestBarcodeLookupCacheFollowsOtherServers(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		if b.Name == "sqlite" {
			db := testdb.Open(t, b)
			if db.ChangeFeed() != nil {
				t.Error("SQLite offers a change feed")
			}
			continue
		}
		b = testdb.Prepare(t, b)
		open := func() *sqlstore.DB {
			db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		db1, db2 := open(), open()
		a1 := app.New(app.Config{Store: db1, Changes: db1.ChangeFeed()})
		a2 := app.New(app.Config{Store: db2, Changes: db2.ChangeFeed()})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go a1.WatchCustomerChanges(ctx)
		eventually(t, "the change feed listens", a1.LookupCacheLive)

		sys := app.System()
		c, err := a2.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			FirstName: domain.Some("Ana"), LastName: domain.Some("Mora"), Reference: domain.Some("4006381333931")})
		if err != nil {
			t.Fatal(err)
		}
		lookup := func() (domain.Customer, error) { return a1.CustomerByReference(ctx, sys, "4006381333931") }
		if got, err := lookup(); err != nil || got.FirstName != "Ana" {
			t.Fatalf("first lookup: %v, %v", got.FirstName, err)
		}

		// The cache is used: a change made behind the feed's back (trigger off) is not seen.
		// (Retried: the notification of the creation may still be on its way, and emptying
		// the cache after the first lookup.)
		sqlDB := db2.SQL()
		setName := func(name string) {
			if _, err := sqlDB.Exec("UPDATE customers SET first_name = $1 WHERE id = $2", name, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		mustExec(t, db2, "ALTER TABLE customers DISABLE TRIGGER customers_notify_change")
		eventually(t, "a lookup is served from the cache", func() bool {
			setName("Ana")
			if got, _ := lookup(); got.FirstName != "Ana" {
				return false
			}
			setName("Unseen")
			got, _ := lookup()
			return got.FirstName == "Ana"
		})
		setName("Ana")
		mustExec(t, db2, "ALTER TABLE customers ENABLE ALWAYS TRIGGER customers_notify_change") // as migration 0006 left it

		// A change through the other server reaches this one.
		if _, err := a2.UpdateCustomer(ctx, sys, c.ID, domain.IfVersion(c.Version), domain.CustomerChanges{FirstName: domain.Some("Anabel")}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the update is seen", func() bool { got, _ := lookup(); return got.FirstName == "Anabel" })

		// So does a deletion: the card no longer finds anyone.
		if err := a2.DeleteCustomer(ctx, sys, c.ID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the deletion is seen", func() bool { _, err := lookup(); return domain.ErrorCode(err) == domain.CodeNotFound })

		// A change made as a replication replica (pg_restore --disable-triggers, logical
		// replication) is heard too.
		e, err := a2.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			FirstName: domain.Some("Eva"), LastName: domain.Some("Gil"), Reference: domain.Some("CARD-3")})
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the new card is found", func() bool { _, err := a1.CustomerByReference(ctx, sys, "CARD-3"); return err == nil })
		replica, err := db2.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"SET session_replication_role = replica", "DELETE FROM customers WHERE id = '" + e.ID + "'", "RESET session_replication_role"} {
			if _, err := replica.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		replica.Close()
		eventually(t, "a replica's deletion is seen", func() bool {
			_, err := a1.CustomerByReference(ctx, sys, "CARD-3")
			return domain.ErrorCode(err) == domain.CodeNotFound
		})

		// The feed's connection dies: caching stops, then the feed reconnects.
		mustExec(t, db2, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN clientela_customers' AND datname = current_database()")
		eventually(t, "the feed reconnects", a1.LookupCacheLive)
		d, err := a2.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			FirstName: domain.Some("Luis"), LastName: domain.Some("Sanz"), Reference: domain.Some("CARD-2")})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := a1.CustomerByReference(ctx, sys, "card-2"); err != nil || got.ID != d.ID {
			t.Fatalf("lookup after reconnecting: %v, %v", got.ID, err)
		}
		if _, err := a2.UpdateCustomer(ctx, sys, d.ID, domain.IfVersion(d.Version), domain.CustomerChanges{FirstName: domain.Some("Luisa")}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "a change after reconnecting is seen", func() bool {
			got, _ := a1.CustomerByReference(ctx, sys, "CARD-2")
			return got.FirstName == "Luisa"
		})
	}
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("%s: not within 10 s", what)
}

func mustExec(t *testing.T, db *sqlstore.DB, q string) {
	t.Helper()
	if _, err := db.SQL().Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
