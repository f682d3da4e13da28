package document

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/money"
)

var update = flag.Bool("update", false, "rewrite the golden receipts in testdata")

// receiptLines splits a receipt and checks the rules every receipt keeps: valid UTF-8, a
// final newline, no control characters, and no line wider than ReceiptWidth runes.
func receiptLines(t testing.TB, r string) []string {
	t.Helper()
	if !utf8.ValidString(r) {
		t.Fatalf("receipt is not valid UTF-8: %q", r)
	}
	if !strings.HasSuffix(r, "\n") {
		t.Fatal("receipt does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(r, "\n"), "\n")
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > ReceiptWidth {
			t.Fatalf("line %d is %d runes wide: %q", i+1, n, l)
		}
		for _, c := range l {
			if c < ' ' || c == 0x7f || isBidiControl(c) {
				t.Fatalf("line %d holds control character %U: %q", i+1, c, l)
			}
		}
	}
	return lines
}

// amountRight returns the amount that ends a row whose label matches, reading it back
// with the money parser.
func amountRight(t *testing.T, lines []string, label string, lang Lang) int64 {
	t.Helper()
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(label) + ` +(-?€\S+|\S.*€)$`)
	for _, l := range lines {
		if m := re.FindStringSubmatch(l); m != nil {
			if utf8.RuneCountInString(l) != ReceiptWidth {
				t.Errorf("row %q is not right-aligned to column %d", l, ReceiptWidth)
			}
			v, err := money.ParseAmount(m[1], lang.code(), true)
			if err != nil {
				t.Fatalf("row %q: amount %q does not parse: %v", l, m[1], err)
			}
			return v
		}
	}
	t.Fatalf("no row %q in the receipt:\n%s", label, strings.Join(lines, "\n"))
	return 0
}

func TestReceiptFullInvoice(t *testing.T) {
	inv := sampleInvoice()
	r := Receipt(inv, Spanish)
	lines := receiptLines(t, r)
	golden(t, "receipt_f1_es.txt", r)

	for _, want := range []string{
		"Ultramarinos Peña & Hijos", "NIF B58378431", "Calle de la Cañada 12", "28001 Madrid",
		"Factura", "Cliente: Sr. José Núñez Ibáñez", "NIF: 12345678Z",
		"Avenida de Andalucía 7, 3º B", "41001 Sevilla", "Tarjeta: 2000000001234",
		"Grupo: Socios Oro (10 %)", "Jamón ibérico de bellota loncheado a", "cuchillo, bandeja",
		"VERI*FACTU", "Huella: …C058073F38F12F60", "Gracias por su visita",
	} {
		if !containsLine(lines, want) {
			t.Errorf("no line %q in:\n%s", want, r)
		}
	}
	if !regexp.MustCompile(`(?m)^Nº T2026-000123 +29/11/2026 10:15$`).MatchString(r) {
		t.Errorf("number and date line missing:\n%s", r)
	}
	// The URL wraps, but reads back whole.
	if !strings.Contains(strings.ReplaceAll(r, "\n", ""), inv.QRURL) {
		t.Errorf("QR URL %q not in the receipt", inv.QRURL)
	}

	// Read the figures back: every line's amount and discount, the total, VAT, tenders.
	total := amountRight(t, lines, "TOTAL", Spanish)
	if total != inv.TotalCents {
		t.Errorf("TOTAL reads %d, want %d", total, inv.TotalCents)
	}
	var sum int64
	items := regexp.MustCompile(`^  (\S.*?) +(-?[0-9.]+,\d\d €)$`)
	n := 0
	for _, l := range lines {
		if m := items.FindStringSubmatch(l); m != nil {
			v, err := money.ParseAmount(m[2], "es", true)
			if err != nil {
				t.Fatal(err)
			}
			sum += v
			n++
		}
	}
	if n != 6 || sum != total {
		t.Errorf("%d item rows adding up to %d, want 6 rows adding up to the total %d", n, sum, total)
	}
	for _, want := range []string{"  2 x 1,25 € IVA 4 %", "  0,350 x 18,90 € IVA 10 %", "  Descuento"} {
		if !hasPrefixLine(lines, want) {
			t.Errorf("no line starting %q", want)
		}
	}
	if got := amountRight(t, lines, "Efectivo", Spanish); got != 5000 {
		t.Errorf("cash %d", got)
	}
	if got := amountRight(t, lines, "Cambio", Spanish); got != 3099 {
		t.Errorf("change %d", got)
	}
	if got := amountRight(t, lines, "Su ahorro (Socios Oro, 10 %)", Spanish); got != 211 {
		t.Errorf("saving %d", got)
	}
	vatRow := regexp.MustCompile(`^(\d+ %) +(\S+ €) +(\S+ €)$`)
	var base, vat int64
	rates := 0
	for _, l := range lines {
		if m := vatRow.FindStringSubmatch(l); m != nil {
			b, _ := money.ParseAmount(m[2], "es", false)
			v, _ := money.ParseAmount(m[3], "es", false)
			base, vat, rates = base+b, vat+v, rates+1
		}
	}
	if rates != 3 || base+vat != total {
		t.Errorf("%d VAT rows with base %d + VAT %d, want 3 rows adding up to %d", rates, base, vat, total)
	}
}

func TestReceiptSimplifiedWithoutCustomer(t *testing.T) {
	inv := sampleInvoice()
	inv.Type = TypeSimplified
	inv.Customer, inv.Group = nil, nil
	r := Receipt(inv, Spanish)
	lines := receiptLines(t, r)
	golden(t, "receipt_f2_es.txt", r)
	if !containsLine(lines, "Factura simplificada") {
		t.Errorf("type missing:\n%s", r)
	}
	for _, unwanted := range []string{"Cliente", "12345678Z", "Sevilla", "Grupo"} {
		if strings.Contains(r, unwanted) {
			t.Errorf("receipt without customer shows %q", unwanted)
		}
	}
	// The saving is still shown, without a group name.
	if got := amountRight(t, lines, "Su ahorro", Spanish); got != 211 {
		t.Errorf("saving %d", got)
	}
}

func TestReceiptSimplifiedWithCustomerHidesTaxID(t *testing.T) {
	inv := sampleInvoice()
	inv.Type = TypeSimplified
	r := Receipt(inv, Spanish)
	lines := receiptLines(t, r)
	if !containsLine(lines, "Cliente: Sr. José Núñez Ibáñez") || !containsLine(lines, "41001 Sevilla") {
		t.Errorf("customer name and address missing:\n%s", r)
	}
	if strings.Contains(r, "12345678Z") {
		t.Error("a simplified invoice prints the customer's tax id")
	}
}

func TestReceiptCompanyAbroad(t *testing.T) {
	inv := sampleInvoice()
	inv.Customer = &Party{
		Kind: KindCompany, CompanyName: "Boulangerie Lefèvre", LegalForm: "SARL", TaxID: "FR40303265045",
		Address: Address{Line1: "12 rue de l'Église", PostalCode: "64100", City: "Bayonne", Country: "fr"},
	}
	lines := receiptLines(t, Receipt(inv, Spanish))
	for _, want := range []string{"Cliente: Boulangerie Lefèvre SARL", "NIF: FR40303265045", "12 rue de l'Église", "64100 Bayonne", "FR"} {
		if !containsLine(lines, want) {
			t.Errorf("no line %q in:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if containsLine(lines, "ES") {
		t.Error("the shop's own country is printed")
	}
}

func TestReceiptRectifyingInEnglish(t *testing.T) {
	inv := sampleInvoice()
	inv.Type = TypeRectifyingSimplified
	inv.Number = "TR2026-000004"
	inv.Rectifies = "T2026-000123"
	inv.Customer, inv.Group = nil, nil
	inv.Lines = []Line{{Label: "Jamón ibérico", Quantity: -350, UnitPriceCents: 1890, VATRateBasisPoints: 1000, DiscountCents: -66, TotalCents: -596}}
	inv.DiscountCents, inv.TotalCents = -66, -596
	inv.VAT = []VAT{{RateBasisPoints: 1000, BaseCents: -542, VATCents: -54}}
	inv.Payments = []Payment{{Method: MethodCash, AmountCents: -596}}
	inv.ChangeCents = 0
	inv.QRURL = QRCodeURL(inv.Shop.TaxID, inv.Number, inv.IssuedAt, inv.TotalCents)
	r := Receipt(inv, English)
	lines := receiptLines(t, r)
	golden(t, "receipt_r5_en.txt", r)
	for _, want := range []string{"Corrective invoice", "Corrects invoice: T2026-000123", "Jamón ibérico", "Thank you for your visit"} {
		if !containsLine(lines, want) {
			t.Errorf("no line %q in:\n%s", want, r)
		}
	}
	if !hasPrefixLine(lines, "  -0.350 x €18.90 VAT 10%") {
		t.Errorf("returned quantity missing:\n%s", r)
	}
	if got := amountRight(t, lines, "TOTAL", English); got != -596 {
		t.Errorf("total %d", got)
	}
	if got := amountRight(t, lines, "Cash", English); got != -596 {
		t.Errorf("refund %d", got)
	}
	if strings.Contains(r, "You saved") {
		t.Error("a return shows a negative saving")
	}
}

func TestReceiptWrapsAndCleansLabels(t *testing.T) {
	inv := sampleInvoice()
	inv.Shop.Name = "Supercalifragilisticoespialidoso-del-Barrio-de-Salamanca-y-Alrededores S.L."
	inv.Lines[0].Label = "Queso manchego curado\tDOP\n«Reserva»   de   12   meses, cuña de 250 g aproximadamente, envasado al vacío"
	inv.Lines[1].Label = "Jose\u0301 \u202eexif.exe\u202c Ñandú" // decomposed accent, a bidi override
	inv.Lines[2].Label = strings.Repeat("€", 100)
	inv.Payments = append(inv.Payments, Payment{Method: "voucher-from-the-marketing-campaign", AmountCents: 1})
	inv.TotalCents = math.MaxInt64
	r := Receipt(inv, Spanish)
	lines := receiptLines(t, r)
	joined := strings.Join(lines, " ")
	for _, want := range []string{"Queso manchego curado DOP «Reserva» de 12 meses,", "José exif.exe Ñandú"} {
		if !strings.Contains(joined, want) {
			t.Errorf("%q not in:\n%s", want, r)
		}
	}
	if !containsLine(lines, strings.Repeat("€", 42)) || !containsLine(lines, strings.Repeat("€", 16)) {
		t.Errorf("a 100-character word is not cut 42+42+16:\n%s", r)
	}
	if got := amountRight(t, lines, "TOTAL", Spanish); got != math.MaxInt64 {
		t.Errorf("total %d", got)
	}
}

func TestReceiptWithoutLinesOrPayments(t *testing.T) {
	r := Receipt(Invoice{Number: "T2026-000001", Type: TypeSimplified, IssuedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, Spanish)
	lines := receiptLines(t, r)
	if !containsLine(lines, "Factura simplificada") {
		t.Errorf("bare receipt:\n%s", r)
	}
	if got := amountRight(t, lines, "TOTAL", Spanish); got != 0 {
		t.Errorf("total %d", got)
	}
}

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	es, en := labelsES(), labelsEN()
	for k := range es {
		if en[k] == "" {
			t.Errorf("English lacks %q", k)
		}
	}
	for k := range en {
		if es[k] == "" {
			t.Errorf("Spanish lacks %q", k)
		}
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) == want {
			return true
		}
	}
	return false
}

func hasPrefixLine(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// golden compares a receipt with testdata/name; -update rewrites it. The files let a
// reviewer see the layout, and catch any unintended change of it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once)", err)
	}
	if string(want) != got {
		t.Errorf("receipt differs from %s:\n--- got\n%s--- want\n%s", path, got, want)
	}
}
