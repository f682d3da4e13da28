package document

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

func TestInvoicePDFReadsBack(t *testing.T) {
	inv := sampleInvoice()
	data, err := InvoicePDF(inv, Spanish)
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
		"Factura", "T2026-000123", "29/11/2026 10:15",
		"Sr. José Núñez Ibáñez", "NIF 12345678Z", "Avenida de Andalucía 7, 3º B", "41001 Sevilla",
		"Tarjeta 2000000001234", "Grupo Socios Oro (10 %)",
		"\na cuchillo, bandeja\n",
		"Concepto Cant. Precio s/IVA Precio Descuento Total IVA",
		"Pan de pueblo 2 1,20 € 1,25 € -0,25 € 2,25 € 4 %",
		"Jamón ibérico de bellota loncheado 0,350 17,18 € 18,90 € -0,66 € 5,96 € 10 %",
		"Vino tinto crianza 1 9,92 € 12,00 € -1,20 € 10,80 € 21 %",
		"Precios sin IVA redondeados al céntimo; las bases son las del desglose.",
		"Desglose de IVA", "2,16 €", "0,09 €", "8,93 €", "1,87 €",
		"TOTAL 19,01 €", "Su ahorro (Socios Oro, 10 %) 2,11 €",
		"Efectivo 50,00 €", "Cambio 30,99 €",
		"QR tributario", "VERI*FACTU", "Huella: " + inv.Fingerprint, "Página 1/1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page text lacks %q; it reads:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Rectifica") {
		t.Error("an ordinary invoice mentions a rectified one")
	}

	// The fonts are the embedded Go fonts, and every character shown has a real glyph in
	// the embedded program: ñ, á, º and € print, not as empty boxes.
	if len(fonts) != 2 {
		t.Fatalf("%d fonts, want the regular and bold Go fonts", len(fonts))
	}
	for _, f := range fonts {
		if f.baseFont != "utf8go" && f.baseFont != "utf8goB" {
			t.Errorf("unexpected font %s", f.baseFont)
		}
	}
	checkGlyphs(t, pages)
}

// checkGlyphs parses each embedded font program and checks that every code a page shows
// maps (CIDToGIDMap) to a glyph with an outline, spaces excepted.
func checkGlyphs(t *testing.T, pages []pageContent) {
	t.Helper()
	parsed := map[*pdfFont]*sfnt.Font{}
	var buf sfnt.Buffer
	seen := map[rune]bool{}
	for _, pc := range pages {
		for _, run := range pc.runs {
			sf := parsed[run.font]
			if sf == nil {
				var err error
				sf, err = sfnt.Parse(run.font.fontFile)
				if err != nil {
					t.Fatalf("embedded font %s does not parse: %v", run.font.baseFont, err)
				}
				parsed[run.font] = sf
			}
			for i, code := range run.codes {
				r := []rune(run.text)[i]
				if r == ' ' || r == '\u00a0' {
					continue
				}
				gid := int(run.font.cidToGID[2*int(code)])<<8 | int(run.font.cidToGID[2*int(code)+1])
				if gid == 0 || gid >= sf.NumGlyphs() {
					t.Fatalf("%q (code %04X) has no glyph in %s (gid %d)", r, code, run.font.baseFont, gid)
				}
				segs, err := sf.LoadGlyph(&buf, sfnt.GlyphIndex(gid), fixed.I(100), nil)
				if err != nil || len(segs) == 0 {
					t.Fatalf("%q has an empty glyph in %s: %v", r, run.font.baseFont, err)
				}
				seen[r] = true
			}
		}
	}
	for _, r := range "ñáéíó€º" {
		if !seen[r] {
			t.Errorf("%q was not printed at all", r)
		}
	}
}

func TestInvoicePDFQRCodeDecodesToTheURL(t *testing.T) {
	inv := sampleInvoice()
	data, err := InvoicePDF(inv, Spanish)
	if err != nil {
		t.Fatal(err)
	}
	_, pages, _ := readInvoicePDF(t, data)
	got, sizeMM := decodeQR(t, pages[0].black)
	if got != inv.QRURL {
		t.Fatalf("QR code reads %q, want %q", got, inv.QRURL)
	}
	if sizeMM < 30 || sizeMM > 40 {
		t.Errorf("QR code is %.1f mm wide, want 30–40 mm", sizeMM)
	}
}

// decodeQR paints the black rectangles of a page into a bitmap with a white margin, as a
// phone's camera would see them, and decodes it. It returns the text and the symbol's
// width in millimetres.
func decodeQR(t *testing.T, rects []rect) (string, float64) {
	t.Helper()
	if len(rects) == 0 {
		t.Fatal("the page draws no black rectangles")
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, r := range rects {
		// fpdf writes "x y w -h": y is the top edge in PDF space, h negative.
		x0, x1 := math.Min(r.x, r.x+r.w), math.Max(r.x, r.x+r.w)
		y0, y1 := math.Min(r.y, r.y+r.h), math.Max(r.y, r.y+r.h)
		minX, maxX = math.Min(minX, x0), math.Max(maxX, x1)
		minY, maxY = math.Min(minY, y0), math.Max(maxY, y1)
	}
	const scale, quiet = 4.0, 40 // pixels per point; white border in pixels
	w := int(math.Ceil((maxX-minX)*scale)) + 2*quiet
	h := int(math.Ceil((maxY-minY)*scale)) + 2*quiet
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, r := range rects {
		x0, x1 := math.Min(r.x, r.x+r.w), math.Max(r.x, r.x+r.w)
		y0, y1 := math.Min(r.y, r.y+r.h), math.Max(r.y, r.y+r.h)
		// Image rows grow downwards, PDF y upwards.
		for py := int((maxY-y1)*scale) + quiet; py < int((maxY-y0)*scale)+quiet; py++ {
			for px := int((x0-minX)*scale) + quiet; px < int((x1-minX)*scale)+quiet; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("QR code does not decode: %v", err)
	}
	if ec, ok := res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL]; !ok || ec != "M" {
		t.Errorf("error correction level %v, want M", ec)
	}
	return res.GetText(), (maxX - minX) / 72 * 25.4
}

func TestInvoicePDFIsReproducible(t *testing.T) {
	a, err := InvoicePDF(sampleInvoice(), Spanish)
	if err != nil {
		t.Fatal(err)
	}
	b, err := InvoicePDF(sampleInvoice(), Spanish)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the same invoice gave two different PDFs")
	}
}

func TestInvoicePDFRectifyingWithoutCustomerInEnglish(t *testing.T) {
	inv := sampleInvoice()
	inv.Type = TypeRectifyingSimplified
	inv.Number = "TR2026-000004"
	inv.Rectifies = "T2026-000123"
	inv.Customer, inv.Group = nil, nil
	inv.Lines = []Line{{Label: "Jamón ibérico", Quantity: -350, UnitPriceCents: 1890, VATRateBasisPoints: 1000, DiscountCents: -66, TotalCents: -596}}
	inv.DiscountCents, inv.TotalCents = -66, -596
	inv.VAT = []VAT{{RateBasisPoints: 1000, BaseCents: -542, VATCents: -54}}
	inv.Payments = []Payment{{Method: MethodCard, AmountCents: -596}}
	inv.ChangeCents = 0
	inv.QRURL = QRCodeURL(inv.Shop.TaxID, inv.Number, inv.IssuedAt, inv.TotalCents)
	data, err := InvoicePDF(inv, English)
	if err != nil {
		t.Fatal(err)
	}
	_, pages, _ := readInvoicePDF(t, data)
	text := pageText(pages[0])
	for _, want := range []string{"Corrective invoice", "Corrects invoice T2026-000123", "No. TR2026-000004", "2026-11-29 10:15",
		"Tax ID B58378431", "-0.350", "TOTAL -€5.96", "Card -€5.96", "Tax QR code", "Page 1/1"} {
		if !strings.Contains(text, want) {
			t.Errorf("page text lacks %q; it reads:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "Description Qty Price Discount Total VAT") {
		t.Errorf("a simplified invoice's table has other columns:\n%s", text)
	}
	for _, unwanted := range []string{"CUSTOMER", "You saved", "12345678Z", "Net price"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("page text shows %q", unwanted)
		}
	}
	if got, _ := decodeQR(t, pages[0].black); got != inv.QRURL {
		t.Errorf("QR code reads %q, want %q", got, inv.QRURL)
	}
}

func TestInvoicePDFManyLinesBreakPages(t *testing.T) {
	inv := sampleInvoice()
	inv.Lines = nil
	for i := range 120 {
		label := "Artículo de prueba número " + strings.Repeat("ñ", i%3)
		if i%10 == 0 {
			label += " con una descripción muy larga que ocupa dos o tres renglones de la columna del concepto"
		}
		inv.Lines = append(inv.Lines, Line{Label: label, Quantity: 1000, UnitPriceCents: 100, VATRateBasisPoints: 2100, TotalCents: 100})
	}
	data, err := InvoicePDF(inv, Spanish)
	if err != nil {
		t.Fatal(err)
	}
	_, pages, _ := readInvoicePDF(t, data)
	if len(pages) < 3 {
		t.Fatalf("%d pages for 120 lines, want at least 3", len(pages))
	}
	rows := 0
	for i, pc := range pages {
		text := pageText(pc)
		if i < len(pages)-1 || strings.Contains(text, "Artículo") {
			if !strings.Contains(text, "Concepto Cant. Precio s/IVA Precio Descuento Total IVA") {
				t.Errorf("page %d has no table header", i+1)
			}
		}
		if want := fmt.Sprintf("Página %d/%d", i+1, len(pages)); !strings.Contains(text, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
		rows += strings.Count(text, "Artículo de prueba")
		// Nothing is drawn over the footer.
		for _, r := range pc.runs {
			if r.y < 30 && !strings.HasPrefix(r.text, "Huella") && !strings.HasPrefix(r.text, "T2026-000123") && !strings.HasPrefix(r.text, "Página") {
				t.Errorf("page %d: %q printed in the footer area (y=%.1f pt)", i+1, r.text, r.y)
			}
		}
	}
	if rows != 120 {
		t.Errorf("%d lines printed, want 120", rows)
	}
	if !strings.Contains(pageText(pages[len(pages)-1]), "TOTAL 19,01 €") {
		t.Error("the total is not on the last page")
	}
}

func TestInvoicePDFUnprintableCharacters(t *testing.T) {
	inv := sampleInvoice()
	inv.Lines[0].Label = "Tarta 🎂 de cumpleaños مرحبا 日本 \u202eevil\u202c e\u0301"
	inv.Customer.LastName = "Łukasiewicz-Øster \xff"
	data, err := InvoicePDF(inv, Spanish)
	if err != nil {
		t.Fatal(err)
	}
	_, pages, _ := readInvoicePDF(t, data)
	text := pageText(pages[0])
	for _, want := range []string{"Tarta ? de cumpleaños ????? ?? evil 2 1,20 € 1,25 €", "\né\n", "Łukasiewicz-Øster \uFFFD"} {
		if !strings.Contains(text, want) {
			t.Errorf("page text lacks %q; it reads:\n%s", want, text)
		}
	}
	checkGlyphs(t, pages)
}

func TestInvoicePDFWithoutQRURLDrawsNoCode(t *testing.T) {
	inv := sampleInvoice()
	inv.QRURL = ""
	data, err := InvoicePDF(inv, Spanish)
	if err != nil {
		t.Fatal(err)
	}
	_, pages, _ := readInvoicePDF(t, data)
	if n := len(pages[0].black); n != 0 {
		t.Errorf("%d black rectangles without a QR URL", n)
	}
	if strings.Contains(pageText(pages[0]), "QR tributario") {
		t.Error("QR caption without a QR code")
	}
}

// BenchmarkInvoicePDF measures one typical invoice (3 lines, a customer, the QR code).
func BenchmarkInvoicePDF(b *testing.B) {
	inv := sampleInvoice()
	var size int
	for b.Loop() {
		data, err := InvoicePDF(inv, Spanish)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/pdf")
}

// BenchmarkReceipt measures the plain-text receipt of the same invoice.
func BenchmarkReceipt(b *testing.B) {
	inv := sampleInvoice()
	var size int
	for b.Loop() {
		size = len(Receipt(inv, Spanish))
	}
	b.ReportMetric(float64(size), "bytes/receipt")
}

func TestNetOfVAT(t *testing.T) {
	for _, c := range []struct{ cents, rate, want int64 }{
		{1890, 1000, 1718}, // 17.1818…
		{125, 400, 120},    // 1.2019…
		{1200, 2100, 992},  // 9.9173…
		{121, 2100, 100},
		{5, 2100, 4}, // 4.13…
		{6, 2100, 5}, // 4.96…
		{-1890, 1000, -1718},
		{1000, 0, 1000},
		{math.MaxInt64, 2100, 7622621518061798188},
	} {
		if got := netOfVAT(c.cents, c.rate); got != c.want {
			t.Errorf("netOfVAT(%d, %d) = %d, want %d", c.cents, c.rate, got, c.want)
		}
	}
}
