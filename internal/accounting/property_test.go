package accounting_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/accounting"
	"github.com/clientela/clientela/internal/domain"
)

// tradingDays makes days of random trading: sales with and without customers at the shop's
// rates, paid in cash, by card, on account and with credit (the ledger gets the sales on
// account and uses of credit), returns refunded the way they were paid, payments on account,
// deposits and adjustments. It returns the invoices and the ledger in chronological order.
func tradingDays(r *rand.Rand, days int) ([]domain.Invoice, []domain.LedgerEntry) {
	type customer struct {
		id, name, account string
		balance           int64
	}
	customers := []*customer{{id: "c1", name: "Ana García"}, {id: "c2", name: "Talleres Ruiz S.L.", account: "4301"},
		{id: "c3", name: "Bar Sol", account: "43000123"}, {id: "c4", name: "Luis Pérez"}}
	rates := domain.DefaultVATRates
	var invoices []domain.Invoice
	var ledger []domain.LedgerEntry
	now := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	post := func(c *customer, kind domain.LedgerKind, amount int64, method domain.TenderMethod) {
		c.balance += amount
		ledger = append(ledger, domain.LedgerEntry{Seq: int64(len(ledger) + 1), CustomerID: c.id, CustomerName: c.name,
			AccountNumber: c.account, Kind: kind, AmountCents: amount, BalanceCents: c.balance, Method: method, CreatedAt: now})
	}
	n := 0
	for range days {
		for range 5 + r.IntN(30) {
			now = now.Add(time.Duration(1+r.IntN(40)) * time.Minute)
			var c *customer
			if r.IntN(3) > 0 {
				c = customers[r.IntN(len(customers))]
			}
			switch k := r.IntN(10); {
			case k < 6 || c == nil: // a sale
				inv := domain.Invoice{Type: domain.InvoiceSimplified, IssuedAt: now}
				for _, rate := range rates {
					if r.IntN(2) == 0 {
						continue
					}
					total := int64(1 + r.IntN(20000))
					base := total * 10000 / (10000 + rate)
					inv.VAT = append(inv.VAT, domain.VATLine{RateBasisPoints: rate, BaseCents: base, VATCents: total - base, TotalCents: total})
					inv.TotalCents += total
					inv.VATCents += total - base
				}
				if c != nil {
					inv.Customer = &domain.CustomerSnapshot{ID: c.id, Kind: domain.KindCompany, CompanyName: c.name, AccountNumber: c.account}
				}
				left := inv.TotalCents
				for left > 0 {
					m := []domain.TenderMethod{domain.TenderCash, domain.TenderCard, domain.TenderAccount, domain.TenderCredit}[r.IntN(4)]
					part := left
					if r.IntN(2) == 0 {
						part = 1 + r.Int64N(left)
					}
					if m.OnAccount() && c == nil {
						m = domain.TenderCard
					}
					if m == domain.TenderCredit {
						part = min(part, max(0, -c.balance))
						if part == 0 {
							m, part = domain.TenderCash, left
						}
					}
					inv.Payments = append(inv.Payments, domain.Payment{Method: m, AmountCents: part, TenderedCents: part})
					left -= part
					switch m {
					case domain.TenderAccount:
						post(c, domain.LedgerSale, part, "")
					case domain.TenderCredit:
						post(c, domain.LedgerCreditUse, part, "")
					}
				}
				n++
				inv.Number = fmt.Sprintf("F2026-%06d", n)
				invoices = append(invoices, inv)
			case k == 6 && len(invoices) > 0: // return a whole earlier invoice, refunded as paid
				orig := invoices[r.IntN(len(invoices))]
				if orig.Type.Rectifying() {
					continue
				}
				inv := domain.Invoice{Type: domain.InvoiceRectifyingSimplified, IssuedAt: now, Customer: orig.Customer,
					TotalCents: -orig.TotalCents, VATCents: -orig.VATCents}
				for _, v := range orig.VAT {
					inv.VAT = append(inv.VAT, domain.VATLine{RateBasisPoints: v.RateBasisPoints, BaseCents: -v.BaseCents, VATCents: -v.VATCents, TotalCents: -v.TotalCents})
				}
				for _, p := range orig.Payments {
					inv.Payments = append(inv.Payments, domain.Payment{Method: p.Method, AmountCents: -p.AmountCents, TenderedCents: -p.AmountCents})
					if p.Method.OnAccount() {
						for _, oc := range customers {
							if oc.id == orig.Customer.ID {
								post(oc, domain.LedgerCreditNote, -p.AmountCents, "")
							}
						}
					}
				}
				n++
				inv.Number = fmt.Sprintf("FR2026-%06d", n)
				invoices = append(invoices, inv)
			case k == 7:
				post(c, domain.LedgerPayment, -int64(1+r.IntN(10000)), domain.AccountPaymentMethods[r.IntN(3)])
			case k == 8:
				post(c, domain.LedgerDeposit, -int64(1+r.IntN(10000)), domain.AccountPaymentMethods[r.IntN(3)])
			default:
				post(c, domain.LedgerAdjustment, int64(r.IntN(2001)-1000)|1, "")
			}
		}
		now = now.Add(14 * time.Hour)
	}
	return invoices, ledger
}

// collect keeps copies of the entries built.
type collect struct{ entries []accounting.Entry }

func (c *collect) WriteEntry(e *accounting.Entry) error {
	cp := *e
	cp.Lines = append([]accounting.Line(nil), e.Lines...)
	c.entries = append(c.entries, cp)
	return nil
}
func (c *collect) Flush() error { return nil }

// TestJournalProperties: over random days of trading, every entry is balanced with no
// negative amounts, numbers run 1, 2, 3…, and for every customer the journal's net debit on
// what they owe and hold (their receivable account and the customer-credit liability lines
// of their movements) equals the change of their ledger balance.
func TestJournalProperties(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		invoices, ledger := tradingDays(r, 1+r.IntN(4))
		var c collect
		build(t, invoices, ledger, &c)
		moved := map[string]int64{}
		for i, e := range c.entries {
			if e.Number != int64(i+1) {
				t.Fatalf("seed %d: entry %d numbered %d", seed, i+1, e.Number)
			}
			if !e.Balanced() || len(e.Lines) < 2 {
				t.Fatalf("seed %d: entry %d not balanced: %+v", seed, e.Number, e)
			}
			for _, l := range e.Lines {
				if l.DebitCents < 0 || l.CreditCents < 0 || (l.DebitCents == 0) == (l.CreditCents == 0) {
					t.Fatalf("seed %d: entry %d has a bad line %+v", seed, e.Number, l)
				}
				if l.CustomerID != "" {
					moved[l.CustomerID] += l.DebitCents - l.CreditCents
				}
			}
		}
		balances := map[string]int64{}
		for _, le := range ledger {
			balances[le.CustomerID] += le.AmountCents
		}
		for id, b := range balances {
			if moved[id] != b {
				t.Errorf("seed %d: customer %s: journal moves %d, ledger balance changed by %d", seed, id, moved[id], b)
			}
		}
		var fec bytes.Buffer
		build(t, invoices, ledger, accounting.NewFECWriter(&fec, accounting.SpanishLabels().JournalNames))
		checkFEC(t, fec.String())
	}
}

// TestFECRules checks the golden day's FEC against the format's rules.
func TestFECRules(t *testing.T) {
	invoices, ledger := goldenDay()
	var fec bytes.Buffer
	build(t, invoices, ledger, accounting.NewFECWriter(&fec, accounting.SpanishLabels().JournalNames))
	checkFEC(t, fec.String())
}

var (
	fecDate   = regexp.MustCompile(`^\d{8}$`)
	fecAmount = regexp.MustCompile(`^\d+,\d{2}$`)
)

// checkFEC checks a FEC: the 18 named columns, tab separated; dates AAAAMMJJ that are real
// days; amounts with a decimal comma and no thousands separator; entry numbers continuous
// from 1 in date order; every entry balanced.
func checkFEC(t *testing.T, text string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
	if lines[0] != strings.Join(accounting.FECHeader, "\t") || len(accounting.FECHeader) != 18 {
		t.Fatalf("FEC header %q", lines[0])
	}
	want := "JournalCode JournalLib EcritureNum EcritureDate CompteNum CompteLib CompAuxNum CompAuxLib PieceRef PieceDate EcritureLib Debit Credit EcritureLet DateLet ValidDate Montantdevise Idevise"
	if strings.Join(accounting.FECHeader, " ") != want {
		t.Fatalf("FEC columns %v", accounting.FECHeader)
	}
	var num int64
	var lastDate string
	var debit, credit int64
	cents := func(s string) int64 {
		n, _ := strconv.ParseInt(strings.Replace(s, ",", "", 1), 10, 64)
		return n
	}
	closeEntry := func() {
		if num > 0 && debit != credit {
			t.Errorf("FEC entry %d: debit %d, credit %d", num, debit, credit)
		}
		debit, credit = 0, 0
	}
	for i, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != 18 {
			t.Fatalf("FEC line %d has %d columns", i+2, len(f))
		}
		for _, d := range []string{f[3], f[9], f[15]} {
			if _, err := time.Parse("20060102", d); err != nil || !fecDate.MatchString(d) {
				t.Fatalf("FEC line %d: date %q", i+2, d)
			}
		}
		if !fecAmount.MatchString(f[11]) || !fecAmount.MatchString(f[12]) {
			t.Fatalf("FEC line %d: amounts %q %q", i+2, f[11], f[12])
		}
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			t.Fatalf("FEC line %d: EcritureNum %q", i+2, f[2])
		}
		if n != num {
			if n != num+1 {
				t.Fatalf("FEC line %d: EcritureNum %d after %d", i+2, n, num)
			}
			closeEntry()
			num = n
		}
		if f[3] < lastDate {
			t.Fatalf("FEC line %d: date %s before %s", i+2, f[3], lastDate)
		}
		lastDate = f[3]
		if f[0] == "" || f[4] == "" || f[5] == "" || f[8] == "" || f[10] == "" {
			t.Fatalf("FEC line %d: a required field is empty: %q", i+2, line)
		}
		debit += cents(f[11])
		credit += cents(f[12])
	}
	closeEntry()
}
