package document

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Statement is a customer's account over a period, as the printed statement shows it.
type Statement struct {
	Shop          Shop
	Customer      Party
	AccountNumber string // the customer's own accounting account; "" for the default
	// From and To are the period's first and last days (both included); PrintedAt is when
	// the statement was made. All in the shop's time zone.
	From, To     time.Time
	PrintedAt    time.Time
	OpeningCents int64 // > 0 the customer owes the shop
	ClosingCents int64
	DebitCents   int64 // the period's charges
	CreditCents  int64 // the period's payments and credits (> 0)
	Entries      []StatementEntry
}

// StatementEntry is one movement of the account.
type StatementEntry struct {
	At           time.Time // shop time
	Kind         string    // sale, payment, deposit, credit_use, credit_note, adjustment
	Method       string    // payments and deposits: cash, card, transfer
	Document     string    // the invoice's number, when an invoice caused it
	Reason       string    // adjustments
	AmountCents  int64     // > 0 the customer owes more
	BalanceCents int64     // the balance after it
}

// statementLabels are the statement's own labels, over the invoice's (customer, tax id,
// titles, page…).
func statementLabels(l Lang) labels {
	lb := catalog(l)
	own := map[string]string{
		"st.title": "Extracto de cuenta", "st.period": "Periodo", "st.printed": "Fecha de emisión",
		"st.account": "Cuenta contable", "st.date": "Fecha", "st.concept": "Concepto", "st.document": "Documento",
		"st.debit": "Cargo", "st.credit": "Abono", "st.balance": "Saldo", "st.opening": "Saldo inicial",
		"st.closing": "Saldo final", "st.totals": "Total del periodo", "st.none": "Sin movimientos en el periodo",
		"st.sign": "Saldo positivo: importe a cargo del cliente; negativo: a su favor.",
		"st.owes": "A su cargo", "st.owed": "A su favor", "st.settled": "Saldado",
		"kind.sale": "Venta a cuenta", "kind.payment": "Pago", "kind.deposit": "Depósito",
		"kind.credit_use": "Uso del saldo a favor", "kind.credit_note": "Abono por devolución", "kind.adjustment": "Ajuste",
		"method.transfer": "Transferencia",
	}
	if l == English {
		own = map[string]string{
			"st.title": "Account statement", "st.period": "Period", "st.printed": "Date of issue",
			"st.account": "Ledger account", "st.date": "Date", "st.concept": "Description", "st.document": "Document",
			"st.debit": "Debit", "st.credit": "Credit", "st.balance": "Balance", "st.opening": "Opening balance",
			"st.closing": "Closing balance", "st.totals": "Period total", "st.none": "No movements in the period",
			"st.sign": "Positive balance: owed by the customer; negative: in the customer's favour.",
			"st.owes": "Owed by you", "st.owed": "In your favour", "st.settled": "Settled",
			"kind.sale": "Sale on account", "kind.payment": "Payment", "kind.deposit": "Deposit",
			"kind.credit_use": "Credit used", "kind.credit_note": "Credit note", "kind.adjustment": "Adjustment",
			"method.transfer": "Bank transfer",
		}
	}
	for k, v := range own {
		lb[k] = v
	}
	return lb
}

// formatDay prints a day as the documents do.
func formatDay(t time.Time, l Lang) string {
	if l == English {
		return t.Format("2006-01-02")
	}
	return t.Format("02/01/2006")
}

// StatementPDF renders a customer's statement as an A4 PDF: the shop, the customer's name
// and address, the period, the opening balance, one row per movement (date, description,
// invoice, debit or credit, balance after it), the period's totals and the closing balance.
// Like InvoicePDF, the output depends only on st and lang.
func StatementPDF(st Statement, lang Lang) ([]byte, error) {
	cov, err := newCoverage()
	if err != nil {
		return nil, err
	}
	lb := statementLabels(lang)
	w := &pdfWriter{pdf: fpdf.New("P", "mm", "A4", ""), lang: lang, lb: lb, cov: cov,
		inv: &Invoice{Shop: st.Shop}} // customer() reads the shop's country from here
	p := w.pdf
	p.SetCompression(true)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(false, margin)
	p.AddUTF8FontFromBytes(fontFamily, "", goregular.TTF)
	p.AddUTF8FontFromBytes(fontFamily, "B", gobold.TTF)
	p.SetCreationDate(st.PrintedAt)
	p.SetModificationDate(st.PrintedAt)
	p.SetCatalogSort(true)
	p.SetCreator("Clientela", true)
	p.SetAuthor(w.t(st.Shop.Name), true)
	p.SetTitle(w.t(lb.get("st.title")+" "+partyName(&st.Customer, lb)), true)
	p.AliasNbPages("{nb}")
	name := partyName(&st.Customer, lb)
	p.SetFooterFunc(func() {
		p.SetDrawColor(200, 200, 200)
		p.Line(margin, footerTop+2, margin+contentWidth, footerTop+2)
		w.font("", 7)
		w.text(margin, footerTop+3, contentWidth-30, 4, lb.get("st.title")+" · "+name+" · "+
			formatDay(st.From, lang)+" – "+formatDay(st.To, lang), "L")
		w.text(margin+contentWidth-30, footerTop+3, 30, 4, fmt.Sprintf("%s %d/{nb}", lb.get("page"), p.PageNo()), "R")
	})
	renderStatement(w, &st)
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("document: build statement PDF: %w", err)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("document: write statement PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// statementColumns are the widths of the table's columns; the description takes the rest.
var statementColumns = struct{ date, doc, amount, balance float64 }{22, 30, 24, 26}

func renderStatement(w *pdfWriter, st *Statement) {
	lb, p := w.lb, w.pdf
	p.AddPage()
	half := contentWidth/2 - 5

	// The shop, top left; the title and period below it.
	w.font("B", 14)
	y := w.para(margin, margin, half, 6.5, st.Shop.Name)
	w.font("", 10)
	if st.Shop.TaxID != "" {
		y = w.para(margin, y, half, 5, lb.get("tax_id")+" "+st.Shop.TaxID)
	}
	for _, l := range addressLines(st.Shop.Address, st.Shop.Address.Country) {
		y = w.para(margin, y, half, 5, l)
	}
	y += 6
	w.font("B", 18)
	y = w.para(margin, y, half, 8, lb.get("st.title"))
	w.font("", 10)
	y = w.labelled(margin, y+1, half, lb.get("st.period")+":", formatDay(st.From, w.lang)+" – "+formatDay(st.To, w.lang))
	y = w.labelled(margin, y, half, lb.get("st.printed")+":", formatDay(st.PrintedAt, w.lang))
	if st.AccountNumber != "" {
		y = w.labelled(margin, y, half, lb.get("st.account")+":", st.AccountNumber)
	}

	// The customer, top right.
	cy := w.customer(margin+contentWidth/2+5, margin, half, &st.Customer)
	y = max(y, cy) + 8

	// The movements.
	cols := statementColumns
	concept := contentWidth - cols.date - cols.doc - 2*cols.amount - cols.balance
	xs := []float64{margin, margin + cols.date, margin + cols.date + concept}
	xs = append(xs, xs[2]+cols.doc, xs[2]+cols.doc+cols.amount, xs[2]+cols.doc+2*cols.amount)
	header := func(y float64) float64 {
		w.font("B", 9)
		p.SetFillColor(235, 235, 235)
		p.Rect(margin, y, contentWidth, 6, "F")
		w.text(xs[0], y, cols.date, 6, lb.get("st.date"), "L")
		w.text(xs[1], y, concept, 6, lb.get("st.concept"), "L")
		w.text(xs[2], y, cols.doc, 6, lb.get("st.document"), "L")
		w.text(xs[3], y, cols.amount, 6, lb.get("st.debit"), "R")
		w.text(xs[4], y, cols.amount, 6, lb.get("st.credit"), "R")
		w.text(xs[5], y, cols.balance, 6, lb.get("st.balance"), "R")
		return y + 7
	}
	const rowH = 5.0
	rule := func(y float64) {
		p.SetDrawColor(220, 220, 220)
		p.Line(margin, y-0.5, margin+contentWidth, y-0.5)
	}
	y = header(y)
	w.font("B", 10)
	w.text(xs[0], y, cols.date, rowH, formatDay(st.From, w.lang), "L")
	w.text(xs[1], y, concept+cols.doc, rowH, lb.get("st.opening"), "L")
	w.text(xs[5], y, cols.balance, rowH, w.money(st.OpeningCents), "R")
	y += rowH + 1
	rule(y)
	if len(st.Entries) == 0 {
		w.font("", 10)
		w.text(xs[1], y, concept+cols.doc, rowH, lb.get("st.none"), "L")
		y += rowH + 1
	}
	for _, e := range st.Entries {
		w.font("", 10)
		cw := concept - 1
		if e.Document == "" { // the description may run on into the empty document column
			cw += cols.doc
		}
		lines := p.SplitText(w.t(entryConcept(e, lb)), cw)
		if len(lines) == 0 {
			lines = []string{""}
		}
		h := float64(len(lines)) * rowH
		if y+h > footerTop-2 {
			p.AddPage()
			y = header(margin)
			w.font("", 10)
		}
		w.text(xs[0], y, cols.date, rowH, formatDay(e.At, w.lang), "L")
		for i, l := range lines {
			w.text(xs[1], y+float64(i)*rowH, cw, rowH, l, "L")
		}
		w.text(xs[2], y, cols.doc, rowH, e.Document, "L")
		if e.AmountCents > 0 {
			w.text(xs[3], y, cols.amount, rowH, w.money(e.AmountCents), "R")
		} else {
			w.text(xs[4], y, cols.amount, rowH, w.money(-e.AmountCents), "R")
		}
		w.text(xs[5], y, cols.balance, rowH, w.money(e.BalanceCents), "R")
		y += h + 1
		rule(y)
	}

	// Totals and the closing balance.
	if y+4*rowH+8 > footerTop {
		p.AddPage()
		y = margin
	}
	w.font("B", 10)
	w.text(xs[1], y, concept+cols.doc, rowH, lb.get("st.totals"), "L")
	w.text(xs[3], y, cols.amount, rowH, w.money(st.DebitCents), "R")
	w.text(xs[4], y, cols.amount, rowH, w.money(st.CreditCents), "R")
	y += rowH + 2
	w.font("B", 12)
	w.text(xs[0], y, cols.date, 7, formatDay(st.To, w.lang), "L")
	w.text(xs[1], y, concept+cols.doc, 7, strings.ToUpper(lb.get("st.closing"))+" · "+balanceWord(st.ClosingCents, lb), "L")
	w.text(xs[3], y, 2*cols.amount+cols.balance, 7, w.money(st.ClosingCents), "R")
	y += 9
	w.font("", 8)
	w.text(margin, y, contentWidth, 4, lb.get("st.sign"), "L")
}

// entryConcept describes a movement: its kind, with the method of a payment or deposit and
// the reason of an adjustment.
func entryConcept(e StatementEntry, lb labels) string {
	s := lb.get("kind." + e.Kind)
	switch {
	case e.Method != "":
		s += " (" + strings.ToLower(lb.get("method."+e.Method)) + ")"
	case e.Reason != "":
		s += ": " + e.Reason
	}
	return s
}

// balanceWord says which way a balance goes.
func balanceWord(cents int64, lb labels) string {
	switch {
	case cents > 0:
		return lb.get("st.owes")
	case cents < 0:
		return lb.get("st.owed")
	}
	return lb.get("st.settled")
}
