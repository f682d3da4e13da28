package document

// A small PDF reader for the tests: enough of the format to read back what InvoicePDF
// wrote as a PDF viewer would — objects, Flate streams, page content, fonts with their
// ToUnicode maps and embedded TrueType programs — without trusting the writer's own code.

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

type pdfObject struct {
	dict   string
	stream []byte // decoded
}

type pdfDoc struct {
	objects map[int]*pdfObject
}

var (
	reObjHeader = regexp.MustCompile(`(?m)^(\d+) 0 obj\s*`)
	reLength    = regexp.MustCompile(`/Length (\d+)`)
)

func parsePDF(t testing.TB, data []byte) *pdfDoc {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) {
		t.Fatalf("not a PDF: starts with %q", data[:min(len(data), 8)])
	}
	if !bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")) {
		t.Fatal("PDF has no end-of-file marker")
	}
	doc := &pdfDoc{objects: map[int]*pdfObject{}}
	locs := reObjHeader.FindAllSubmatchIndex(data, -1)
	for _, loc := range locs {
		num, _ := strconv.Atoi(string(data[loc[2]:loc[3]]))
		body := data[loc[1]:]
		end := bytes.Index(body, []byte("endobj"))
		si := bytes.Index(body, []byte("stream\n"))
		obj := &pdfObject{}
		if si >= 0 && si < end {
			obj.dict = string(body[:si])
			m := reLength.FindStringSubmatch(obj.dict)
			if m == nil {
				t.Fatalf("object %d: stream without /Length", num)
			}
			n, _ := strconv.Atoi(m[1])
			raw := body[si+len("stream\n") : si+len("stream\n")+n]
			if !bytes.HasPrefix(body[si+len("stream\n")+n:], []byte("\nendstream")) {
				t.Fatalf("object %d: /Length %d does not end at endstream", num, n)
			}
			if strings.Contains(obj.dict, "/FlateDecode") {
				r, err := zlib.NewReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("object %d: inflate: %v", num, err)
				}
				dec, err := io.ReadAll(r)
				if err != nil {
					t.Fatalf("object %d: inflate: %v", num, err)
				}
				raw = dec
			}
			obj.stream = raw
		} else {
			obj.dict = string(body[:end])
		}
		doc.objects[num] = obj
	}
	if len(doc.objects) == 0 {
		t.Fatal("PDF has no objects")
	}
	return doc
}

// ref returns the object that dict's key refers to ("/Key N 0 R").
func (d *pdfDoc) ref(t testing.TB, dict, key string) *pdfObject {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(key) + `\s*\[?\s*(\d+) 0 R`).FindStringSubmatch(dict)
	if m == nil {
		t.Fatalf("no %s reference in %q", key, dict)
	}
	n, _ := strconv.Atoi(m[1])
	o, ok := d.objects[n]
	if !ok {
		t.Fatalf("%s refers to missing object %d", key, n)
	}
	return o
}

// pages returns the page objects in the order of the page tree.
func (d *pdfDoc) pages(t testing.TB) []*pdfObject {
	t.Helper()
	for _, o := range d.objects {
		if strings.Contains(o.dict, "/Type /Pages") {
			kids := regexp.MustCompile(`/Kids \[([^\]]*)\]`).FindStringSubmatch(o.dict)
			if kids == nil {
				t.Fatal("page tree without /Kids")
			}
			var out []*pdfObject
			for _, m := range regexp.MustCompile(`(\d+) 0 R`).FindAllStringSubmatch(kids[1], -1) {
				n, _ := strconv.Atoi(m[1])
				out = append(out, d.objects[n])
			}
			return out
		}
	}
	t.Fatal("PDF has no page tree")
	return nil
}

// pdfFont is a Type0 font as a viewer reads it.
type pdfFont struct {
	baseFont  string
	toUnicode map[uint16]rune
	cidToGID  []byte // 2 bytes per CID
	fontFile  []byte // the embedded TrueType program (FontFile2)
}

func (d *pdfDoc) font(t testing.TB, obj *pdfObject) *pdfFont {
	t.Helper()
	f := &pdfFont{}
	if m := regexp.MustCompile(`/BaseFont /(\S+)`).FindStringSubmatch(obj.dict); m != nil {
		f.baseFont = m[1]
	}
	if !strings.Contains(obj.dict, "/Subtype /Type0") || !strings.Contains(obj.dict, "/Encoding /Identity-H") {
		t.Fatalf("font %s is not a Type0 Identity-H font: %q", f.baseFont, obj.dict)
	}
	f.toUnicode = parseToUnicode(t, d.ref(t, obj.dict, "/ToUnicode").stream)
	cid := d.ref(t, obj.dict, "/DescendantFonts")
	if !strings.Contains(cid.dict, "/Subtype /CIDFontType2") {
		t.Fatalf("descendant of %s is not a TrueType CID font", f.baseFont)
	}
	f.cidToGID = d.ref(t, cid.dict, "/CIDToGIDMap").stream
	desc := d.ref(t, cid.dict, "/FontDescriptor")
	f.fontFile = d.ref(t, desc.dict, "/FontFile2").stream
	return f
}

// parseToUnicode reads the bfrange and bfchar sections of a ToUnicode CMap (BMP targets).
func parseToUnicode(t testing.TB, cmap []byte) map[uint16]rune {
	t.Helper()
	m := map[uint16]rune{}
	hex := func(s string) uint32 {
		v, err := strconv.ParseUint(strings.Trim(s, "<>"), 16, 32)
		if err != nil {
			t.Fatalf("ToUnicode: bad hex %q", s)
		}
		return uint32(v)
	}
	text := string(cmap)
	for _, sec := range regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`).FindAllStringSubmatch(text, -1) {
		for _, e := range regexp.MustCompile(`(<[0-9A-Fa-f]+>)\s*(<[0-9A-Fa-f]+>)\s*(<[0-9A-Fa-f]+>)`).FindAllStringSubmatch(sec[1], -1) {
			lo, hi, dst := hex(e[1]), hex(e[2]), hex(e[3])
			for c := lo; c <= hi; c++ {
				m[uint16(c)] = rune(dst + c - lo)
			}
		}
	}
	for _, sec := range regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`).FindAllStringSubmatch(text, -1) {
		for _, e := range regexp.MustCompile(`(<[0-9A-Fa-f]+>)\s*(<[0-9A-Fa-f]+>)`).FindAllStringSubmatch(sec[1], -1) {
			m[uint16(hex(e[1]))] = rune(hex(e[2]))
		}
	}
	if len(m) == 0 {
		t.Fatal("ToUnicode CMap maps nothing")
	}
	return m
}

// textRun is one string a page shows, decoded through its font's ToUnicode map.
type textRun struct {
	font  *pdfFont
	codes []uint16
	text  string
	x, y  float64
}

// rect is a rectangle filled in black ("x y w h re f" with gray 0 fill).
type rect struct{ x, y, w, h float64 }

// pageContent is what one page draws.
type pageContent struct {
	runs  []textRun
	black []rect
}

// readPage interprets the page's content stream: the text operators Tf, Td, Tj and the
// fill operators g, rg, re, f — all that InvoicePDF's pages use.
func (d *pdfDoc) readPage(t testing.TB, page *pdfObject, fonts map[string]*pdfFont) pageContent {
	t.Helper()
	content := d.ref(t, page.dict, "/Contents").stream
	res := d.ref(t, page.dict, "/Resources").dict
	fontDict := regexp.MustCompile(`(?s)/Font\s*<<(.*?)>>`).FindStringSubmatch(res)
	if fontDict == nil {
		t.Fatal("page resources have no /Font dictionary")
	}
	resFonts := map[string]*pdfFont{}
	for _, m := range regexp.MustCompile(`/(\S+)\s+(\d+) 0 R`).FindAllStringSubmatch(fontDict[1], -1) {
		n, _ := strconv.Atoi(m[2])
		if fonts[m[2]] == nil {
			fonts[m[2]] = d.font(t, d.objects[n])
		}
		resFonts[m[1]] = fonts[m[2]]
	}

	var pc pageContent
	var stack []string // operands
	var cur *pdfFont
	var tx, ty float64
	black := true
	num := func(i int) float64 {
		v, err := strconv.ParseFloat(stack[len(stack)-i], 64)
		if err != nil {
			t.Fatalf("content: operand %q is not a number", stack[len(stack)-i])
		}
		return v
	}
	for _, tok := range tokenize(t, content) {
		switch tok {
		case "Tf":
			name := strings.TrimPrefix(stack[len(stack)-2], "/")
			cur = resFonts[name]
			if cur == nil {
				t.Fatalf("content selects font /%s that the page does not have", name)
			}
		case "Td":
			tx, ty = num(2), num(1)
		case "Tj":
			s := stack[len(stack)-1]
			if cur == nil {
				t.Fatal("Tj before any Tf")
			}
			raw := []byte(s[1:]) // literal string, unescaped, prefixed by "("
			if len(raw)%2 != 0 {
				t.Fatalf("odd-length string for a 2-byte CID font: %q", raw)
			}
			run := textRun{font: cur, x: tx, y: ty}
			var units []uint16
			for i := 0; i < len(raw); i += 2 {
				code := uint16(raw[i])<<8 | uint16(raw[i+1])
				run.codes = append(run.codes, code)
				r, ok := cur.toUnicode[code]
				if !ok {
					t.Fatalf("code %04X has no ToUnicode mapping", code)
				}
				units = append(units, uint16(r))
			}
			// The map's targets are UTF-16 units, as the CMap's <hex> destinations are.
			run.text = string(utf16.Decode(units))
			pc.runs = append(pc.runs, run)
		case "g":
			black = num(1) == 0
		case "rg":
			black = num(3) == 0 && num(2) == 0 && num(1) == 0
		case "re":
			r := rect{num(4), num(3), num(2), num(1)}
			stack = stack[:0]
			stack = append(stack, "rect", fmt.Sprint(r.x), fmt.Sprint(r.y), fmt.Sprint(r.w), fmt.Sprint(r.h))
			continue
		case "f":
			if len(stack) == 5 && stack[0] == "rect" && black {
				pc.black = append(pc.black, rect{num(4), num(3), num(2), num(1)})
			}
		}
		if isOperator(tok) {
			stack = stack[:0]
		} else {
			stack = append(stack, tok)
		}
	}
	return pc
}

func isOperator(tok string) bool {
	if tok == "" || tok[0] == '(' || tok[0] == '/' || tok[0] == '[' || tok[0] == ']' {
		return false
	}
	_, err := strconv.ParseFloat(tok, 64)
	return err != nil
}

// tokenize splits a content stream into operands and operators; a literal string comes
// back as "(" followed by its unescaped bytes.
func tokenize(t testing.TB, s []byte) []string {
	t.Helper()
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		case c == '(':
			var b []byte
			depth := 1
			i++
			for ; i < len(s) && depth > 0; i++ {
				c := s[i]
				switch c {
				case '\\':
					i++
					if i >= len(s) {
						t.Fatal("unterminated escape")
					}
					e := s[i]
					switch e {
					case 'n':
						b = append(b, '\n')
					case 'r':
						b = append(b, '\r')
					case 't':
						b = append(b, '\t')
					case 'b':
						b = append(b, '\b')
					case 'f':
						b = append(b, '\f')
					case '0', '1', '2', '3', '4', '5', '6', '7':
						v := 0
						for k := 0; k < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7'; k++ {
							v = v*8 + int(s[i]-'0')
							i++
						}
						i--
						b = append(b, byte(v))
					default:
						b = append(b, e)
					}
				case '(':
					depth++
					b = append(b, c)
				case ')':
					depth--
					if depth > 0 {
						b = append(b, c)
					}
				default:
					b = append(b, c)
				}
			}
			toks = append(toks, "("+string(b))
		case c == '[' || c == ']':
			toks = append(toks, string(c))
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \n\r\t()[]", rune(s[j])) {
				j++
			}
			toks = append(toks, string(s[i:j]))
			i = j
		}
	}
	return toks
}

// readInvoicePDF parses data and returns each page's content.
func readInvoicePDF(t testing.TB, data []byte) (*pdfDoc, []pageContent, map[string]*pdfFont) {
	t.Helper()
	doc := parsePDF(t, data)
	fonts := map[string]*pdfFont{}
	var pages []pageContent
	for _, p := range doc.pages(t) {
		pages = append(pages, doc.readPage(t, p, fonts))
	}
	return doc, pages, fonts
}

// pageText returns the page's text as lines: runs on the same baseline joined left to
// right by a space, lines from the top of the page down.
func pageText(pc pageContent) string {
	byY := map[float64][]textRun{}
	for _, r := range pc.runs {
		byY[r.y] = append(byY[r.y], r)
	}
	ys := make([]float64, 0, len(byY))
	for y := range byY {
		ys = append(ys, y)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ys)))
	var lines []string
	for _, y := range ys {
		runs := byY[y]
		sort.Slice(runs, func(i, j int) bool { return runs[i].x < runs[j].x })
		parts := make([]string, len(runs))
		for i, r := range runs {
			parts[i] = r.text
		}
		lines = append(lines, strings.Join(parts, " "))
	}
	return strings.Join(lines, "\n")
}
