package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// customerWithLimit creates a customer with a reference and a credit limit.
func (e *env) customerWithLimit(t testing.TB, ref string, limit int64) domain.Customer {
	t.Helper()
	c, err := e.app.CreateCustomer(context.Background(), e.as("boss"), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
		FirstName: domain.Some("Rosa"), LastName: domain.Some("Díaz " + ref), Reference: domain.Some(ref),
		CreditLimitCents: domain.Some(limit)})
	if err != nil {
		t.Fatalf("create customer: %v", err)
	}
	return c
}

// ticketFor rings up one line of price for who with the customer attached.
func (e *env) ticketFor(t testing.TB, who domain.Principal, c domain.Customer, price int64) domain.Ticket {
	t.Helper()
	tk := e.ticketWith(t, who, line("Pedido", 1000, price, 2100))
	tk, err := e.app.AttachCustomer(context.Background(), who, tk.ID, app.CustomerChoice{CustomerID: c.ID})
	if err != nil {
		t.Fatalf("attach: %v", err)
	}
	return tk
}

func (e *env) balance(t testing.TB, customerID string) int64 {
	t.Helper()
	page, err := e.app.Account(context.Background(), e.as("boss"), customerID, "", 0)
	if err != nil {
		t.Fatalf("account: %v", err)
	}
	return page.Account.BalanceCents
}

func tenders(ts ...domain.Tender) []domain.Tender { return ts }

func TestAccountsAtTheTill(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.setUpShop(t)
		till, manu := e.as("till"), e.as("manu")
		c := e.customerWithLimit(t, "ACC1", 5000)

		// A sale split between cash and the account: the account owes the part charged.
		tk := e.ticketFor(t, till, c, 4000)
		inv, err := e.app.CloseTicket(ctx, till, tk.ID, tenders(domain.Tender{Method: domain.TenderCash, AmountCents: 1000},
			domain.Tender{Method: domain.TenderAccount, AmountCents: 3000}), "")
		if err != nil {
			t.Fatalf("close on account: %v", err)
		}
		if got := e.balance(t, c.ID); got != 3000 {
			t.Fatalf("balance after a sale on account: %d", got)
		}

		// Past the limit: refused with the balance, the limit and the amount; nothing booked,
		// no number taken.
		tk2 := e.ticketFor(t, till, c, 2500)
		_, err = e.app.CloseTicket(ctx, till, tk2.ID, tenders(domain.Tender{Method: domain.TenderAccount, AmountCents: 2500}), "")
		de := wantCode(t, "over the limit", err, domain.CodeCreditLimit)
		if de != nil && (de.Details["balance_cents"] != int64(3000) || de.Details["limit_cents"] != int64(5000) || de.Details["amount_cents"] != int64(2500)) {
			t.Errorf("details: %v", de.Details)
		}
		if got := e.balance(t, c.ID); got != 3000 {
			t.Errorf("balance after a refused sale: %d", got)
		}
		if _, err := e.app.Ticket(ctx, till, tk2.ID); err != nil {
			t.Errorf("the refused ticket is gone: %v", err)
		}
		// A cashier cannot override; a manager can, and it is recorded.
		_, err = e.app.CloseTicketWith(ctx, till, tk2.ID, app.CloseRequest{Tenders: tenders(domain.Tender{Method: domain.TenderAccount, AmountCents: 2500}), OverrideCreditLimit: true}, "")
		wantCode(t, "cashier override", err, domain.CodeForbidden)
		mtk := e.ticketFor(t, manu, c, 2500)
		inv2, err := e.app.CloseTicketWith(ctx, manu, mtk.ID, app.CloseRequest{Tenders: tenders(domain.Tender{Method: domain.TenderAccount, AmountCents: 2500}), OverrideCreditLimit: true}, "")
		if err != nil {
			t.Fatalf("manager override: %v", err)
		}
		if inv2.SeqInSeries != inv.SeqInSeries+1 {
			t.Errorf("numbers %d then %d: the refused close took one", inv.SeqInSeries, inv2.SeqInSeries)
		}
		page, err := e.app.Account(ctx, till, c.ID, "", 10)
		if err != nil || page.Account.BalanceCents != 5500 || len(page.Entries) != 2 || !page.Entries[0].LimitOverride ||
			page.Entries[0].InvoiceNumber != inv2.Number || page.Entries[1].LimitOverride {
			t.Fatalf("account after the override: %+v %v", page, err)
		}
		audit, _ := e.app.AuditLog(ctx, e.as("boss"), app.AuditQuery{EntityType: "customer", EntityID: c.ID})
		if !hasAction(audit.Entries, domain.ActionAccountOverride) {
			t.Error("the override is not in the audit log")
		}

		// The customer pays 6000: 500 of credit left, which a later ticket spends; credit
		// beyond it is refused.
		pay, err := e.app.PostAccountMovement(ctx, till, c.ID, domain.AccountMovement{Kind: domain.LedgerPayment, AmountCents: 6000, Method: domain.TenderCard}, "pay-1")
		if err != nil || pay.BalanceCents != -500 {
			t.Fatalf("payment: %+v %v", pay, err)
		}
		again, err := e.app.PostAccountMovement(ctx, till, c.ID, domain.AccountMovement{Kind: domain.LedgerPayment, AmountCents: 6000, Method: domain.TenderCard}, "pay-1")
		if err != nil || again.ID != pay.ID || e.balance(t, c.ID) != -500 {
			t.Fatalf("retried payment: %+v %v, balance %d", again, err, e.balance(t, c.ID))
		}
		tk3 := e.ticketFor(t, till, c, 800)
		_, err = e.app.CloseTicket(ctx, till, tk3.ID, tenders(domain.Tender{Method: domain.TenderCredit, AmountCents: 800}), "")
		if de := wantCode(t, "too much credit", err, domain.CodeInsufficientCredit); de != nil && de.Details["credit_cents"] != int64(500) {
			t.Errorf("details: %v", de.Details)
		}
		if _, err := e.app.CloseTicket(ctx, till, tk3.ID, tenders(domain.Tender{Method: domain.TenderCredit, AmountCents: 500},
			domain.Tender{Method: domain.TenderCash, AmountCents: 300}), ""); err != nil {
			t.Fatalf("credit and cash: %v", err)
		}
		if got := e.balance(t, c.ID); got != 0 {
			t.Errorf("balance after spending the credit: %d", got)
		}

		// Account tenders need a customer.
		anon := e.ticketWith(t, till, line("Pan", 1000, 100, 400))
		_, err = e.app.CloseTicket(ctx, till, anon.ID, tenders(domain.Tender{Method: domain.TenderAccount, AmountCents: 100}), "")
		if de := wantCode(t, "no customer", err, domain.CodeInvalid); de != nil && (len(de.Fields) != 1 || de.Fields[0].Field != "payments[0].method" || de.Fields[0].Code != domain.FieldNeedsCustomer) {
			t.Errorf("fields: %+v", de.Fields)
		}

		// A return refunded to the account is a credit note.
		if _, err := e.app.RectifyInvoice(ctx, manu, inv.ID, app.RectifyRequest{RefundMethod: domain.TenderAccount}, ""); err != nil {
			t.Fatalf("return to the account: %v", err)
		}
		if got := e.balance(t, c.ID); got != -4000 {
			t.Errorf("balance after the credit note: %d", got)
		}

		// A deposit, an adjustment (manager only, with a reason).
		if _, err := e.app.PostAccountMovement(ctx, till, c.ID, domain.AccountMovement{Kind: domain.LedgerAdjustment, AmountCents: 100, Reason: "x"}, ""); domain.ErrorCode(err) != domain.CodeForbidden {
			t.Errorf("cashier adjustment: %v", err)
		}
		_, err = e.app.PostAccountMovement(ctx, manu, c.ID, domain.AccountMovement{Kind: domain.LedgerAdjustment, AmountCents: 100}, "")
		if de := wantCode(t, "adjustment without reason", err, domain.CodeInvalid); de != nil && de.Fields[0].Field != "reason" {
			t.Errorf("fields: %+v", de.Fields)
		}
		if _, err := e.app.PostAccountMovement(ctx, manu, c.ID, domain.AccountMovement{Kind: domain.LedgerAdjustment, AmountCents: 4000, Reason: "Devolución abonada en efectivo por error"}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.PostAccountMovement(ctx, till, c.ID, domain.AccountMovement{Kind: domain.LedgerDeposit, AmountCents: 2000, Method: domain.TenderCash}, ""); err != nil {
			t.Fatal(err)
		}

		// Not deleted while the account holds credit; deleted once settled, the entries stay.
		err = e.app.DeleteCustomer(ctx, manu, c.ID)
		if de := wantCode(t, "delete with credit", err, domain.CodeBalanceNotZero); de != nil && de.Details["balance_cents"] != int64(-2000) {
			t.Errorf("details: %v", de.Details)
		}
		if _, err := e.app.PostAccountMovement(ctx, manu, c.ID, domain.AccountMovement{Kind: domain.LedgerAdjustment, AmountCents: 2000, Reason: "Devuelto en efectivo"}, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.app.DeleteCustomer(ctx, manu, c.ID); err != nil {
			t.Fatalf("delete a settled customer: %v", err)
		}
		var entries int
		if err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind("SELECT count(*) FROM ledger_entries WHERE customer_id = ?"), c.ID).Scan(&entries); err != nil || entries != 8 {
			t.Errorf("entries kept after the delete: %d %v", entries, err)
		}
		var accounts int
		if err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind("SELECT count(*) FROM customer_accounts WHERE customer_id = ?"), c.ID).Scan(&accounts); err != nil || accounts != 0 {
			t.Errorf("balance rows after the delete: %d %v", accounts, err)
		}
	})
}

func hasAction(entries []domain.AuditEntry, action string) bool {
	for _, e := range entries {
		if e.Action == action {
			return true
		}
	}
	return false
}

// TestAccountLimitRace: tills charging one account at once never lose an update, and never
// both pass a limit only one of them fits. (Closes also take turns on the invoice counter;
// that the account's own lock holds against payments and adjustments, which take no number,
// is TestLockAccountWaitsForTheHolder in sqlstore.) Each sale is 30 on a limit of 100: exactly three
// pass, whatever the interleaving; with payments running alongside, the balance is the sum
// of what was booked.
func TestAccountLimitRace(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		raceOnAccount(t, e, []*app.App{e.app})
	})
}

// TestAccountLimitRaceTwoServers: the same across two servers' pools on one PostgreSQL.
func TestAccountLimitRaceTwoServers(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		if b.Name != "postgres" {
			continue
		}
		b = testdb.Prepare(t, b)
		e := newEnvOn(t, b)
		for name, role := range map[string]domain.Role{"manu": domain.RoleManager, "till": domain.RoleCashier} {
			u, err := e.app.AddUser(context.Background(), app.System(), name, role, password)
			if err != nil {
				t.Fatal(err)
			}
			e.users[name] = u
		}
		other, err := sqlstore.Open(context.Background(), b.URL, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		raceOnAccount(t, e, []*app.App{e.app, app.New(app.Config{Store: other, PasswordParams: &fast})})
	}
}

func raceOnAccount(t *testing.T, e *env, apps []*app.App) {
	ctx := context.Background()
	e.setUpShop(t)
	c := e.customerWithLimit(t, "RACE", 10000)
	const sales, payments = 8, 6
	tickets := make([]domain.Ticket, sales)
	who := make([]domain.Principal, sales)
	for i := range tickets {
		u, err := e.app.AddUser(ctx, app.System(), fmt.Sprintf("racer%d", i), domain.RoleCashier, password)
		if err != nil {
			t.Fatal(err)
		}
		who[i] = domain.Principal{UserID: u.ID, Username: u.Username, Role: u.Role}
		tickets[i] = e.ticketFor(t, who[i], c, 3000)
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]error, sales)
	for i := range tickets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, results[i] = apps[i%len(apps)].CloseTicket(ctx, who[i], tickets[i].ID,
				tenders(domain.Tender{Method: domain.TenderAccount, AmountCents: 3000}), "")
		}()
	}
	passed := 0
	close(start)
	wg.Wait()
	for i, err := range results {
		switch {
		case err == nil:
			passed++
		case domain.ErrorCode(err) == domain.CodeCreditLimit:
		default:
			t.Fatalf("sale %d: %v", i, err)
		}
	}
	if passed != 3 || e.balance(t, c.ID) != 9000 {
		t.Fatalf("%d sales of 30 passed a limit of 100, balance %d; want 3 and 9000", passed, e.balance(t, c.ID))
	}
	// Payments and adjustments at once from every app: none lost.
	var pw sync.WaitGroup
	for i := range payments {
		pw.Add(1)
		go func() {
			defer pw.Done()
			_, err := apps[i%len(apps)].PostAccountMovement(ctx, e.as("till"), c.ID,
				domain.AccountMovement{Kind: domain.LedgerPayment, AmountCents: 1000, Method: domain.TenderCash}, "")
			if err != nil {
				t.Errorf("payment %d: %v", i, err)
			}
		}()
	}
	pw.Wait()
	if got := e.balance(t, c.ID); got != 9000-payments*1000 {
		t.Errorf("balance after %d concurrent payments: %d", payments, got)
	}
	// Every entry's balance follows from the one before it.
	page, err := e.app.Account(ctx, e.as("boss"), c.ID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var running int64
	for i := len(page.Entries) - 1; i >= 0; i-- {
		running += page.Entries[i].AmountCents
		if page.Entries[i].BalanceCents != running {
			t.Fatalf("entry %d: balance %d, running sum %d", i, page.Entries[i].BalanceCents, running)
		}
	}
}
