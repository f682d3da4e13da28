package draw

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// scanned is what the test's decoder reads back from a drawn barcode.
type scanned struct {
	symbology string // "EAN-13", "EAN-8" or "Code 128"
	value     string // decoded from the bars
	text      string // the human-readable line
	modules   string // the symbol's modules between the quiet zones, '1' dark
	symbols   []int  // Code 128 symbol values, start to stop
}

// scan parses a drawn barcode and decodes its bars; it fails the test on any defect a
// scanner or a reader would trip over: non-integer module positions, overlapping bars,
// short quiet zones, unknown patterns, a wrong check symbol or digit.
func scan(t testing.TB, svg string) scanned {
	t.Helper()
	root := parseSVG(t, svg)
	if root.attr("role") != "img" || root.attr("shape-rendering") != "crispEdges" {
		t.Fatalf("root attributes: %v", root.Attrs)
	}
	w, _ := root.viewBox(t)
	width := int(w)
	groups := root.all(byClass("g", "bars"))
	if len(groups) != 1 {
		t.Fatalf("%d groups of bars", len(groups))
	}
	dark := make([]bool, width)
	for _, r := range groups[0].all(byName("rect")) {
		x, err1 := strconv.Atoi(r.attr("x"))
		bw, err2 := strconv.Atoi(r.attr("width"))
		if err1 != nil || err2 != nil || bw <= 0 || x < 0 || x+bw > width {
			t.Fatalf("bar x=%q width=%q is not on whole modules inside %d", r.attr("x"), r.attr("width"), width)
		}
		for i := x; i < x+bw; i++ {
			if dark[i] {
				t.Fatalf("bars overlap at module %d", i)
			}
			dark[i] = true
		}
	}
	first, last := -1, -1
	for i, d := range dark {
		if d {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		t.Fatal("no bars")
	}
	var m strings.Builder
	for _, d := range dark[first : last+1] {
		if d {
			m.WriteByte('1')
		} else {
			m.WriteByte('0')
		}
	}
	s := scanned{modules: m.String(), text: strings.Join(textsOf(root), "")}
	leftQuiet, rightQuiet := first, width-1-last
	var err error
	switch len(s.modules) {
	case 95:
		s.symbology = "EAN-13"
		s.value, err = decodeEAN(s.modules)
		if leftQuiet < 11 || rightQuiet < 7 {
			t.Fatalf("EAN-13 quiet zones %d and %d modules, want 11 and 7", leftQuiet, rightQuiet)
		}
	case 67:
		s.symbology = "EAN-8"
		s.value, err = decodeEAN(s.modules)
		if leftQuiet < 7 || rightQuiet < 7 {
			t.Fatalf("EAN-8 quiet zones %d and %d modules, want 7", leftQuiet, rightQuiet)
		}
	default:
		s.symbology = "Code 128"
		s.value, s.symbols, err = decodeCode128(runs(s.modules))
		if leftQuiet < 10 || rightQuiet < 10 {
			t.Fatalf("Code 128 quiet zones %d and %d modules, want 10", leftQuiet, rightQuiet)
		}
	}
	if err != nil {
		t.Fatalf("%s: %v\n%s", s.symbology, err, svg)
	}
	titles := root.all(byName("title"))
	if len(titles) != 1 || titles[0].text() != s.value || root.attr("aria-label") != s.value {
		t.Fatalf("title/aria-label do not say %q: %v %v", s.value, titles, root.Attrs)
	}
	return s
}

// textsOf returns the content of every <text>, in document order.
func textsOf(root *node) []string {
	var out []string
	for _, n := range root.all(byName("text")) {
		out = append(out, n.text())
	}
	return out
}

// runs turns modules into alternating bar/space widths, starting with a bar.
func runs(mods string) []int {
	var w []int
	for i := 0; i < len(mods); {
		j := i
		for j < len(mods) && mods[j] == mods[i] {
			j++
		}
		w = append(w, j-i)
		i = j
	}
	return w
}

// decodeCode128 reads symbols of 6 widths (the stop has 7), checks the start, the mod-103
// check symbol and the stop, and follows subset switches B <-> C.
func decodeCode128(w []int) (string, []int, error) {
	if len(w) < 7+6*3 || (len(w)-7)%6 != 0 {
		return "", nil, fmt.Errorf("%d widths", len(w))
	}
	byWidths := map[string]int{}
	for v, p := range code128Patterns {
		byWidths[p] = v
	}
	key := func(ws []int) string {
		var b strings.Builder
		for _, x := range ws {
			b.WriteByte(byte('0' + x))
		}
		return b.String()
	}
	var syms []int
	for i := 0; i+7 < len(w); i += 6 {
		v, ok := byWidths[key(w[i:i+6])]
		if !ok || v == c128Stop {
			return "", nil, fmt.Errorf("unknown pattern %v at symbol %d", w[i:i+6], len(syms))
		}
		syms = append(syms, v)
	}
	if key(w[len(w)-7:]) != code128Patterns[c128Stop] {
		return "", nil, fmt.Errorf("no stop pattern: %v", w[len(w)-7:])
	}
	sum := syms[0]
	for k := 1; k < len(syms)-1; k++ {
		sum += k * syms[k]
	}
	if got := syms[len(syms)-1]; got != sum%103 {
		return "", nil, fmt.Errorf("check symbol %d, want %d", got, sum%103)
	}
	set := syms[0]
	if set != c128StartB && set != c128StartC {
		return "", nil, fmt.Errorf("start symbol %d", set)
	}
	var out strings.Builder
	for _, v := range syms[1 : len(syms)-1] {
		switch {
		case set == c128StartB && v < 95:
			out.WriteByte(byte(v + 32))
		case set == c128StartB && v == c128CodeC:
			set = c128StartC
		case set == c128StartC && v < 100:
			fmt.Fprintf(&out, "%02d", v)
		case set == c128StartC && v == c128CodeB:
			set = c128StartB
		default:
			return "", nil, fmt.Errorf("symbol %d unexpected in subset %d", v, set)
		}
	}
	return out.String(), append(syms, c128Stop), nil
}

// The EAN tables, written out as published (not derived from the package's): left odd (L),
// left even (G) and right (R) patterns, and the parity of the left digits per first digit.
var (
	testEANL      = []string{"0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"}
	testEANG      = []string{"0100111", "0110011", "0011011", "0100001", "0011101", "0111001", "0000101", "0010001", "0001001", "0010111"}
	testEANR      = []string{"1110010", "1100110", "1101100", "1000010", "1011100", "1001110", "1010000", "1000100", "1001000", "1110100"}
	testEANParity = []string{"LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"}
)

func decodeEAN(mods string) (string, error) {
	digits := (len(mods) - 11) / 7 // digits in bars: 12 for EAN-13, 8 for EAN-8
	half := digits / 2
	if mods[:3] != "101" || mods[len(mods)-3:] != "101" || mods[3+7*half:3+7*half+5] != "01010" {
		return "", fmt.Errorf("guards wrong: %s", mods)
	}
	find := func(table []string, p string) int {
		for d, q := range table {
			if q == p {
				return d
			}
		}
		return -1
	}
	var out strings.Builder
	var parity strings.Builder
	for i := 0; i < digits; i++ {
		start := 3 + 7*i
		if i >= half {
			start += 5
		}
		p := mods[start : start+7]
		var d int
		switch {
		case i >= half:
			d = find(testEANR, p)
		case find(testEANL, p) >= 0:
			d = find(testEANL, p)
			parity.WriteByte('L')
		default:
			d = find(testEANG, p)
			parity.WriteByte('G')
		}
		if d < 0 {
			return "", fmt.Errorf("digit %d: unknown pattern %s", i, p)
		}
		out.WriteByte(byte('0' + d))
	}
	value := out.String()
	if digits == 12 {
		first := find(testEANParity, parity.String())
		if first < 0 {
			return "", fmt.Errorf("parity %s", parity.String())
		}
		value = string(rune('0'+first)) + value
	} else if parity.String() != "LLLL" {
		return "", fmt.Errorf("EAN-8 parity %s", parity.String())
	}
	// Check digit: weights 1,3,1,3… from the left for EAN-13; 3,1,3… for EAN-8.
	sum := 0
	for i := 0; i < len(value)-1; i++ {
		d := int(value[i] - '0')
		if (len(value)-1-i)%2 == 1 {
			d *= 3
		}
		sum += d
	}
	if want := (10 - sum%10) % 10; int(value[len(value)-1]-'0') != want {
		return "", fmt.Errorf("%s: check digit should be %d", value, want)
	}
	return value, nil
}

func mustBarcode(t testing.TB, v string) scanned {
	t.Helper()
	svg, err := Barcode(v)
	if err != nil {
		t.Fatalf("Barcode(%q): %v", v, err)
	}
	s := scan(t, string(svg))
	if s.value != v || s.text != v {
		t.Fatalf("Barcode(%q) reads back as %q with text %q", v, s.value, s.text)
	}
	return s
}

func TestBarcodeSymbologyChoice(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"4006381333931", "EAN-13"},   // the usual published example
		{"5901234123457", "EAN-13"},   // GS1's
		{"8412345678905", "EAN-13"},   // a Spanish prefix
		{"96385074", "EAN-8"},         // the usual EAN-8 example
		{"4006381333932", "Code 128"}, // wrong check digit: not an EAN
		{"96385075", "Code 128"},
		{"400638133393", "Code 128"}, // 12 digits
		{"C-00042", "Code 128"},
		{"1", "Code 128"},
		{" ", "Code 128"},
	} {
		if got := mustBarcode(t, tc.value).symbology; got != tc.want {
			t.Errorf("%q drawn as %s, want %s", tc.value, got, tc.want)
		}
	}
}

// Bit strings published with an open-source encoder's tests (start B/C, subset switches,
// check symbol and stop included): the whole symbol must match module for module.
func TestCode128PublishedVectors(t *testing.T) {
	for _, tc := range []struct{ value, modules string }{
		{"HI345678H", "110100100001100010100011000100010101110111101000101100011100010110110000101001011110111011000101000111011000101100011101011"},
		{"334455", "11010011100101000110001000110111011101000110100100111101100011101011"},
	} {
		if got := mustBarcode(t, tc.value).modules; got != tc.modules {
			t.Errorf("%s:\n got %s\nwant %s", tc.value, got, tc.modules)
		}
	}
	// Symbol values published for "Kingcean" in subset B: start B, the letters, check 0x40.
	want := []int{0x68, 0x2b, 0x49, 0x4e, 0x47, 0x43, 0x45, 0x41, 0x4e, 0x40, 0x6a}
	if got := mustBarcode(t, "Kingcean").symbols; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Kingcean symbols %v, want %v", got, want)
	}
	// Single patterns as published: start B, start C, stop, and the B-subset FNC4 / Code B.
	for v, bits := range map[int]string{104: "11010010000", 105: "11010011100", 106: "1100011101011", 100: "10111101110", 102: "11110101110"} {
		var b strings.Builder
		for k, c := range code128Patterns[v] {
			b.WriteString(strings.Repeat(string("10"[k%2]), int(c-'0')))
		}
		if b.String() != bits {
			t.Errorf("pattern %d is %s, want %s", v, b.String(), bits)
		}
	}
}

// Every pattern has 11 modules (13 for the stop), an even number of dark ones, and no two
// are alike: a typo in the table would break one of these.
func TestCode128TableShape(t *testing.T) {
	seen := map[string]int{}
	for v, p := range code128Patterns {
		total, dark := 0, 0
		for k, c := range p {
			total += int(c - '0')
			if k%2 == 0 {
				dark += int(c - '0')
			}
		}
		want := 11
		if v == c128Stop {
			want = 13
		}
		if total != want || dark%2 != 0 {
			t.Errorf("pattern %d %s: %d modules, %d dark", v, p, total, dark)
		}
		if w, dup := seen[p]; dup {
			t.Errorf("patterns %d and %d are both %s", w, v, p)
		}
		seen[p] = v
	}
}

// Subset C is used where it saves symbols, and only there.
func TestCode128Length(t *testing.T) {
	for _, tc := range []struct {
		value string
		data  int // symbols between start and check
	}{
		{"12", 1},          // start C, 12
		{"12345678", 4},    // start C, four pairs
		{"123", 3},         // B 1 2 3, or C 12 + Code B + 3: a tie, and B needs no switch
		{"A1234B", 6},      // four digits inside text: C would save nothing
		{"A123456B", 7},    // six digits inside: A, Code C, 12 34 56, Code B, B
		{"AB1234", 5},      // four digits at the end: A B Code C 12 34
		{"123456789", 6},   // odd run: five symbols of C plus a switch and one of B
		{"ABCDEFGHIJ", 10}, // plain text
	} {
		s := mustBarcode(t, tc.value)
		got := len(s.symbols) - 3
		if got != tc.data {
			t.Errorf("%q: %d data symbols %v, want %d", tc.value, got, s.symbols, tc.data)
		}
	}
}

func TestBarcodeRefusals(t *testing.T) {
	if _, err := Barcode(""); !errors.Is(err, ErrBarcodeEmpty) {
		t.Errorf("empty: %v", err)
	}
	for _, v := range []string{"café", "a\tb", "\x7f", "line\n", "€5", "\x00", "ok\x1f"} {
		svg, err := Barcode(v)
		if !errors.Is(err, ErrBarcodeChar) || svg != "" {
			t.Errorf("%q: %v %q", v, err, svg)
		}
	}
}

// The markup characters a reference may hold come out escaped and read back exactly.
func TestBarcodeEscapes(t *testing.T) {
	v := `<script>&"x'</script>`
	svg, err := Barcode(v)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(svg), "<script") {
		t.Fatalf("unescaped: %s", svg)
	}
	mustBarcode(t, v)
	mustBarcode(t, "  two  spaces  ")
}

func TestBarcodeEveryPrintableCharacter(t *testing.T) {
	var all strings.Builder
	for c := byte(32); c <= 126; c++ {
		all.WriteByte(c)
	}
	mustBarcode(t, all.String())
	// Every digit pair in subset C.
	var digits strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&digits, "%02d", i)
	}
	mustBarcode(t, digits.String())
}

// Any printable ASCII string encodes and decodes back to itself; anything else is refused.
func FuzzBarcode(f *testing.F) {
	for _, s := range []string{"4006381333931", "96385074", "HI345678H", "a", "0", "00", "000", "1a2b3c", "12ab3456cd7890", "~~", " 1 2 3 4 ", "é", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		printable := v != ""
		for i := 0; i < len(v); i++ {
			if v[i] < 32 || v[i] > 126 {
				printable = false
			}
		}
		svg, err := Barcode(v)
		if !printable {
			if err == nil {
				t.Fatalf("%q encoded", v)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		s := scan(t, string(svg))
		if s.value != v || s.text != v {
			t.Fatalf("%q reads back as %q, text %q", v, s.value, s.text)
		}
	})
}
