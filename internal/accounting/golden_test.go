package accounting_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/accounting"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

var update = flag.Bool("update", false, "rewrite the golden journals in testdata")

// at is a time in Madrid on 2 March 2026 (CET, UTC+1).
func at(hour, minute int) time.Time {
	return time.Date(2026, 3, 2, hour, minute, 0, 0, verifactu.Madrid()).UTC()
}

var (
	ana = &domain.CustomerSnapshot{ID: "c-ana", Kind: domain.KindPerson, FirstName: "Ana", LastName: "García"}
	// Talleres Ruiz have their own account number, shorter than the plan's 8 digits.
	ruiz = &domain.CustomerSnapshot{ID: "c-ruiz", Kind: domain.KindCompany, CompanyName: "Talleres Ruiz", LegalForm: "S.L.",
		TaxID: "B58378431", AccountNumber: "4301"}
)

// goldenDay is a day of trading: a walk-in sale at two VAT rates paid in cash (with
// change); Ana (no account number, 10 % group discount) pays by card; Talleres Ruiz buy on
// account and later pay part by transfer; Ana returns half of her purchase, refunded on the
// card; Ana leaves a deposit in cash and spends it at 4 %; a manager corrects Talleres
// Ruiz's account; a last sale after midnight UTC is still the 3rd in Madrid.
func goldenDay() (invoices []domain.Invoice, ledger []domain.LedgerEntry) {
	invoices = []domain.Invoice{
		{Number: "F2026-000001", Type: domain.InvoiceSimplified, IssuedAt: at(9, 5),
			VAT: []domain.VATLine{{RateBasisPoints: 2100, BaseCents: 1000, VATCents: 210, TotalCents: 1210},
				{RateBasisPoints: 1000, BaseCents: 136, VATCents: 14, TotalCents: 150}},
			GrossCents: 1360, TotalCents: 1360, VATCents: 224,
			Payments: []domain.Payment{{Method: domain.TenderCash, AmountCents: 1360, TenderedCents: 2000}}, ChangeCents: 640},
		{Number: "F2026-000002", Type: domain.InvoiceSimplified, IssuedAt: at(10, 15), Customer: ana,
			Group:      &domain.GroupSnapshot{ID: "g-vip", Name: "VIP", DiscountBasisPoints: 1000},
			VAT:        []domain.VATLine{{RateBasisPoints: 2100, BaseCents: 3719, VATCents: 781, TotalCents: 4500}},
			GrossCents: 5000, DiscountCents: 500, TotalCents: 4500, VATCents: 781,
			Payments: []domain.Payment{{Method: domain.TenderCard, AmountCents: 4500, TenderedCents: 4500}}},
		{Number: "F2026-000003", Type: domain.InvoiceFull, IssuedAt: at(11, 0), Customer: ruiz,
			VAT:        []domain.VATLine{{RateBasisPoints: 2100, BaseCents: 10000, VATCents: 2100, TotalCents: 12100}},
			GrossCents: 12100, TotalCents: 12100, VATCents: 2100,
			Payments: []domain.Payment{{Method: domain.TenderAccount, AmountCents: 12100, TenderedCents: 12100}}},
		{Number: "FR2026-000001", Type: domain.InvoiceRectifyingSimplified, IssuedAt: at(16, 30), Customer: ana,
			Rectifies:  &domain.InvoiceRef{Number: "F2026-000002", Type: domain.InvoiceSimplified},
			VAT:        []domain.VATLine{{RateBasisPoints: 2100, BaseCents: -1860, VATCents: -390, TotalCents: -2250}},
			GrossCents: -2500, DiscountCents: -250, TotalCents: -2250, VATCents: -390,
			Payments: []domain.Payment{{Method: domain.TenderCard, AmountCents: -2250, TenderedCents: -2250}}},
		{Number: "F2026-000004", Type: domain.InvoiceSimplified, IssuedAt: at(18, 0), Customer: ana,
			VAT:        []domain.VATLine{{RateBasisPoints: 400, BaseCents: 1442, VATCents: 58, TotalCents: 1500}},
			GrossCents: 1500, TotalCents: 1500, VATCents: 58,
			Payments: []domain.Payment{{Method: domain.TenderCredit, AmountCents: 1500, TenderedCents: 1500}}},
		{Number: "F2026-000005", Type: domain.InvoiceSimplified, IssuedAt: at(0, 30).Add(24 * time.Hour),
			VAT:        []domain.VATLine{{RateBasisPoints: 0, BaseCents: 800, TotalCents: 800}},
			GrossCents: 800, TotalCents: 800,
			Payments: []domain.Payment{{Method: domain.TenderCard, AmountCents: 800, TenderedCents: 800}}},
	}
	ledger = []domain.LedgerEntry{
		{Seq: 1, CustomerID: "c-ruiz", CustomerName: "Talleres Ruiz S.L.", AccountNumber: "4301", Kind: domain.LedgerSale,
			AmountCents: 12100, InvoiceNumber: "F2026-000003", CreatedAt: at(11, 0)},
		{Seq: 2, CustomerID: "c-ruiz", CustomerName: "Talleres Ruiz S.L.", AccountNumber: "4301", Kind: domain.LedgerPayment,
			AmountCents: -5000, Method: domain.TenderTransfer, CreatedAt: at(12, 45)},
		{Seq: 3, CustomerID: "c-ana", CustomerName: "Ana García", Kind: domain.LedgerDeposit,
			AmountCents: -2000, Method: domain.TenderCash, CreatedAt: at(17, 0)},
		{Seq: 4, CustomerID: "c-ana", CustomerName: "Ana García", Kind: domain.LedgerCreditUse,
			AmountCents: 1500, InvoiceNumber: "F2026-000004", CreatedAt: at(18, 0)},
		{Seq: 5, CustomerID: "c-ruiz", CustomerName: "Talleres Ruiz S.L.", AccountNumber: "4301", Kind: domain.LedgerAdjustment,
			AmountCents: -300, Reason: "Redondeo de factura", CreatedAt: at(19, 0)},
	}
	return invoices, ledger
}

// build runs the day through a builder in chronological order (invoices first at equal
// times, as the export merges them) into w.
func build(t testing.TB, invoices []domain.Invoice, ledger []domain.LedgerEntry, w accounting.Writer) *accounting.Builder {
	t.Helper()
	b := accounting.NewBuilder(domain.DefaultAccountPlan(domain.DefaultVATRates), verifactu.Madrid(), accounting.SpanishLabels())
	i, j := 0, 0
	for i < len(invoices) || j < len(ledger) {
		var err error
		if j == len(ledger) || i < len(invoices) && !invoices[i].IssuedAt.After(ledger[j].CreatedAt) {
			err = b.Invoice(&invoices[i], w.WriteEntry)
			i++
		} else {
			err = b.Ledger(&ledger[j], w.WriteEntry)
			j++
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGoldenJournal(t *testing.T) {
	invoices, ledger := goldenDay()
	for _, tc := range []struct {
		file string
		w    func(*bytes.Buffer) accounting.Writer
	}{
		{"golden.csv", func(b *bytes.Buffer) accounting.Writer { return accounting.NewCSVWriter(b) }},
		{"golden.fec.txt", func(b *bytes.Buffer) accounting.Writer {
			return accounting.NewFECWriter(b, accounting.SpanishLabels().JournalNames)
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			build(t, invoices, ledger, tc.w(&buf))
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, wantLines := strings.Split(buf.String(), "\r\n"), strings.Split(string(want), "\r\n")
			for i := range max(len(got), len(wantLines)) {
				var g, w string
				if i < len(got) {
					g = got[i]
				}
				if i < len(wantLines) {
					w = wantLines[i]
				}
				if g != w {
					t.Errorf("line %d:\n got %q\nwant %q", i+1, g, w)
				}
			}
		})
	}
}
