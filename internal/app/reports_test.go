package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/google/uuid"
)

// reportBook posts a ledger entry through the store, as the account use cases do, at.
func reportBook(t testing.TB, e *env, c domain.Customer, kind domain.LedgerKind, cents int64, at time.Time) domain.LedgerEntry {
	t.Helper()
	le := domain.LedgerEntry{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: c.ID, CustomerName: c.DisplayName(),
		Kind: kind, AmountCents: cents, UserID: "u", Username: "manu", CreatedAt: at.UTC().Truncate(time.Microsecond)}
	if kind == domain.LedgerPayment || kind == domain.LedgerDeposit {
		le.Method = domain.TenderCash
	}
	if kind == domain.LedgerSale {
		le.InvoiceNumber = fmt.Sprintf("F2026-%06d", cents)
	}
	err := e.db.Write(context.Background(), func(tx app.Tx) error { return tx.PostLedgerEntry(context.Background(), &le) })
	if err != nil {
		t.Fatalf("post %s %d: %v", kind, cents, err)
	}
	return le
}

func reportCustomer(t testing.TB, e *env, first, last, groupID string) domain.Customer {
	t.Helper()
	ch := domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some(first), LastName: domain.Some(last)}
	if groupID != "" {
		ch.GroupID = domain.Some(groupID)
	}
	c, err := e.app.CreateCustomer(context.Background(), e.as("boss"), ch)
	if err != nil {
		t.Fatalf("create %s: %v", first, err)
	}
	return c
}

// reportFixture books a few accounts; the clock is 2026-03-02 10:00 in Madrid.
type reportFixture struct {
	ana, bea, carla, dani, fede, gil domain.Customer
	group                            domain.Group
}

func newReportFixture(t *testing.T, e *env) reportFixture {
	ctx := context.Background()
	now := e.clock.Now()
	ago := func(days int) time.Time { return now.AddDate(0, 0, -days) }
	g, err := e.app.CreateGroup(ctx, e.as("boss"), domain.GroupChanges{Name: domain.Some("VIP")})
	if err != nil {
		t.Fatal(err)
	}
	f := reportFixture{group: g,
		ana: reportCustomer(t, e, "Ana", "Arco", g.ID), bea: reportCustomer(t, e, "Bea", "Bravo", ""),
		carla: reportCustomer(t, e, "Carla", "Cruz", g.ID), dani: reportCustomer(t, e, "Dani", "Duro", ""),
		fede: reportCustomer(t, e, "Fede", "Faro", ""), gil: reportCustomer(t, e, "Gil", "Gómez", "")}
	reportCustomer(t, e, "Hugo", "Hoz", "") // no account at all
	// Ana: 100 € 100 days ago, 50 € 45 days ago, pays 80 €, 30 € 10 days ago: owes 100 €,
	// the newest sales first: 30 € (0–30), 50 € (31–60), and 20 € of the oldest (> 90).
	reportBook(t, e, f.ana, domain.LedgerSale, 10000, ago(100))
	reportBook(t, e, f.bea, domain.LedgerSale, 20000, ago(70))
	reportBook(t, e, f.ana, domain.LedgerSale, 5000, ago(45))
	reportBook(t, e, f.ana, domain.LedgerPayment, -8000, ago(40))
	reportBook(t, e, f.carla, domain.LedgerDeposit, -5000, ago(20))
	reportBook(t, e, f.dani, domain.LedgerSale, 1000, ago(15))
	reportBook(t, e, f.dani, domain.LedgerPayment, -1000, ago(14))
	reportBook(t, e, f.ana, domain.LedgerSale, 3000, ago(10))
	// Fede's sale is on 31 January in Madrid (30 days ago) though 30 January in UTC.
	reportBook(t, e, f.fede, domain.LedgerSale, 700, time.Date(2026, 1, 30, 23, 30, 0, 0, time.UTC))
	// Gil: ten sales of 10 € and a payment of 70 €: only the three newest sales are owed.
	for i := range 10 {
		reportBook(t, e, f.gil, domain.LedgerSale, 1000, ago(9-i))
	}
	reportBook(t, e, f.gil, domain.LedgerPayment, -7000, now)
	return f
}

func debtorSummary(rows []app.DebtorRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s %d %v", r.Customer.FirstName, r.BalanceCents, r.Aged))
	}
	return out
}

func TestDebtorsAndCreditorsReports(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.clock.now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		f := newReportFixture(t, e)
		manu := e.as("manu")

		rep, err := e.app.Debtors(ctx, manu, app.ReportQuery{})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Bea 20000 [0 0 20000 0]", "Ana 10000 [3000 5000 0 2000]", "Gil 3000 [3000 0 0 0]", "Fede 700 [700 0 0 0]"}
		if got := debtorSummary(rep.Rows); !slices.Equal(got, want) {
			t.Errorf("rows\n got %q\nwant %q", got, want)
		}
		if rep.Count != 4 || rep.TotalCents != 33700 || rep.Aged != [4]int64{6700, 5000, 20000, 2000} || rep.NextCursor != "" {
			t.Errorf("totals %d %d %v %q", rep.Count, rep.TotalCents, rep.Aged, rep.NextCursor)
		}
		if got := rep.Today.Format(time.RFC3339); got != "2026-03-02T00:00:00+01:00" {
			t.Errorf("today %s", got)
		}

		// Pages of two: the totals are of everyone on every page.
		var seen []string
		cursor := ""
		for range 3 {
			page, err := e.app.Debtors(ctx, manu, app.ReportQuery{Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			if page.Count != 4 || page.Aged != rep.Aged {
				t.Errorf("page totals %d %v", page.Count, page.Aged)
			}
			seen = append(seen, debtorSummary(page.Rows)...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if !slices.Equal(seen, want) {
			t.Errorf("paged rows %q", seen)
		}
		if _, err := e.app.Debtors(ctx, manu, app.ReportQuery{Cursor: "nonsense"}); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("bad cursor: %v", err)
		}
		cr, err := e.app.Creditors(ctx, manu, app.ReportQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if cr.Count != 1 || cr.TotalCents != 5000 || len(cr.Rows) != 1 || cr.Rows[0].Customer.ID != f.carla.ID || cr.Rows[0].CreditCents != 5000 {
			t.Errorf("creditors %+v", cr)
		}
		// A debtors' cursor is not the creditors'.
		page, _ := e.app.Debtors(ctx, manu, app.ReportQuery{Limit: 1})
		if _, err := e.app.Creditors(ctx, manu, app.ReportQuery{Cursor: page.NextCursor}); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("debtors' cursor to creditors: %v", err)
		}

		_, err = e.app.Debtors(ctx, e.as("till"), app.ReportQuery{})
		wantCode(t, "cashier reads debtors", err, domain.CodeForbidden)
		_, err = e.app.Creditors(ctx, e.as("till"), app.ReportQuery{})
		wantCode(t, "cashier reads creditors", err, domain.CodeForbidden)

		// The storage reads only the entries that cover a balance, and pages holders.
		err = e.db.Read(ctx, func(tx app.Tx) error {
			got, err := tx.DebtEntries(ctx, []string{f.gil.ID, f.ana.ID, f.carla.ID, f.dani.ID})
			if err != nil {
				return err
			}
			if len(got[f.gil.ID]) != 3 || len(got[f.ana.ID]) != 3 || len(got[f.carla.ID]) != 0 || len(got[f.dani.ID]) != 0 {
				t.Errorf("debt entries: gil %v ana %v carla %v dani %v", got[f.gil.ID], got[f.ana.ID], got[f.carla.ID], got[f.dani.ID])
			}
			if g := got[f.gil.ID]; len(g) == 3 && !(g[0].Seq > g[1].Seq && g[1].Seq > g[2].Seq) {
				t.Errorf("not newest first: %v", g)
			}
			var names []string
			hf := app.HolderFilter{Side: app.BalanceDebtors, Limit: 3}
			for {
				hs, err := tx.AccountHolders(ctx, hf)
				if err != nil {
					return err
				}
				for _, h := range hs {
					names = append(names, h.Customer.FirstName)
				}
				if len(hs) < hf.Limit {
					break
				}
				hf.AfterBalance, hf.AfterID = hs[len(hs)-1].BalanceCents, hs[len(hs)-1].Customer.ID
			}
			if !slices.Equal(names, []string{"Bea", "Ana", "Gil", "Fede"}) {
				t.Errorf("holders %v", names)
			}
			n, sum, err := tx.HolderTotals(ctx, app.BalanceDebtors)
			if n != 4 || sum != 33700 || err != nil {
				t.Errorf("holder totals %d %d %v", n, sum, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestRegisterBalanceFilter(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		f := newReportFixture(t, e)
		names := func(q app.CustomerQuery) []string {
			t.Helper()
			var out []string
			for {
				page, err := e.app.Customers(ctx, e.as("till"), q)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page.Customers {
					out = append(out, c.FirstName)
				}
				if q.Cursor = page.NextCursor; q.Cursor == "" {
					return out
				}
			}
		}
		for _, tc := range []struct {
			q    app.CustomerQuery
			want []string
		}{
			{app.CustomerQuery{Balance: app.BalanceDebtors}, []string{"Ana", "Bea", "Fede", "Gil"}},
			{app.CustomerQuery{Balance: app.BalanceDebtors, Limit: 1}, []string{"Ana", "Bea", "Fede", "Gil"}},
			{app.CustomerQuery{Balance: app.BalanceCreditors}, []string{"Carla"}},
			{app.CustomerQuery{Balance: app.BalanceDebtors, GroupID: f.group.ID}, []string{"Ana"}},
			{app.CustomerQuery{Balance: app.BalanceCreditors, GroupID: f.group.ID}, []string{"Carla"}},
			{app.CustomerQuery{GroupID: f.group.ID}, []string{"Ana", "Carla"}},
			{app.CustomerQuery{}, []string{"Ana", "Bea", "Carla", "Dani", "Fede", "Gil", "Hugo"}},
			// Searches too.
			{app.CustomerQuery{Q: "ana", Balance: app.BalanceDebtors}, []string{"Ana"}},
			{app.CustomerQuery{Q: "ana", Balance: app.BalanceCreditors}, nil},
			{app.CustomerQuery{Q: "cruz", Balance: app.BalanceCreditors, GroupID: f.group.ID}, []string{"Carla"}},
			{app.CustomerQuery{Q: "dani", Balance: app.BalanceDebtors}, nil},
		} {
			if got := names(tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("%+v: %v, want %v", tc.q, got, tc.want)
			}
		}
		_, err := e.app.Customers(ctx, e.as("till"), app.CustomerQuery{Balance: "owing"})
		if de := wantCode(t, "bad balance", err, domain.CodeInvalid); len(de.Fields) != 1 || de.Fields[0].Field != "balance" {
			t.Errorf("fields %v", de.Fields)
		}
	})
}

func TestStatement(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.clock.now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		f := newReportFixture(t, e)
		// A payment at 23:59 Madrid on 20 February, the last day asked for, is in the period.
		late := reportBook(t, e, f.ana, domain.LedgerPayment, -500, time.Date(2026, 2, 20, 22, 59, 0, 0, time.UTC))
		reportBook(t, e, f.ana, domain.LedgerPayment, -100, time.Date(2026, 2, 20, 23, 0, 0, 0, time.UTC)) // 21 February
		till := e.as("till")

		// From 45 days ago (16 January) to 20 February: the 50 € sale, the 80 € payment, the
		// 30 € sale and the late payment.
		st, err := e.app.Statement(ctx, till, f.ana.ID, "2026-01-16", "2026-02-20")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, le := range st.Entries {
			got = append(got, fmt.Sprintf("%s %d %d", le.Kind, le.AmountCents, le.BalanceCents))
		}
		want := []string{"sale 5000 15000", "payment -8000 7000", "sale 3000 10000", "payment -500 9500"}
		if !slices.Equal(got, want) {
			t.Errorf("entries %q, want %q", got, want)
		}
		if st.OpeningCents != 10000 || st.ClosingCents != 9500 || st.DebitCents != 8000 || st.CreditCents != 8500 {
			t.Errorf("opening %d closing %d debit %d credit %d", st.OpeningCents, st.ClosingCents, st.DebitCents, st.CreditCents)
		}
		if len(st.Entries) > 0 && st.Entries[len(st.Entries)-1].ID != late.ID {
			t.Error("the last day's late entry is not last")
		}
		if st.From.Format(time.RFC3339) != "2026-01-16T00:00:00+01:00" || st.To.Format(time.DateOnly) != "2026-02-20" || st.Customer.ID != f.ana.ID {
			t.Errorf("period %s %s", st.From, st.To)
		}

		// Without dates: the last three months to today.
		st, err = e.app.Statement(ctx, till, f.ana.ID, "", "")
		if err != nil || st.From.Format(time.DateOnly) != "2025-12-02" || st.To.Format(time.DateOnly) != "2026-03-02" {
			t.Fatalf("default period %s–%s %v", st.From, st.To, err)
		}
		if st.OpeningCents != 10000 || st.ClosingCents != 9400 || len(st.Entries) != 5 {
			t.Errorf("default period: %d → %d, %d entries", st.OpeningCents, st.ClosingCents, len(st.Entries))
		}
		// Only from: up to today. Only to: the three months before.
		st, err = e.app.Statement(ctx, till, f.ana.ID, "2026-02-21", "")
		if err != nil || st.To.Format(time.DateOnly) != "2026-03-02" || len(st.Entries) != 1 || st.OpeningCents != 9500 || st.ClosingCents != 9400 {
			t.Errorf("from only: %s %d entries %d → %d %v", st.To, len(st.Entries), st.OpeningCents, st.ClosingCents, err)
		}
		st, err = e.app.Statement(ctx, till, f.ana.ID, "", "2026-01-31")
		if err != nil || st.From.Format(time.DateOnly) != "2025-10-31" || len(st.Entries) != 3 || st.OpeningCents != 0 || st.ClosingCents != 7000 {
			t.Errorf("to only: %s %d entries %d → %d %v", st.From, len(st.Entries), st.OpeningCents, st.ClosingCents, err)
		}
		// A customer without entries: zero to zero.
		st, err = e.app.Statement(ctx, till, f.dani.ID, "2026-03-01", "2026-03-02")
		if err != nil || st.OpeningCents != 0 || st.ClosingCents != 0 || len(st.Entries) != 0 {
			t.Errorf("quiet period %+v %v", st, err)
		}

		_, err = e.app.Statement(ctx, till, f.ana.ID, "2026-02-20", "2026-02-19")
		if de := wantCode(t, "reversed period", err, domain.CodeInvalid); de.Fields[0].Field != "to" {
			t.Errorf("fields %v", de.Fields)
		}
		_, err = e.app.Statement(ctx, till, f.ana.ID, "20/02/2026", "")
		if de := wantCode(t, "bad date", err, domain.CodeInvalid); de.Fields[0].Field != "from" {
			t.Errorf("fields %v", de.Fields)
		}
		_, err = e.app.Statement(ctx, till, uuid.Must(uuid.NewV7()).String(), "", "")
		wantCode(t, "unknown customer", err, domain.CodeNotFound)
		_, err = e.app.Statement(ctx, domain.Principal{}, f.ana.ID, "", "")
		wantCode(t, "nobody", err, domain.CodeUnauthenticated)

		pdf, st, err := e.app.StatementPDF(ctx, till, f.ana.ID, "2026-01-16", "2026-02-20", "es")
		if err != nil || len(pdf) < 1000 || string(pdf[:5]) != "%PDF-" || len(st.Entries) != 4 {
			t.Errorf("PDF: %d bytes, %v", len(pdf), err)
		}
	})
}

// TestSearchOneSide pages through a search of debtors whose matches are mostly not debtors:
// every debtor comes once, in match order, across batches of sifted matches.
func TestSearchOneSide(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		var want []string
		for i := range 450 {
			c := reportCustomer(t, e, fmt.Sprintf("Lote%03d", i), "Tienda", "")
			if i%50 == 7 {
				reportBook(t, e, c, domain.LedgerSale, 100, e.clock.Now())
				want = append(want, c.FirstName)
			}
		}
		var got []string
		q := app.CustomerQuery{Q: "tienda", Balance: app.BalanceDebtors, Limit: 2}
		for pages := 0; ; pages++ {
			page, err := e.app.Customers(ctx, e.as("till"), q)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page.Customers {
				got = append(got, c.FirstName)
			}
			if q.Cursor = page.NextCursor; q.Cursor == "" || pages > 20 {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("debtors found %v, want %v", got, want)
		}
		// The cursor is the sifted search's own.
		page, err := e.app.Customers(ctx, e.as("till"), app.CustomerQuery{Q: "tienda", Balance: app.BalanceDebtors, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.app.Customers(ctx, e.as("till"), app.CustomerQuery{Q: "tienda", Limit: 2, Cursor: page.NextCursor})
		wantCode(t, "a debtors' search cursor for everyone", err, domain.CodeInvalid)
	})
}
