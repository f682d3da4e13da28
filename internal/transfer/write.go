package transfer

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/clientela/clientela/internal/domain"
)

// Export formats.
const (
	FormatCSV   = "csv"
	FormatXLSX  = "xlsx"
	FormatVCard = "vcf"
)

// ValidFormat reports whether f is an export format ("vcard" is read as "vcf").
func ValidFormat(f string) bool { return f == FormatCSV || f == FormatXLSX || f == FormatVCard }

// Record is the row of ExportFields for a customer whose group is named groupName.
func Record(c *domain.Customer, groupName string) []string {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	return []string{c.ID, string(c.Kind), string(c.Title), c.FirstName, c.LastName, c.CompanyName, c.LegalForm,
		c.TaxID, c.Email, c.Phone, c.Address.Line1, c.Address.Line2, c.Address.PostalCode, c.Address.City,
		c.Address.Region, c.Address.Country, c.Reference, c.AccountNumber, groupName, c.Notes,
		yn(c.InvoiceByEmail), yn(c.MarketingConsent), cents(c.CreditLimitCents),
		c.CreatedAt.UTC().Format(time.RFC3339), c.UpdatedAt.UTC().Format(time.RFC3339)}
}

func cents(v int64) string {
	return strconv.FormatInt(v/100, 10) + "." + fmt.Sprintf("%02d", v%100)
}

func header() []string {
	var out []string
	for _, f := range ExportFields() {
		out = append(out, string(f))
	}
	return out
}

// Writer writes customers in one export format.
type Writer interface {
	Write(c *domain.Customer, groupName string) error
	// Close finishes the file (it does not close the underlying writer).
	Close() error
}

// NewWriter returns a writer of format to w: CSV (UTF-8 with a byte order mark, so Excel reads
// the accents, comma-separated, a header row of ExportFields), .xlsx (streamed to a
// temporary file in tmpDir, then copied to w at Close) or vCard 4.0.
func NewWriter(w io.Writer, format, tmpDir string) (Writer, error) {
	switch format {
	case FormatCSV:
		bw := bufio.NewWriterSize(w, 64<<10)
		if _, err := bw.Write(bom); err != nil {
			return nil, fmt.Errorf("write csv: %w", err)
		}
		cw := csv.NewWriter(bw)
		if err := cw.Write(header()); err != nil {
			return nil, fmt.Errorf("write csv: %w", err)
		}
		return &csvWriter{bw: bw, cw: cw}, nil
	case FormatXLSX:
		return newXLSXWriter(w, tmpDir)
	case FormatVCard:
		return &vcardWriter{bw: bufio.NewWriterSize(w, 64<<10)}, nil
	}
	return nil, fmt.Errorf("unknown export format %q", format)
}

type csvWriter struct {
	bw *bufio.Writer
	cw *csv.Writer
}

func (c *csvWriter) Write(cu *domain.Customer, group string) error {
	if err := c.cw.Write(Record(cu, group)); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func (c *csvWriter) Close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	if err := c.bw.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// xlsxWriter streams rows with excelize's StreamWriter (which spills to a temporary file
// past a few megabytes), every cell as text so that postal codes and phones keep their zeros.
type xlsxWriter struct {
	w   io.Writer
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
	buf []any
}

func newXLSXWriter(w io.Writer, tmpDir string) (*xlsxWriter, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: tmpDir})
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	x := &xlsxWriter{w: w, f: f, sw: sw}
	if err := x.writeRow(header()); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

func (x *xlsxWriter) writeRow(cells []string) error {
	x.row++
	x.buf = x.buf[:0]
	for _, c := range cells {
		x.buf = append(x.buf, c)
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := x.sw.SetRow(cell, x.buf); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func (x *xlsxWriter) Write(c *domain.Customer, group string) error {
	return x.writeRow(Record(c, group))
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if _, err := x.f.WriteTo(x.w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// vcardWriter writes vCard 4.0 (RFC 6350), one card per customer.
type vcardWriter struct{ bw *bufio.Writer }

func (v *vcardWriter) Write(c *domain.Customer, group string) error {
	var b strings.Builder
	line := func(s string) { b.WriteString(fold(s)) }
	line("BEGIN:VCARD")
	line("VERSION:4.0")
	if c.ID != "" {
		line("UID:urn:uuid:" + c.ID)
	}
	fn := c.DisplayName()
	line("FN:" + esc(fn))
	if c.Kind == domain.KindCompany {
		line("KIND:org")
		line("ORG:" + esc(c.CompanyName))
	} else {
		line("KIND:individual")
		prefix := map[domain.Title]string{domain.TitleMr: "Mr.", domain.TitleMrs: "Mrs.", domain.TitleMs: "Ms."}[c.Title]
		line("N:" + esc(c.LastName) + ";" + esc(c.FirstName) + ";;" + esc(prefix) + ";")
	}
	if c.Email != "" {
		line("EMAIL;TYPE=work:" + esc(c.Email))
	}
	if c.Phone != "" {
		line("TEL;VALUE=uri;TYPE=voice:tel:" + c.Phone) // E.164 and ";ext=", an RFC 3966 URI already
	}
	a := c.Address
	if a.Line1 != "" || a.City != "" || a.PostalCode != "" || a.Country != "" {
		street := esc(a.Line1)
		if a.Line2 != "" {
			street += "," + esc(a.Line2) // a second value of the street component
		}
		line("ADR:;;" + street + ";" + esc(a.City) + ";" + esc(a.Region) + ";" + esc(a.PostalCode) + ";" + esc(a.Country))
	}
	if group != "" {
		line("CATEGORIES:" + esc(group))
	}
	if c.Notes != "" {
		line("NOTE:" + esc(c.Notes))
	}
	if c.TaxID != "" {
		line("X-TAX-ID:" + esc(c.TaxID))
	}
	if c.Reference != "" {
		line("X-REFERENCE:" + esc(c.Reference))
	}
	if !c.UpdatedAt.IsZero() {
		line("REV:" + c.UpdatedAt.UTC().Format("20060102T150405Z"))
	}
	line("END:VCARD")
	if _, err := v.bw.WriteString(b.String()); err != nil {
		return fmt.Errorf("write vcard: %w", err)
	}
	return nil
}

func (v *vcardWriter) Close() error {
	if err := v.bw.Flush(); err != nil {
		return fmt.Errorf("write vcard: %w", err)
	}
	return nil
}

// esc escapes a vCard text value (RFC 6350 3.4): backslash, comma, semicolon, new line.
func esc(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// fold ends a content line with CRLF, folded at 75 octets without splitting a UTF-8
// character (RFC 6350 3.2).
func fold(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		l := len(string(r))
		if n+l > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += l
	}
	b.WriteString("\r\n")
	return b.String()
}

// TempFile makes a temporary file in dir for an upload or an export (the caller removes it).
func TempFile(dir, pattern string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, fmt.Errorf("temporary file: %w", err)
	}
	return f, nil
}
