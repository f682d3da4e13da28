package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/testdb"
)

// Sizes of the reports benchmark: a register of benchCustomers, benchDebtors of whom owe
// us after a few sales and payments each, and benchCreditors who hold credit.
const (
	benchCustomers = 100_000
	benchDebtors   = 5_000
	benchCreditors = 500
)

// BenchmarkReports measures, on each backend, the debtors report (every debtor aged, one
// page shown), the creditors report, and the first page of the register narrowed to debtors
// and to creditors. Run once: go test ./internal/app -run '^$' -bench Reports -benchtime 5x
func BenchmarkReports(b *testing.B) {
	for _, be := range testdb.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			e := &env{db: testdb.Open(b, be)}
			e.app = app.New(app.Config{Store: e.db})
			ctx := context.Background()
			now := time.Now().UTC().Truncate(time.Microsecond)
			customers := make([]domain.Customer, benchCustomers)
			for i := range customers {
				c := &customers[i]
				c.ID, c.Kind, c.FirstName, c.LastName = uuid.Must(uuid.NewV7()).String(), domain.KindPerson, fmt.Sprintf("Nombre%06d", i), "Apellido"
				c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
			}
			if err := e.db.BulkInsertCustomers(ctx, customers); err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			err := e.db.Write(ctx, func(tx app.Tx) error {
				post := func(c *domain.Customer, kind domain.LedgerKind, cents int64, daysAgo int) error {
					le := domain.LedgerEntry{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: c.ID, CustomerName: "x", Kind: kind,
						AmountCents: cents, UserID: "u", Username: "u", CreatedAt: now.AddDate(0, 0, -daysAgo)}
					return tx.PostLedgerEntry(ctx, &le)
				}
				// Spread over the register; entries oldest first, as they would be booked.
				for day := 200; day >= 0; day -= 50 {
					for i := range benchDebtors {
						c := &customers[i*(benchCustomers/benchDebtors)]
						if err := post(c, domain.LedgerSale, int64(1000+r.IntN(9000)), day); err != nil {
							return err
						}
						if day < 200 && r.IntN(2) == 0 {
							if err := post(c, domain.LedgerPayment, -int64(100+r.IntN(900)), day); err != nil {
								return err
							}
						}
					}
				}
				for i := range benchCreditors {
					if err := post(&customers[i*(benchCustomers/benchCreditors)+1], domain.LedgerDeposit, -5000, 3); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			boss := domain.Principal{UserID: "u", Username: "boss", Role: domain.RoleAdmin}
			for _, bm := range []struct {
				name string
				fn   func() error
			}{
				{"debtors", func() error {
					rep, err := e.app.Debtors(ctx, boss, app.ReportQuery{})
					if err == nil && rep.Count != benchDebtors {
						err = fmt.Errorf("%d debtors", rep.Count)
					}
					return err
				}},
				{"creditors", func() error {
					rep, err := e.app.Creditors(ctx, boss, app.ReportQuery{})
					if err == nil && rep.Count != benchCreditors {
						err = fmt.Errorf("%d creditors", rep.Count)
					}
					return err
				}},
				{"register-debtors", func() error {
					_, err := e.app.Customers(ctx, boss, app.CustomerQuery{Balance: app.BalanceDebtors})
					return err
				}},
				{"register-creditors", func() error {
					_, err := e.app.Customers(ctx, boss, app.CustomerQuery{Balance: app.BalanceCreditors})
					return err
				}},
			} {
				b.Run(bm.name, func(b *testing.B) {
					for b.Loop() {
						if err := bm.fn(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
