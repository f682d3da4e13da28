package accounting

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Writer writes entries one at a time; Flush writes out what is buffered.
type Writer interface {
	WriteEntry(e *Entry) error
	Flush() error
}

// CSVHeader is the first line of the CSV journal.
var CSVHeader = []string{"date", "entry", "account", "account_label", "document", "label", "debit", "credit"}

// FECHeader are the 18 columns of the French FEC (A47 A-1 LPF), in order.
var FECHeader = []string{"JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
	"CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet",
	"DateLet", "ValidDate", "Montantdevise", "Idevise"}

// Amount writes cents with two decimals and sep as the decimal mark, no thousands
// separator: 123456 → "1234.56".
func Amount(cents int64, sep byte) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	s := strconv.FormatInt(cents/100, 10) + string(sep) + strconv.FormatInt(cents%100+100, 10)[1:]
	if neg {
		return "-" + s
	}
	return s
}

type csvWriter struct {
	w      *csv.Writer
	header bool
	rec    []string
}

// NewCSVWriter writes the CSV journal: UTF-8, RFC 4180 (fields quoted when needed, CRLF),
// the header CSVHeader, one row per line, ISO dates, amounts with a decimal point. Text
// fields that a spreadsheet would take for a formula (starting with = + - @) get a leading
// apostrophe.
func NewCSVWriter(w io.Writer) Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvWriter{w: cw, rec: make([]string, len(CSVHeader))}
}

func (c *csvWriter) WriteEntry(e *Entry) error {
	if !c.header {
		c.header = true
		if err := c.w.Write(CSVHeader); err != nil {
			return err
		}
	}
	date, num := e.Date.Format("2006-01-02"), strconv.FormatInt(e.Number, 10)
	for _, l := range e.Lines {
		r := c.rec
		r[0], r[1], r[2], r[3] = date, num, l.Account.Number, noFormula(l.Account.Label)
		r[4], r[5] = noFormula(e.Document), noFormula(e.Label)
		r[6], r[7] = Amount(l.DebitCents, '.'), Amount(l.CreditCents, '.')
		if err := c.w.Write(r); err != nil {
			return err
		}
	}
	return nil
}

func (c *csvWriter) Flush() error {
	if !c.header {
		c.header = true
		if err := c.w.Write(CSVHeader); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}

func noFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type fecWriter struct {
	w      *bufio.Writer
	header bool
	names  map[JournalCode]string
}

// NewFECWriter writes the French FEC: the 18 columns of FECHeader, tab separated, CRLF,
// UTF-8, dates AAAAMMJJ, amounts with a decimal comma and no thousands separator. Tabs and
// line breaks inside texts become spaces. names are the journals' names (JournalLib).
func NewFECWriter(w io.Writer, names map[JournalCode]string) Writer {
	return &fecWriter{w: bufio.NewWriterSize(w, 64<<10), names: names}
}

var fecClean = strings.NewReplacer("\t", " ", "\r", " ", "\n", " ")

func (f *fecWriter) writeHeader() {
	if !f.header {
		f.header = true
		f.w.WriteString(strings.Join(FECHeader, "\t"))
		f.w.WriteString("\r\n")
	}
}

func (f *fecWriter) WriteEntry(e *Entry) error {
	f.writeHeader()
	date, num := e.Date.Format("20060102"), strconv.FormatInt(e.Number, 10)
	jname := fecClean.Replace(f.names[e.Journal])
	doc, label := fecClean.Replace(e.Document), fecClean.Replace(e.Label)
	for _, l := range e.Lines {
		fields := [18]string{string(e.Journal), jname, num, date, l.Account.Number, fecClean.Replace(l.Account.Label),
			l.Aux.Number, fecClean.Replace(l.Aux.Label), doc, date, label,
			Amount(l.DebitCents, ','), Amount(l.CreditCents, ','), "", "", date, "", ""}
		for i, s := range fields {
			if i > 0 {
				f.w.WriteByte('\t')
			}
			f.w.WriteString(s)
		}
		if _, err := f.w.WriteString("\r\n"); err != nil {
			return err
		}
	}
	return nil
}

func (f *fecWriter) Flush() error {
	f.writeHeader()
	return f.w.Flush()
}
