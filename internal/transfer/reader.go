package transfer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

var win1252 = charmap.Windows1252

// Rows reads a file's rows one at a time, whatever its format.
type Rows interface {
	// Next returns the next row and the line it starts on (1 for the first, as an editor or
	// a spreadsheet numbers them); io.EOF after the last.
	Next() (line int, cells []string, err error)
	Close() error
}

// FileKind is a file's format.
type FileKind string

// The formats read.
const (
	KindCSV  FileKind = "csv"
	KindXLSX FileKind = "xlsx"
)

// DetectKind tells an .xlsx file (a zip archive) and a vCard file (BEGIN:VCARD) from a CSV
// file by their first bytes.
func DetectKind(head []byte) FileKind {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return KindXLSX
	}
	if isVCard(head) {
		return KindVCard
	}
	return KindCSV
}

// MaxCellLen bounds a cell: longer cells are refused as the row's, not read whole.
const maxFieldsPerRow = 200

// csvRows reads CSV.
type csvRows struct {
	r *csv.Reader
}

// OpenCSV reads r as CSV in format f (the header, when there is one, is the first row Next
// returns).
func OpenCSV(r io.Reader, f CSVFormat) Rows {
	cr := csv.NewReader(newDecodingReader(r, f.Encoding))
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = f.Delimiter, -1, true, false
	return &csvRows{r: cr}
}

func (c *csvRows) Next() (int, []string, error) {
	for {
		rec, err := c.r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, nil, io.EOF
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return pe.StartLine, nil, fmt.Errorf("line %d: %w", pe.StartLine, err)
			}
			return 0, nil, fmt.Errorf("read csv: %w", err)
		}
		line, _ := c.r.FieldPos(0)
		if len(rec) > maxFieldsPerRow {
			return line, nil, fmt.Errorf("line %d: more than %d columns", line, maxFieldsPerRow)
		}
		if blank(rec) {
			continue
		}
		return line, rec, nil
	}
}

func (c *csvRows) Close() error { return nil }

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// xlsxRows reads the first sheet of an .xlsx file with excelize's streaming row reader: the
// sheet is unzipped to a temporary file when large, never held whole in memory.
type xlsxRows struct {
	f    *excelize.File
	rows *excelize.Rows
	line int
}

// OpenXLSX reads the first sheet of the .xlsx file at path.
func OpenXLSX(path string) (Rows, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, fmt.Errorf("open xlsx: %w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("open xlsx: no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open xlsx: %w", err)
	}
	return &xlsxRows{f: f, rows: rows}, nil
}

func (x *xlsxRows) Next() (int, []string, error) {
	for x.rows.Next() {
		x.line++
		rec, err := x.rows.Columns()
		if err != nil {
			return x.line, nil, fmt.Errorf("row %d: %w", x.line, err)
		}
		if len(rec) > maxFieldsPerRow {
			return x.line, nil, fmt.Errorf("row %d: more than %d columns", x.line, maxFieldsPerRow)
		}
		if blank(rec) {
			continue
		}
		return x.line, rec, nil
	}
	if err := x.rows.Error(); err != nil {
		return 0, nil, fmt.Errorf("read xlsx: %w", err)
	}
	return 0, nil, io.EOF
}

func (x *xlsxRows) Close() error {
	err := x.rows.Close()
	if cerr := x.f.Close(); err == nil {
		err = cerr
	}
	return err
}
