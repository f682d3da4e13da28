package app_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// mergePair registers the two records of one person that TestMergeCustomers merges, with
// invoices, account entries, an open ticket and an e-mail on each side.
type mergePair struct {
	s, a         domain.Customer
	vip, socios  domain.Group
	aInvoice     domain.Invoice
	openTicketID string
}

func (e *env) mergePair(t *testing.T) mergePair {
	t.Helper()
	ctx := context.Background()
	boss, till, manu := e.as("boss"), e.as("till"), e.as("manu")
	e.setUpShop(t)
	var p mergePair
	var err error
	if p.vip, err = e.app.CreateGroup(ctx, manu, domain.GroupChanges{Name: domain.Some("VIP"), DiscountBasisPoints: domain.Some(int64(1000))}); err != nil {
		t.Fatal(err)
	}
	if p.socios, err = e.app.CreateGroup(ctx, manu, domain.GroupChanges{Name: domain.Some("Socios"), DiscountBasisPoints: domain.Some(int64(500))}); err != nil {
		t.Fatal(err)
	}
	p.s, err = e.app.CreateCustomer(ctx, manu, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("María"),
		LastName: domain.Some("García Ruiz"), Email: domain.Some("maria@example.com"), Reference: domain.Some("S-0001"),
		GroupID: domain.Some(p.vip.ID), CreditLimitCents: domain.Some(int64(10000))})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	p.a, err = e.app.CreateCustomer(ctx, till, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Mª"),
		LastName: domain.Some("Garcia"), Phone: domain.Some("612345678"), Email: domain.Some("mgarcia@example.com"),
		Reference: domain.Some("A-0002"), GroupID: domain.Some(p.socios.ID), MarketingConsent: domain.Some(true),
		CreditLimitCents: domain.Some(int64(5000)), Notes: domain.Some("Tarjeta antigua")})
	if err != nil {
		t.Fatal(err)
	}
	// Sales on account on both, interleaved, and a payment: S owes 3000 - 1000, A 2000.
	onAccount := func(c domain.Customer, cents int64) domain.Invoice {
		t.Helper()
		e.clock.Advance(time.Minute)
		tk := e.ticketFor(t, till, c, cents)
		inv, err := e.app.CloseTicket(ctx, till, tk.ID, tenders(domain.Tender{Method: domain.TenderAccount, AmountCents: tk.Totals().TotalCents}), "")
		if err != nil {
			t.Fatalf("close on account: %v", err)
		}
		return inv
	}
	onAccount(p.s, 3334) // charged: the ticket's total, with the group's discount
	p.aInvoice = onAccount(p.a, 2106)
	e.clock.Advance(time.Minute)
	if _, err := e.app.PostAccountMovement(ctx, till, p.s.ID, domain.AccountMovement{Kind: domain.LedgerPayment, AmountCents: 1000,
		Method: domain.TenderCash}, ""); err != nil {
		t.Fatal(err)
	}
	onAccount(p.a, 1000)
	// An open ticket holding A.
	tk := e.ticketFor(t, till, p.a, 500)
	p.openTicketID = tk.ID
	// Reread: versions as a user would see them now.
	if p.s, err = e.app.Customer(ctx, boss, p.s.ID); err != nil {
		t.Fatal(err)
	}
	if p.a, err = e.app.Customer(ctx, boss, p.a.ID); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMergeCustomers(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		manu, boss := e.as("manu"), e.as("boss")
		p := e.mergePair(t)
		sBalance, aBalance := e.balance(t, p.s.ID), e.balance(t, p.a.ID)
		if sBalance <= 0 || aBalance <= 0 {
			t.Fatalf("balances before: %d, %d", sBalance, aBalance)
		}
		aInvoices, err := e.app.Invoices(ctx, boss, app.InvoiceQuery{CustomerID: p.a.ID})
		if err != nil || len(aInvoices.Invoices) != 2 {
			t.Fatalf("A's invoices: %v %v", aInvoices, err)
		}
		// A campaign to A alone, which both followed the unsubscribe link of, and another to A
		// that only A followed: one opt-out each stays, on the survivor.
		camps := []domain.Campaign{
			{ID: "0190f5c2-0000-7000-8000-0000000000c1", Subject: "Hola", AuthorID: "u", AuthorName: "u", Audience: domain.AudienceCustomer, AudienceID: p.a.ID, Recipients: 1, CreatedAt: e.clock.Now()},
			{ID: "0190f5c2-0000-7000-8000-0000000000c2", Subject: "Otra", AuthorID: "u", AuthorName: "u", Audience: domain.AudienceCustomer, AudienceID: p.a.ID, Recipients: 1, CreatedAt: e.clock.Now()},
		}
		err = e.db.Write(ctx, func(tx app.Tx) error {
			for i := range camps {
				if err := tx.CreateCampaign(ctx, &camps[i]); err != nil {
					return err
				}
				if _, err := tx.RecordUnsubscribe(ctx, camps[i].ID, p.a.ID, e.clock.Now()); err != nil {
					return err
				}
			}
			_, err := tx.RecordUnsubscribe(ctx, camps[0].ID, p.s.ID, e.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		versions := app.MergeVersions(&p.s, &p.a)
		choose := map[string]string{"reference": "absorbed", "email": "survivor", "notes": "absorbed"}

		// Refusals first, each changing nothing.
		_, err = e.app.MergeCustomers(ctx, e.as("till"), p.s.ID, app.MergeRequest{AbsorbedID: p.a.ID, Versions: versions})
		wantCode(t, "a cashier", err, domain.CodeForbidden)
		_, err = e.app.MergeCustomers(ctx, manu, p.s.ID, app.MergeRequest{AbsorbedID: p.s.ID, Versions: versions})
		if de := wantCode(t, "with itself", err, domain.CodeInvalid); de == nil || de.Fields[0].Field != "absorb_id" || de.Fields[0].Code != domain.FieldSameCustomer {
			t.Errorf("merge with itself: %+v", de)
		}
		_, err = e.app.MergeCustomers(ctx, manu, p.s.ID, app.MergeRequest{AbsorbedID: p.a.ID, Fields: map[string]string{"colour": "survivor", "email": "both"}})
		if de := wantCode(t, "bad fields", err, domain.CodeInvalid); de == nil || len(de.Fields) != 4 {
			// colour unknown, email invalid, and both versions required.
			t.Errorf("bad fields: %+v", de)
		}
		_, err = e.app.MergeCustomers(ctx, manu, p.s.ID, app.MergeRequest{AbsorbedID: "0190f5c2-0000-7000-8000-000000000000", Preview: true})
		wantCode(t, "unknown absorbed", err, domain.CodeInvalid)
		_, err = e.app.MergeCustomers(ctx, manu, "0190f5c2-0000-7000-8000-000000000000", app.MergeRequest{AbsorbedID: p.a.ID, Preview: true})
		wantCode(t, "unknown survivor", err, domain.CodeNotFound)

		// The preview: the merged record, its group, what moves; nothing changes.
		pv, err := e.app.MergeCustomers(ctx, manu, p.s.ID, app.MergeRequest{AbsorbedID: p.a.ID, Fields: choose, Versions: versions, Preview: true})
		if err != nil {
			t.Fatalf("preview: %v", err)
		}
		if pv.Done || pv.Merged.Reference != "A-0002" || pv.Merged.Email != "maria@example.com" || pv.Merged.Phone == "" ||
			pv.Merged.FirstName != "María" || pv.Merged.Notes != "Tarjeta antigua" || pv.Group == nil || pv.Group.ID != p.vip.ID {
			t.Errorf("preview's merged customer: %+v (group %+v)", pv.Merged, pv.Group)
		}
		if !pv.Merged.MarketingConsent || pv.ConsentSide != domain.MergeAbsorbed {
			t.Errorf("consent: the absorbed record's (the only choice made) should win: %v %v", pv.Merged.MarketingConsent, pv.ConsentSide)
		}
		if m := pv.Moves; m.Invoices != 2 || m.LedgerEntries != 2 || m.BalanceCents != aBalance || m.Tickets != 1 ||
			m.InvoiceTotalCents != aInvoices.Invoices[0].TotalCents+aInvoices.Invoices[1].TotalCents || pv.MergedBalanceCents != sBalance+aBalance {
			t.Errorf("what moves: %+v, merged balance %d", m, pv.MergedBalanceCents)
		}
		if m := pv.Moves; m.Messages == 0 {
			t.Errorf("A's invoice e-mails should move: %+v", m)
		}
		if _, err := e.app.Customer(ctx, manu, p.a.ID); err != nil {
			t.Fatalf("a preview deleted A: %v", err)
		}

		// An edit in between: the merge would lose what the user did not see.
		edited, err := e.app.UpdateCustomer(ctx, manu, p.a.ID, domain.IfAnyVersion(), domain.CustomerChanges{City: domain.Some("Sevilla")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.app.MergeCustomers(ctx, manu, p.s.ID, app.MergeRequest{AbsorbedID: p.a.ID, Fields: choose, Versions: versions})
		de := wantCode(t, "stale version", err, domain.CodeConflict)
		if de == nil || de.Details["customer_id"] != p.a.ID || de.Details["reason"] != domain.ReasonStaleVersion ||
			de.Fields[0].Field != "versions."+p.a.ID {
			t.Errorf("conflict: %+v", de)
		}
		if got := e.balance(t, p.a.ID); got != aBalance {
			t.Errorf("a refused merge moved A's balance: %d", got)
		}
		if inv, _ := e.app.Invoices(ctx, boss, app.InvoiceQuery{CustomerID: p.a.ID}); len(inv.Invoices) != 2 {
			t.Errorf("a refused merge moved invoices: %d left", len(inv.Invoices))
		}

		// The merge.
		versions[p.a.ID] = edited.Version
		res, err := e.app.MergeCustomers(ctx, manu, p.s.ID, app.MergeRequest{AbsorbedID: p.a.ID, Fields: choose, Versions: versions})
		if err != nil {
			t.Fatalf("merge: %v", err)
		}
		if !res.Done || res.Merged.Version != p.s.Version+1 || res.Moves.Invoices != 2 {
			t.Errorf("merge result: %+v", res)
		}
		if _, err := e.app.Customer(ctx, manu, p.a.ID); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("A after the merge: %v", err)
		}
		s, err := e.app.Customer(ctx, manu, p.s.ID)
		if err != nil || s.Reference != "A-0002" || s.Email != "maria@example.com" || s.Phone != p.a.Phone || !s.MarketingConsent || s.GroupID != p.vip.ID {
			t.Errorf("survivor: %+v %v", s, err)
		}
		// The reference taken from A finds the survivor (the barcode's cache too).
		if c, err := e.app.CustomerByReference(ctx, e.as("till"), "a-0002"); err != nil || c.ID != p.s.ID {
			t.Errorf("A's card after the merge: %v %v", c.ID, err)
		}
		if _, err := e.app.CustomerByReference(ctx, e.as("till"), "S-0001"); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("S's old card: %v", err)
		}
		// Invoices follow, their snapshots as issued.
		inv, err := e.app.Invoices(ctx, boss, app.InvoiceQuery{CustomerID: p.s.ID})
		if err != nil || len(inv.Invoices) != 3 {
			t.Fatalf("S's invoices after: %d %v", len(inv.Invoices), err)
		}
		moved, err := e.app.Invoice(ctx, boss, p.aInvoice.ID)
		if err != nil || moved.Customer == nil || moved.Customer.ID != p.s.ID || moved.Customer.FirstName != "Mª" || moved.Customer.LastName != "Garcia" {
			t.Errorf("A's invoice after the merge: %+v %v", moved.Customer, err)
		}
		// The balance and the ledger: combined, running balances recomputed over both histories.
		page, err := e.app.Account(ctx, boss, p.s.ID, "", 0)
		if err != nil || page.Account.BalanceCents != sBalance+aBalance || len(page.Entries) != 4 {
			t.Fatalf("account after: %+v %v", page.Account, err)
		}
		for i, en := range page.Entries {
			want := page.Account.BalanceCents
			for _, newer := range page.Entries[:i] {
				want -= newer.AmountCents
			}
			if en.BalanceCents != want || en.CustomerID != p.s.ID {
				t.Errorf("entry %d: balance %d, want %d (customer %s)", i, en.BalanceCents, want, en.CustomerID)
			}
		}
		if _, err := e.app.Account(ctx, boss, p.a.ID, "", 0); domain.ErrorCode(err) != domain.CodeNotFound {
			t.Errorf("A's account: %v", err)
		}
		st, err := e.app.Statement(ctx, boss, p.s.ID, "2026-01-01", "2026-12-31")
		if err != nil || st.OpeningCents != 0 || st.ClosingCents != sBalance+aBalance || len(st.Entries) != 4 {
			t.Errorf("statement: opening %d closing %d entries %d %v", st.OpeningCents, st.ClosingCents, len(st.Entries), err)
		}
		// The open ticket now holds S, with S's group's discount.
		tk, err := e.app.Ticket(ctx, e.as("till"), p.openTicketID)
		if err != nil || tk.Customer == nil || tk.Customer.ID != p.s.ID || tk.Customer.GroupID != p.vip.ID || tk.Customer.DiscountBasisPoints != 1000 {
			t.Errorf("open ticket: %+v %v", tk.Customer, err)
		}
		// Campaigns to A now address S; the opt-outs are S's, one per campaign.
		err = e.db.Read(ctx, func(tx app.Tx) error {
			for _, c := range camps {
				got, err := tx.Campaign(ctx, c.ID)
				if err != nil {
					return err
				}
				n, err := tx.CampaignUnsubscribes(ctx, c.ID)
				if err != nil {
					return err
				}
				if got.AudienceID != p.s.ID || n != 1 {
					t.Errorf("campaign %s after the merge: audience %s, %d opt-outs", c.Subject, got.AudienceID, n)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Moves.Campaigns != 2 || res.Moves.Unsubscribes != 2 {
			t.Errorf("moved campaigns and opt-outs: %+v", res.Moves)
		}
		// Search: A's name is gone from the index.
		found, err := e.app.Customers(ctx, manu, app.CustomerQuery{Q: "Mª Garcia"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range found.Customers {
			if c.ID == p.a.ID {
				t.Errorf("search still finds the absorbed record")
			}
		}
		// The audit keeps what A held and what moved.
		hist, err := e.app.MergeHistory(ctx, boss, p.s.ID)
		if err != nil || len(hist) != 1 {
			t.Fatalf("merge history: %v %v", hist, err)
		}
		absorbed, _ := hist[0].Details["absorbed"].(map[string]any)
		movedCounts, _ := hist[0].Details["moved_records"].(map[string]any)
		if absorbed["first_name"] != "Mª" || absorbed["reference"] != "A-0002" || hist[0].Details["absorbed_id"] != p.a.ID ||
			movedCounts["invoices"] != float64(2) || hist[0].ActorName != "manu" {
			t.Errorf("audit entry: %+v", hist[0])
		}
		log, err := e.app.AuditLog(ctx, boss, app.AuditQuery{EntityType: "customer", EntityID: p.a.ID})
		if err != nil || len(log.Entries) == 0 || log.Entries[0].Action != domain.ActionCustomerMergedTo || log.Entries[0].Details["survivor_id"] != p.s.ID {
			t.Errorf("A's audit: %+v %v", log.Entries, err)
		}
		// Merging again: A is gone.
		_, err = e.app.MergeCustomers(ctx, manu, p.s.ID, app.MergeRequest{AbsorbedID: p.a.ID, Versions: versions})
		wantCode(t, "A merged already", err, domain.CodeInvalid)
	})
}

// TestMergeConsentMostRecentWins: a withdrawal after the other record's consent wins.
func TestMergeConsentMostRecentWins(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		manu := e.as("manu")
		mk := func(name string, consent bool) domain.Customer {
			c, err := e.app.CreateCustomer(ctx, manu, domain.CustomerChanges{Kind: domain.Some(domain.KindCompany), CompanyName: domain.Some(name),
				Email: domain.Some("x@example.com"), MarketingConsent: domain.Some(consent)})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		s := mk("Bar Pepe", true)
		e.clock.Advance(time.Hour)
		a := mk("Bar Pepe SL", true)
		e.clock.Advance(time.Hour)
		// S withdraws later than A consented.
		s, err := e.app.UpdateCustomer(ctx, manu, s.ID, domain.IfAnyVersion(), domain.CustomerChanges{MarketingConsent: domain.Some(false)})
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.app.MergeCustomers(ctx, manu, a.ID, app.MergeRequest{AbsorbedID: s.ID, Versions: app.MergeVersions(&a, &s)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Merged.MarketingConsent || res.ConsentSide != domain.MergeAbsorbed || res.Merged.CompanyName != "Bar Pepe SL" {
			t.Errorf("merged: consent %v from %s, name %q", res.Merged.MarketingConsent, res.ConsentSide, res.Merged.CompanyName)
		}
	})
}

// TestMergeWhileTillsClose: tills close the absorbed customer's tickets on account while the
// merge runs. Each sale lands on the absorbed account before the merge (and moves) or on the
// survivor after it (the ticket holds the survivor by then): nothing is lost, nothing stays on
// the absorbed id, and the survivor's balance is the sum of its entries.
func TestMergeWhileTillsClose(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.setUpShop(t)
		till, manu := e.as("till"), e.as("manu")
		s := e.customerWithLimit(t, "RACE-S", 1_000_000)
		a := e.customerWithLimit(t, "RACE-A", 1_000_000)
		const tickets = 6
		var ids []string
		for range tickets {
			ids = append(ids, e.ticketFor(t, till, a, 1000).ID)
		}
		errs := make(chan error, tickets+3)
		start := make(chan struct{})
		// Payments on the absorbed account too: booked before the merge (and moved), or
		// refused once it is gone, never left on the absorbed id.
		var paid atomic.Int64
		for range 2 {
			go func() {
				<-start
				_, err := e.app.PostAccountMovement(ctx, till, a.ID, domain.AccountMovement{Kind: domain.LedgerPayment, AmountCents: 100, Method: domain.TenderCash}, "")
				if err == nil {
					paid.Add(1)
				} else if domain.ErrorCode(err) == domain.CodeNotFound {
					err = nil
				}
				errs <- err
			}()
		}
		for _, id := range ids {
			go func() {
				<-start
				_, err := e.app.CloseTicket(ctx, till, id, tenders(domain.Tender{Method: domain.TenderAccount, AmountCents: 1000}), "")
				errs <- err
			}()
		}
		go func() {
			<-start
			_, err := e.app.MergeCustomers(ctx, manu, s.ID, app.MergeRequest{AbsorbedID: a.ID, Versions: app.MergeVersions(&s, &a)})
			errs <- err
		}()
		close(start)
		for range tickets + 3 {
			if err := <-errs; err != nil {
				t.Errorf("close or merge: %v", err)
			}
		}
		page, err := e.app.Account(ctx, manu, s.ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, en := range page.Entries {
			sum += en.AmountCents
		}
		if n := int64(len(page.Entries)); n != tickets+paid.Load() || sum != page.Account.BalanceCents || sum != tickets*1000-100*paid.Load() {
			t.Errorf("survivor: %d entries adding up to %d, balance %d", len(page.Entries), sum, page.Account.BalanceCents)
		}
		err = e.db.Read(ctx, func(tx app.Tx) error {
			left, err := tx.MergeCounts(ctx, a.ID)
			if err != nil {
				return err
			}
			if left != (app.MergeMoves{}) {
				t.Errorf("left on the absorbed id: %+v", left)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
