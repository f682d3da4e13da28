package main_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestVerifyFindsARowChangedBehindTheApplication: clientela verify walks the chain of invoice
// records and says how many it checked; once a stored row is altered by hand (the triggers that
// keep invoices unchanged dropped first, as an intruder with the database would), it names the
// first broken link and exits 1.
func TestVerifyFindsARowChangedBehindTheApplication(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = migrated(t, b)
			ctx := context.Background()
			db, err := sqlstore.Open(ctx, b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			closeTickets(t, app.New(app.Config{Store: db}), 5)

			args := append([]string{"verify"}, storageArgs(b)...)
			out, errOut, code := run(t, "", args...)
			if code != 0 || !strings.Contains(out, "Invoice chain OK: 5 of 5 records checked") {
				t.Fatalf("verify on a sound chain: %d %q %q", code, out, errOut)
			}

			// Change the third invoice's amount in its record, behind the application's back.
			raw := db.SQL()
			if b.Name == "sqlite" {
				_, err = raw.ExecContext(ctx, "DROP TRIGGER invoices_no_update")
			} else {
				_, err = raw.ExecContext(ctx, "ALTER TABLE invoices DISABLE TRIGGER invoices_no_update")
			}
			if err != nil {
				t.Fatalf("drop the guard: %v", err)
			}
			res, err := raw.ExecContext(ctx, "UPDATE invoices SET rec_importe_total = '0.01' WHERE chain_position = 3")
			if n, _ := res.RowsAffected(); err != nil || n != 1 {
				t.Fatalf("tamper: %v (%d rows)", err, n)
			}
			db.Close()

			out, errOut, code = run(t, "", args...)
			if code != 1 || !strings.Contains(out, "Invoice chain BROKEN: 2 of 5 records hold; the first broken link is record 3") ||
				!strings.Contains(out, "record was changed") {
				t.Fatalf("verify after tampering: %d %q %q", code, out, errOut)
			}
		})
	}
}

// closeTickets sets the shop up and closes n one-line tickets paid in cash.
func closeTickets(t *testing.T, a *app.App, n int) {
	t.Helper()
	ctx := context.Background()
	sys := app.System()
	if _, err := a.UpdateShop(ctx, sys, domain.IfAnyVersion(), domain.ShopChanges{
		Name: domain.Some("Bar Pepe"), TaxID: domain.Some("B58378431"), Line1: domain.Some("Calle Mayor 1"),
		PostalCode: domain.Some("28013"), City: domain.Some("Madrid"), InvoicePrefix: domain.Some("T"),
	}); err != nil {
		t.Fatalf("shop: %v", err)
	}
	for i := range n {
		tk, err := a.OpenTicket(ctx, sys)
		if err != nil {
			t.Fatalf("open ticket: %v", err)
		}
		if _, err := a.AddTicketLine(ctx, sys, tk.ID, domain.LineChanges{
			Label: domain.Some("Café"), Quantity: domain.Some(domain.Quantity(1000 * (i + 1))),
			UnitPriceCents: domain.Some(int64(150)), VATRateBasisPoints: domain.Some(int64(1000)),
		}); err != nil {
			t.Fatalf("add line: %v", err)
		}
		if _, err := a.CloseTicket(ctx, sys, tk.ID, []domain.Tender{{Method: domain.TenderCash, AmountCents: 2000}}, ""); err != nil {
			t.Fatalf("close: %v", err)
		}
	}
}
