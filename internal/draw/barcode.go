package draw

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
)

// ErrBarcodeEmpty is returned for an empty value: there is nothing to scan.
var ErrBarcodeEmpty = errors.New("draw: empty barcode value")

// ErrBarcodeChar is returned (wrapped, with the position) for a character that Code 128
// subset B cannot encode: anything outside printable ASCII 32–126.
var ErrBarcodeChar = errors.New("draw: character not encodable in Code 128")

// Sizes in modules (the narrowest bar). The SVG's user unit is one module, so every bar's
// x and width are whole numbers; the natural size is pxPerModule pixels per module.
const (
	pxPerModule   = 2
	quietCode128  = 10 // both sides, as the brief and ISO/IEC 15417 ask (at least 10X)
	code128BarH   = 40
	code128FontSz = 10
	eanBarH       = 60
	eanGuardH     = 65
	eanFontSz     = 9
)

// Barcode draws value as a barcode in SVG: EAN-13 when value is 13 digits with a valid check
// digit, EAN-8 when 8 digits with a valid check digit, otherwise Code 128 (subset B, with
// subset C for runs of digits where that makes the symbol shorter; mod-103 check symbol),
// with quiet zones and the value in human-readable text under the bars. The SVG has a
// viewBox (one unit per module) and a natural size of 2 px per module, so the page's CSS may
// scale it (max-width: 100%; height: auto); bars have crisp edges and a white background so
// they scan on a dark theme too. Errors: ErrBarcodeEmpty, ErrBarcodeChar (wrapped).
func Barcode(value string) (template.HTML, error) {
	if value == "" {
		return "", ErrBarcodeEmpty
	}
	if isDigits(value) {
		switch {
		case len(value) == 13 && eanCheckDigit(value[:12]) == value[12]-'0':
			return drawEAN(value), nil
		case len(value) == 8 && eanCheckDigit(value[:7]) == value[7]-'0':
			return drawEAN(value), nil
		}
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < 32 || c > 126 {
			return "", fmt.Errorf("%w: byte %d (0x%02x) of %q", ErrBarcodeChar, i, c, value)
		}
	}
	return drawCode128(value), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// eanCheckDigit is the GS1 check digit of the digits before it: weights 3 and 1
// alternating from the rightmost digit, which weighs 3.
func eanCheckDigit(digits string) byte {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte((10 - sum%10) % 10)
}

// --- Code 128 ---

// code128Patterns holds the bar/space widths of symbol values 0–106, starting with a bar;
// each sums to 11 modules (the stop, 106, has a final 2-module bar: 13 modules).
var code128Patterns = [107]string{
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
	"221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
	"221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
	"212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
	"231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
	"231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
	"314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
	"112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
	"111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
	"114131", "311141", "411131", "211412", "211214", "211232", "2331112",
}

const (
	c128CodeC  = 99  // in subset B: switch to C
	c128CodeB  = 100 // in subset C: switch to B
	c128StartB = 104
	c128StartC = 105
	c128Stop   = 106
)

// code128Values returns the symbol values for s (printable ASCII), start symbol first, check
// symbol and stop last. The choice between subsets B and C is the shortest symbol, found by
// dynamic programming over (position, subset); on a tie the fewer subset switches win, so a
// run of four digits inside text stays in B as ISO/IEC 15417 Annex E advises.
func code128Values(s string) []int {
	const inB, inC = 0, 1
	n := len(s)
	type cost struct{ syms, switches int }
	less := func(a, b cost) bool {
		return a.syms < b.syms || (a.syms == b.syms && a.switches < b.switches)
	}
	const inf = 1 << 30
	// best[i][set]: cheapest encoding of s[i:] when the current subset is set.
	best := make([][2]cost, n+1)
	best[n] = [2]cost{{0, 0}, {0, 0}}
	digitPair := func(i int) bool { return i+1 < n && isDigit(s[i]) && isDigit(s[i+1]) }
	for i := n - 1; i >= 0; i-- {
		// In B: one symbol for s[i], or switch to C (when a digit pair follows).
		stayB := cost{best[i+1][inB].syms + 1, best[i+1][inB].switches}
		toC := cost{inf, inf}
		stayC := cost{inf, inf}
		if digitPair(i) {
			stayC = cost{best[i+2][inC].syms + 1, best[i+2][inC].switches}
			toC = cost{stayC.syms + 1, stayC.switches + 1}
		}
		toB := cost{stayB.syms + 1, stayB.switches + 1}
		best[i][inB] = stayB
		if less(toC, stayB) {
			best[i][inB] = toC
		}
		best[i][inC] = toB
		if less(stayC, toB) {
			best[i][inC] = stayC
		}
	}
	vals := make([]int, 0, n+3)
	set := inB
	if n > 0 && less(best[0][inC], best[0][inB]) {
		set = inC
		vals = append(vals, c128StartC)
	} else {
		vals = append(vals, c128StartB)
	}
	for i := 0; i < n; {
		// Follow the choice the table made at (i, set).
		if set == inB {
			if digitPair(i) {
				stayC := cost{best[i+2][inC].syms + 1, best[i+2][inC].switches}
				toC := cost{stayC.syms + 1, stayC.switches + 1}
				stayB := cost{best[i+1][inB].syms + 1, best[i+1][inB].switches}
				if less(toC, stayB) {
					vals = append(vals, c128CodeC)
					set = inC
					continue
				}
			}
			vals = append(vals, int(s[i])-32)
			i++
			continue
		}
		if digitPair(i) {
			stayC := cost{best[i+2][inC].syms + 1, best[i+2][inC].switches}
			stayB := cost{best[i+1][inB].syms + 1, best[i+1][inB].switches}
			toB := cost{stayB.syms + 1, stayB.switches + 1}
			if less(stayC, toB) {
				vals = append(vals, int(s[i]-'0')*10+int(s[i+1]-'0'))
				i += 2
				continue
			}
		}
		vals = append(vals, c128CodeB)
		set = inB
	}
	sum := vals[0]
	for k := 1; k < len(vals); k++ {
		sum += k * vals[k]
	}
	return append(vals, sum%103, c128Stop)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func drawCode128(value string) template.HTML {
	vals := code128Values(value)
	modules := 2*quietCode128 + 11*len(vals) + 2 // the stop has 13 modules
	height := code128BarH + code128FontSz + 4
	var b strings.Builder
	b.Grow(140*len(vals) + 600) // about three bars of 45 bytes per symbol
	openBarcode(&b, value, modules, height)
	x := quietCode128
	for _, v := range vals {
		x = writeWidths(&b, x, code128Patterns[v], code128BarH)
	}
	b.WriteString(`</g><text class="barcode-text" text-anchor="middle" xml:space="preserve" fill="#000"`)
	intAttr(&b, "x", modules/2)
	intAttr(&b, "y", code128BarH+code128FontSz+1)
	intAttr(&b, "font-size", code128FontSz)
	b.WriteByte('>')
	writeEscaped(&b, value)
	b.WriteString("</text></svg>")
	return template.HTML(b.String()) //nolint:gosec // every text above is escaped
}

// writeWidths draws the bars of a bar/space width pattern starting with a bar at module x
// and returns the module after it.
func writeWidths(b *strings.Builder, x int, widths string, h int) int {
	for k := 0; k < len(widths); k++ {
		w := int(widths[k] - '0')
		if k%2 == 0 {
			writeBar(b, x, w, h)
		}
		x += w
	}
	return x
}

func writeBar(b *strings.Builder, x, w, h int) {
	b.WriteString("<rect")
	intAttr(b, "x", x)
	b.WriteString(` y="0"`)
	intAttr(b, "width", w)
	intAttr(b, "height", h)
	b.WriteString("/>")
}

// openBarcode writes the root element, the title, the white background and opens the group
// of bars.
func openBarcode(b *strings.Builder, value string, modules, height int) {
	b.WriteString(`<svg xmlns="` + svgNS + `" class="barcode" role="img" shape-rendering="crispEdges" font-family="monospace"`)
	attr(b, "aria-label", value)
	b.WriteString(` viewBox="0 0 `)
	b.WriteString(itoa(modules))
	b.WriteByte(' ')
	b.WriteString(itoa(height))
	b.WriteByte('"')
	intAttr(b, "width", modules*pxPerModule)
	intAttr(b, "height", height*pxPerModule)
	b.WriteByte('>')
	element(b, "title", value)
	b.WriteString(`<rect class="barcode-bg" x="0" y="0"`)
	intAttr(b, "width", modules)
	intAttr(b, "height", height)
	b.WriteString(` fill="#fff"/><g class="bars" fill="#000">`)
}

// --- EAN-13 and EAN-8 ---

// eanL holds the left-hand odd-parity (set A) patterns, 7 modules starting with a space;
// set C (right hand) is its complement and set B (even parity) the mirror of set C.
var eanL = [10]string{
	"0001101", "0011001", "0010011", "0111101", "0100011",
	"0110001", "0101111", "0111011", "0110111", "0001011",
}

// eanParity tells, for EAN-13's first digit, which of the six left digits use set B.
var eanParity = [10]string{
	"AAAAAA", "AABABB", "AABBAB", "AABBBA", "ABAABB",
	"ABBAAB", "ABBBAA", "ABABAB", "ABABBA", "ABBABA",
}

// eanModules returns the symbol's modules ('1' dark) from the left guard to the right guard.
func eanModules(value string) string {
	var first byte
	left, right := value[:4], value[4:]
	parity := "AAAA"
	if len(value) == 13 {
		first = value[0] - '0'
		left, right = value[1:7], value[7:]
		parity = eanParity[first]
	}
	var m strings.Builder
	m.WriteString("101")
	for i := 0; i < len(left); i++ {
		p := eanL[left[i]-'0']
		if parity[i] == 'B' {
			p = reverse(complement(p))
		}
		m.WriteString(p)
	}
	m.WriteString("01010")
	for i := 0; i < len(right); i++ {
		m.WriteString(complement(eanL[right[i]-'0']))
	}
	m.WriteString("101")
	return m.String()
}

func complement(p string) string {
	c := []byte(p)
	for i := range c {
		c[i] ^= 1 // '0' <-> '1'
	}
	return string(c)
}

func reverse(p string) string {
	c := []byte(p)
	for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
		c[i], c[j] = c[j], c[i]
	}
	return string(c)
}

// drawEAN draws an EAN-13 (quiet zones 11 and 7 modules, the first digit printed in the
// left one) or an EAN-8 (7 and 7). Guard bars run longer than the others, as printed on
// goods.
func drawEAN(value string) template.HTML {
	mods := eanModules(value)
	leftQuiet, rightQuiet := 11, 7
	if len(value) == 8 {
		leftQuiet = 7
	}
	width := leftQuiet + len(mods) + rightQuiet
	height := eanGuardH + 5
	half := (len(mods) - 11) / 2 // modules of each half's digits
	var b strings.Builder
	b.Grow(2600)
	openBarcode(&b, value, width, height)
	isGuard := func(i int) bool { return i < 3 || i >= len(mods)-3 || (i >= 3+half && i < 3+half+5) }
	for i := 0; i < len(mods); {
		if mods[i] != '1' {
			i++
			continue
		}
		j := i
		for j < len(mods) && mods[j] == '1' {
			j++
		}
		h := eanBarH
		if isGuard(i) {
			h = eanGuardH
		}
		writeBar(&b, leftQuiet+i, j-i, h)
		i = j
	}
	b.WriteString(`</g><g class="barcode-text" text-anchor="middle" fill="#000"`)
	intAttr(&b, "font-size", eanFontSz)
	b.WriteByte('>')
	y := eanBarH + eanFontSz
	digit := func(x float64, d byte) {
		b.WriteString("<text")
		numAttr(&b, "x", x)
		intAttr(&b, "y", y)
		b.WriteByte('>')
		b.WriteByte(d)
		b.WriteString("</text>")
	}
	rest := value
	if len(value) == 13 {
		digit(float64(leftQuiet)/2, value[0])
		rest = value[1:]
	}
	n := len(rest) / 2
	for i := 0; i < len(rest); i++ {
		x := leftQuiet + 3 + 7*i
		if i >= n {
			x += 5
		}
		digit(float64(x)+3.5, rest[i])
	}
	b.WriteString("</g></svg>")
	return template.HTML(b.String()) //nolint:gosec // digits only, and the title is escaped
}
