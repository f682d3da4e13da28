package draw

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// esMoney formats like the Spanish pages: whole euros get "1.234 €", others "1.234,56 €".
func esMoney(c int64) string {
	neg := c < 0
	u := uint64(c)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(d)
	}
	if u%100 != 0 {
		fmt.Fprintf(&b, ",%02d", u%100)
	}
	b.WriteString(" €")
	return b.String()
}

var esMonths = [...]string{"", "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}

func esMonth(m time.Month) string { return esMonths[m] }

// drawing is a chart read back from its SVG.
type drawing struct {
	root       *node
	w, h       float64
	bars       []*node   // rect.bar in document order
	gridPos    []float64 // y (monthly) or x (ageing) of each grid line, in tick order
	tickTexts  []string
	axis       *node
	labelTexts map[string][]string // text class -> contents
}

// readChart parses a chart and checks what holds for every drawing: well-formed, no NaN or
// infinity, every coordinate finite and inside the viewBox, no fixed size on the root (it
// scales to its container), accessible name when a title was given.
func readChart(t testing.TB, c Chart, opts Options) drawing {
	t.Helper()
	s := string(c.SVG)
	for _, bad := range []string{"NaN", "Inf", "<script"} {
		if strings.Contains(s, bad) {
			t.Fatalf("drawing contains %q:\n%s", bad, s)
		}
	}
	root := parseSVG(t, s)
	d := drawing{root: root, labelTexts: map[string][]string{}}
	d.w, d.h = root.viewBox(t)
	if root.attr("width") != "" || root.attr("height") != "" {
		t.Fatalf("fixed size on a chart: %v", root.Attrs)
	}
	for _, n := range root.all(func(*node) bool { return true }) {
		for _, a := range n.Attrs {
			limit := 0.0
			switch a.Name.Local {
			case "x", "x1", "x2", "width":
				limit = d.w
			case "y", "y1", "y2", "height":
				limit = d.h
			default:
				continue
			}
			v, err := strconv.ParseFloat(a.Value, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > limit+0.01 {
				t.Fatalf("<%s %s=%q> outside 0..%v", n.XMLName.Local, a.Name.Local, a.Value, limit)
			}
		}
	}
	titles := root.all(byName("title"))
	if opts.Title != "" {
		if root.attr("role") != "img" || root.attr("aria-label") != opts.Title || len(root.Children) == 0 ||
			root.Children[0].XMLName.Local != "title" || root.Children[0].text() != opts.Title {
			t.Fatalf("accessible name: %v %v", root.Attrs, titles)
		}
	} else if root.attr("aria-hidden") != "true" {
		t.Fatalf("untitled chart not aria-hidden: %v", root.Attrs)
	}
	if descs := root.all(byName("desc")); (opts.Desc != "") != (len(descs) == 1) || (len(descs) == 1 && descs[0].text() != opts.Desc) {
		t.Fatalf("desc: %v", descs)
	}
	d.bars = root.all(byClass("rect", "bar"))
	grid := root.all(byClass("g", "grid"))
	if len(grid) != 1 {
		t.Fatalf("%d grids", len(grid))
	}
	for _, l := range grid[0].all(byName("line")) {
		if l.attr("y1") == l.attr("y2") {
			d.gridPos = append(d.gridPos, l.float(t, "y1"))
		} else {
			d.gridPos = append(d.gridPos, l.float(t, "x1"))
		}
	}
	if len(d.gridPos) != len(c.Ticks) {
		t.Fatalf("%d grid lines for %d ticks", len(d.gridPos), len(c.Ticks))
	}
	for _, g := range root.all(byClass("g", "ticks")) {
		d.tickTexts = append(d.tickTexts, textsOf(g)...)
	}
	axes := root.all(byClass("line", "axis"))
	if len(axes) != 1 {
		t.Fatalf("%d axis lines", len(axes))
	}
	d.axis = axes[0]
	for _, n := range root.all(byName("text")) {
		if cl := n.attr("class"); cl != "" {
			d.labelTexts[cl] = append(d.labelTexts[cl], n.text())
		}
	}
	checkTicks(t, c)
	return d
}

// checkTicks: 3 to 5 ticks, one round step apart (1, 2 or 5 × 10ⁿ euros), 0 among them,
// covering every drawn value.
func checkTicks(t testing.TB, c Chart) {
	t.Helper()
	tk := c.Ticks
	if len(tk) < 3 || len(tk) > 5 {
		t.Fatalf("%d ticks: %v", len(tk), tk)
	}
	step := tk[1] - tk[0]
	zero := false
	for i, v := range tk {
		if i > 0 && v-tk[i-1] != step {
			t.Fatalf("uneven ticks %v", tk)
		}
		zero = zero || v == 0
	}
	if !zero {
		t.Fatalf("no zero tick: %v", tk)
	}
	m := step / 100
	for m >= 10 && m%10 == 0 {
		m /= 10
	}
	if step%100 != 0 || (m != 1 && m != 2 && m != 5) {
		t.Fatalf("step %d cents is not 1, 2 or 5 × 10ⁿ euros", step)
	}
	for _, b := range c.Bars {
		v := min(max(b.Cents, -MaxDrawnCents), MaxDrawnCents)
		if v < tk[0] || v > tk[len(tk)-1] {
			t.Fatalf("value %d outside ticks %v", v, tk)
		}
	}
}

// pxPerCent is the drawing's scale, measured from its own grid lines.
func (d drawing) pxPerCent(c Chart) float64 {
	n := len(c.Ticks) - 1
	return math.Abs(d.gridPos[n]-d.gridPos[0]) / float64(c.Ticks[n]-c.Ticks[0])
}

func (d drawing) barTitle(r *node) string {
	for _, ch := range r.Children {
		if ch.XMLName.Local == "title" {
			return ch.text()
		}
	}
	return ""
}

func monthsFrom(y int, m time.Month, cents ...int64) []MonthTotal {
	out := make([]MonthTotal, len(cents))
	for i, c := range cents {
		out[i] = MonthTotal{Month: time.Date(y, m+time.Month(i), 1, 0, 0, 0, 0, time.UTC), Cents: c}
	}
	return out
}

// checkMonthlyGeometry: one bar per non-zero month, in month order, each standing on the
// zero line (above it, or below for a negative month) with a height proportional to its
// value within a pixel; zero months have none.
func checkMonthlyGeometry(t testing.TB, c Chart, d drawing) {
	t.Helper()
	scale := d.pxPerCent(c)
	zeroY := d.axis.float(t, "y1")
	k := 0
	prevX := -1.0
	for _, b := range c.Bars {
		v := min(max(b.Cents, -MaxDrawnCents), MaxDrawnCents)
		if v == 0 {
			continue
		}
		if k >= len(d.bars) {
			t.Fatalf("only %d bars drawn", len(d.bars))
		}
		r := d.bars[k]
		k++
		x, y, h := r.float(t, "x"), r.float(t, "y"), r.float(t, "height")
		if x <= prevX {
			t.Fatalf("bars out of order at %v", b.Month)
		}
		prevX = x
		want := math.Abs(float64(v)) * scale
		if math.Abs(h-want) > 1 && !(want < 1 && h == 1) {
			t.Errorf("%v: height %v, want %v (value %d)", b.Month, h, want, v)
		}
		neg := r.hasClass("negative")
		if neg != (v < 0) {
			t.Errorf("%v: negative class %v for %d", b.Month, neg, v)
		}
		if v > 0 && math.Abs(y+h-zeroY) > 0.02 || v < 0 && math.Abs(y-zeroY) > 0.02 {
			t.Errorf("%v: bar %v..%v does not stand on the zero line %v", b.Month, y, y+h, zeroY)
		}
		if got, want := d.barTitle(r), xmlText(b.Label+" "+strconv.Itoa(b.Month.Year())+": "+b.Text); got != want {
			t.Errorf("bar title %q, want %q", got, want)
		}
	}
	if k != len(d.bars) {
		t.Fatalf("%d bars drawn for %d non-zero months", len(d.bars), k)
	}
}

func TestMonthlyBarsReadBack(t *testing.T) {
	values := []int64{12000, 0, 45050, 30000, -5000, 88000, 0, 0, 15000, 123456, 99900, 40000}
	opts := Options{Title: "Gasto de los últimos 12 meses", Desc: "Por mes", Money: esMoney, MonthName: esMonth}
	c, err := MonthlyBars(monthsFrom(2025, time.December, values...), opts)
	if err != nil {
		t.Fatal(err)
	}
	d := readChart(t, c, opts)
	if len(d.bars) != 9 || len(c.Bars) != 12 {
		t.Fatalf("%d bars drawn, %d returned", len(d.bars), len(c.Bars))
	}
	checkMonthlyGeometry(t, c, d)
	if fmt.Sprint(c.Ticks) != "[-50000 0 50000 100000 150000]" {
		t.Errorf("ticks %v", c.Ticks)
	}
	if got := strings.Join(d.tickTexts, "|"); got != "-500 €|0 €|500 €|1.000 €|1.500 €" {
		t.Errorf("tick labels %q", got)
	}
	if got := strings.Join(d.labelTexts["month"], " "); got != "dic ene feb mar abr may jun jul ago sept oct nov" {
		t.Errorf("month labels %q", got)
	}
	if got := strings.Join(d.labelTexts["year"], " "); got != "2025 2026" {
		t.Errorf("year labels %q", got)
	}
	var total int64
	for i, b := range c.Bars {
		total += values[i]
		if b.Cents != values[i] || b.Text != esMoney(values[i]) || b.Month.Day() != 1 ||
			b.Month.Month() != time.Month((11+i)%12+1) || b.Label != esMonth(b.Month.Month()) {
			t.Errorf("bar %d: %+v", i, b)
		}
	}
	if c.Total != total || c.Max != 9 || c.Min != 4 || c.Clamped {
		t.Errorf("summary: total %d max %d min %d clamped %v", c.Total, c.Max, c.Min, c.Clamped)
	}
	// Themable: classes, with defaults as presentation attributes (no style attribute, which
	// the pages' Content-Security-Policy would block).
	if strings.Contains(string(c.SVG), "style=") || d.bars[0].attr("fill") == "" || d.axis.attr("stroke") == "" {
		t.Errorf("colours: %s", c.SVG)
	}
}

func TestMonthlyBarsWindow(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 15, 0, 0, 0, time.UTC) }
	pts := []MonthTotal{
		{day(2026, time.March, 3), 1000},
		{day(2026, time.March, 31), 2500}, // same month: added up
		{day(2025, time.March, 31), 7777}, // 13 months before the last: outside
		{day(2026, time.November, 2), 500},
		{day(2026, time.December, 1), 9999}, // after Last: outside
	}
	c, err := MonthlyBars(pts, Options{Last: day(2026, time.November, 29)})
	if err != nil {
		t.Fatal(err)
	}
	d := readChart(t, c, Options{})
	checkMonthlyGeometry(t, c, d)
	if len(c.Bars) != 12 || len(d.bars) != 2 || c.Total != 4000 {
		t.Fatalf("%d months, %d bars, total %d", len(c.Bars), len(d.bars), c.Total)
	}
	if c.Bars[0].Month != time.Date(2025, time.December, 1, 0, 0, 0, 0, time.UTC) || c.Bars[3].Cents != 3500 || c.Bars[11].Cents != 500 {
		t.Errorf("bars %+v", c.Bars)
	}
	if c.Bars[0].Label != "Dec" || c.Bars[0].Text != "0" || c.Bars[3].Text != "35" {
		t.Errorf("default names and money: %+v", c.Bars[0])
	}

	// Last defaults to the latest point's month.
	c, err = MonthlyBars(pts[:4], Options{Months: 3})
	if err != nil || len(c.Bars) != 3 || c.Bars[2].Month.Month() != time.November || c.Bars[2].Cents != 500 {
		t.Fatalf("%v %+v", err, c.Bars)
	}
	// A single month.
	c, err = MonthlyBars(pts[:1], Options{Months: 1, Title: "x"})
	if err != nil {
		t.Fatal(err)
	}
	d = readChart(t, c, Options{Title: "x"})
	checkMonthlyGeometry(t, c, d)
	if len(d.bars) != 1 || len(d.labelTexts["month"]) != 1 || len(d.labelTexts["year"]) != 1 {
		t.Fatalf("single month: %s", c.SVG)
	}
	// 120 months: labels that would overlap are left out, bars are all there.
	var long []MonthTotal
	for i := range 120 {
		long = append(long, MonthTotal{day(2017, time.January+time.Month(i), 1), int64(i+1) * 1000})
	}
	c, err = MonthlyBars(long, Options{Months: 120, MonthName: esMonth})
	if err != nil {
		t.Fatal(err)
	}
	d = readChart(t, c, Options{})
	checkMonthlyGeometry(t, c, d)
	if n := len(d.labelTexts["month"]); n >= 120 || n < 10 {
		t.Errorf("%d month labels of 120", n)
	}

	// The first month's year gives way to a January too close by to leave room for both.
	for _, tc := range []struct {
		months int
		last   time.Time
		want   string
	}{
		{24, day(2027, time.November, 1), "2026 2027"}, // December 2025 first, narrow slots
		{13, day(2026, time.December, 1), "2026"},
		{1, day(2025, time.December, 1), "2025"},
		{12, day(2026, time.May, 1), "2025 2026"}, // June first: January is far enough
	} {
		c, err := MonthlyBars(nil, Options{Last: tc.last, Months: tc.months, Width: 160})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(readChart(t, c, Options{}).labelTexts["year"], " "); got != tc.want {
			t.Errorf("%d months to %v at width 160: years %q, want %q", tc.months, tc.last, got, tc.want)
		}
	}

	if _, err := MonthlyBars(nil, Options{}); !errors.Is(err, ErrNoMonths) {
		t.Errorf("no points, no Last: %v", err)
	}
	for _, m := range []int{-1, 121} {
		if _, err := MonthlyBars(pts, Options{Months: m}); !errors.Is(err, ErrMonths) {
			t.Errorf("Months %d: %v", m, err)
		}
	}
}

// All zero, tiny, huge and extreme values: always a valid drawing, never NaN or infinity.
func TestChartsExtremes(t *testing.T) {
	last := time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string][]int64{
		"all zero":  make([]int64, 12),
		"one cent":  {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		"-one cent": {-1},
		"1e12":      {1e12, 5e11, 1, 0, 3e11, 1e12, 0, 0, 0, 0, 0, 7e11},
		"negative":  {-1e12, -5, -300000},
		"extremes":  {math.MaxInt64, math.MinInt64, math.MaxInt64, 100},
		"limit":     {MaxDrawnCents, -MaxDrawnCents},
	}
	for name, values := range cases {
		t.Run(name, func(t *testing.T) {
			var pts []MonthTotal
			for i, v := range values {
				pts = append(pts, MonthTotal{last.AddDate(0, -i, 0), v})
			}
			c, err := MonthlyBars(pts, Options{Money: esMoney, Last: last})
			if err != nil {
				t.Fatal(err)
			}
			d := readChart(t, c, Options{})
			checkMonthlyGeometry(t, c, d)
			a, err := AgeingBars([]Bucket{{"a", values[0]}, {"b", values[len(values)-1]}}, Options{Money: esMoney})
			if err != nil {
				t.Fatal(err)
			}
			da := readChart(t, a, Options{})
			checkAgeingGeometry(t, a, da)
			if name == "extremes" != c.Clamped {
				t.Errorf("clamped %v", c.Clamped)
			}
		})
	}
	c, _ := MonthlyBars(nil, Options{Last: last})
	if fmt.Sprint(c.Ticks) != "[0 100 200]" || c.Total != 0 {
		t.Errorf("empty chart: ticks %v total %d", c.Ticks, c.Total)
	}
	c, _ = MonthlyBars(monthsFrom(2026, time.January, math.MaxInt64, math.MaxInt64), Options{})
	if c.Total != math.MaxInt64 || c.Bars[10].Text != "92233720368547758.07" || !c.Clamped {
		t.Errorf("saturating total %d, text %q", c.Total, c.Bars[10].Text)
	}
}

// Texts that come in are escaped: they read back exactly, and nothing becomes markup.
func TestChartsEscapeText(t *testing.T) {
	evil := `<script>alert("x")</script> & 'co'`
	opts := Options{
		Title:     evil,
		Desc:      evil + " desc",
		Money:     func(c int64) string { return "<b>" + strconv.FormatInt(c, 10) + "&</b>" },
		MonthName: func(time.Month) string { return "<script>&" },
	}
	c, err := MonthlyBars(monthsFrom(2026, time.January, 100, 200), opts)
	if err != nil {
		t.Fatal(err)
	}
	d := readChart(t, c, opts)
	if d.labelTexts["month"][0] != "<script>&" || d.tickTexts[1] != "<b>100&</b>" || d.barTitle(d.bars[0]) != "<script>& 2026: <b>100&</b>" {
		t.Errorf("texts: %v %v", d.labelTexts, d.tickTexts)
	}
	a, err := AgeingBars([]Bucket{{evil, 5}, {"ctl\x01\xff", 7}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	da := readChart(t, a, opts)
	if da.labelTexts["category"][0] != evil || da.labelTexts["category"][1] != "ctl\uFFFD\uFFFD" {
		t.Errorf("categories %q", da.labelTexts["category"])
	}
}

// checkAgeingGeometry: one bar per non-zero bucket, from the zero line, widths
// proportional within a pixel, labels and values in order.
func checkAgeingGeometry(t testing.TB, c Chart, d drawing) {
	t.Helper()
	scale := d.pxPerCent(c)
	zeroX := d.axis.float(t, "x1")
	k := 0
	prevY := -1.0
	for i, b := range c.Bars {
		if d.labelTexts["category"][i] != xmlText(b.Label) || d.labelTexts["value"][i] != xmlText(b.Text) {
			t.Errorf("bucket %d labels %q %q", i, d.labelTexts["category"][i], d.labelTexts["value"][i])
		}
		v := min(max(b.Cents, -MaxDrawnCents), MaxDrawnCents)
		if v == 0 {
			continue
		}
		r := d.bars[k]
		k++
		x, y, w := r.float(t, "x"), r.float(t, "y"), r.float(t, "width")
		if y <= prevY {
			t.Fatalf("bars out of order")
		}
		prevY = y
		want := math.Abs(float64(v)) * scale
		if math.Abs(w-want) > 1 && !(want < 1 && w == 1) {
			t.Errorf("%s: width %v, want %v", b.Label, w, want)
		}
		if v > 0 && math.Abs(x-zeroX) > 0.02 || v < 0 && math.Abs(x+w-zeroX) > 0.02 {
			t.Errorf("%s: bar %v..%v not on the zero line %v", b.Label, x, x+w, zeroX)
		}
		if r.hasClass("negative") != (v < 0) {
			t.Errorf("%s: negative class", b.Label)
		}
	}
	if k != len(d.bars) {
		t.Fatalf("%d bars drawn for %d non-zero buckets", len(d.bars), k)
	}
}

func TestAgeingBarsReadBack(t *testing.T) {
	buckets := []Bucket{{"0–30 días", 1234500}, {"31–60 días", 450000}, {"61–90 días", 0}, {"Más de 90 días", 99000}}
	opts := Options{Title: "Deudores por antigüedad", Money: esMoney}
	c, err := AgeingBars(buckets, opts)
	if err != nil {
		t.Fatal(err)
	}
	d := readChart(t, c, opts)
	if len(d.bars) != 3 {
		t.Fatalf("%d bars", len(d.bars))
	}
	checkAgeingGeometry(t, c, d)
	if fmt.Sprint(c.Ticks) != "[0 500000 1000000 1500000]" || strings.Join(d.tickTexts, "|") != "0 €|5.000 €|10.000 €|15.000 €" {
		t.Errorf("ticks %v %q", c.Ticks, d.tickTexts)
	}
	if c.Total != 1783500 || c.Max != 0 || c.Min != 2 {
		t.Errorf("summary %+v", c)
	}
	// A creditor bucket (negative) goes left of the zero line.
	c, err = AgeingBars([]Bucket{{"a", -20000}, {"b", 70000}}, Options{Width: 320, Height: 90})
	if err != nil {
		t.Fatal(err)
	}
	d = readChart(t, c, Options{})
	checkAgeingGeometry(t, c, d)
	if d.w != 320 || d.h != 100 {
		t.Errorf("viewBox %v×%v, want 320×100 (height raised to the minimum)", d.w, d.h)
	}
	if _, err := AgeingBars(nil, opts); !errors.Is(err, ErrNoBuckets) {
		t.Errorf("no buckets: %v", err)
	}
}

func TestNiceTicksProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		hi := r.Int64N(MaxDrawnCents>>uint(r.IntN(57))) + 0
		lo := int64(0)
		if r.IntN(3) == 0 {
			lo = -r.Int64N(MaxDrawnCents >> uint(r.IntN(57)))
		}
		if r.IntN(4) == 0 {
			hi = 0
		}
		c := Chart{Bars: []Bar{{Cents: lo}, {Cents: hi}}, Ticks: niceTicks(lo, hi)}
		checkTicks(t, c)
		// Not too loose: a smaller round step would have needed more than five ticks, unless
		// the data fit under the smallest step.
		step := c.Ticks[1] - c.Ticks[0]
		if step > minTickGap && hi-lo > 0 {
			smaller := smallerStep(step)
			if ceilDiv(hi, smaller)+ceilDiv(-lo, smaller) <= 4 {
				t.Fatalf("lo %d hi %d: step %d, but %d would do", lo, hi, step, smaller)
			}
		}
	}
}

func smallerStep(s int64) int64 {
	m := s
	for m%10 == 0 && m > 5 {
		m /= 10
	}
	switch m {
	case 1:
		return s / 2 // 10 -> 5
	case 2:
		return s / 2
	default: // 5
		return s * 2 / 5
	}
}

// Any values and any label give a well-formed drawing whose bars read back in proportion
// and whose texts read back as given (less what XML cannot carry).
func FuzzMonthlyBars(f *testing.F) {
	f.Add(int64(0), int64(0), int64(0), "ene")
	f.Add(int64(1e12), int64(-1), int64(5), "<&>")
	f.Add(int64(math.MaxInt64), int64(math.MinInt64), int64(1), "\x00\xff\r\n")
	f.Fuzz(func(t *testing.T, a, b, c int64, label string) {
		title := label
		if strings.ContainsAny(label, "\t\r\n") {
			title = "" // attribute values normalise white space: aria-label would differ
		}
		opts := Options{Title: title, MonthName: func(time.Month) string { return label }, Money: esMoney}
		ch, err := MonthlyBars(monthsFrom(2026, time.January, a, b, c), opts)
		if err != nil {
			t.Fatal(err)
		}
		checkMonthlyGeometry(t, ch, readChart(t, ch, Options{Title: xmlText(title)}))
		ag, err := AgeingBars([]Bucket{{label, a}, {label, b}, {label, c}}, opts)
		if err != nil {
			t.Fatal(err)
		}
		checkAgeingGeometry(t, ag, readChart(t, ag, Options{Title: xmlText(title)}))
	})
}

// xmlText is s as an XML parser reads it back from character data: what XML 1.0 cannot
// carry replaced by U+FFFD, line ends normalised to line feeds.
func xmlText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	for _, r := range s { // each invalid byte decodes as one U+FFFD
		if r < 0x20 && r != '\t' && r != '\n' || r >= 0x7f && r <= 0x9f || r == 0xFFFE || r == 0xFFFF {
			r = 0xFFFD
		}
		b.WriteRune(r)
	}
	return b.String()
}
