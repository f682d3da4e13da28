package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestBulkLoadLease: a process opening the database while another runs a bulk load leaves
// the load alone; a load whose process went away is finished by the next open.
func TestBulkLoadLease(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			ctx := context.Background()
			open := func() *sqlstore.DB {
				db, err := sqlstore.Open(ctx, b.URL, b.DataDir)
				if err != nil {
					t.Fatal(err)
				}
				return db
			}
			pending := func(db *sqlstore.DB) bool {
				var n int
				if err := db.SQL().QueryRow("SELECT count(*) FROM settings WHERE key = 'bulk_load.pending_indexes'").Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n > 0
			}

			loader := open()
			if err := loader.StartBulkLoad(ctx); err != nil {
				t.Fatal(err)
			}
			server := open() // a server started during the load
			if !pending(server) {
				t.Fatal("opening the database finished a load still running elsewhere")
			}
			// What the server adds meanwhile is searchable as usual: its words reach the
			// vocabulary that long prefixes expand through.
			c := newCustomer(t, "Quintanilla", "Ruiz")
			mustCreate(t, server, &c)
			var n int
			if err := server.SQL().QueryRow("SELECT count(*) FROM customer_search_words WHERE word = '¶quintanilla'").Scan(&n); err != nil || n != 1 {
				t.Errorf("a customer added during a load is missing from the vocabulary: %d, %v", n, err)
			}
			server.Close()
			if err := loader.FinishBulkLoad(ctx); err != nil {
				t.Fatal(err)
			}
			if pending(loader) {
				t.Fatal("the loader did not finish its load")
			}
			loader.Close()

			crashed := open()
			if err := crashed.StartBulkLoad(ctx); err != nil {
				t.Fatal(err)
			}
			crashed.Close() // the process dies: its lease goes with it
			next := open()
			defer next.Close()
			if pending(next) {
				t.Fatal("an interrupted load was not finished at open")
			}
			if b.Name == "sqlite" { // and what it dropped is back, the change feeds' trigger too
				var n int
				if err := next.SQL().QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'customers_changed_insert'").Scan(&n); err != nil || n != 1 {
					t.Errorf("the insert trigger after an interrupted load: %d %v", n, err)
				}
			}
		})
	}
}

// TestBulkLoadLeaseIsPerSchema: on PostgreSQL the lease belongs to the schema, as the
// change channel does: a load running in one schema neither holds up a load in another nor
// keeps a process opening that other schema from finishing its interrupted load.
func TestBulkLoadLeaseIsPerSchema(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		if b.Name != "postgres" {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		open := func(b testdb.Backend) *sqlstore.DB {
			db, err := sqlstore.Open(ctx, b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			return db
		}
		one, other := testdb.Prepare(t, b), testdb.Prepare(t, b)
		loader := open(one)
		defer loader.Close()
		if err := loader.StartBulkLoad(ctx); err != nil {
			t.Fatal(err)
		}
		crashed := open(other)
		if err := crashed.StartBulkLoad(ctx); err != nil {
			t.Fatalf("a load in another schema waits for this one: %v", err)
		}
		crashed.Close()
		next := open(other)
		defer next.Close()
		var n int
		if err := next.SQL().QueryRow("SELECT count(*) FROM settings WHERE key = 'bulk_load.pending_indexes'").Scan(&n); err != nil || n != 0 {
			t.Errorf("the other schema's interrupted load was not finished at open: %d %v", n, err)
		}
		if err := loader.FinishBulkLoad(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
