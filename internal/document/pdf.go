package document

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// Page geometry of the A4 invoice, in millimetres.
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	margin       = 15.0
	contentWidth = pageWidth - 2*margin
	footerTop    = pageHeight - margin - 10 // the fingerprint and page number live below
	qrSize       = 35.0                     // the symbol without its quiet zone (30–40 mm)
	qrQuiet      = 3.5                      // ≥ 4 modules of a version 7 symbol kept blank
	fontFamily   = "go"
)

// InvoicePDF renders the invoice as an A4 PDF: issuer, customer, number, type and date, the
// lines, the VAT breakdown, total, payments, the rectified invoice when there is one, and
// the tax agency's QR code drawn as vector squares. Text is set in the Go fonts, embedded
// (subset) as TrueType, so every accented letter and "€" prints on any viewer; characters
// the font lacks print as "?". The output depends only on inv and lang (its dates are the
// issue date), so the same invoice always gives the same bytes.
func InvoicePDF(inv Invoice, lang Lang) ([]byte, error) {
	return renderPDF(&inv, lang, true)
}

func renderPDF(inv *Invoice, lang Lang, compress bool) ([]byte, error) {
	cov, err := newCoverage()
	if err != nil {
		return nil, err
	}
	w := &pdfWriter{
		pdf:  fpdf.New("P", "mm", "A4", ""),
		lang: lang,
		lb:   catalog(lang),
		cov:  cov,
		inv:  inv,
	}
	p := w.pdf
	p.SetCompression(compress)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(false, margin) // pages are broken by hand, between table rows
	p.AddUTF8FontFromBytes(fontFamily, "", goregular.TTF)
	p.AddUTF8FontFromBytes(fontFamily, "B", gobold.TTF)
	p.SetCreationDate(inv.IssuedAt)
	p.SetModificationDate(inv.IssuedAt)
	p.SetCatalogSort(true)
	p.SetCreator("Clientela", true)
	p.SetAuthor(w.t(inv.Shop.Name), true)
	p.SetTitle(w.t(w.lb.get("pdf.title")+" "+inv.Number), true)
	p.SetSubject(w.t(w.lb.get("pdf.subject")+" "+inv.Shop.Name), true)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(w.footer)

	if err := w.render(); err != nil {
		return nil, err
	}
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("document: build invoice PDF %s: %w", inv.Number, err)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("document: write invoice PDF %s: %w", inv.Number, err)
	}
	return buf.Bytes(), nil
}

// coverage tells which characters both embedded fonts can draw.
type coverage struct {
	fonts []*sfnt.Font
	buf   sfnt.Buffer
}

func newCoverage() (*coverage, error) {
	c := &coverage{}
	for _, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("document: parse embedded font: %w", err)
		}
		c.fonts = append(c.fonts, f)
	}
	return c, nil
}

func (c *coverage) has(r rune) bool {
	for _, f := range c.fonts {
		if i, err := f.GlyphIndex(&c.buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}

type pdfWriter struct {
	pdf  *fpdf.Fpdf
	lang Lang
	lb   labels
	cov  *coverage
	inv  *Invoice
}

// t makes s printable: cleaned to one line like the receipt's fields, and every character
// the font cannot draw replaced by "?" (fpdf would otherwise index past its width table).
func (w *pdfWriter) t(s string) string {
	s = clean(s)
	return strings.Map(func(r rune) rune {
		if r == ' ' || w.cov.has(r) {
			return r
		}
		return '?'
	}, s)
}

func (w *pdfWriter) money(cents int64) string { return formatMoney(cents, w.lang) }

func (w *pdfWriter) font(style string, size float64) { w.pdf.SetFont(fontFamily, style, size) }

// text writes one line at (x, y) in a cell of width wd, aligned "L", "R" or "C".
func (w *pdfWriter) text(x, y, wd, h float64, s, align string) {
	w.pdf.SetXY(x, y)
	w.pdf.CellFormat(wd, h, w.t(s), "", 0, align, false, 0, "")
}

// para writes s wrapped to width wd from (x, y) and returns the y below it.
func (w *pdfWriter) para(x, y, wd, h float64, s string) float64 {
	for _, line := range w.pdf.SplitText(w.t(s), wd) {
		w.text(x, y, wd, h, line, "L")
		y += h
	}
	return y
}

func (w *pdfWriter) render() error {
	inv, lb, p := w.inv, w.lb, w.pdf
	p.AddPage()

	// Issuer, top left.
	left := contentWidth - qrSize - 10
	w.font("B", 14)
	y := w.para(margin, margin, left, 6.5, inv.Shop.Name)
	w.font("", 10)
	if inv.Shop.TaxID != "" {
		y = w.para(margin, y, left, 5, lb.get("tax_id")+" "+inv.Shop.TaxID)
	}
	for _, l := range addressLines(inv.Shop.Address, inv.Shop.Address.Country) {
		y = w.para(margin, y, left, 5, l)
	}

	// The tax agency's QR code, top right, captioned as the order asks.
	qrX := pageWidth - margin - qrSize
	if err := w.qr(qrX, margin); err != nil {
		return err
	}

	// Invoice type, number, date.
	y = max(y+6, margin+4+qrSize+2*qrQuiet+4)
	titleY := y
	half := contentWidth/2 - 5
	w.font("B", 18)
	y = w.para(margin, y, half, 8, typeLabel(inv, lb))
	w.font("", 10)
	y = w.labelled(margin, y+1, half, lb.get("number"), inv.Number)
	y = w.labelled(margin, y, half, lb.get("date"), formatDateTime(inv.IssuedAt, w.lang))
	if inv.IsRectifying() && inv.Rectifies != "" {
		y = w.labelled(margin, y, half, lb.get("rectifies"), inv.Rectifies)
	}

	// Customer, right of the title.
	if c := inv.Customer; c != nil {
		cx := margin + contentWidth/2 + 5
		cy := w.customer(cx, titleY, half, c)
		y = max(y, cy)
	}

	// Lines.
	y += 8
	y = w.linesTable(y)

	// Totals.
	return w.totals(y + 4)
}

// labelled writes "Label: value" and returns the y below.
func (w *pdfWriter) labelled(x, y, wd float64, label, value string) float64 {
	w.font("B", 10)
	lw := w.pdf.GetStringWidth(w.t(label)+" ") + 1
	w.text(x, y, lw, 5, label, "L")
	w.font("", 10)
	return w.para(x+lw, y, wd-lw, 5, value)
}

// customer draws the customer's block and returns the y below it.
func (w *pdfWriter) customer(x, y, wd float64, c *Party) float64 {
	lb := w.lb
	top := y
	w.font("B", 9)
	w.text(x+2, y+2, wd-4, 5, strings.ToUpper(lb.get("customer")), "L")
	y += 7
	w.font("B", 11)
	y = w.para(x+2, y, wd-4, 5.5, partyName(c, lb))
	w.font("", 10)
	if c.TaxID != "" {
		y = w.para(x+2, y, wd-4, 5, lb.get("tax_id")+" "+c.TaxID)
	}
	for _, l := range addressLines(c.Address, w.inv.Shop.Address.Country) {
		y = w.para(x+2, y, wd-4, 5, l)
	}
	if c.Reference != "" {
		y = w.para(x+2, y, wd-4, 5, lb.get("reference")+" "+c.Reference)
	}
	if g := w.inv.Group; g != nil {
		s := lb.get("group") + " " + g.Name
		if g.DiscountBasisPoints != 0 {
			s += " (" + formatRate(g.DiscountBasisPoints, w.lang) + ")"
		}
		y = w.para(x+2, y, wd-4, 5, s)
	}
	y += 2
	w.pdf.SetDrawColor(160, 160, 160)
	w.pdf.Rect(x, top, wd, y-top, "D")
	return y
}

// column is one column of the lines table: its header, width and cell.
type column struct {
	head  string
	width float64
	cell  func(Line) string
}

// lineColumns returns the table's columns after the label, which takes the rest of the
// width. A full invoice adds the unit price before VAT that RD 1619/2012 art. 6.1.f asks
// for; a simplified one shows prices with VAT only, as the till does.
func (w *pdfWriter) lineColumns() []column {
	lb := w.lb
	cols := []column{{lb.get("quantity"), 16, func(l Line) string { return formatQuantity(l.Quantity, w.lang) }}}
	if showsCustomerTaxID(w.inv) {
		cols = append(cols, column{lb.get("unit_price_net"), 23, func(l Line) string {
			return w.money(netOfVAT(l.UnitPriceCents, l.VATRateBasisPoints))
		}})
	}
	cols = append(cols,
		column{lb.get("unit_price"), 22, func(l Line) string { return w.money(l.UnitPriceCents) }},
		column{lb.get("discount"), 21, func(l Line) string {
			if l.DiscountCents == 0 {
				return ""
			}
			return w.money(-l.DiscountCents)
		}},
		column{lb.get("total"), 23, func(l Line) string { return w.money(l.TotalCents) }},
		column{lb.get("vat"), 14, func(l Line) string { return formatRate(l.VATRateBasisPoints, w.lang) }},
	)
	return cols
}

// netOfVAT returns a VAT-included price without its VAT, rounded half away from zero to the
// cent. It is printed for information only: the taxable bases are the VAT breakdown's.
func netOfVAT(cents, rateBP int64) int64 {
	den := 10000 + rateBP
	if den <= 0 {
		return cents
	}
	neg := cents < 0
	if neg {
		cents = -cents
	}
	// cents*10000 may overflow for absurd prices; split to stay in range.
	q, r := cents/den, cents%den
	net := q*10000 + (r*10000+den/2)/den
	if neg {
		return -net
	}
	return net
}

// linesTable draws the lines, breaking pages between rows and repeating the header, and
// returns the y below the table.
func (w *pdfWriter) linesTable(y float64) float64 {
	lb := w.lb
	cols := w.lineColumns()
	labelW := contentWidth
	for _, c := range cols {
		labelW -= c.width
	}
	header := func(y float64) float64 {
		w.font("B", 9)
		w.pdf.SetFillColor(235, 235, 235)
		w.pdf.Rect(margin, y, contentWidth, 6, "F")
		w.text(margin, y, labelW, 6, lb.get("label"), "L")
		x := margin + labelW
		for _, c := range cols {
			w.text(x, y, c.width, 6, c.head, "R")
			x += c.width
		}
		return y + 7
	}
	y = header(y)
	if len(w.inv.Lines) == 0 {
		w.font("", 10)
		w.text(margin, y, contentWidth, 5, lb.get("no_lines"), "L")
		return y + 6
	}
	const rowH = 5.0
	for _, ln := range w.inv.Lines {
		w.font("", 10)
		labelLines := w.pdf.SplitText(w.t(ln.Label), labelW)
		if len(labelLines) == 0 {
			labelLines = []string{""}
		}
		h := float64(len(labelLines)) * rowH
		if y+h > footerTop {
			w.pdf.AddPage()
			y = header(margin)
			w.font("", 10)
		}
		for i, l := range labelLines {
			w.text(margin, y+float64(i)*rowH, labelW, rowH, l, "L")
		}
		x := margin + labelW
		for _, c := range cols {
			w.text(x, y, c.width, rowH, c.cell(ln), "R")
			x += c.width
		}
		y += h + 1
		w.pdf.SetDrawColor(220, 220, 220)
		w.pdf.Line(margin, y-0.5, margin+contentWidth, y-0.5)
	}
	return y
}

// totals draws the VAT breakdown (left), the total, saving and payments (right).
func (w *pdfWriter) totals(y float64) error {
	inv, lb, p := w.inv, w.lb, w.pdf
	rows := max(len(inv.VAT)+2, len(inv.Payments)+4)
	if y+float64(rows)*5.5+8 > footerTop {
		p.AddPage()
		y = margin
	}
	// VAT per rate.
	vx, vy := margin, y
	cols := []float64{20, 30, 30}
	w.font("B", 9)
	w.text(vx, vy, 80, 5, lb.get("vat_breakdown"), "L")
	vy += 5.5
	heads := []string{lb.get("vat_rate"), lb.get("vat_base"), lb.get("vat_amount")}
	x := vx
	for i, h := range heads {
		w.text(x, vy, cols[i], 5, h, "R")
		x += cols[i]
	}
	vy += 5.5
	w.font("", 10)
	for _, v := range inv.VAT {
		cells := []string{formatRate(v.RateBasisPoints, w.lang), w.money(v.BaseCents), w.money(v.VATCents)}
		x := vx
		for i, c := range cells {
			w.text(x, vy, cols[i], 5, c, "R")
			x += cols[i]
		}
		vy += 5.5
	}
	w.font("", 8)
	note := lb.get("unit_price_note")
	if showsCustomerTaxID(inv) {
		note = lb.get("unit_price_net_note")
	}
	w.text(vx, vy+1, 90, 4, note, "L")

	// Total, saving, payments.
	tx, tw := margin+contentWidth-85, 85.0
	ty := y
	w.font("B", 14)
	w.text(tx, ty, 45, 8, strings.ToUpper(lb.get("total")), "L")
	w.text(tx+45, ty, tw-45, 8, w.money(inv.TotalCents), "R")
	ty += 9
	w.font("", 10)
	if inv.DiscountCents > 0 {
		label := lb.get("saving")
		if g := inv.Group; g != nil {
			label += " (" + g.Name
			if g.DiscountBasisPoints != 0 {
				label += ", " + formatRate(g.DiscountBasisPoints, w.lang)
			}
			label += ")"
		}
		w.text(tx, ty, tw-30, 5, label, "L")
		w.text(tx+tw-30, ty, 30, 5, w.money(inv.DiscountCents), "R")
		ty += 5.5
	}
	if len(inv.Payments) > 0 {
		ty += 2
		w.font("B", 9)
		w.text(tx, ty, tw, 5, lb.get("payments"), "L")
		ty += 5.5
		w.font("", 10)
		for _, pm := range inv.Payments {
			w.text(tx, ty, tw-30, 5, methodLabel(pm.Method, lb), "L")
			w.text(tx+tw-30, ty, 30, 5, w.money(pm.AmountCents), "R")
			ty += 5.5
		}
		if inv.ChangeCents != 0 {
			w.text(tx, ty, tw-30, 5, lb.get("change"), "L")
			w.text(tx+tw-30, ty, 30, 5, w.money(inv.ChangeCents), "R")
		}
	}
	return nil
}

// qr draws the QR code of inv.QRURL with its captions, the symbol's top-left at (x, y+5).
func (w *pdfWriter) qr(x, y float64) error {
	if w.inv.QRURL == "" {
		return nil
	}
	m, err := qrMatrix(w.inv.QRURL)
	if err != nil {
		return err
	}
	w.font("", 8)
	w.text(x, y, qrSize, 4, w.lb.get("qr_caption"), "C")
	y += 4 + qrQuiet
	module := qrSize / float64(len(m))
	p := w.pdf
	p.SetFillColor(0, 0, 0)
	for row, cells := range m {
		// One rectangle per run of dark modules; a hair taller than a module so that viewers
		// leave no light seam between rows.
		for col := 0; col < len(cells); {
			if !cells[col] {
				col++
				continue
			}
			start := col
			for col < len(cells) && cells[col] {
				col++
			}
			p.Rect(x+float64(start)*module, y+float64(row)*module, float64(col-start)*module, module+0.02, "F")
		}
	}
	w.font("B", 9)
	w.text(x, y+qrSize+qrQuiet-1, qrSize, 4, w.lb.get("verifactu"), "C")
	return nil
}

// footer prints the record's fingerprint and the page number on every page.
func (w *pdfWriter) footer() {
	w.pdf.SetDrawColor(200, 200, 200)
	w.pdf.Line(margin, footerTop+2, margin+contentWidth, footerTop+2)
	w.font("", 7)
	if w.inv.Fingerprint != "" {
		w.text(margin, footerTop+3, contentWidth-30, 4, w.lb.get("fingerprint")+": "+w.inv.Fingerprint, "L")
	}
	w.text(margin, footerTop+7, contentWidth-30, 4, w.inv.Number+" · "+w.lb.get("verifactu_text"), "L")
	w.text(margin+contentWidth-30, footerTop+3, 30, 4, fmt.Sprintf("%s %d/{nb}", w.lb.get("page"), w.pdf.PageNo()), "R")
}
