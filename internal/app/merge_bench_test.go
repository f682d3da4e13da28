package app_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/testdb"
)

// TestMergeBench times, on each backend, a merge of two customers with
// CLIENTELA_MERGE_BENCH ledger entries each (interleaved over a year), then the survivor's
// account page (first and last), and a one-month statement at the start of the year, whose
// running balances are worked out when read. Skipped without the variable:
// CLIENTELA_MERGE_BENCH=50000 go test ./internal/app -run TestMergeBench -v
func TestMergeBench(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CLIENTELA_MERGE_BENCH"))
	if n <= 0 {
		t.Skip("set CLIENTELA_MERGE_BENCH to the entries per customer")
	}
	for _, be := range testdb.Backends(t) {
		t.Run(be.Name, func(t *testing.T) {
			ctx := context.Background()
			e := &env{db: testdb.Open(t, be)}
			e.app = app.New(app.Config{Store: e.db})
			sys := app.System()
			mk := func(name string) domain.Customer {
				c, err := e.app.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some(name)})
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			s, a := mk("Superviviente"), mk("Absorbido")
			start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
			step := 365 * 24 * time.Hour / time.Duration(2*n)
			err := e.db.Write(ctx, func(tx app.Tx) error {
				for i := range 2 * n {
					c := s
					if i%2 == 1 {
						c = a
					}
					amount := int64(1000)
					if i%4 >= 2 {
						amount = -900
					}
					le := domain.LedgerEntry{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: c.ID, CustomerName: c.FirstName, Kind: domain.LedgerAdjustment,
						AmountCents: amount, Reason: "bench", UserID: "u", Username: "u", CreatedAt: start.Add(time.Duration(i) * step)}
					if err := tx.PostLedgerEntry(ctx, &le); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			t0 := time.Now()
			res, err := e.app.MergeCustomers(ctx, sys, s.ID, app.MergeRequest{AbsorbedID: a.ID, Versions: app.MergeVersions(&s, &a)})
			if err != nil {
				t.Fatal(err)
			}
			merge := time.Since(t0)
			t0 = time.Now()
			page, err := e.app.Account(ctx, sys, s.ID, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			first := time.Since(t0)
			if page.Entries[0].BalanceCents != res.MergedBalanceCents {
				t.Errorf("first entry's balance %d, account %d", page.Entries[0].BalanceCents, res.MergedBalanceCents)
			}
			cur := page.NextCursor
			pages := 1
			var last time.Duration
			for cur != "" {
				t0 = time.Now()
				page, err = e.app.Account(ctx, sys, s.ID, cur, 200)
				if err != nil {
					t.Fatal(err)
				}
				last, cur = time.Since(t0), page.NextCursor
				pages++
			}
			if got := page.Entries[len(page.Entries)-1]; got.BalanceCents != got.AmountCents {
				t.Errorf("the oldest entry's balance %d, its amount %d", got.BalanceCents, got.AmountCents)
			}
			t0 = time.Now()
			st, err := e.app.Statement(ctx, sys, s.ID, "2025-01-01", "2025-01-31")
			if err != nil {
				t.Fatal(err)
			}
			statement := time.Since(t0)
			t.Logf("%s: merge moving %d entries %v; account page 1 %v, last page (of %d) %v; January statement (%d entries) %v",
				be.Name, res.Moves.LedgerEntries, merge.Round(time.Millisecond), first.Round(time.Microsecond), pages, last.Round(time.Microsecond),
				len(st.Entries), statement.Round(time.Millisecond))
		})
	}
}
