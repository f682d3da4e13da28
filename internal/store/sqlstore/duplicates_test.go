package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// TestCustomersSharing: the lookups behind the pages' "another customer has this" warning
// find a tax id, an e-mail in any case and a phone with or without extension, leave out the
// customer being edited and stop at the limit.
func TestCustomersSharing(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		make := func(first, taxID, email, phone string) domain.Customer {
			c := newCustomer(t, first, "Sanz")
			c.TaxID, c.Email, c.Phone = taxID, email, phone
			if err := c.Prepare("ES"); err != nil {
				t.Fatal(err)
			}
			mustCreate(t, db, &c)
			return c
		}
		ana := make("Ana", "12345678Z", "Ana.Sanz@Example.es", "912 34 56 78 ext 25")
		luis := make("Luis", "12345678Z", "", "912 34 56 78")
		make("Eva", "", "eva@example.es", "")
		sharing := func(field app.SharedField, key, except string, limit int) []string {
			t.Helper()
			var got []domain.Customer
			err := db.Read(ctx, func(tx app.Tx) (err error) {
				got, err = tx.CustomersSharing(ctx, field, key, except, limit)
				return err
			})
			if err != nil {
				t.Fatalf("%s %q: %v", field, key, err)
			}
			var names []string
			for _, c := range got {
				names = append(names, c.FirstName)
			}
			return names
		}
		for _, tc := range []struct {
			field       app.SharedField
			key, except string
			limit       int
			want        string
		}{
			{app.SharedTaxID, "12345678Z", "", 5, "[Ana Luis]"},
			{app.SharedTaxID, "12345678Z", ana.ID, 5, "[Luis]"},
			{app.SharedTaxID, "12345678Z", "", 1, "[Ana]"},
			{app.SharedTaxID, "", "", 5, "[]"}, // empty values are nobody's
			{app.SharedEmail, domain.EmailKey("ANA.SANZ@example.ES"), "", 5, "[Ana]"},
			{app.SharedPhone, "+34912345678", "", 5, "[Ana Luis]"},
			{app.SharedPhone, "+34912345678", luis.ID, 5, "[Ana]"},
			{app.SharedPhone, "+34912345679", "", 5, "[]"},
		} {
			if got := fmt.Sprint(sharing(tc.field, tc.key, tc.except, tc.limit)); got != tc.want {
				t.Errorf("%s %q except %q: %s, want %s", tc.field, tc.key, tc.except, got, tc.want)
			}
		}
	})
}

// TestCustomersSharingUsesIndexes: each lookup is an index search, never a walk of the
// table, so that it stays instant at a million customers. On PostgreSQL sequential scans are
// switched off for the check, since on a tiny table the planner rightly prefers one.
func TestCustomersSharingUsesIndexes(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		for field, index := range map[app.SharedField]string{
			app.SharedTaxID: "customers_tax_id", app.SharedEmail: "customers_email_key", app.SharedPhone: "customers_phone",
		} {
			for _, except := range []bool{false, true} {
				q, err := db.SharingSQL(field, except)
				if err != nil {
					t.Fatal(err)
				}
				args := []any{"x"}
				if except {
					args = append(args, "01900000-0000-7000-8000-000000000000")
				}
				args = append(args, 6)
				plan := explain(t, ctx, db, q, args)
				// The index must be searched for the value, not walked whole with a filter.
				searched := strings.Contains(plan, "SEARCH c USING INDEX "+index+" (")
				if db.Backend() == "postgres" {
					searched = strings.Contains(plan, index) && strings.Contains(plan, "Index Cond:")
				}
				if !searched {
					t.Errorf("%s (except %v) does not search %s:\n%s", field, except, index, plan)
				}
			}
		}
	})
}

// explain returns the query plan of q as one text.
func explain(t *testing.T, ctx context.Context, db *sqlstore.DB, q string, args []any) string {
	t.Helper()
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // read only
	prefix := "EXPLAIN QUERY PLAN "
	if db.Backend() == "postgres" {
		prefix = "EXPLAIN "
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := tx.QueryContext(ctx, prefix+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCountCustomersStopsAtTheLimit: the register's count reads no more rows than asked.
func TestCountCustomersStopsAtTheLimit(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		g := domain.Group{ID: "01900000-0000-7000-8000-0000000000aa", Name: "VIP", CreatedAt: t0, UpdatedAt: t0, Version: 1}
		if err := db.Write(ctx, func(tx app.Tx) error { return tx.CreateGroup(ctx, &g) }); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			c := newCustomer(t, "Cliente", fmt.Sprint(i))
			if i < 2 {
				c.GroupID = g.ID
			}
			mustCreate(t, db, &c)
		}
		for _, tc := range []struct {
			group       string
			limit, want int64
		}{{"", 10, 5}, {"", 3, 3}, {g.ID, 10, 2}, {g.ID, 1, 1}} {
			var n int64
			err := db.Read(ctx, func(tx app.Tx) (err error) { n, err = tx.CountCustomers(ctx, tc.group, tc.limit); return err })
			if err != nil || n != tc.want {
				t.Errorf("group %q limit %d: %d (%v), want %d", tc.group, tc.limit, n, err, tc.want)
			}
		}
	})
}
