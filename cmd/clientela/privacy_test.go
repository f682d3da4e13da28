package main_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// TestPrivacyCommands runs clientela customer privacy-export, customer erase and retention
// on a customer with an invoice of 2018 on account: the package to a file and to stdout,
// an erasure refused while she owes and done once she has paid, and a retention run that
// counts first (--dry-run changes nothing) and then blanks the 2018 invoice.
func TestPrivacyCommands(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = migrated(t, b)
			ctx := context.Background()
			db, err := sqlstore.Open(ctx, b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			// An invoice of 2018 (the app's clock set back), half on account.
			then := func() time.Time { return time.Date(2018, 6, 1, 10, 0, 0, 0, time.UTC) }
			a := app.New(app.Config{Store: db, Clock: then})
			sys := app.System()
			if _, err := a.UpdateShop(ctx, sys, domain.IfAnyVersion(), domain.ShopChanges{Name: domain.Some("Bar Pepe"),
				TaxID: domain.Some("B58378431"), Line1: domain.Some("Calle Mayor 1"), City: domain.Some("Madrid")}); err != nil {
				t.Fatal(err)
			}
			c, err := a.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Zoraida"),
				LastName: domain.Some("Quesada"), Email: domain.Some("zoraida@zqmail.es"), CreditLimitCents: domain.Some(int64(5000))})
			if err != nil {
				t.Fatal(err)
			}
			tk, err := a.OpenTicket(ctx, sys)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.AddTicketLine(ctx, sys, tk.ID, domain.LineChanges{Label: domain.Some("Café"), Quantity: domain.Some(domain.Quantity(1000)),
				UnitPriceCents: domain.Some(int64(300)), VATRateBasisPoints: domain.Some(int64(1000))}); err != nil {
				t.Fatal(err)
			}
			if _, err := a.AttachCustomer(ctx, sys, tk.ID, app.CustomerChoice{CustomerID: c.ID}); err != nil {
				t.Fatal(err)
			}
			inv, err := a.CloseTicket(ctx, sys, tk.ID, []domain.Tender{{Method: domain.TenderAccount, AmountCents: 300}}, "")
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			storage := storageArgs(b)

			// The package, to a file and to stdout.
			file := filepath.Join(t.TempDir(), "zoraida.json")
			_, errOut, code := run(t, "", append([]string{"customer", "privacy-export", "--id", c.ID, "--out", file}, storage...)...)
			if code != 0 || !strings.Contains(errOut, "1 invoices, 1 account entries") {
				t.Fatalf("privacy-export to a file: %d %q", code, errOut)
			}
			var pkg app.PrivacyPackage
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &pkg); err != nil || pkg.Version != 1 || pkg.Customer.Email != "zoraida@zqmail.es" ||
				len(pkg.Invoices) != 1 || pkg.Invoices[0].Number != inv.Number {
				t.Fatalf("package %v %s", err, raw)
			}
			out, _, code := run(t, "", append([]string{"customer", "privacy-export", "--id", c.ID}, storage...)...)
			if code != 0 || !strings.Contains(out, `"first_name": "Zoraida"`) {
				t.Fatalf("privacy-export to stdout: %d %q", code, out)
			}
			if _, errOut, code := run(t, "", append([]string{"customer", "privacy-export"}, storage...)...); code != 1 || !strings.Contains(errOut, "--id") {
				t.Fatalf("without --id: %d %q", code, errOut)
			}
			if _, _, code := run(t, "", "customer", "forget"); code != 2 {
				t.Fatalf("unknown subcommand: %d", code)
			}

			// Erasure: refused while she owes 3 €, then done.
			_, errOut, code = run(t, "", append([]string{"customer", "erase", "--id", c.ID}, storage...)...)
			if code != 1 || !strings.Contains(errOut, "balance") {
				t.Fatalf("erase with a balance: %d %q", code, errOut)
			}
			db, err = sqlstore.Open(ctx, b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := app.New(app.Config{Store: db}).PostAccountMovement(ctx, sys, c.ID,
				domain.AccountMovement{Kind: domain.LedgerPayment, AmountCents: 300, Method: domain.TenderCash}, ""); err != nil {
				t.Fatal(err)
			}
			db.Close()
			out, errOut, code = run(t, "", append([]string{"customer", "erase", "--id", c.ID}, storage...)...)
			if code != 0 || !strings.Contains(out, "erased "+c.ID+": 1 invoices blanked") {
				t.Fatalf("erase: %d %q %q", code, out, errOut)
			}
			if _, errOut, code := run(t, "", append([]string{"customer", "privacy-export", "--id", c.ID}, storage...)...); code != 1 || !strings.Contains(errOut, "Not found") {
				t.Fatalf("package after erasure: %d %q", code, errOut)
			}

			// Retention: nothing personal left on the 2018 invoice after the erasure; a new
			// customer's old invoice is counted, then blanked.
			out, _, code = run(t, "", append([]string{"retention", "--dry-run"}, storage...)...)
			if code != 0 || !strings.Contains(out, "retention 6 years: 0 invoices and 0 ledger entries") || !strings.Contains(out, "dry run") {
				t.Fatalf("retention dry run: %d %q", code, out)
			}
			db, err = sqlstore.Open(ctx, b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			a = app.New(app.Config{Store: db, Clock: then})
			d, err := a.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Delia"),
				LastName: domain.Some("Antigua")})
			if err != nil {
				t.Fatal(err)
			}
			tk, _ = a.OpenTicket(ctx, sys)
			_, _ = a.AddTicketLine(ctx, sys, tk.ID, domain.LineChanges{Label: domain.Some("Té"), Quantity: domain.Some(domain.Quantity(1000)),
				UnitPriceCents: domain.Some(int64(200)), VATRateBasisPoints: domain.Some(int64(1000))})
			_, _ = a.AttachCustomer(ctx, sys, tk.ID, app.CustomerChoice{CustomerID: d.ID})
			old, err := a.CloseTicket(ctx, sys, tk.ID, []domain.Tender{{Method: domain.TenderCash, AmountCents: 200}}, "")
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			out, _, code = run(t, "", append([]string{"retention", "--dry-run"}, storage...)...)
			if code != 0 || !strings.Contains(out, ": 1 invoices and 0 ledger entries") {
				t.Fatalf("retention dry run: %d %q", code, out)
			}
			out, _, code = run(t, "", append([]string{"retention"}, storage...)...)
			if code != 0 || !strings.Contains(out, ": 1 invoices and 0 ledger entries") || !strings.Contains(out, "anonymised 1 invoices and 0 ledger entries") {
				t.Fatalf("retention: %d %q", code, out)
			}
			db, err = sqlstore.Open(ctx, b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			got, err := app.New(app.Config{Store: db}).Invoice(ctx, sys, old.ID)
			if err != nil || got.Customer == nil || got.Customer.LastName != "" || got.TotalCents != 200 {
				t.Fatalf("the old invoice after retention: %v %+v", err, got.Customer)
			}
		})
	}
}
