package document

import (
	"strings"
)

// ReceiptWidth is the receipt's width in characters: 80 mm thermal printers print 42
// columns of their standard font (font A at 12×24 dots on a 576-dot line is 48; the 72 mm
// printable width that most 80 mm models share leaves 42, and the smaller font B would be
// unreadable for prices).
const ReceiptWidth = 42

// Receipt renders the invoice as plain text for an 80 mm till printer: lines of at most
// ReceiptWidth runes separated by "\n", amounts right-aligned. Long labels wrap; nothing
// is ever cut off except the fingerprint, of which the tail is enough to match the record.
func Receipt(inv Invoice, lang Lang) string {
	r := receiptWriter{lang: lang, lb: catalog(lang)}
	r.render(&inv)
	return strings.Join(r.lines, "\n") + "\n"
}

type receiptWriter struct {
	lang  Lang
	lb    labels
	lines []string
}

func (r *receiptWriter) add(lines ...string) { r.lines = append(r.lines, lines...) }

func (r *receiptWriter) rule(c string) { r.add(strings.Repeat(c, ReceiptWidth)) }

// text adds s wrapped to the width.
func (r *receiptWriter) text(s string) { r.add(wrap(s, ReceiptWidth)...) }

// centered adds s wrapped and centred.
func (r *receiptWriter) centered(s string) {
	for _, l := range wrap(s, ReceiptWidth) {
		r.add(center(l, ReceiptWidth))
	}
}

// row adds left (indented) and right aligned to the right edge on one line when both fit,
// otherwise left wrapped and right on a line of its own.
func (r *receiptWriter) row(indent int, left, right string) {
	left, right = clean(left), clean(right)
	prefix := strings.Repeat(" ", indent)
	if indent+columns(left)+1+columns(right) <= ReceiptWidth {
		r.add(prefix + pad(left, ReceiptWidth-indent-columns(right)) + right)
		return
	}
	for _, l := range wrap(left, ReceiptWidth-indent) {
		r.add(prefix + l)
	}
	for _, l := range wrap(right, ReceiptWidth) {
		r.add(padLeft(l, ReceiptWidth))
	}
}

// money formats an amount for the receipt with a plain space before "€": a till printer's
// code page may lack U+00A0, and the receipt never reflows anyway.
func (r *receiptWriter) money(cents int64) string {
	return strings.ReplaceAll(formatMoney(cents, r.lang), "\u00a0", " ")
}

func (r *receiptWriter) rate(bp int64) string {
	return strings.ReplaceAll(formatRate(bp, r.lang), "\u00a0", " ")
}

func (r *receiptWriter) render(inv *Invoice) {
	lb := r.lb
	// Issuer.
	r.centered(inv.Shop.Name)
	if id := clean(inv.Shop.TaxID); id != "" {
		r.centered(lb.get("tax_id") + " " + id)
	}
	for _, l := range addressLines(inv.Shop.Address, inv.Shop.Address.Country) {
		r.centered(l)
	}
	r.rule("=")

	// What it is.
	r.text(typeLabel(inv, lb))
	r.row(0, lb.get("number")+" "+inv.Number, formatDateTime(inv.IssuedAt, r.lang))
	if inv.IsRectifying() && inv.Rectifies != "" {
		r.text(lb.get("rectifies") + ": " + inv.Rectifies)
	}

	// Customer.
	if c := inv.Customer; c != nil {
		r.rule("-")
		r.text(lb.get("customer") + ": " + partyName(c, lb))
		if showsCustomerTaxID(inv) && clean(c.TaxID) != "" {
			r.text(lb.get("tax_id") + ": " + c.TaxID)
		}
		for _, l := range addressLines(c.Address, inv.Shop.Address.Country) {
			r.text(l)
		}
		if clean(c.Reference) != "" {
			r.text(lb.get("reference") + ": " + c.Reference)
		}
		if g := inv.Group; g != nil {
			s := lb.get("group") + ": " + g.Name
			if g.DiscountBasisPoints != 0 {
				s += " (" + r.rate(g.DiscountBasisPoints) + ")"
			}
			r.text(s)
		}
	}

	// Lines.
	r.rule("-")
	for _, ln := range inv.Lines {
		r.text(ln.Label)
		detail := formatQuantity(ln.Quantity, r.lang) + " x " + r.money(ln.UnitPriceCents) +
			"  " + lb.get("vat") + " " + r.rate(ln.VATRateBasisPoints)
		r.row(2, detail, r.money(ln.TotalCents+ln.DiscountCents))
		if ln.DiscountCents != 0 {
			r.row(2, lb.get("discount"), r.money(-ln.DiscountCents))
		}
	}
	r.rule("-")

	// Total and VAT.
	r.row(0, strings.ToUpper(lb.get("total")), r.money(inv.TotalCents))
	if len(inv.VAT) > 0 {
		r.add("")
		r.vatTable(inv.VAT)
	}

	// Payments.
	if len(inv.Payments) > 0 || inv.ChangeCents != 0 {
		r.rule("-")
		for _, p := range inv.Payments {
			r.row(0, methodLabel(p.Method, lb), r.money(p.AmountCents))
		}
		if inv.ChangeCents != 0 {
			r.row(0, lb.get("change"), r.money(inv.ChangeCents))
		}
	}

	// Saving; a return gives the discount back, which is no saving to boast of.
	if inv.DiscountCents > 0 {
		r.rule("-")
		label := lb.get("saving")
		if g := inv.Group; g != nil {
			label += " (" + clean(g.Name)
			if g.DiscountBasisPoints != 0 {
				label += ", " + r.rate(g.DiscountBasisPoints)
			}
			label += ")"
		}
		r.row(0, label, r.money(inv.DiscountCents))
	}

	// The tax agency's part.
	r.rule("-")
	r.centered(lb.get("verifactu"))
	if fp := clean(inv.Fingerprint); fp != "" {
		r.text(lb.get("fingerprint") + ": …" + tail(fp, 16))
	}
	if u := clean(inv.QRURL); u != "" {
		r.text(u)
	}
	r.add("")
	r.centered(lb.get("thanks"))
}

// vatTable adds one line per rate: rate, base and VAT in three right-aligned columns, with
// a header; a rate whose amounts do not fit the columns falls back to one line per figure.
func (r *receiptWriter) vatTable(vat []VAT) {
	lb := r.lb
	const rateCol, amountCol = 10, 16 // 10 + 16 + 16 = 42
	fits := func(a, b, c string) bool {
		return columns(a) <= rateCol && columns(b) < amountCol && columns(c) < amountCol
	}
	h1, h2, h3 := lb.get("vat"), lb.get("vat_base"), lb.get("vat_amount")
	if fits(h1, h2, h3) {
		r.add(pad(h1, rateCol) + padLeft(h2, amountCol) + padLeft(h3, amountCol))
	}
	for _, v := range vat {
		rate, base, amount := r.rate(v.RateBasisPoints), r.money(v.BaseCents), r.money(v.VATCents)
		if fits(rate, base, amount) {
			r.add(pad(rate, rateCol) + padLeft(base, amountCol) + padLeft(amount, amountCol))
			continue
		}
		r.text(lb.get("vat") + " " + rate)
		r.row(2, lb.get("vat_base"), base)
		r.row(2, lb.get("vat_amount"), amount)
	}
}

// showsCustomerTaxID reports whether the customer's tax id is printed: on full invoices and
// their corrections, where the law requires it (RD 1619/2012 art. 6.1.d).
func showsCustomerTaxID(inv *Invoice) bool {
	switch inv.Type {
	case TypeFull, "F3", "R1", "R2", "R3", "R4":
		return true
	}
	return false
}

// tail returns the last n runes of s.
func tail(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[len(r)-n:])
}
