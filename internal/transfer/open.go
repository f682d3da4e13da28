package transfer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// File is an uploaded or given file opened for an import: its kind, its CSV format, its
// column names (the header, or "1", "2"… without one) and its data rows.
type File struct {
	Kind    FileKind
	Format  CSVFormat // CSV only
	Headers []string
	Rows    Rows // after the header
	f       *os.File
}

// Close closes the rows and the file.
func (f *File) Close() error {
	err := f.Rows.Close()
	if f.f != nil {
		if cerr := f.f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// Open opens the file at path: an .xlsx or a vCard file by its first bytes, CSV otherwise,
// in format (nil: sniffed). header says whether the first row names the columns (nil: for CSV
// as sniffed, for .xlsx yes; a vCard file always has its fixed columns, VCardColumns).
func Open(path string, format *CSVFormat, header *bool) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	head := make([]byte, SniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, fmt.Errorf("read: %w", err)
	}
	head = head[:n]
	out := &File{Kind: DetectKind(head)}
	hasHeader := true
	switch out.Kind {
	case KindXLSX:
		f.Close()
		if out.Rows, err = OpenXLSX(path); err != nil {
			return nil, err
		}
	case KindVCard:
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, fmt.Errorf("read: %w", err)
		}
		out.f = f
		out.Rows = OpenVCard(f)
		header = nil
	default:
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, fmt.Errorf("read: %w", err)
		}
		out.f = f
		out.Format = Sniff(head)
		if format != nil {
			out.Format = *format
		}
		hasHeader = out.Format.Header
		out.Rows = OpenCSV(f, out.Format)
	}
	if header != nil {
		hasHeader = *header
	}
	out.Format.Header = hasHeader
	line, first, err := out.Rows.Next()
	if errors.Is(err, io.EOF) {
		out.Close()
		return nil, errors.New("the file holds no rows")
	}
	if err != nil {
		out.Close()
		return nil, err
	}
	if hasHeader {
		out.Headers = first
		return out, nil
	}
	for i := range first {
		out.Headers = append(out.Headers, strconv.Itoa(i+1))
	}
	out.Rows = &prepended{line: line, cells: first, Rows: out.Rows}
	return out, nil
}

// prepended gives a first row already read, then the rest.
type prepended struct {
	line  int
	cells []string
	done  bool
	Rows
}

func (p *prepended) Next() (int, []string, error) {
	if !p.done {
		p.done = true
		return p.line, p.cells, nil
	}
	return p.Rows.Next()
}
