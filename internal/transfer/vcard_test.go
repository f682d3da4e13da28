package transfer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/domain"
)

// readVCard reads a vCard file's header and rows as cells by field name.
func readVCard(t *testing.T, data []byte) ([]int, []map[Field]string) {
	t.Helper()
	lines, rows := readAll(t, OpenVCard(bytes.NewReader(data)))
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(fieldNames(vcardColumns), ",") {
		t.Fatalf("header %q", rows)
	}
	var out []map[Field]string
	for _, r := range rows[1:] {
		m := map[Field]string{}
		for i, f := range vcardColumns {
			if r[i] != "" {
				m[f] = r[i]
			}
		}
		out = append(out, m)
	}
	return lines[1:], out
}

func fieldNames(fs []Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f))
	}
	return out
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wantCard(t *testing.T, got map[Field]string, want map[Field]string) {
	t.Helper()
	for f, v := range want {
		if got[f] != v {
			t.Errorf("%s = %q, want %q", f, got[f], v)
		}
	}
	for f, v := range got {
		if _, ok := want[f]; !ok {
			t.Errorf("%s = %q, want nothing", f, v)
		}
	}
}

// An iPhone's export (vCard 3.0): grouped properties, type=pref, an escaped comma and new
// line in the street, a photo folded over 50 lines, a company shown as a company.
func TestVCardIPhone(t *testing.T) {
	data := fixture(t, "iphone-3.0.vcf")
	if DetectKind(data) != KindVCard {
		t.Fatal("not detected as vCard")
	}
	lines, cards := readVCard(t, data)
	if len(cards) != 4 {
		t.Fatalf("%d cards", len(cards))
	}
	wantCard(t, cards[0], map[Field]string{FieldKind: "person", FieldTitle: "mrs", FieldFirstName: "María José", FieldLastName: "García López",
		FieldEmail: "mj.garcia@example.com", FieldPhone: "+34 612 34 56 78", FieldLine1: "Calle de Alcalá, 45", FieldLine2: "3º B",
		FieldCity: "Madrid", FieldRegion: "Madrid", FieldPostalCode: "28014", FieldCountry: "ES",
		FieldNotes: "Cliente desde 2019.\nPrefiere la factura por e-mail.\nFarmacia Central"})
	wantCard(t, cards[1], map[Field]string{FieldKind: "company", FieldCompanyName: "Talleres Hermanos Pérez S.L.", FieldPhone: "976 55 44 33",
		FieldEmail: "taller@hermanosperez.example", FieldLine1: "Polígono Malpica, Calle E, nave 12", FieldCity: "Zaragoza",
		FieldRegion: "Zaragoza", FieldPostalCode: "50016", FieldCountry: "ES"})
	if cards[3][FieldTitle] != "mrs" || cards[3][FieldCountry] != "FR" {
		t.Errorf("French card: %v", cards[3])
	}
	// Each card is numbered with the line of its BEGIN:VCARD.
	all := strings.Split(string(data), "\r\n")
	for i, l := range lines {
		if all[l-1] != "BEGIN:VCARD" {
			t.Errorf("card %d: line %d is %q", i, l, all[l-1])
		}
	}
}

// Android's export (vCard 2.1): quoted-printable UTF-8 with soft line breaks, bare TYPE
// parameters, a fax beside the work phone, and a 3.0 card with a folded line after them.
func TestVCardAndroidQuotedPrintable(t *testing.T) {
	lines, cards := readVCard(t, fixture(t, "android-2.1.vcf"))
	if len(cards) != 4 {
		t.Fatalf("%d cards: %v", len(cards), cards)
	}
	wantCard(t, cards[0], map[Field]string{FieldKind: "person", FieldFirstName: "José Luis", FieldLastName: "Muñoz", FieldPhone: "+34699887766",
		FieldEmail: "joseluis.munoz@example.com", FieldLine1: "Avenida de la Constitución 7", FieldLine2: "2º", FieldCity: "Alicante",
		FieldPostalCode: "03002", FieldCountry: "ES",
		FieldNotes: "Cliente de la tienda de Alicante. Le gustan las ofertas de temporada y pregunta siempre por las novedades en calzado de montaña.\nSegunda línea."})
	wantCard(t, cards[1], map[Field]string{FieldKind: "company", FieldCompanyName: "Ferretería La Llave", FieldPhone: "+34 963 11 22 33",
		FieldEmail: "pedidos@ferreterialallave.example"})
	if cards[2][FieldFirstName] != "Ángela" {
		t.Errorf("card 3: %v", cards[2])
	}
	if got := cards[3][FieldNotes]; got != "Nota larga escrita en el teléfono que el exportador dobla en varias líneas porque pasa de setenta y cinco octetos, como manda la norma." {
		t.Errorf("folded note: %q", got)
	}
	if want := []int{1, 14, 23, 29}; !equalInts(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// vCard 4.0 from another address book: TEL as a URI with PREF=1, quoted parameter values with
// a colon, KIND, a card without END (the next BEGIN ends it), Latin-1 bytes without a
// CHARSET, Google's system categories.
func TestVCard40AndOddities(t *testing.T) {
	data := "\xEF\xBB\xBF\r\nBEGIN:VCARD\nVERSION:4.0\nKIND:individual\nN:Sánchez;Elena;;;\nFN:Elena Sánchez\n" +
		"TEL;VALUE=uri;TYPE=\"home,voice\":tel:+34-910-000-001\nTEL;VALUE=uri;TYPE=\"cell\";PREF=1:tel:+34-600-111-222\n" +
		"ADR;LABEL=\"Calle Mayor 1: bajo\";TYPE=work:;;Calle Mayor 1,Bajo;Sevilla;;41001;ES\nCATEGORIES:myContacts,Socios\n" +
		"BEGIN:VCARD\nVERSION:3.0\nFN:Pe\xf1a\nEND:VCARD\n"
	lines, cards := readVCard(t, []byte(data))
	if len(cards) != 2 || !equalInts(lines, []int{2, 11}) {
		t.Fatalf("lines %v cards %v", lines, cards)
	}
	wantCard(t, cards[0], map[Field]string{FieldKind: "person", FieldFirstName: "Elena", FieldLastName: "Sánchez", FieldPhone: "+34-600-111-222",
		FieldLine1: "Calle Mayor 1", FieldLine2: "Bajo", FieldCity: "Sevilla", FieldPostalCode: "41001", FieldCountry: "ES", FieldGroup: "Socios"})
	wantCard(t, cards[1], map[Field]string{FieldKind: "person", FieldFirstName: "Peña"})
}

// A quoted-printable value of 200,000 soft line breaks reads in linear time; one past
// maxVCardLine is skipped, and the card keeps its other properties.
func TestVCardLongQuotedPrintable(t *testing.T) {
	data := "BEGIN:VCARD\nNOTE;LABEL=\"a:b\";ENCODING=QUOTED-PRINTABLE:" + strings.Repeat("a=\n", 200000) + "b\nFN:Ana\nEND:VCARD\n" +
		"BEGIN:VCARD\nNOTE;ENCODING=QUOTED-PRINTABLE:" + strings.Repeat("ab=\n", 200000) + "\nFN:Eva\nEND:VCARD\n"
	_, cards := readVCard(t, []byte(data))
	if len(cards) != 2 || cards[0][FieldNotes] != strings.Repeat("a", 200000)+"b" || cards[0][FieldFirstName] != "Ana" ||
		cards[1][FieldNotes] != "" || cards[1][FieldFirstName] != "Eva" {
		t.Errorf("%d cards; notes of %d and %d bytes", len(cards), len(cards[0][FieldNotes]), len(cards[1][FieldNotes]))
	}
}

// Our own vCard export reads back as the customer it was written from, for every field a
// vCard carries.
func TestVCardRoundTrip(t *testing.T) {
	person := sample()
	company := domain.Customer{ID: "0190f1a2-0000-7000-8000-000000000002", Kind: domain.KindCompany, CompanyName: "Talleres Pérez, S.L.",
		TaxID: "B12345674", Email: "taller@example.com", Phone: "+34976554433;ext=12", Reference: "T-9",
		Address: domain.Address{Line1: "Pol. Malpica; nave 3", Line2: "Calle E", City: "Zaragoza", Region: "Zaragoza", PostalCode: "50016", Country: "ES"}}
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, FormatVCard, "")
	for _, c := range []*domain.Customer{&person, &company} {
		if err := w.Write(c, "Clientes, VIP"); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, rows := readAll(t, OpenVCard(&buf))
	mapping := ProposeMapping(rows[0])
	for i, f := range mapping {
		if f != vcardColumns[i] {
			t.Fatalf("column %d maps to %q", i, f)
		}
	}
	for i, want := range []domain.Customer{person, company} {
		p, problems := Convert(rows[i+1], mapping)
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		var got domain.Customer
		p.Changes.Apply(&got)
		got.ID = p.ID
		// What a vCard does not carry (invoices by e-mail follow the e-mail, as in the form).
		want.LegalForm, want.AccountNumber, want.InvoiceByEmail, want.MarketingConsent, want.CreditLimitCents = "", "", want.Email != "", false, 0
		want.CreatedAt, want.UpdatedAt = got.CreatedAt, got.UpdatedAt
		if got != want || p.Group != "Clientes, VIP" {
			t.Errorf("read back\n%+v\nwant\n%+v (group %q)", got, want, p.Group)
		}
	}
}

// FuzzReadVCard: whatever the bytes, reading ends, every row has the fixed columns in valid
// UTF-8, cards are numbered in increasing order from line 1, and a row converts without
// panicking.
func FuzzReadVCard(f *testing.F) {
	for _, name := range []string{"iphone-3.0.vcf", "android-2.1.vcf"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:=\n=\n=C3\nEND:VCARD"))
	f.Add([]byte("BEGIN:VCARD\r\nADR;LABEL=\"a:b;c\":;;x\\;y\\\\;z\r\n\tfolded\r\nBEGIN:VCARD\r\n"))
	f.Add([]byte("begin:vcard\nitem1.tel;type=pref;pref=x:tel:\nN:\\\nEND:VCARD\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows := OpenVCard(bytes.NewReader(data))
		defer rows.Close()
		last := 0
		header := true
		for i := 0; ; i++ {
			if i > len(data)+2 {
				t.Fatalf("more rows than lines")
			}
			line, cells, err := rows.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cells) != len(vcardColumns) {
				t.Fatalf("%d cells", len(cells))
			}
			for _, c := range cells {
				if !utf8.ValidString(c) {
					t.Fatalf("invalid UTF-8 %q", c)
				}
			}
			if header {
				header = false
				continue
			}
			if line < 1 || line <= last {
				t.Fatalf("line %d after %d", line, last)
			}
			last = line
			Convert(cells, vcardColumns)
		}
	})
}

// FuzzVCardRoundTrip: a customer written by our vCard export reads back with the same text
// fields, whatever they hold (escapes, separators, folding inside a character).
func FuzzVCardRoundTrip(f *testing.F) {
	f.Add("María José", "Núñez; \"la de Cádiz\"", "C/ Mayor, 1", "línea\\uno\nlínea dos", "Grupo, con coma")
	f.Add(`a\`, `\n`, `;;;`, `,`, `\,`)
	f.Add(strings.Repeat("ñ", 40), strings.Repeat("€", 30), "x", "=C3=B1", "myContacts")
	f.Fuzz(func(t *testing.T, first, last, street, notes, group string) {
		for _, s := range []string{first, last, street, notes, group} {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }) {
				return
			}
		}
		for _, s := range []string{first, last, street, group} {
			if strings.Contains(s, "\n") {
				return // one-line fields
			}
		}
		clean := func(s string) string { return strings.TrimSpace(s) }
		first, last, street, notes, group = clean(first), clean(last), clean(street), clean(notes), clean(group)
		if first == "" && last == "" || systemCategory(group) || strings.Contains(group, ",") {
			return // a category list: the first of its values is the group
		}
		c := domain.Customer{ID: "0190f1a2-0000-7000-8000-000000000001", Kind: domain.KindPerson, FirstName: first, LastName: last,
			Notes: notes, Address: domain.Address{Line1: street, City: "Madrid"}}
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, FormatVCard, "")
		if err := w.Write(&c, group); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		rows := OpenVCard(&buf)
		if _, _, err := rows.Next(); err != nil {
			t.Fatal(err)
		}
		_, cells, err := rows.Next()
		if err != nil {
			t.Fatal(err)
		}
		got := map[Field]string{}
		for i, f := range vcardColumns {
			got[f] = cells[i]
		}
		want := map[Field]string{FieldFirstName: first, FieldLastName: last,
			FieldLine1: street, FieldNotes: notes, FieldGroup: group}
		for f, v := range want {
			if got[f] != v {
				t.Errorf("%s: wrote %q, read %q\n%s", f, v, got[f], buf.String())
			}
		}
	})
}
