package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestSharedValuesReadOneIndex: finding the values several customers share, and who holds
// them, reads the field's index alone (a covering, index-only scan: no row of the table is
// visited), so that the scan of a million customers is four passes over four indexes.
func TestSharedValuesReadOneIndex(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		for field, index := range map[app.SharedField]string{
			app.SharedTaxID: "customers_tax_id", app.SharedEmail: "customers_email_key",
			app.SharedPhone: "customers_phone", app.SharedName: "customers_dup_name",
		} {
			q, err := db.SharedValuesSQL(field)
			if err != nil {
				t.Fatal(err)
			}
			plan := explain(t, ctx, db, q, nil)
			ok := strings.Contains(plan, "SCAN c USING COVERING INDEX "+index)
			if db.Backend() == "postgres" { // on an empty table the planner may pick a bitmap scan of it
				ok = strings.Contains(plan, index)
			}
			if !ok {
				t.Errorf("%s does not read %s alone:\n%s", field, index, plan)
			}
		}
	})
}

// TestNameKeysFilledAtOpen: customers written before the name key existed (NULL, as the
// migration leaves them) get it when the database is next opened, in batches, and every
// write path sets it: create, update and the bulk load.
func TestNameKeysFilledAtOpen(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			b = testdb.Prepare(t, b)
			db, err := sqlstore.Open(ctx, b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			keyOf := func(db *sqlstore.DB, id string) string {
				t.Helper()
				var k *string
				if err := db.SQL().QueryRowContext(ctx, db.Rebind("SELECT dup_name_key FROM customers WHERE id = ?"), id).Scan(&k); err != nil {
					t.Fatal(err)
				}
				if k == nil {
					return "NULL"
				}
				return *k
			}
			ana := newCustomer(t, "Mª", "García López")
			ana.Address.PostalCode = "28001"
			mustCreate(t, db, &ana)
			want := nameKey(ana)
			if got := keyOf(db, ana.ID); got != want || want == "" {
				t.Fatalf("created: key %q, want %q", got, want)
			}
			// The bulk load (seed, imports) writes it too.
			bulk := make([]domain.Customer, 7000) // more than one batch of the fill
			for i := range bulk {
				bulk[i] = newCustomer(t, fmt.Sprintf("Cliente%d", i), "Bulk Ejemplo")
				bulk[i].Address.PostalCode = "41001"
			}
			if err := db.BulkInsertCustomers(ctx, bulk); err != nil {
				t.Fatal(err)
			}
			if got := keyOf(db, bulk[6999].ID); got != nameKey(bulk[6999]) {
				t.Errorf("bulk: key %q", got)
			}
			// An update recomputes it.
			ana.Address.PostalCode = "28002"
			if err := db.Write(ctx, func(tx app.Tx) error { ana.Version++; return tx.UpdateCustomer(ctx, &ana, ana.Version-1) }); err != nil {
				t.Fatal(err)
			}
			if got := keyOf(db, ana.ID); got != nameKey(ana) || got == want {
				t.Errorf("updated: key %q", got)
			}
			// As before the migration.
			for _, q := range []string{"UPDATE customers SET dup_name_key = NULL", "INSERT INTO settings (key, value) VALUES ('duplicates.name_keys_after', '0')"} {
				if _, err := db.SQL().ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			db, err = sqlstore.Open(ctx, b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var nulls int
			if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM customers WHERE dup_name_key IS NULL").Scan(&nulls); err != nil || nulls != 0 {
				t.Errorf("%d customers without a key after open (%v)", nulls, err)
			}
			if got := keyOf(db, ana.ID); got != nameKey(ana) {
				t.Errorf("filled: key %q, want %q", got, nameKey(ana))
			}
			var pending int
			if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM settings WHERE key = 'duplicates.name_keys_after'").Scan(&pending); err != nil || pending != 0 {
				t.Errorf("the fill's setting is still there: %d (%v)", pending, err)
			}
		})
	}
}

func nameKey(c domain.Customer) string { return c.DuplicateNameKey() }
