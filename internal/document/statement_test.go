package document

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func sampleStatement() Statement {
	inv := sampleInvoice()
	madrid := time.FixedZone("CET", 3600)
	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, madrid) }
	return Statement{
		Shop: inv.Shop, Customer: *inv.Customer, AccountNumber: "43000123",
		From: day(9, 1, 0), To: day(11, 30, 0), PrintedAt: day(11, 30, 18),
		OpeningCents: 12000, ClosingCents: 3450, DebitCents: 4450, CreditCents: 13000,
		Entries: []StatementEntry{
			{At: day(9, 3, 10), Kind: "sale", Document: "F2026-000101", AmountCents: 2450, BalanceCents: 14450},
			{At: day(9, 20, 12), Kind: "payment", Method: "transfer", AmountCents: -10000, BalanceCents: 4450},
			{At: day(10, 2, 9), Kind: "adjustment", Reason: "Redondeo acordado con el cliente", AmountCents: -1000, BalanceCents: 3450},
			{At: day(11, 5, 17), Kind: "sale", Document: "F2026-000222", AmountCents: 2000, BalanceCents: 5450},
			{At: day(11, 6, 11), Kind: "payment", Method: "cash", AmountCents: -2000, BalanceCents: 3450},
		},
	}
}

func TestStatementPDFReadsBack(t *testing.T) {
	data, err := StatementPDF(sampleStatement(), Spanish)
	if err != nil {
		t.Fatal(err)
	}
	_, pages, fonts := readInvoicePDF(t, data)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	text := pageText(pages[0])
	for _, want := range []string{
		"Ultramarinos Peña & Hijos", "NIF B58378431", "Calle de la Cañada 12", "28001 Madrid",
		"Extracto de cuenta", "Periodo: 01/09/2026 – 30/11/2026", "Fecha de emisión: 30/11/2026", "Cuenta contable: 43000123",
		"CLIENTE", "Sr. José Núñez Ibáñez", "NIF 12345678Z", "Avenida de Andalucía 7, 3º B", "41001 Sevilla",
		"Fecha Concepto Documento Cargo Abono Saldo",
		"01/09/2026 Saldo inicial 120,00 €",
		"03/09/2026 Venta a cuenta F2026-000101 24,50 € 144,50 €",
		"20/09/2026 Pago (transferencia) 100,00 € 44,50 €",
		"02/10/2026 Ajuste: Redondeo acordado con el cliente 10,00 € 34,50 €",
		"06/11/2026 Pago (efectivo) 20,00 € 34,50 €",
		"Total del periodo 44,50 € 130,00 €",
		"30/11/2026 SALDO FINAL · A su cargo 34,50 €",
		"Página 1/1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page text lacks %q; it reads:\n%s", want, text)
		}
	}
	if len(fonts) != 2 {
		t.Errorf("%d fonts", len(fonts))
	}
	checkGlyphs(t, pages)
}

func TestStatementPDFEnglishManyEntriesAndCredit(t *testing.T) {
	st := sampleStatement()
	st.Entries = nil
	bal := st.OpeningCents
	for i := range 120 {
		bal -= 100
		st.Entries = append(st.Entries, StatementEntry{At: st.From.Add(time.Duration(i) * time.Hour), Kind: "deposit", Method: "card",
			AmountCents: -100, BalanceCents: bal})
	}
	st.ClosingCents, st.AccountNumber = bal, ""
	data, err := StatementPDF(st, English)
	if err != nil {
		t.Fatal(err)
	}
	_, pages, _ := readInvoicePDF(t, data)
	if len(pages) < 3 {
		t.Fatalf("%d pages for 120 rows", len(pages))
	}
	all := ""
	for i, p := range pages {
		text := pageText(p)
		all += text + "\n"
		if !strings.Contains(text, "Date Description Document Debit Credit Balance") {
			t.Errorf("page %d has no table header", i+1)
		}
		if !strings.Contains(text, fmt.Sprintf("Page %d/%d", i+1, len(pages))) {
			t.Errorf("page %d has no page number", i+1)
		}
	}
	for _, want := range []string{"Account statement", "Period: 2026-09-01 – 2026-11-30", "Opening balance €120.00",
		"Deposit (card) €1.00 €119.00"} {
		if !strings.Contains(all, want) {
			t.Errorf("text lacks %q:\n%s", want, all)
		}
	}
	if strings.Count(all, "Deposit (card)") != 120 || strings.Contains(all, "Ledger account") {
		t.Errorf("%d rows", strings.Count(all, "Deposit (card)"))
	}
	if !strings.Contains(all, "CLOSING BALANCE · Settled €0.00") {
		t.Errorf("closing line:\n%s", all[len(all)-400:])
	}

	// Nothing in the period.
	st.Entries, st.OpeningCents, st.ClosingCents, st.DebitCents, st.CreditCents = nil, -2500, -2500, 0, 0
	data, err = StatementPDF(st, English)
	if err != nil {
		t.Fatal(err)
	}
	_, pages, _ = readInvoicePDF(t, data)
	text := pageText(pages[0])
	for _, want := range []string{"No movements in the period", "CLOSING BALANCE · In your favour -€25.00"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}
