package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// dayOfTrading closes three tickets on 2 March 2026 (a walk-in at two rates in cash, Ruiz
// — own account 4301 — by card, a walk-in by card just after midnight in Madrid on the 3rd)
// and posts a payment on account and a sale on account (which the journal leaves to its
// invoice) to Ruiz's ledger.
func (e *env) dayOfTrading(t *testing.T) domain.Customer {
	t.Helper()
	ctx := context.Background()
	e.setUpShop(t)
	manu, till := e.as("manu"), e.as("till")
	ruiz, err := e.app.CreateCustomer(ctx, manu, domain.CustomerChanges{Kind: domain.Some(domain.KindCompany),
		CompanyName: domain.Some("Talleres Ruiz"), AccountNumber: domain.Some("4301")})
	if err != nil {
		t.Fatal(err)
	}
	tk := e.ticketWith(t, till, line("Vino", 1000, 1210, 2100), line("Café", 1000, 150, 1000))
	if _, err := e.app.CloseTicket(ctx, till, tk.ID, cash(2000), ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	tk = e.ticketWith(t, till, line("Aceite", 2000, 1210, 2100))
	if _, err := e.app.AttachCustomer(ctx, till, tk.ID, app.CustomerChoice{CustomerID: ruiz.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.CloseTicket(ctx, till, tk.ID, []domain.Tender{{Method: domain.TenderCard, AmountCents: 2420}}, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	post := func(kind domain.LedgerKind, amount int64, method domain.TenderMethod) {
		err := e.db.Write(ctx, func(tx app.Tx) error {
			return tx.PostLedgerEntry(ctx, &domain.LedgerEntry{ID: uuid.NewString(),
				CustomerID: ruiz.ID, CustomerName: "Talleres Ruiz", AccountNumber: "4301", Kind: kind, AmountCents: amount,
				Method: method, UserID: "u", Username: "manu", CreatedAt: e.clock.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	post(domain.LedgerSale, 5000, "")
	post(domain.LedgerPayment, -3000, domain.TenderTransfer)
	e.clock.Advance(14 * time.Hour) // 2026-03-03 00:00 UTC: 01:00 in Madrid
	tk = e.ticketWith(t, till, line("Pan", 1000, 120, 400))
	if _, err := e.app.CloseTicket(ctx, till, tk.ID, []domain.Tender{{Method: domain.TenderCard, AmountCents: 120}}, ""); err != nil {
		t.Fatal(err)
	}
	return ruiz
}

func exportCSV(t *testing.T, e *env, p domain.Principal, q app.AccountingQuery) (string, [][]string, app.ExportSummary) {
	t.Helper()
	var buf bytes.Buffer
	var name string
	sum, err := e.app.ExportAccounting(context.Background(), p, q, func(n string) (io.Writer, error) {
		name = n
		return &buf, nil
	}, nil)
	if err != nil {
		t.Fatalf("export %+v: %v", q, err)
	}
	if q.Format != app.FormatCSV {
		return name, nil, sum
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return name, rows, sum
}

func TestExportAccounting(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		manu, till, boss := e.as("manu"), e.as("till"), e.as("boss")
		e.dayOfTrading(t)

		name, rows, sum := exportCSV(t, e, manu, app.AccountingQuery{From: "2026-03-02", To: "2026-03-02", Format: "csv"})
		if name != "diario-2026-03-02-2026-03-02.csv" || sum.Invoices != 2 || sum.LedgerEntries != 1 || sum.Entries != 5 {
			t.Fatalf("export of the 2nd: %q %+v", name, sum)
		}
		if strings.Join(rows[0], ",") != "date,entry,account,account_label,document,label,debit,credit" {
			t.Fatalf("header %v", rows[0])
		}
		var got []string
		for _, r := range rows[1:] {
			got = append(got, strings.Join([]string{r[1], r[2], r[6], r[7]}, " "))
		}
		want := []string{
			"1 43000000 13.60 0.00", "1 70000021 0.00 10.00", "1 47700021 0.00 2.10", "1 70000010 0.00 1.36", "1 47700010 0.00 0.14",
			"2 57000000 13.60 0.00", "2 43000000 0.00 13.60",
			"3 43000001 24.20 0.00", "3 70000021 0.00 20.00", "3 47700021 0.00 4.20",
			"4 57200000 24.20 0.00", "4 43000001 0.00 24.20",
			"5 57200000 30.00 0.00", "5 43000001 0.00 30.00",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("journal of the 2nd:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if rows[8][3] != "Talleres Ruiz" || rows[1][0] != "2026-03-02" {
			t.Errorf("row %v / %v", rows[8], rows[1])
		}

		// The sale after midnight in Madrid is the 3rd's; the FEC is named after the shop's
		// tax id and the closing day.
		name, _, sum = exportCSV(t, e, manu, app.AccountingQuery{From: "2026-03-03", To: "2026-03-03", Format: "fec"})
		if name != "B58378431FEC20260303.txt" || sum.Invoices != 1 || sum.LedgerEntries != 0 || sum.Entries != 2 {
			t.Fatalf("export of the 3rd: %q %+v", name, sum)
		}
		_, rows, _ = exportCSV(t, e, manu, app.AccountingQuery{From: "2026-01-01", To: "2026-01-31", Format: "csv"})
		if len(rows) != 1 {
			t.Fatalf("an empty month: %v", rows)
		}

		// The totals of the page: Σ per account, debit = credit.
		tot, err := e.app.AccountingTotals(ctx, manu, app.AccountingQuery{From: "2026-03-01", To: "2026-03-31"})
		if err != nil || tot.Invoices != 3 || tot.Entries != 7 || tot.DebitCents != tot.CreditCents || len(tot.Accounts) != 10 {
			t.Fatalf("totals %+v %v", tot, err)
		}

		// Cashiers do not export; bad queries change nothing.
		_, err = e.app.ExportAccounting(ctx, till, app.AccountingQuery{From: "2026-03-02", To: "2026-03-02", Format: "csv"},
			func(string) (io.Writer, error) { return io.Discard, nil }, nil)
		wantCode(t, "cashier export", err, domain.CodeForbidden)
		opened := false
		_, err = e.app.ExportAccounting(ctx, manu, app.AccountingQuery{From: "2026-03-05", To: "2026-03-02", Format: "xls"},
			func(string) (io.Writer, error) { opened = true; return io.Discard, nil }, nil)
		if de := wantCode(t, "bad query", err, domain.CodeInvalid); len(de.Fields) != 2 || opened {
			t.Fatalf("fields %+v (opened %v)", de.Fields, opened)
		}

		// Each export is audited with its period, format and counts.
		page, err := e.app.AuditLog(ctx, boss, app.AuditQuery{EntityType: "export"})
		if err != nil || len(page.Entries) != 3 {
			t.Fatalf("audit %+v %v", page, err)
		}
		if d := page.Entries[2].Details; page.Entries[2].Action != domain.ActionExportAccounting || d["from"] != "2026-03-02" ||
			d["format"] != "csv" || d["entries"] != float64(5) && d["entries"] != int64(5) {
			t.Fatalf("audit entry %+v", page.Entries[2])
		}
	})
}

// TestExportsAreBounded: with one export slot, a second export waits while the first runs,
// then is refused as busy.
func TestExportsAreBounded(t *testing.T) {
	eachBackend(t, app.Config{MaxExports: 1}, func(t *testing.T, e *env) {
		ctx := context.Background()
		manu := e.as("manu")
		e.setUpShop(t)
		started, finish := make(chan struct{}), make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.app.ExportAccounting(ctx, manu, app.AccountingQuery{From: "2026-03-02", To: "2026-03-02", Format: "csv"},
				func(string) (io.Writer, error) { close(started); <-finish; return io.Discard, nil }, nil)
			if err != nil {
				t.Error(err)
			}
		}()
		<-started
		_, err := e.app.AccountingTotals(ctx, manu, app.AccountingQuery{From: "2026-03-02", To: "2026-03-02"})
		wantCode(t, "second export", err, domain.CodeBusy)
		close(finish)
		wg.Wait()
		if _, err := e.app.AccountingTotals(ctx, manu, app.AccountingQuery{From: "2026-03-02", To: "2026-03-02"}); err != nil {
			t.Fatalf("after the first: %v", err)
		}
	})
}

func TestAccountPlan(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss, manu := e.as("boss"), e.as("manu")
		plan, err := e.app.AccountPlan(ctx, boss)
		if err != nil || plan.Version != 0 || plan.DefaultCustomer.Number != "43000000" || plan.SalesAccount(2100).Number != "70000021" {
			t.Fatalf("default plan %+v %v", plan, err)
		}
		_, err = e.app.AccountPlan(ctx, manu)
		wantCode(t, "manager reads the plan", err, domain.CodeForbidden)

		ch := domain.AccountPlanChanges{DefaultCustomer: domain.Some(domain.PlanAccount{Number: "43099999", Label: "Varios"})}
		plan, err = e.app.UpdateAccountPlan(ctx, boss, domain.IfVersion(0), ch)
		if err != nil || plan.Version != 1 || plan.DefaultCustomer.Label != "Varios" {
			t.Fatalf("update %+v %v", plan, err)
		}
		_, err = e.app.UpdateAccountPlan(ctx, boss, domain.IfVersion(0), ch)
		wantCode(t, "stale version", err, domain.CodePreconditionFailed)
		_, err = e.app.UpdateAccountPlan(ctx, boss, domain.IfAnyVersion(), domain.AccountPlanChanges{Length: domain.Some(10)})
		if de := wantCode(t, "length without accounts", err, domain.CodeInvalid); de.Fields[0].Code != domain.FieldAccountLength {
			t.Fatalf("fields %+v", de.Fields)
		}

		// The export uses the plan saved.
		e.dayOfTrading(t)
		_, rows, _ := exportCSV(t, e, manu, app.AccountingQuery{From: "2026-03-02", To: "2026-03-02", Format: "csv"})
		if rows[1][2] != "43099999" || rows[1][3] != "Varios" {
			t.Fatalf("first line %v", rows[1])
		}
		page, err := e.app.AuditLog(ctx, boss, app.AuditQuery{EntityType: "settings"})
		if err != nil || len(page.Entries) == 0 || page.Entries[len(page.Entries)-1].Action == "" {
			t.Fatalf("audit %+v %v", page, err)
		}
		found := false
		for _, a := range page.Entries {
			found = found || a.Action == domain.ActionAccountPlanUpdate && a.EntityID == app.SettingAccountPlan
		}
		if !found {
			t.Fatalf("no audit of the plan: %+v", page.Entries)
		}
	})
}

// TestExportPagesThroughTies: more invoices than a batch, most of them issued at the same
// instant, and ledger movements between them: every invoice is exported once, in the
// order (issued at, storage order), and the movements fall in their place.
func TestExportPagesThroughTies(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.setUpShop(t)
		const n = 2345
		base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		atOf := func(i int) time.Time { // runs of 1,200 invoices at one instant
			return base.Add(time.Duration(i/1200) * time.Minute)
		}
		raw, rebind := e.db.SQL(), e.db.Rebind
		for start := 0; start < n; start += 100 {
			var inv, vat, pay []any
			k := min(100, n-start)
			for i := start; i < start+k; i++ {
				id := fmt.Sprintf("01900000-0000-7000-8000-%012x", i)
				inv = append(inv, id, fmt.Sprintf("F2026-%06d", i+1), 2026, i+1, atOf(i).UnixMicro(), i+1, int64(121))
				vat = append(vat, id, int64(2100), int64(100), int64(21), int64(121))
				pay = append(pay, id, 1, "card", int64(121), int64(121))
			}
			rows := func(cols string, m int) string {
				return strings.TrimSuffix(strings.Repeat("("+cols+"),", m), ",")
			}
			q := `INSERT INTO invoices (id, number, series, year, number_in_series, type, issued_at, ticket_id, user_id, username,
				issuer_name, issuer_tax_id, issuer_line1, issuer_line2, issuer_postal_code, issuer_city, issuer_region, issuer_country,
				customer_kind, customer_title, customer_first_name, customer_last_name, customer_company_name, customer_legal_form,
				customer_tax_id, customer_line1, customer_line2, customer_postal_code, customer_city, customer_region, customer_country,
				customer_email, customer_reference, customer_account_number, customer_name_key, group_id, group_name, group_discount_basis_points,
				gross_cents, discount_cents, total_cents, vat_cents, change_cents, chain_position,
				rec_id_emisor_factura, rec_num_serie_factura, rec_fecha_expedicion, rec_tipo_factura, rec_cuota_total, rec_importe_total,
				rec_huella, rec_fecha_hora_huso, fingerprint) VALUES ` +
				rows("?, ?, 'F', ?, ?, 'F2', ?, '', 'u', 'u', 'S', 'B58378431', '', '', '', '', '', 'ES', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 0, 121, 0, 121, 21, 0, ?, '', '', '', 'F2', '', '', '', '', ''", k)
			args := make([]any, 0, len(inv))
			for i := 0; i < len(inv); i += 7 {
				args = append(args, inv[i], inv[i+1], inv[i+2], inv[i+3], inv[i+4], inv[i+5])
			}
			if e.db.Backend() == "postgres" {
				for i := 4; i < len(args); i += 6 {
					args[i] = time.UnixMicro(args[i].(int64)).UTC()
				}
			}
			if _, err := raw.ExecContext(ctx, rebind(q), args...); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.ExecContext(ctx, rebind("INSERT INTO invoice_vat (invoice_id, rate_basis_points, base_cents, vat_cents, total_cents) VALUES "+rows("?, ?, ?, ?, ?", k)), vat...); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.ExecContext(ctx, rebind("INSERT INTO invoice_payments (invoice_id, position, method, amount_cents, tendered_cents) VALUES "+rows("?, ?, ?, ?, ?", k)), pay...); err != nil {
				t.Fatal(err)
			}
		}
		// A payment on account at the first instant (after its invoices) and one between the runs.
		for _, at := range []time.Time{base, base.Add(30 * time.Second)} {
			err := e.db.Write(ctx, func(tx app.Tx) error {
				return tx.PostLedgerEntry(ctx, &domain.LedgerEntry{ID: uuid.NewString(), CustomerID: uuid.NewString(), CustomerName: "Ana",
					Kind: domain.LedgerPayment, AmountCents: -500, Method: domain.TenderCash, UserID: "u", Username: "u", CreatedAt: at})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		_, rows, sum := exportCSV(t, e, e.as("manu"), app.AccountingQuery{From: "2026-03-02", To: "2026-03-02", Format: "csv"})
		if sum.Invoices != n || sum.LedgerEntries != 2 || sum.Entries != 2*n+2 {
			t.Fatalf("summary %+v", sum)
		}
		var docs []string
		for _, r := range rows[1:] {
			if len(docs) == 0 || docs[len(docs)-1] != r[4] {
				docs = append(docs, r[4])
			}
		}
		want := make([]string, 0, n+2)
		for i := range n {
			want = append(want, fmt.Sprintf("F2026-%06d", i+1))
			if i == 1199 {
				want = append(want, "L1", "L2")
			}
		}
		if strings.Join(docs, " ") != strings.Join(want, " ") {
			t.Fatalf("documents out of order or missing: got %d, want %d; first difference near %v", len(docs), len(want), firstDiff(docs, want))
		}
	})
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%d: %s vs %s", i, a[i], b[i])
		}
	}
	return "the end"
}

// TestExportMatchesTheLedger: a day of the real use cases — sales on account (within a
// raised limit) and with credit, split tenders, payments on account, a deposit, an
// adjustment, a return refunded to the account — then the export: for each customer, the
// journal's net debit on their receivable account and their credit-liability lines equals
// their ledger balance, and every entry balances.
func TestExportMatchesTheLedger(t *testing.T) {
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.setUpShop(t)
		manu, till := e.as("manu"), e.as("till")
		mk := func(name, account string) domain.Customer {
			c, err := e.app.CreateCustomer(ctx, manu, domain.CustomerChanges{Kind: domain.Some(domain.KindCompany),
				CompanyName: domain.Some(name), AccountNumber: domain.Some(account), CreditLimitCents: domain.Some(int64(100000))})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		ruiz, sol := mk("Talleres Ruiz", "4301"), mk("Bar Sol", "")
		sale := func(c domain.Customer, tenders ...domain.Tender) domain.Invoice {
			tk := e.ticketWith(t, till, line("Aceite", 2000, 1210, 2100), line("Pan", 1000, 104, 400))
			if _, err := e.app.AttachCustomer(ctx, till, tk.ID, app.CustomerChoice{CustomerID: c.ID}); err != nil {
				t.Fatal(err)
			}
			inv, err := e.app.CloseTicket(ctx, till, tk.ID, tenders, "")
			if err != nil {
				t.Fatalf("close %+v: %v", tenders, err)
			}
			e.clock.Advance(time.Minute)
			return inv
		}
		move := func(c domain.Customer, m domain.AccountMovement) {
			if _, err := e.app.PostAccountMovement(ctx, manu, c.ID, m, ""); err != nil {
				t.Fatalf("%+v: %v", m, err)
			}
			e.clock.Advance(time.Minute)
		}
		// 2,524 each sale.
		onAccount := sale(ruiz, domain.Tender{Method: domain.TenderAccount, AmountCents: 2524})
		sale(ruiz, domain.Tender{Method: domain.TenderAccount, AmountCents: 1000}, domain.Tender{Method: domain.TenderCash, AmountCents: 2000})
		move(ruiz, domain.AccountMovement{Kind: domain.LedgerPayment, AmountCents: 3000, Method: domain.TenderTransfer})
		move(sol, domain.AccountMovement{Kind: domain.LedgerDeposit, AmountCents: 5000, Method: domain.TenderCash})
		sale(sol, domain.Tender{Method: domain.TenderCredit, AmountCents: 2000}, domain.Tender{Method: domain.TenderCard, AmountCents: 524})
		move(sol, domain.AccountMovement{Kind: domain.LedgerAdjustment, AmountCents: -150, Reason: "Redondeo"})
		if _, err := e.app.RectifyInvoice(ctx, manu, onAccount.ID, app.RectifyRequest{RefundMethod: domain.TenderAccount}, ""); err != nil {
			t.Fatalf("return to the account: %v", err)
		}
		sale(ruiz, domain.Tender{Method: domain.TenderCard, AmountCents: 2524})

		var c collectEntries
		var buf bytes.Buffer
		sum, err := e.app.ExportAccounting(ctx, manu, app.AccountingQuery{From: "2026-03-02", To: "2026-03-02", Format: "csv"},
			func(string) (io.Writer, error) { return &buf, nil }, nil)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		c.rows = rows[1:]
		if sum.DebitCents != sum.CreditCents || sum.Invoices != 5 || sum.LedgerEntries != 3 {
			t.Fatalf("summary %+v", sum)
		}
		// The receivable accounts: Ruiz's own (43000001) and the default (Bar Sol); the
		// customer-credit liability (43800000) is all Bar Sol's here.
		net := c.net()
		for _, cu := range []domain.Customer{ruiz, sol} {
			acct, err := e.app.Account(ctx, manu, cu.ID, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			var got int64
			if cu.ID == ruiz.ID {
				got = net["43000001"]
			} else {
				got = net["43000000"] + net["43800000"]
			}
			if got != acct.Account.BalanceCents {
				t.Errorf("%s: journal moves %d, ledger balance %d\n%v", cu.DisplayName(), got, acct.Account.BalanceCents, rows)
			}
		}
	})
}

type collectEntries struct{ rows [][]string }

// net sums debit − credit per account, in cents.
func (c collectEntries) net() map[string]int64 {
	out := map[string]int64{}
	cents := func(s string) int64 {
		whole, frac, _ := strings.Cut(s, ".")
		w, _ := strconv.ParseInt(whole, 10, 64)
		f, _ := strconv.ParseInt(frac, 10, 64)
		return w*100 + f
	}
	for _, r := range c.rows {
		out[r[2]] += cents(r[6]) - cents(r[7])
	}
	return out
}
