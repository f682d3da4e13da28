package transfer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/clientela/clientela/internal/domain"
)

func readAll(t *testing.T, r Rows) ([]int, [][]string) {
	t.Helper()
	var lines []int
	var rows [][]string
	for {
		line, cells, err := r.Next()
		if errors.Is(err, io.EOF) {
			return lines, rows
		}
		if err != nil {
			t.Fatal(err)
		}
		lines, rows = append(lines, line), append(rows, cells)
	}
}

func TestSniffDelimiters(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want rune
	}{
		{"comma", "Nombre,Apellidos,Población\nAna,García,Madrid\nLuis,\"Pérez, Gil\",Vigo\n", ','},
		{"semicolon with decimal commas", "Nombre;Límite de crédito;CP\nAna;1.500,50;28001\nLuis;200,00;36201\n", ';'},
		{"tab", "Name\tCompany\tCity\nAnn\tAcme, Inc.\tLeeds\nBob\tBeta; Ltd\tYork\n", '\t'},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := Sniff([]byte(tc.text))
			if f.Delimiter != tc.want || !f.Header || f.Encoding != EncodingUTF8 {
				t.Errorf("Sniff = %+v, want delimiter %q, header, utf-8", f, tc.want)
			}
		})
	}
}

func TestSniffEncodings(t *testing.T) {
	utf := "Nombre;Población\nMaría;Cádiz\n"
	bomText := append(append([]byte{}, bom...), utf...)
	// Windows-1252, as Excel saves "CSV (delimitado por comas)" on a Spanish Windows.
	win, err := win1252.NewEncoder().Bytes([]byte(utf))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want Encoding
	}{{"utf-8", []byte(utf), EncodingUTF8}, {"bom", bomText, EncodingUTF8BOM}, {"windows-1252", win, EncodingWin1252}} {
		t.Run(tc.name, func(t *testing.T) {
			f := Sniff(tc.data)
			if f.Encoding != tc.want || f.Delimiter != ';' || !f.Header {
				t.Fatalf("Sniff = %+v, want %s", f, tc.want)
			}
			_, rows := readAll(t, OpenCSV(bytes.NewReader(tc.data), f))
			if got := rows[1][0] + "/" + rows[1][1]; got != "María/Cádiz" {
				t.Errorf("read %q, want María/Cádiz", got)
			}
			if rows[0][0] != "Nombre" {
				t.Errorf("header %q: byte order mark not skipped?", rows[0][0])
			}
		})
	}
}

func TestSniffNoHeader(t *testing.T) {
	f := Sniff([]byte("Ana,García,ana@example.com\nLuis,Pérez,luis@example.com\n"))
	if f.Header {
		t.Errorf("a file of data rows sniffed as having a header")
	}
	f = Sniff([]byte("Cliente,Contacto,Ciudad\nAna,ana@example.com,Madrid 2\n"))
	if !f.Header {
		t.Errorf("unknown words over data rows: a header")
	}
}

func TestProposeMappingThreeLanguages(t *testing.T) {
	for _, tc := range []struct {
		headers []string
		want    []Field
	}{
		{[]string{"Nombre", "Apellidos", "NIF", "Razón social", "E-mail", "Teléfono", "Código postal", "Población", "Observaciones", "Otro"},
			[]Field{FieldFirstName, FieldLastName, FieldTaxID, FieldCompanyName, FieldEmail, FieldPhone, FieldPostalCode, FieldCity, FieldNotes, FieldIgnore}},
		{[]string{"Name", "Last name", "Company", "Email Address", "Phone", "ZIP", "City", "VAT number"},
			[]Field{FieldFirstName, FieldLastName, FieldCompanyName, FieldEmail, FieldPhone, FieldPostalCode, FieldCity, FieldTaxID}},
		{[]string{"Prénom", "Nom", "Société", "Courriel", "Téléphone", "Code postal", "Ville", "Pays"},
			[]Field{FieldFirstName, FieldLastName, FieldCompanyName, FieldEmail, FieldPhone, FieldPostalCode, FieldCity, FieldCountry}},
		{[]string{"Nombre", "nombre", "created_at"}, []Field{FieldFirstName, FieldIgnore, FieldIgnore}},
	} {
		got := ProposeMapping(tc.headers)
		for i := range tc.want {
			if got[i] != tc.want[i] {
				t.Errorf("%q → %q, want %q", tc.headers[i], got[i], tc.want[i])
			}
		}
	}
	// The export's own header maps to every field.
	for i, f := range ProposeMapping(header()) {
		if want := ExportFields()[i]; f != want && want != FieldCreatedAt && want != FieldUpdatedAt {
			t.Errorf("export column %q maps to %q", want, f)
		}
	}
}

func TestConvert(t *testing.T) {
	m := []Field{FieldKind, FieldTitle, FieldFirstName, FieldCompanyName, FieldInvoiceByEmail, FieldCreditLimit, FieldGroup}
	p, problems := Convert([]string{"", "Sra.", "Ana", "", "sí", "1.500,50", "VIP"}, m)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	ch := p.Changes
	if ch.Kind.Value != domain.KindPerson || ch.Title.Value != domain.TitleMrs || !ch.InvoiceByEmail.Value || ch.CreditLimitCents.Value != 150050 || p.Group != "VIP" {
		t.Errorf("Convert = %+v", p)
	}
	p, _ = Convert([]string{"", "", "", "Acme", "", "1500.00", ""}, m)
	if p.Changes.Kind.Value != domain.KindCompany || p.Changes.CreditLimitCents.Value != 150000 {
		t.Errorf("company inferred: %+v", p.Changes)
	}
	_, problems = Convert([]string{"alien", "Dr", "A", "", "maybe", "lots", ""}, m)
	var fields []string
	for _, f := range problems {
		fields = append(fields, f.Field)
	}
	if got := strings.Join(fields, ","); got != "title,invoice_by_email,credit_limit,kind" {
		t.Errorf("problems on %s", got)
	}
}

func sample() domain.Customer {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	return domain.Customer{ID: "0190f1a2-0000-7000-8000-000000000001", Kind: domain.KindPerson, Title: domain.TitleMs,
		FirstName: "María José", LastName: "Núñez; \"la de Cádiz\"", TaxID: "12345678Z", Email: "mj@example.com",
		Phone: "+34600111222", Address: domain.Address{Line1: "C/ Mayor, 1", PostalCode: "01001", City: "Vitoria", Country: "ES"},
		Reference: "0042", Notes: "line one\nline two", InvoiceByEmail: true, CreditLimitCents: 1234567, CreatedAt: at, UpdatedAt: at}
}

func TestCSVAndXLSXWriteThenRead(t *testing.T) {
	c := sample()
	for _, format := range []string{FormatCSV, FormatXLSX} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, format, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(&c, "Clientes VIP"); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			var rows Rows
			if format == FormatCSV {
				f := Sniff(buf.Bytes())
				if f != (CSVFormat{Delimiter: ',', Encoding: EncodingUTF8BOM, Header: true}) {
					t.Fatalf("export sniffed as %+v", f)
				}
				rows = OpenCSV(&buf, f)
			} else {
				if DetectKind(buf.Bytes()) != KindXLSX {
					t.Fatal("not detected as xlsx")
				}
				path := filepath.Join(t.TempDir(), "x.xlsx")
				if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
					t.Fatal(err)
				}
				rows, err = OpenXLSX(path)
				if err != nil {
					t.Fatal(err)
				}
			}
			defer rows.Close()
			lines, all := readAll(t, rows)
			if len(all) != 2 || lines[1] != 2 {
				t.Fatalf("rows %v lines %v", all, lines)
			}
			p, problems := Convert(all[1], ProposeMapping(all[0]))
			if len(problems) != 0 {
				t.Fatal(problems)
			}
			var got domain.Customer
			p.Changes.Apply(&got)
			got.ID, got.CreatedAt, got.UpdatedAt = p.ID, c.CreatedAt, c.UpdatedAt
			if got != c || p.Group != "Clientes VIP" {
				t.Errorf("read back\n%+v\nwant\n%+v", got, c)
			}
		})
	}
}

func TestVCard(t *testing.T) {
	c := sample()
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, FormatVCard, "")
	if err := w.Write(&c, "VIP"); err != nil {
		t.Fatal(err)
	}
	co := domain.Customer{ID: "0190f1a2-0000-7000-8000-000000000002", Kind: domain.KindCompany, CompanyName: "Talleres Pérez, S.L."}
	if err := w.Write(&co, ""); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"BEGIN:VCARD\r\nVERSION:4.0\r\n", "N:Núñez\\; \"la de Cádiz\";María José;;Ms.;\r\n",
		"TEL;VALUE=uri;TYPE=voice:tel:+34600111222\r\n", "NOTE:line one\\nline two\r\n", "ORG:Talleres Pérez\\, S.L.\r\n",
		"ADR:;;C/ Mayor\\, 1;Vitoria;;01001;ES\r\n", "END:VCARD\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("vCard lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\r\n") {
		if len(l) > 75 {
			t.Errorf("line longer than 75 octets: %q", l)
		}
	}
}

// FuzzSniffAndMap: whatever the bytes, sniffing, reading and mapping do not panic, every row
// read has a line, and converting rows under the proposed mapping never panics.
func FuzzSniffAndMap(f *testing.F) {
	f.Add([]byte("Nombre;Apellidos;NIF\nAna;García;12345678Z\n"))
	f.Add([]byte("\xEF\xBB\xBFName,Company,Email\n\"Ann\",\"Acme, Inc.\",a@b.c\n"))
	f.Add([]byte("Pr\xe9nom\tNom\tVille\nJos\xe9\tN\xfa\xf1ez\tLyon\n"))
	f.Add([]byte("\"unterminated,quote\n;;;\n\t\t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		format := Sniff(data)
		if !ValidDelimiter(format.Delimiter) || !ValidEncoding(format.Encoding) {
			t.Fatalf("Sniff = %+v", format)
		}
		rows := OpenCSV(bytes.NewReader(data), format)
		var mapping []Field
		for i := 0; i < 50; i++ {
			line, cells, err := rows.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				continue
			}
			if line < 1 {
				t.Fatalf("line %d", line)
			}
			if mapping == nil {
				mapping = ProposeMapping(cells)
				continue
			}
			Convert(cells, mapping)
		}
	})
}

// TestXLSXSpanishHeader: an .xlsx saved by a shop, with its header row in Spanish and numbers
// typed as numbers, opens with the header recognised and cells read as shown.
func TestXLSXSpanishHeader(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{{"Nombre", "Apellidos", "NIF", "Código postal", "Población", "Teléfono"},
		{"Ana", "García", "12345678Z", "08001", "Barcelona", 600111222},
		{},
		{"Luis", "Pérez", "", "28001", "Madrid", ""}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "clientes.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	file, err := Open(path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if file.Kind != KindXLSX {
		t.Fatalf("kind %s", file.Kind)
	}
	got := ProposeMapping(file.Headers)
	want := []Field{FieldFirstName, FieldLastName, FieldTaxID, FieldPostalCode, FieldCity, FieldPhone}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%q → %q, want %q", file.Headers[i], got[i], want[i])
		}
	}
	lines, data := readAll(t, file.Rows)
	if len(data) != 2 || lines[0] != 2 || lines[1] != 4 || data[0][3] != "08001" || data[0][5] != "600111222" || data[1][0] != "Luis" {
		t.Errorf("lines %v rows %q", lines, data)
	}
}

// FuzzCSVRoundTrip: a customer written by the CSV export reads back (sniffed, header
// recognised) with the same text fields, whatever they hold.
func FuzzCSVRoundTrip(f *testing.F) {
	f.Add("María José", "Núñez; \"la de Cádiz\"", "C/ Mayor, 1", "line one\nline two")
	f.Add("\"", ",", ";", "\t")
	f.Add("=1+1", "\uFEFFx", "a\r\nb", "")
	f.Fuzz(func(t *testing.T, first, last, street, notes string) {
		for _, s := range []string{first, last, street, notes} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, '\r') || s != strings.TrimSpace(s) {
				return // Convert trims cells; csv reads \r\n as \n
			}
		}
		c := domain.Customer{ID: "0190f1a2-0000-7000-8000-000000000001", Kind: domain.KindPerson, FirstName: first, LastName: last,
			Notes: notes, Address: domain.Address{Line1: street}}
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, FormatCSV, "")
		if err := w.Write(&c, ""); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		format := Sniff(buf.Bytes())
		if format != (CSVFormat{Delimiter: ',', Encoding: EncodingUTF8BOM, Header: true}) {
			t.Fatalf("sniffed %+v:\n%s", format, buf.String())
		}
		rows := OpenCSV(&buf, format)
		_, header, err := rows.Next()
		if err != nil {
			t.Fatal(err)
		}
		_, cells, err := rows.Next()
		if err != nil {
			t.Fatal(err)
		}
		p, _ := Convert(cells, ProposeMapping(header))
		var got domain.Customer
		p.Changes.Apply(&got)
		if got.FirstName != first || got.LastName != last || got.Notes != notes || got.Address.Line1 != street {
			t.Errorf("wrote %q %q %q %q, read %q %q %q %q", first, last, street, notes, got.FirstName, got.LastName, got.Address.Line1, got.Notes)
		}
	})
}

func TestDelimiterNames(t *testing.T) {
	for _, d := range Delimiters {
		if got, ok := ParseDelimiter(DelimiterName(d)); !ok || got != d {
			t.Errorf("%q: named %q, read back as %q %v", d, DelimiterName(d), got, ok)
		}
	}
	for _, bad := range []string{"", "|", "tabs", ",,"} {
		if _, ok := ParseDelimiter(bad); ok {
			t.Errorf("%q read as a delimiter", bad)
		}
	}
}
