package draw

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxDrawnCents bounds the values a chart draws: larger magnitudes (beyond ten thousand
// billion euros, far past any shop's figures) are drawn at this height and Chart.Clamped is
// set, so the axis arithmetic stays within int64. Bar.Cents and Bar.Text keep the real value.
const MaxDrawnCents int64 = 1e17

// MonthTotal is one month's spending. Only the year and month of Month count (in Month's own
// location): the first of the month, or any instant in it.
type MonthTotal struct {
	Month time.Time
	Cents int64
}

// Bucket is one bar of an ageing chart, e.g. {"0–30 días", 12345}.
type Bucket struct {
	Label string
	Cents int64
}

// Options set the texts and size of a chart. Everything language-dependent comes from here,
// so the package stays out of i18n.
type Options struct {
	// Title is the chart's accessible name (<title> and aria-label). When empty the drawing is
	// aria-hidden: the caller then provides the caption or table that says the same.
	Title string
	// Desc is an optional longer description (<desc>).
	Desc string
	// Money formats an amount of cents for ticks, tooltips and value labels, e.g. a wrapper of
	// money.FormatCents for the page's language. Nil: plain "1234.56", "1234" when whole.
	Money func(cents int64) string
	// MonthName names a month under its bar (MonthlyBars), e.g. "ene". Nil: "Jan", "Feb"…
	MonthName func(time.Month) string
	// Last is the last month drawn by MonthlyBars (any instant in it). Zero: the latest month
	// among the points.
	Last time.Time
	// Months is how many months MonthlyBars draws, ending at Last: 1 to 120, 0 means 12.
	Months int
	// Width and Height are the viewBox size in user units; the SVG has no fixed size and
	// scales to its container, text included (12 units high). Zero: 480×240 for MonthlyBars;
	// 480 wide and 32 per bar for AgeingBars. Values below 160×100 are raised to that. At
	// 480 the text is about 9 px on a 360 px phone and 12 px at 480 px; the page's CSS should
	// cap the width (e.g. max-width: 40rem) so it does not grow large on a desktop.
	Width, Height int
}

// Chart is a drawing and what a caption or an accessible data table needs.
type Chart struct {
	SVG     template.HTML
	Bars    []Bar   // one per month or bucket, in drawing order (zero months included)
	Ticks   []int64 // value axis ticks in cents, ascending, 0 among them; 3 to 5 of them
	Total   int64   // sum of the bars (saturating at the int64 limits)
	Max     int     // index in Bars of the highest value (the first one on ties)
	Min     int     // index in Bars of the lowest value
	Clamped bool    // some value was beyond ±MaxDrawnCents and was drawn at that limit
}

// Bar is one bar of a chart.
type Bar struct {
	Label string    // month name or bucket label, as drawn
	Month time.Time // MonthlyBars: the first of the month, in Last's location; zero otherwise
	Cents int64
	Text  string // Options.Money(Cents)
}

// Errors returned by the chart functions.
var (
	ErrNoMonths  = errors.New("draw: no month to draw: give Options.Last or some points")
	ErrNoBuckets = errors.New("draw: no bucket to draw")
	ErrMonths    = errors.New("draw: Options.Months out of range")
)

const (
	fontSize   = 12.0
	charWidth  = fontSize * 0.6 // average advance of a proportional font, for layout estimates
	minTickGap = 100            // the smallest tick step: one euro
	colourBar  = "#3b6fb6"
	colourNeg  = "#c0392b"
	colourGrid = "#e2e2e2"
	colourAxis = "#666"
	colourText = "#444"
)

// MonthlyBars draws one vertical bar per month for Options.Months months (12 by default)
// ending at Options.Last. Points for the same month are added up; points outside the window
// are ignored; a month without points, or with a zero total, has no bar (its label stays). A
// negative month (more returned than bought) is drawn below the zero line, in class
// "bar negative". The y axis has 3 to 5 round ticks (1, 2 or 5 × 10ⁿ euros) covering every
// value.
func MonthlyBars(points []MonthTotal, opts Options) (Chart, error) {
	n := opts.Months
	if n == 0 {
		n = 12
	}
	if n < 1 || n > 120 {
		return Chart{}, fmt.Errorf("%w: %d, want 1 to 120", ErrMonths, opts.Months)
	}
	last := opts.Last
	if last.IsZero() {
		for _, p := range points {
			if last.IsZero() || monthIndex(p.Month) > monthIndex(last) {
				last = p.Month
			}
		}
		if last.IsZero() {
			return Chart{}, ErrNoMonths
		}
	}
	monthName := opts.MonthName
	if monthName == nil {
		monthName = func(m time.Month) string { return m.String()[:3] }
	}
	money := moneyOrDefault(opts.Money)
	lastIdx := monthIndex(last)
	firstIdx := lastIdx - n + 1
	values := make([]int64, n)
	for _, p := range points {
		if i := monthIndex(p.Month) - firstIdx; i >= 0 && i < n {
			values[i] = addSat(values[i], p.Cents)
		}
	}
	firstMonth := time.Date(last.Year(), last.Month()-time.Month(n-1), 1, 0, 0, 0, 0, last.Location())
	c := Chart{Bars: make([]Bar, n)}
	for i := range c.Bars {
		m := firstMonth.AddDate(0, i, 0)
		c.Bars[i] = Bar{Label: monthName(m.Month()), Month: m, Cents: values[i], Text: money(values[i])}
	}
	c.summarise()
	drawn, lo, hi := c.clampValues()
	c.Ticks = niceTicks(lo, hi)

	w, h := size(opts, 480, 240)
	tickTexts := make([]string, len(c.Ticks))
	widest := 0.0
	for i, t := range c.Ticks {
		tickTexts[i] = money(t)
		widest = max(widest, textWidth(tickTexts[i]))
	}
	left := min(widest+10, w/3)
	right, top, bottom := 6.0, fontSize/2+4, 2*fontSize+12
	plotW, plotH := w-left-right, h-top-bottom
	y := scaler(c.Ticks[0], c.Ticks[len(c.Ticks)-1], top+plotH, top) // value -> y, upwards
	zeroY := y(0)

	var b strings.Builder
	b.Grow(4096)
	openChart(&b, "chart chart-monthly", w, h, opts)
	b.WriteString(`<g class="grid" stroke="` + colourGrid + `" stroke-width="1">`)
	for _, t := range c.Ticks {
		line(&b, "", left, y(t), w-right, y(t))
	}
	b.WriteString(`</g><g class="ticks" fill="` + colourText + `" text-anchor="end">`)
	for i, t := range c.Ticks {
		text(&b, "", left-6, y(t)+fontSize*0.35, tickTexts[i])
	}
	b.WriteString(`</g><g class="bars">`)
	slot := plotW / float64(n)
	barW := max(slot*0.7, 1)
	for i, bar := range c.Bars {
		if drawn[i] == 0 {
			continue
		}
		x := left + slot*float64(i) + (slot-barW)/2
		title := bar.Label + " " + strconv.Itoa(bar.Month.Year()) + ": " + bar.Text
		writeBarRect(&b, drawn[i] < 0, false, x, zeroY, barW, y(drawn[i])-zeroY, title)
	}
	b.WriteString(`</g>`)
	line(&b, "axis", left, zeroY, w-right, zeroY)
	// Month labels, with the year under the first month and under each January; a label
	// that would overlap the previous one is left out (the caller's table has them all).
	b.WriteString(`<g class="labels" fill="` + colourText + `" text-anchor="middle">`)
	labelY := top + plotH + fontSize + 4
	var monthEnd, yearEnd = -1e9, -1e9
	for i, bar := range c.Bars {
		cx := left + slot*(float64(i)+0.5)
		if lw := textWidth(bar.Label); cx-lw/2 > monthEnd+2 {
			text(&b, "month", cx, labelY, bar.Label)
			monthEnd = cx + lw/2
		}
		if i == 0 || bar.Month.Month() == time.January {
			year := strconv.Itoa(bar.Month.Year())
			yw := textWidth(year)
			nextJan := (13 - int(bar.Month.Month())) % 12 // slots until the next January
			if i == 0 && nextJan > 0 && nextJan < n && slot*float64(nextJan) < yw+4 {
				continue // the January close by says the new year; this one would collide
			}
			if cx-yw/2 > yearEnd+2 {
				text(&b, "year", cx, labelY+fontSize+2, year)
				yearEnd = cx + yw/2
			}
		}
	}
	b.WriteString(`</g></svg>`)
	c.SVG = template.HTML(b.String()) //nolint:gosec // every text is escaped by text/attr
	return c, nil
}

// AgeingBars draws one horizontal bar per bucket, top to bottom in the given order, with the
// bucket's label on the left and its formatted amount at the end of the bar; the value axis
// along the bottom has 3 to 5 round ticks. Negative amounts go left of the zero line.
func AgeingBars(buckets []Bucket, opts Options) (Chart, error) {
	if len(buckets) == 0 {
		return Chart{}, ErrNoBuckets
	}
	money := moneyOrDefault(opts.Money)
	c := Chart{Bars: make([]Bar, len(buckets))}
	for i, bk := range buckets {
		c.Bars[i] = Bar{Label: bk.Label, Cents: bk.Cents, Text: money(bk.Cents)}
	}
	c.summarise()
	drawn, lo, hi := c.clampValues()
	c.Ticks = niceTicks(lo, hi)

	const rowH, barH = 32.0, 20.0
	n := float64(len(buckets))
	w, h := size(opts, 480, int(rowH*n+fontSize+16))
	labelW, valueW := 0.0, 0.0
	for _, bar := range c.Bars {
		labelW = max(labelW, textWidth(bar.Label))
		valueW = max(valueW, textWidth(bar.Text))
	}
	left := min(labelW+12, w*0.4)
	right := min(valueW+10, w*0.3)
	top := 4.0
	rows := h - top - fontSize - 12
	row := rows / n
	bh := min(barH, row*0.7)
	x := scaler(c.Ticks[0], c.Ticks[len(c.Ticks)-1], left, w-right)
	zeroX := x(0)

	var b strings.Builder
	b.Grow(2048)
	openChart(&b, "chart chart-ageing", w, h, opts)
	b.WriteString(`<g class="grid" stroke="` + colourGrid + `" stroke-width="1">`)
	for _, t := range c.Ticks {
		line(&b, "", x(t), top, x(t), top+rows)
	}
	b.WriteString(`</g><g class="ticks" fill="` + colourText + `" text-anchor="middle">`)
	end := -1e9
	for _, t := range c.Ticks {
		s := money(t)
		if tw := textWidth(s); x(t)-tw/2 > end+4 {
			text(&b, "", x(t), top+rows+fontSize+4, s)
			end = x(t) + tw/2
		}
	}
	b.WriteString(`</g><g class="bars">`)
	for i, bar := range c.Bars {
		if drawn[i] == 0 {
			continue
		}
		y := top + row*float64(i) + (row-bh)/2
		writeBarRect(&b, drawn[i] < 0, true, zeroX, y, x(drawn[i])-zeroX, bh, bar.Label+": "+bar.Text)
	}
	b.WriteString(`</g>`)
	line(&b, "axis", zeroX, top, zeroX, top+rows)
	b.WriteString(`<g class="labels" fill="` + colourText + `">`)
	for i, bar := range c.Bars {
		cy := top + row*(float64(i)+0.5) + fontSize*0.35
		b.WriteString(`<text class="category" text-anchor="end"`)
		numAttr(&b, "x", left-8)
		numAttr(&b, "y", cy)
		b.WriteByte('>')
		writeEscaped(&b, bar.Label)
		b.WriteString(`</text>`)
		text(&b, "value", max(x(drawn[i]), zeroX)+4, cy, bar.Text)
	}
	b.WriteString(`</g></svg>`)
	c.SVG = template.HTML(b.String()) //nolint:gosec // every text is escaped by text/attr
	return c, nil
}

// monthIndex counts months from year 0, so months compare and subtract as integers.
func monthIndex(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func moneyOrDefault(f func(int64) string) func(int64) string {
	if f != nil {
		return f
	}
	return func(c int64) string {
		neg := c < 0
		u := uint64(c)
		if neg {
			u = -u
		}
		s := strconv.FormatUint(u/100, 10)
		if u%100 != 0 {
			s += fmt.Sprintf(".%02d", u%100)
		}
		if neg {
			s = "-" + s
		}
		return s
	}
}

// summarise sets Total, Max and Min from the bars.
func (c *Chart) summarise() {
	for i, bar := range c.Bars {
		c.Total = addSat(c.Total, bar.Cents)
		if bar.Cents > c.Bars[c.Max].Cents {
			c.Max = i
		}
		if bar.Cents < c.Bars[c.Min].Cents {
			c.Min = i
		}
	}
}

// clampValues returns the values as drawn (within ±MaxDrawnCents) and the axis range,
// which always includes zero.
func (c *Chart) clampValues() (drawn []int64, lo, hi int64) {
	drawn = make([]int64, len(c.Bars))
	for i, bar := range c.Bars {
		v := bar.Cents
		if v > MaxDrawnCents || v < -MaxDrawnCents {
			v = min(max(v, -MaxDrawnCents), MaxDrawnCents)
			c.Clamped = true
		}
		drawn[i] = v
		lo, hi = min(lo, v), max(hi, v)
	}
	return drawn, lo, hi
}

// niceTicks returns 3 to 5 ticks, a step apart, from at or below lo to at or above hi, with
// 0 among them; the step is the smallest of 1, 2 or 5 × 10ⁿ euros that needs at most four
// intervals. Going from one candidate step to the next multiplies it by at most 2.5, so a
// step that needs four intervals or fewer after one that needed five or more still needs at
// least two; only data under one step (all zero, or a few cents) need padding to three ticks.
// Requires lo <= 0 <= hi, both within ±MaxDrawnCents.
func niceTicks(lo, hi int64) []int64 {
	for mag := int64(minTickGap); ; mag *= 10 {
		for _, m := range [3]int64{1, 2, 5} {
			s := m * mag
			up, down := ceilDiv(hi, s), ceilDiv(-lo, s)
			if up+down > 4 {
				continue
			}
			if up+down < 2 {
				if down > 0 && up == 0 {
					down = 2
				} else {
					up = 2 - down
				}
			}
			ticks := make([]int64, 0, up+down+1)
			for k := -down; k <= up; k++ {
				ticks = append(ticks, k*s)
			}
			return ticks
		}
	}
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b } // a >= 0, b > 0, no overflow here

// scaler maps the value range [lo, hi] linearly onto [from, to] (in either direction).
func scaler(lo, hi int64, from, to float64) func(int64) float64 {
	span := float64(hi - lo) // hi > lo: niceTicks gives at least two intervals
	return func(v int64) float64 { return from + float64(v-lo)/span*(to-from) }
}

func addSat(a, b int64) int64 {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return 1<<63 - 1
	case a < 0 && b < 0 && s >= 0:
		return -1 << 63
	}
	return s
}

func size(opts Options, defW, defH int) (float64, float64) {
	w, h := opts.Width, opts.Height
	if w == 0 {
		w = defW
	}
	if h == 0 {
		h = defH
	}
	return float64(max(w, 160)), float64(max(h, 100))
}

// textWidth estimates the width of s at the chart's font size, to keep labels apart.
func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * charWidth }

func openChart(b *strings.Builder, class string, w, h float64, opts Options) {
	b.WriteString(`<svg xmlns="` + svgNS + `"`)
	attr(b, "class", class)
	b.WriteString(` viewBox="0 0 ` + num(w) + " " + num(h) + `" preserveAspectRatio="xMidYMid meet"`)
	if opts.Title != "" {
		b.WriteString(` role="img"`)
		attr(b, "aria-label", opts.Title)
	} else {
		b.WriteString(` aria-hidden="true"`)
	}
	b.WriteString(` font-family="system-ui, sans-serif" font-size="` + num(fontSize) + `">`)
	if opts.Title != "" {
		element(b, "title", opts.Title)
	}
	if opts.Desc != "" {
		element(b, "desc", opts.Desc)
	}
}

// writeBarRect draws a bar from the zero line at (x, y): a vertical bar of width w and value
// extent h (its sign ignored: a positive value goes up, a negative one down), or a
// horizontal one of height h and value extent w (positive right, negative left). The
// direction comes from the value's sign rather than from the extent, which rounds to zero
// for a few cents beside billions; and a non-zero amount stays visible however small next
// to the largest one: at least one unit long.
func writeBarRect(b *strings.Builder, negative, horizontal bool, x, y, w, h float64, title string) {
	w, h = max(math.Abs(w), 1), max(math.Abs(h), 1)
	switch {
	case horizontal && negative:
		x -= w
	case !horizontal && !negative:
		y -= h
	}
	class, fill := "bar", colourBar
	if negative {
		class, fill = "bar negative", colourNeg
	}
	b.WriteString(`<rect class="` + class + `"`)
	numAttr(b, "x", x)
	numAttr(b, "y", y)
	numAttr(b, "width", w)
	numAttr(b, "height", h)
	b.WriteString(` fill="` + fill + `">`)
	element(b, "title", title)
	b.WriteString(`</rect>`)
}

func line(b *strings.Builder, class string, x1, y1, x2, y2 float64) {
	b.WriteString("<line")
	if class != "" {
		attr(b, "class", class)
		b.WriteString(` stroke="` + colourAxis + `" stroke-width="1"`)
	}
	numAttr(b, "x1", x1)
	numAttr(b, "y1", y1)
	numAttr(b, "x2", x2)
	numAttr(b, "y2", y2)
	b.WriteString("/>")
}

func text(b *strings.Builder, class string, x, y float64, s string) {
	b.WriteString("<text")
	if class != "" {
		attr(b, "class", class)
	}
	numAttr(b, "x", x)
	numAttr(b, "y", y)
	b.WriteByte('>')
	writeEscaped(b, s)
	b.WriteString("</text>")
}
