package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// TestLockAccountWaitsForTheHolder: a transaction that locks an account sees the balance as
// the transaction holding it leaves it, never the one from before: a check made on it (the
// credit limit) cannot be passed by two postings that each saw the old balance.
func TestLockAccountWaitsForTheHolder(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		customer := uuid.Must(uuid.NewV7()).String()
		locked, done := make(chan struct{}), make(chan error, 1)
		go func() {
			done <- db.Write(ctx, func(tx app.Tx) error {
				if _, err := tx.LockAccount(ctx, customer, t0); err != nil {
					return err
				}
				close(locked)
				time.Sleep(200 * time.Millisecond) // the second transaction asks meanwhile
				e := domain.LedgerEntry{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customer, CustomerName: "Rosa",
					Kind: domain.LedgerAdjustment, AmountCents: 100, Reason: "test", CreatedAt: t0}
				return tx.PostLedgerEntry(ctx, &e)
			})
		}()
		<-locked
		var seen int64
		err := db.Write(ctx, func(tx app.Tx) (err error) {
			seen, err = tx.LockAccount(ctx, customer, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if seen != 100 {
			t.Errorf("the second lock saw balance %d, want 100: it did not wait for the first", seen)
		}
	})
}

// TestLedgerBalances: postings add up, each entry keeps the balance after it, and entries
// cannot be changed.
func TestLedgerBalances(t *testing.T) {
	eachBackend(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		customer := uuid.Must(uuid.NewV7()).String()
		var last domain.LedgerEntry
		for i, amount := range []int64{500, -200, 1000, -1300} {
			e := domain.LedgerEntry{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customer, CustomerName: "Rosa",
				Kind: domain.LedgerAdjustment, AmountCents: amount, Reason: "test", CreatedAt: t0.Add(time.Duration(i) * time.Hour)}
			if err := db.Write(ctx, func(tx app.Tx) error { return tx.PostLedgerEntry(ctx, &e) }); err != nil {
				t.Fatal(err)
			}
			last = e
		}
		if last.BalanceCents != 0 {
			t.Errorf("balance after the last entry: %d", last.BalanceCents)
		}
		err := db.Read(ctx, func(tx app.Tx) error {
			opening, err := tx.LedgerBalanceBefore(ctx, customer, t0.Add(150*time.Minute))
			if err != nil || opening != 1300 {
				t.Errorf("balance before the fourth entry: %d %v", opening, err)
			}
			asc, err := tx.LedgerEntries(ctx, app.LedgerFilter{CustomerID: customer, Ascending: true, From: t0.Add(time.Hour), Limit: 2})
			if err != nil || len(asc) != 2 || asc[0].AmountCents != -200 || asc[1].BalanceCents != 1300 {
				t.Errorf("entries from the second, oldest first: %v %v", asc, err)
			}
			got, err := tx.LedgerEntry(ctx, last.ID)
			if err != nil || got.AmountCents != -1300 || got.CustomerName != "Rosa" || !got.CreatedAt.Equal(last.CreatedAt) {
				t.Errorf("entry read back: %+v %v", got, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, db.Rebind("UPDATE ledger_entries SET amount_cents = 1 WHERE id = ?"), last.ID); err == nil {
			t.Error("an entry was changed")
		}
		if _, err := db.SQL().ExecContext(ctx, db.Rebind("DELETE FROM ledger_entries WHERE id = ?"), last.ID); err == nil {
			t.Error("an entry was deleted")
		}
		// A merge moves the entry to another customer; an erasure blanks the name, and a name
		// once blanked is not written back.
		if _, err := db.SQL().ExecContext(ctx, db.Rebind("UPDATE ledger_entries SET customer_name = 'Someone' WHERE id = ?"), last.ID); err == nil {
			t.Error("an entry's name was rewritten")
		}
		if _, err := db.SQL().ExecContext(ctx, db.Rebind("UPDATE ledger_entries SET customer_id = ?, customer_name = '' WHERE id = ?"), uuid.Must(uuid.NewV7()).String(), last.ID); err != nil {
			t.Errorf("an entry could not be moved and its name erased: %v", err)
		}
		if _, err := db.SQL().ExecContext(ctx, db.Rebind("UPDATE ledger_entries SET customer_name = 'Rosa' WHERE id = ?"), last.ID); err == nil {
			t.Error("an erased name was written back")
		}
	})
}
