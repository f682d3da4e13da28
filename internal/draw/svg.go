package draw

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

const svgNS = "http://www.w3.org/2000/svg"

// writeEscaped writes s as XML character data or attribute value. Besides the five markup
// characters it replaces what XML 1.0 cannot carry even escaped (C0 controls other than tab,
// line feed and carriage return, U+FFFE, U+FFFF, invalid UTF-8) with U+FFFD, so any label
// yields a well-formed document.
func writeEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '&':
				b.WriteString("&amp;")
			case c == '<':
				b.WriteString("&lt;")
			case c == '>':
				b.WriteString("&gt;")
			case c == '"':
				b.WriteString("&#34;")
			case c == '\'':
				b.WriteString("&#39;")
			case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0x7f:
				b.WriteRune(utf8.RuneError)
			default:
				b.WriteByte(c)
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF || (r >= 0x80 && r <= 0x9f) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
}

// num formats a coordinate with at most two decimals. Geometry is float64 (it is not money);
// a non-finite value would be a bug upstream, and is written as 0 so the document stays valid.
func num(f float64) string {
	var buf [32]byte
	return string(appendNum(buf[:0], f))
}

func appendNum(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, '0')
	}
	r := math.Round(f*100) / 100
	if r == 0 {
		r = 0 // no "-0"
	}
	if r == math.Trunc(r) && math.Abs(r) < 1e15 {
		return strconv.AppendInt(dst, int64(r), 10)
	}
	return strconv.AppendFloat(dst, r, 'f', -1, 64)
}

// attr writes ` name="value"` with value escaped.
func attr(b *strings.Builder, name, value string) {
	b.WriteByte(' ')
	b.WriteString(name)
	b.WriteString(`="`)
	writeEscaped(b, value)
	b.WriteByte('"')
}

// numAttr writes ` name="<num(v)>"`.
func numAttr(b *strings.Builder, name string, v float64) {
	var buf [48]byte
	w := append(buf[:0], ' ')
	w = append(w, name...)
	w = append(w, '=', '"')
	w = appendNum(w, v)
	b.Write(append(w, '"'))
}

// intAttr writes ` name="<v>"`.
func intAttr(b *strings.Builder, name string, v int) {
	var buf [48]byte
	w := append(buf[:0], ' ')
	w = append(w, name...)
	w = append(w, '=', '"')
	w = strconv.AppendInt(w, int64(v), 10)
	b.Write(append(w, '"'))
}

// element writes <name>text</name> with text escaped.
func element(b *strings.Builder, name, text string) {
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
	writeEscaped(b, text)
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

func itoa(n int) string { return strconv.Itoa(n) }
