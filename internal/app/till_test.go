package app_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// as is the principal of one of env's users.
func (e *env) as(name string) domain.Principal {
	u := e.users[name]
	return domain.Principal{UserID: u.ID, Username: u.Username, Role: u.Role}
}

// setUpShop gives the shop the name and tax id invoices need.
func (e *env) setUpShop(t *testing.T) domain.Shop {
	t.Helper()
	s, err := e.app.UpdateShop(context.Background(), e.as("boss"), domain.IfAnyVersion(), domain.ShopChanges{
		Name: domain.Some("Ultramarinos Pepa"), TaxID: domain.Some("B58378431"), Line1: domain.Some("Calle Mayor 1"),
		PostalCode: domain.Some("28013"), City: domain.Some("Madrid")})
	if err != nil {
		t.Fatalf("set up shop: %v", err)
	}
	return s
}

func line(label string, qty domain.Quantity, price, rate int64) domain.LineChanges {
	return domain.LineChanges{Label: domain.Some(label), Quantity: domain.Some(qty), UnitPriceCents: domain.Some(price), VATRateBasisPoints: domain.Some(rate)}
}

// ticketWith opens a ticket for who with lines.
func (e *env) ticketWith(t testing.TB, who domain.Principal, lines ...domain.LineChanges) domain.Ticket {
	t.Helper()
	ctx := context.Background()
	tk, err := e.app.OpenTicket(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if tk, err = e.app.AddTicketLine(ctx, who, tk.ID, l); err != nil {
			t.Fatalf("add line: %v", err)
		}
	}
	return tk
}

func cash(cents int64) []domain.Tender {
	return []domain.Tender{{Method: domain.TenderCash, AmountCents: cents}}
}

func TestTillFlow(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		till, manu, boss := e.as("till"), e.as("manu"), e.as("boss")

		// The shop starts with the default rates and prefix, and no name: closing is refused
		// with the settings page in the details, and nothing changes.
		shop, err := e.app.Shop(ctx, boss)
		if err != nil || !slices.Equal(shop.VATRates, domain.DefaultVATRates) || shop.InvoicePrefix != "F" || shop.Address.Country != "ES" {
			t.Fatalf("default shop %+v %v", shop, err)
		}
		_, err = e.app.Shop(ctx, till)
		wantCode(t, "cashier reads shop", err, domain.CodeForbidden)
		tk := e.ticketWith(t, till, line("Pan", 2000, 120, 400))
		_, err = e.app.CloseTicket(ctx, till, tk.ID, cash(240), "")
		if de := wantCode(t, "close before the shop is set up", err, domain.CodeShopNotReady); de.Details["settings_path"] != "/settings/shop" {
			t.Errorf("details %v", de.Details)
		}
		if got, err := e.app.Ticket(ctx, till, tk.ID); err != nil || len(got.Lines) != 1 {
			t.Fatalf("ticket after refused close: %+v %v", got, err)
		}

		// Shop details: checked tax id, If-Match, audited.
		_, err = e.app.UpdateShop(ctx, boss, domain.IfAnyVersion(), domain.ShopChanges{TaxID: domain.Some("B58378432")})
		wantCode(t, "bad tax id", err, domain.CodeInvalid)
		_, err = e.app.UpdateShop(ctx, boss, domain.IfVersion(7), domain.ShopChanges{Name: domain.Some("X")})
		wantCode(t, "stale shop", err, domain.CodePreconditionFailed)
		_, err = e.app.UpdateShop(ctx, manu, domain.IfAnyVersion(), domain.ShopChanges{Name: domain.Some("X")})
		wantCode(t, "manager sets shop", err, domain.CodeForbidden)
		shop = e.setUpShop(t)
		if shop.Version != 2 || shop.Name != "Ultramarinos Pepa" {
			t.Errorf("shop %+v", shop)
		}
		audit, err := e.app.AuditLog(ctx, boss, app.AuditQuery{EntityType: "settings", EntityID: "shop"})
		if err != nil || len(audit.Entries) != 1 || audit.Entries[0].Action != domain.ActionShopUpdate {
			t.Errorf("shop audit %+v %v", audit, err)
		}

		// Lines: a rate the shop does not offer, a zero quantity, someone else's ticket.
		_, err = e.app.AddTicketLine(ctx, till, tk.ID, line("Vino", 1000, 500, 500))
		wantCode(t, "rate not offered", err, domain.CodeInvalid)
		_, err = e.app.AddTicketLine(ctx, till, tk.ID, line("Vino", 0, 500, 2100))
		wantCode(t, "zero quantity", err, domain.CodeInvalid)
		_, err = e.app.AddTicketLine(ctx, manu, tk.ID, line("Vino", 1000, 500, 2100))
		wantCode(t, "another's ticket", err, domain.CodeNotFound)
		tk, err = e.app.AddTicketLine(ctx, till, tk.ID, line("Queso", 350, 1999, 1000))
		if err != nil || len(tk.Lines) != 2 || tk.Version != 3 { // refused changes moved nothing
			t.Fatalf("add: %+v %v", tk, err)
		}
		_, err = e.app.UpdateTicketLine(ctx, till, tk.ID, tk.Lines[1].ID, domain.IfVersion(2), domain.LineChanges{Quantity: domain.Some(domain.Quantity(400))})
		wantCode(t, "stale line change", err, domain.CodePreconditionFailed)
		tk, err = e.app.UpdateTicketLine(ctx, till, tk.ID, tk.Lines[1].ID, domain.IfVersion(3), domain.LineChanges{Quantity: domain.Some(domain.Quantity(400))})
		if err != nil || tk.Lines[1].Quantity != 400 || tk.Lines[1].Label != "Queso" {
			t.Fatalf("change line: %+v %v", tk, err)
		}

		// A customer in a 10 % group, attached by the scanned reference.
		vip, err := e.app.CreateGroup(ctx, manu, domain.GroupChanges{Name: domain.Some("VIP"), DiscountBasisPoints: domain.Some(int64(1000))})
		if err != nil {
			t.Fatal(err)
		}
		ana, err := e.app.CreateCustomer(ctx, manu, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Ana"),
			LastName: domain.Some("Muñoz"), TaxID: domain.Some("12345678Z"), Line1: domain.Some("Calle Luna 3"), City: domain.Some("Madrid"),
			Reference: domain.Some("CARD-1"), GroupID: domain.Some(vip.ID), Email: domain.Some("ana@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.app.AttachCustomer(ctx, till, tk.ID, app.CustomerChoice{Reference: "NOPE"})
		if de := wantCode(t, "unknown reference", err, domain.CodeNotFound); len(de.Fields) != 1 || de.Fields[0].Field != "reference" {
			t.Errorf("unknown reference: %+v", de)
		}
		if got, _ := e.app.Ticket(ctx, till, tk.ID); got.Customer != nil || got.Version != tk.Version {
			t.Errorf("ticket changed by an unknown reference: %+v", got)
		}
		tk, err = e.app.AttachCustomer(ctx, till, tk.ID, app.CustomerChoice{Reference: " card-1 "})
		if err != nil || tk.Customer == nil || tk.Customer.Name != "Ana Muñoz" || tk.Customer.DiscountBasisPoints != 1000 || tk.Customer.GroupName != "VIP" {
			t.Fatalf("attach: %+v %v", tk.Customer, err)
		}
		// 2 × 1.20 = 2.40 − 0.24; 0.4 × 19.99 = 8.00 (7.996) − 0.80.
		tot := tk.Totals()
		if tot.GrossCents != 1040 || tot.DiscountCents != 104 || tot.TotalCents != 936 {
			t.Errorf("totals %+v", tot)
		}
		// The group's new rate is seen by the next ticket, not this one.
		if _, err := e.app.UpdateGroup(ctx, manu, vip.ID, domain.IfAnyVersion(), domain.GroupChanges{DiscountBasisPoints: domain.Some(int64(2000))}); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.app.Ticket(ctx, till, tk.ID); got.Customer.DiscountBasisPoints != 1000 {
			t.Errorf("open ticket took the new rate: %+v", got.Customer)
		}

		// Close: short payment and card over the total refused, nothing changes.
		_, err = e.app.CloseTicket(ctx, till, tk.ID, cash(935), "")
		wantCode(t, "short", err, domain.CodeInvalid)
		_, err = e.app.CloseTicket(ctx, till, tk.ID, []domain.Tender{{Method: domain.TenderCard, AmountCents: 937}}, "")
		wantCode(t, "card over", err, domain.CodeInvalid)
		inv, err := e.app.CloseTicket(ctx, till, tk.ID, []domain.Tender{{Method: domain.TenderCard, AmountCents: 500}, {Method: domain.TenderCash, AmountCents: 1000}}, "key-1")
		if err != nil {
			t.Fatalf("close: %v", err)
		}
		if inv.Type != domain.InvoiceFull || inv.Number != "F2026-000001" || inv.TotalCents != 936 || inv.ChangeCents != 564 ||
			inv.Payments[1].AmountCents != 436 || inv.Customer.Name() != "Ana Muñoz" || inv.Group.Name != "VIP" || inv.Group.DiscountBasisPoints != 1000 ||
			inv.Record.Huella != "" || inv.Record.ImporteTotal != "9.36" || inv.Record.FechaExpedicionFactura != "02-03-2026" || inv.Record.IDEmisorFactura != "B58378431" {
			t.Errorf("invoice %+v", inv)
		}
		var vatSum int64
		for _, v := range inv.VAT {
			vatSum += v.BaseCents + v.VATCents
		}
		if vatSum != inv.TotalCents || inv.Fingerprint != inv.Record.Fingerprint() {
			t.Errorf("VAT %+v", inv.VAT)
		}
		// The retried close returns the same invoice and books nothing; the key on another
		// ticket is refused.
		again, err := e.app.CloseTicket(ctx, till, tk.ID, cash(5000), "key-1")
		if err != nil || again.ID != inv.ID || again.Number != inv.Number {
			t.Errorf("retried close: %+v %v", again.Number, err)
		}
		other := e.ticketWith(t, till, line("Leche", 1000, 95, 400))
		_, err = e.app.CloseTicket(ctx, till, other.ID, cash(95), "key-1")
		wantCode(t, "key reused", err, domain.CodeIdempotencyReused)
		_, err = e.app.Ticket(ctx, till, tk.ID)
		wantCode(t, "closed ticket", err, domain.CodeNotFound)

		// Without a customer: a simplified invoice; empty tickets refused.
		empty := e.ticketWith(t, till)
		_, err = e.app.CloseTicket(ctx, till, empty.ID, nil, "")
		wantCode(t, "empty", err, domain.CodeTicketEmpty)
		inv2, err := e.app.CloseTicket(ctx, till, other.ID, cash(100), "")
		if err != nil || inv2.Type != domain.InvoiceSimplified || inv2.Customer != nil || inv2.Number != "F2026-000002" || inv2.Record.Huella != inv.Fingerprint {
			t.Fatalf("second invoice %+v %v", inv2, err)
		}

		// The next ticket for Ana sees the group's new rate.
		tk3 := e.ticketWith(t, till, line("Aceite", 1000, 1000, 1000))
		tk3, err = e.app.AttachCustomer(ctx, till, tk3.ID, app.CustomerChoice{CustomerID: ana.ID})
		if err != nil || tk3.Totals().DiscountCents != 200 {
			t.Fatalf("new rate: %+v %v", tk3, err)
		}
		tk3, err = e.app.DetachCustomer(ctx, till, tk3.ID)
		if err != nil || tk3.Customer != nil || tk3.Totals().DiscountCents != 0 {
			t.Fatalf("detach: %+v %v", tk3, err)
		}
		tk3, _ = e.app.AttachCustomer(ctx, till, tk3.ID, app.CustomerChoice{CustomerID: ana.ID})

		// Rectify: cashiers may not; a partial return; never more than sold.
		_, err = e.app.RectifyInvoice(ctx, till, inv.ID, app.RectifyRequest{}, "")
		wantCode(t, "cashier rectifies", err, domain.CodeForbidden)
		r1, err := e.app.RectifyInvoice(ctx, manu, inv.ID, app.RectifyRequest{Lines: []domain.ReturnLine{{Position: 2, Quantity: 100}}}, "")
		if err != nil || r1.Type != domain.InvoiceRectifying || r1.Number != "FR2026-000001" || r1.Rectifies.Number != inv.Number ||
			r1.TotalCents != -180 || r1.Lines[0].Quantity != -100 || r1.Customer.Name() != "Ana Muñoz" || r1.Record.Huella != inv2.Fingerprint {
			t.Fatalf("rectify: %+v %v", r1, err)
		}
		_, err = e.app.RectifyInvoice(ctx, manu, inv.ID, app.RectifyRequest{Lines: []domain.ReturnLine{{Position: 2, Quantity: 301}}}, "")
		wantCode(t, "return too much", err, domain.CodeInvalid)
		_, err = e.app.RectifyInvoice(ctx, manu, r1.ID, app.RectifyRequest{}, "")
		wantReason(t, "rectify a rectification", err, domain.CodeConflict, app.ReasonRectifiesRectifying)
		rest, err := e.app.RectifyInvoice(ctx, manu, inv.ID, app.RectifyRequest{RefundMethod: domain.TenderCard}, "")
		if err != nil || rest.TotalCents+r1.TotalCents != -inv.TotalCents || len(rest.Lines) != 2 || rest.Lines[1].Quantity != -300 || rest.Payments[0].Method != domain.TenderCard {
			t.Fatalf("return the rest: %+v %v", rest, err)
		}
		_, err = e.app.RectifyInvoice(ctx, manu, inv.ID, app.RectifyRequest{}, "")
		wantReason(t, "nothing left", err, domain.CodeConflict, app.ReasonNothingToReturn)

		// Deleting the customer detaches them from the open ticket; invoices keep the snapshot.
		if err := e.app.DeleteCustomer(ctx, manu, ana.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := e.app.Ticket(ctx, till, tk3.ID); err != nil || got.Customer != nil || got.Totals().DiscountCents != 0 {
			t.Errorf("ticket after the customer's deletion: %+v %v", got, err)
		}
		kept, err := e.app.Invoice(ctx, till, inv.ID)
		if err != nil || kept.Customer == nil || kept.Customer.Name() != "Ana Muñoz" || kept.Customer.Address.Line1 != "Calle Luna 3" ||
			kept.Customer.Address.Country != "ES" || kept.Customer.Email != "ana@example.com" || len(kept.Lines) != 2 || len(kept.Payments) != 2 {
			t.Errorf("invoice after the customer's deletion: %+v %v", kept, err)
		}

		// Lists and figures.
		page, err := e.app.Invoices(ctx, till, app.InvoiceQuery{Search: "munoz", Limit: 2})
		if err != nil || len(page.Invoices) != 2 || page.Invoices[0].ID != rest.ID || page.NextCursor == "" {
			t.Fatalf("search: %+v %v", page, err)
		}
		page, err = e.app.Invoices(ctx, till, app.InvoiceQuery{Search: "munoz", Limit: 2, Cursor: page.NextCursor})
		if err != nil || len(page.Invoices) != 1 || page.Invoices[0].ID != inv.ID || page.NextCursor != "" {
			t.Fatalf("search page 2: %+v %v", page, err)
		}
		for q, want := range map[app.InvoiceQuery]int{
			{Type: "F2"}: 1, {Type: "R1"}: 2, {Number: "FR"}: 2, {Number: "F2026-000002"}: 1, {CustomerID: ana.ID}: 3,
			{From: "2026-03-02", To: "2026-03-02"}: 4, {From: "2026-03-03"}: 0, {To: "2026-03-01"}: 0,
		} {
			if page, err := e.app.Invoices(ctx, till, q); err != nil || len(page.Invoices) != want {
				t.Errorf("%+v: %d %v, want %d", q, len(page.Invoices), err, want)
			}
		}
		_, err = e.app.Invoices(ctx, till, app.InvoiceQuery{From: "2026-13-01", Type: "X"})
		wantCode(t, "bad filters", err, domain.CodeInvalid)
		sales, err := e.app.CustomerSales(ctx, till, ana.ID)
		if err != nil || sales.InvoiceCount != 1 || sales.TotalCents != 0 || sales.LastPurchase == nil || len(sales.Months) != 12 ||
			sales.Months[11].Month != time.March || sales.Months[11].TotalCents != 0 || sales.Months[0].Month != time.April {
			t.Errorf("sales %+v %v", sales, err)
		}

		rep, err := e.app.VerifyChain(ctx, boss)
		if err != nil || rep.Break != nil || rep.Checked != 4 || rep.Length != 4 {
			t.Errorf("verify: %+v %v", rep, err)
		}
		for _, action := range []string{domain.ActionInvoiceIssue, domain.ActionInvoiceRectify} {
			found := false
			audit, _ := e.app.AuditLog(ctx, boss, app.AuditQuery{EntityType: "invoice", Limit: 100})
			for _, en := range audit.Entries {
				found = found || en.Action == action
			}
			if !found {
				t.Errorf("no %s in the audit log", action)
			}
		}
	})
}

// TestIssuedInvoicesCannotChange: the database itself refuses to change or delete an issued
// invoice, its lines and payments; altered behind its back, the chain's check catches it.
func TestIssuedInvoicesCannotChange(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.setUpShop(t)
		till := e.as("till")
		var invs []domain.Invoice
		for i := 0; i < 3; i++ {
			tk := e.ticketWith(t, till, line("Café", 1000, 150, 1000))
			inv, err := e.app.CloseTicket(ctx, till, tk.ID, cash(150), "")
			if err != nil {
				t.Fatal(err)
			}
			invs = append(invs, inv)
		}
		db := e.db.SQL()
		for _, q := range []string{
			"UPDATE invoices SET total_cents = 1",
			"DELETE FROM invoices",
			"UPDATE invoice_lines SET total_cents = 1",
			"DELETE FROM invoice_lines",
			"UPDATE invoice_payments SET amount_cents = 1",
			"DELETE FROM invoice_payments",
			"DELETE FROM invoice_vat",
			"UPDATE invoices SET customer_email = 'someone@example.com'", // erased, never rewritten
			"UPDATE invoices SET customer_name_key = 'x', customer_id = NULL",
		} {
			if _, err := db.ExecContext(ctx, q); err == nil {
				t.Errorf("%s: allowed", q)
			}
		}
		// What a merge and an erasure do is allowed (docs/merge.md, docs/privacy.md): the link to
		// the customer moves and the snapshot's personal data is blanked.
		for _, q := range []string{
			"UPDATE invoices SET customer_id = '0193a000-0000-7000-8000-000000000001'",
			"UPDATE invoices SET customer_first_name = '', customer_email = '', customer_tax_id = '', customer_name_key = ''",
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
		// Behind the application's back: the triggers off, the second invoice's total changed.
		off, on := "DROP TRIGGER invoices_no_update", ""
		if e.db.Backend() == "postgres" {
			off, on = "ALTER TABLE invoices DISABLE TRIGGER invoices_no_update", "ALTER TABLE invoices ENABLE TRIGGER invoices_no_update"
		}
		if _, err := db.ExecContext(ctx, off); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, e.db.Rebind("UPDATE invoices SET total_cents = 50 WHERE id = ?"), invs[1].ID); err != nil {
			t.Fatal(err)
		}
		rep, err := e.app.VerifyChain(ctx, e.as("boss"))
		if err != nil || rep.Break == nil || rep.Break.Position != 2 || rep.Break.Reason != "invoice" || rep.Checked != 1 {
			t.Errorf("changed total: %+v %v", rep, err)
		}
		// The record changed too, so the amounts agree: the fingerprint no longer does.
		if _, err := db.ExecContext(ctx, e.db.Rebind("UPDATE invoices SET rec_importe_total = '0.50' WHERE id = ?"), invs[1].ID); err != nil {
			t.Fatal(err)
		}
		rep, err = e.app.VerifyChain(ctx, e.as("boss"))
		if err != nil || rep.Break == nil || rep.Break.Position != 2 || rep.Break.Reason != "fingerprint" {
			t.Errorf("changed record: %+v %v", rep, err)
		}
		// The record's fingerprint recomputed too: the next record's link breaks.
		r := invs[1].Record
		r.ImporteTotal = "0.50"
		if _, err := db.ExecContext(ctx, e.db.Rebind("UPDATE invoices SET fingerprint = ? WHERE id = ?"), r.Fingerprint(), invs[1].ID); err != nil {
			t.Fatal(err)
		}
		rep, err = e.app.VerifyChain(ctx, e.as("boss"))
		if err != nil || rep.Break == nil || rep.Break.Position != 3 || rep.Break.Reason != "link" || rep.Checked != 2 {
			t.Errorf("rechained record: %+v %v", rep, err)
		}
		if on != "" {
			if _, err := db.ExecContext(ctx, on); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestConcurrentTills: 8 tills close 1,000 tickets at once (200 under the race detector).
// Numbers are exactly 1..N with no duplicate, the chain verifies, and the totals add up.
func TestConcurrentTills(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		closeConcurrently(t, e, []*app.App{e.app}, 8, concurrentTickets(1000))
	})
}

func concurrentTickets(n int) int {
	if raceDetector {
		return n / 5
	}
	return n
}

// TestTwoServersOnePostgres: two processes' worth of App and connection pool on one
// PostgreSQL database, four tills each, never share nor skip a number.
func TestTwoServersOnePostgres(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		if b.Name != "postgres" {
			continue
		}
		b = testdb.Prepare(t, b)
		e := newEnvOn(t, b)
		other, err := sqlstore.Open(context.Background(), b.URL, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		second := app.New(app.Config{Store: other, PasswordParams: &fast})
		closeConcurrently(t, e, []*app.App{e.app, second}, 8, concurrentTickets(600))
	}
}

// newEnvOn is newEnv on a backend already prepared (so that another pool can open it too).
func newEnvOn(t *testing.T, b testdb.Backend) *env {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), b.URL, b.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{db: db, users: map[string]domain.User{}}
	e.app = app.New(app.Config{Store: db, PasswordParams: &fast})
	u, err := e.app.AddUser(context.Background(), app.System(), "boss", domain.RoleAdmin, password)
	if err != nil {
		t.Fatal(err)
	}
	e.users["boss"] = u
	return e
}

// closeConcurrently rings up tickets across tills, then closes them all at once, till i on
// apps[i % len(apps)], and checks numbers, chain and totals.
func closeConcurrently(t *testing.T, e *env, apps []*app.App, tills, tickets int) {
	ctx := context.Background()
	e.setUpShop(t)
	who := make([]domain.Principal, tills)
	for i := range who {
		u, err := e.app.AddUser(ctx, app.System(), fmt.Sprintf("till%d", i), domain.RoleCashier, password)
		if err != nil {
			t.Fatal(err)
		}
		who[i] = domain.Principal{UserID: u.ID, Username: u.Username, Role: u.Role}
	}
	// Every till rings up its share first, then all close at once.
	ids := make([][]string, tills)
	var want int64
	for n := 0; n < tickets; n++ {
		i := n % tills
		price := int64(100 + n)
		tk := e.ticketWith(t, who[i], line("Artículo", domain.Quantity(1000+n%7*250), price, domain.DefaultVATRates[n%4]))
		want += tk.Totals().TotalCents
		ids[i] = append(ids[i], tk.ID)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	numbers := make(chan domain.Invoice, tickets)
	errs := make(chan error, tickets)
	for i := 0; i < tills; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			a := apps[i%len(apps)]
			<-start
			for _, id := range ids[i] {
				inv, err := a.CloseTicket(ctx, who[i], id, cash(1_000_000), "k-"+id)
				if err != nil {
					errs <- err
					return
				}
				numbers <- inv
			}
		}(i)
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)
	close(numbers)
	close(errs)
	for err := range errs {
		t.Fatalf("close: %v", err)
	}
	seen := map[int64]bool{}
	var got int64
	for inv := range numbers {
		if seen[inv.SeqInSeries] {
			t.Fatalf("number %d issued twice", inv.SeqInSeries)
		}
		seen[inv.SeqInSeries] = true
		got += inv.TotalCents
	}
	for n := int64(1); n <= int64(tickets); n++ {
		if !seen[n] {
			t.Fatalf("number %d skipped (%d issued)", n, len(seen))
		}
	}
	if got != want {
		t.Errorf("invoices total %d, tickets %d", got, want)
	}
	rep, err := e.app.VerifyChain(ctx, e.as("boss"))
	if err != nil || rep.Break != nil || rep.Checked != int64(tickets) {
		t.Errorf("verify: %+v %v", rep, err)
	}
	var stored int64
	if err := e.db.SQL().QueryRowContext(ctx, "SELECT CAST(SUM(total_cents) AS bigint) FROM invoices").Scan(&stored); err != nil || stored != want {
		t.Errorf("stored total %d %v, want %d", stored, err, want)
	}
	t.Logf("%s: %d closes by %d tills on %d pools in %v (%.0f/s)", e.db.Backend(), tickets, tills, len(apps), elapsed, float64(tickets)/elapsed.Seconds())
}

// TestCloseRaces: the same ticket closed at once by retries with one key gives one invoice.
func TestCloseRaces(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.setUpShop(t)
		till := e.as("till")
		tk := e.ticketWith(t, till, line("Pan", 1000, 100, 400))
		var wg sync.WaitGroup
		got := make([]string, 6)
		for i := range got {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				inv, err := e.app.CloseTicket(ctx, till, tk.ID, cash(100), "same")
				if err != nil {
					t.Errorf("close %d: %v", i, err)
				}
				got[i] = inv.ID
			}(i)
		}
		wg.Wait()
		for _, id := range got {
			if id != got[0] {
				t.Fatalf("retries gave different invoices: %v", got)
			}
		}
		page, err := e.app.Invoices(ctx, till, app.InvoiceQuery{})
		if err != nil || len(page.Invoices) != 1 {
			t.Errorf("%d invoices %v", len(page.Invoices), err)
		}
	})
}
