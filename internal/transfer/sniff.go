package transfer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// Encoding is a CSV file's character encoding.
type Encoding string

// The encodings a CSV file may have.
const (
	EncodingUTF8    Encoding = "utf-8"
	EncodingUTF8BOM Encoding = "utf-8-bom"
	EncodingWin1252 Encoding = "windows-1252"
)

// ValidEncoding reports whether e is one of the encodings read.
func ValidEncoding(e Encoding) bool {
	return e == EncodingUTF8 || e == EncodingUTF8BOM || e == EncodingWin1252
}

// Delimiters are the CSV delimiters recognised.
var Delimiters = []rune{',', ';', '\t'}

// ValidDelimiter reports whether d is one of Delimiters.
func ValidDelimiter(d rune) bool { return d == ',' || d == ';' || d == '\t' }

// DelimiterName is how the faces write a delimiter: itself, or "tab".
func DelimiterName(d rune) string {
	if d == '\t' {
		return "tab"
	}
	return string(d)
}

// ParseDelimiter reads a delimiter as the faces take it: ",", ";", "tab" (or a tab, or
// "\t" as a shell passes it); ok is false for anything else.
func ParseDelimiter(name string) (d rune, ok bool) {
	switch name {
	case ",", ";":
		return rune(name[0]), true
	case "tab", "\\t", "\t":
		return '\t', true
	}
	return 0, false
}

// CSVFormat is how a CSV file is written: what Sniff finds, and the user may change.
type CSVFormat struct {
	Delimiter rune
	Encoding  Encoding
	Header    bool // the first row names the columns
}

// SniffSize is how much of a file Sniff looks at.
const SniffSize = 64 << 10

// Sniff guesses a CSV file's format from its first bytes (up to SniffSize): the encoding from
// a byte order mark or from whether the bytes are valid UTF-8 (Windows-1252 otherwise, as
// Excel saves "CSV" on a Spanish Windows); the delimiter that splits the first lines into the
// same number of fields, the most of them; a header when the first row names a known field,
// or holds no digits nor '@' while the next rows do.
func Sniff(head []byte) CSVFormat {
	f := CSVFormat{Delimiter: ',', Encoding: EncodingUTF8}
	switch {
	case bytes.HasPrefix(head, bom):
		f.Encoding = EncodingUTF8BOM
		head = head[len(bom):]
	case !validUTF8Prefix(head, len(head) == SniffSize):
		f.Encoding = EncodingWin1252
	}
	text := string(head)
	if f.Encoding == EncodingWin1252 {
		text = decode1252(head)
	}
	// Only whole lines: the last one may be cut.
	if len(head) == SniffSize {
		if i := strings.LastIndexByte(text, '\n'); i > 0 {
			text = text[:i+1]
		}
	}
	best, bestScore := ',', -1
	var bestRows [][]string
	for _, d := range Delimiters {
		rows := sampleRows(text, d, 20)
		score := delimiterScore(rows)
		if score > bestScore {
			best, bestScore, bestRows = d, score, rows
		}
	}
	f.Delimiter = best
	f.Header = looksLikeHeader(bestRows)
	return f
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// validUTF8Prefix reports whether b is UTF-8, allowing a rune cut at the end when cut.
func validUTF8Prefix(b []byte, cut bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !cut {
		return false
	}
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		if utf8.Valid(b[:len(b)-i]) {
			return true
		}
	}
	return false
}

func sampleRows(text string, d rune, n int) [][]string {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = d, -1, true, false
	var rows [][]string
	for len(rows) < n {
		rec, err := r.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			break
		}
		rows = append(rows, rec)
	}
	return rows
}

// delimiterScore: the number of fields when every sampled row has it (and more than one),
// weighted over a delimiter that splits rows unevenly.
func delimiterScore(rows [][]string) int {
	if len(rows) == 0 {
		return 0
	}
	n := len(rows[0])
	same := 0
	for _, r := range rows {
		if len(r) == n {
			same++
		}
	}
	if n < 2 {
		return 0
	}
	return same*1000/len(rows)*100 + n
}

func looksLikeHeader(rows [][]string) bool {
	if len(rows) == 0 {
		return false
	}
	known := 0
	for _, c := range rows[0] {
		if knownHeader(c) {
			known++
		}
	}
	if known > 0 {
		return true
	}
	dataLike := func(row []string) bool {
		for _, c := range row {
			if strings.ContainsAny(c, "0123456789@") {
				return true
			}
		}
		return false
	}
	if dataLike(rows[0]) {
		return false
	}
	for _, r := range rows[1:] {
		if dataLike(r) {
			return true
		}
	}
	return false
}

// decode1252 decodes Windows-1252 bytes.
func decode1252(b []byte) string {
	s, _ := win1252.NewDecoder().Bytes(b) // the decoder maps every byte
	return string(s)
}

// NewCSVDecoder returns r decoded to UTF-8 from e (a byte order mark skipped).
func newDecodingReader(r io.Reader, e Encoding) io.Reader {
	switch e {
	case EncodingWin1252:
		return win1252.NewDecoder().Reader(r)
	default:
		return &bomSkipper{r: r}
	}
}

// bomSkipper drops a UTF-8 byte order mark at the start of r.
type bomSkipper struct {
	r       io.Reader
	checked bool
	buf     []byte
}

func (b *bomSkipper) Read(p []byte) (int, error) {
	if !b.checked {
		b.checked = true
		head := make([]byte, 3)
		n, err := io.ReadFull(b.r, head)
		head = head[:n]
		if !bytes.Equal(head, bom) {
			b.buf = head
		}
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return 0, err
		}
	}
	if len(b.buf) > 0 {
		n := copy(p, b.buf)
		b.buf = b.buf[n:]
		return n, nil
	}
	return b.r.Read(p)
}
