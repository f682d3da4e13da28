package seed

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/clientela/clientela/internal/search"
)

// This file turns the word lists into the tables the generator draws from. It runs once per
// NewGenerator; a malformed list is a programming error and panics (the tests parse them all).

// word is a name with its e-mail form: folded to lower-case ASCII letters and digits
// ("Núñez" → "nunez", "O'Brien" → "obrien").
type word struct {
	text, fold string
}

// mailFold folds s to the characters an e-mail local part or domain label is built from.
func mailFold(s string) string {
	f := search.Fold(s)
	b := make([]byte, 0, len(f))
	for i := 0; i < len(f); i++ {
		if c := f[i]; (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b = append(b, c)
		}
	}
	return string(b)
}

// splitList splits a list on sep and line breaks, trimming each item and dropping empty ones.
func splitList(s string, sep rune) []string {
	items := strings.FieldsFunc(s, func(r rune) bool { return r == sep || r == '\n' })
	out := items[:0]
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// words parses a comma-separated list.
func words(s string) []word {
	items := splitList(s, ',')
	out := make([]word, len(items))
	for i, it := range items {
		out[i] = word{text: it, fold: mailFold(it)}
	}
	return out
}

// lines splits a table into its non-empty lines, each split on "|" into exactly n fields.
func lines(s string, n int) [][]string {
	var out [][]string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Split(l, "|")
		if len(f) != n {
			panic(fmt.Sprintf("seed: %q: want %d fields", l, n))
		}
		out = append(out, f)
	}
	return out
}

func atof(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		panic("seed: bad number " + strconv.Quote(s))
	}
	return v
}

// alias draws an index with given weights in constant time (Vose's alias method): a uniform
// slot, then either the slot's own item or its alias.
type alias struct {
	keep  []uint64 // keep the slot's item when 32 random bits are below this (1<<32: always)
	alias []uint16 // the other slot
	out   []uint16 // the item each slot stands for
}

// newAlias builds the table for weights; out[k] is what slot k yields (nil: k itself).
func newAlias(weights []float64, out []uint16) alias {
	n := len(weights)
	if n == 0 || n > 1<<16 {
		panic("seed: bad weight table size")
	}
	if out == nil {
		out = make([]uint16, n)
		for k := range out {
			out[k] = uint16(k)
		}
	}
	sum := 0.0
	for _, w := range weights {
		if w < 0 {
			panic("seed: negative weight")
		}
		sum += w
	}
	if sum <= 0 {
		panic("seed: all weights zero")
	}
	a := alias{keep: make([]uint64, n), alias: make([]uint16, n), out: out}
	scaled := make([]float64, n)
	var small, large []int
	for k, w := range weights {
		scaled[k] = w * float64(n) / sum
		if scaled[k] < 1 {
			small = append(small, k)
		} else {
			large = append(large, k)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small, large = small[:len(small)-1], large[:len(large)-1]
		a.keep[s] = uint64(scaled[s] * (1 << 32))
		a.alias[s] = uint16(l)
		scaled[l] += scaled[s] - 1
		if scaled[l] < 1 {
			small = append(small, l)
		} else {
			large = append(large, l)
		}
	}
	for _, k := range append(small, large...) { // rounding leftovers: keep always
		a.keep[k] = 1 << 32
		a.alias[k] = uint16(k)
	}
	return a
}

func (a *alias) pick(r *rand.Rand) int {
	v := r.Uint64()
	slot := ((v >> 32) * uint64(len(a.keep))) >> 32
	if v&0xffffffff < a.keep[slot] {
		return int(a.out[slot])
	}
	return int(a.out[a.alias[slot]])
}

// zipfWeights gives rank k the weight 1/(k+offset): lists are ordered by frequency.
func zipfWeights(n int, offset float64) []float64 {
	w := make([]float64, n)
	for k := range w {
		w[k] = 1 / (float64(k) + offset)
	}
	return w
}

// wordSet is a frequency-ordered list with its sampler.
type wordSet struct {
	list []word
	w    alias
}

func newWordSet(s string, offset float64) wordSet {
	l := words(s)
	return wordSet{list: l, w: newAlias(zipfWeights(len(l), offset), nil)}
}

func (ws *wordSet) pick(r *rand.Rand) word { return ws.list[ws.w.pick(r)] }

// stringSet is a list drawn uniformly (repeat an item to make it likelier).
type stringSet []string

func (ss stringSet) pick(r *rand.Rand) string { return ss[r.IntN(len(ss))] }

// weightedStrings parses "item weight" lines.
func weightedStrings(s string) (stringSet, alias) {
	var items stringSet
	var w []float64
	for _, l := range strings.Split(s, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			panic("seed: bad weighted line " + strconv.Quote(l))
		}
		items = append(items, f[0])
		w = append(w, atof(f[1]))
	}
	return items, newAlias(w, nil)
}

// people are the names of one origin.
type people struct {
	male, female, surnames wordSet
	twoSurnames            bool   // Spanish style: "García López"
	home                   *land  // where they live, unless told otherwise
	region                 string // Spanish region they favour ("Cataluña"), if any
	regionW                alias  // places of home in region
}

func newPeople(male, female, surnames string, two bool, home *land, region string) people {
	p := people{
		male:        newWordSet(male, 8),
		female:      newWordSet(female, 8),
		surnames:    newWordSet(surnames, 10),
		twoSurnames: two,
		home:        home,
		region:      region,
	}
	if region != "" {
		var w []float64
		var out []uint16
		for k, pl := range home.places {
			if pl.region == region {
				w = append(w, pl.weight)
				out = append(out, uint16(k))
			}
		}
		p.regionW = newAlias(w, out)
	}
	return p
}

// codeRange is an inclusive range of numeric postal codes.
type codeRange struct{ lo, hi int }

// place is a town or city.
type place struct {
	word
	region  string
	codes   []codeRange // numeric postal codes (Spain, France)
	outward []string    // British outward codes
	phones  []string    // landline prefixes
	weight  float64
	expat   float64
}

// land is a country: its places, streets, e-mail providers and businesses.
type land struct {
	code                        string
	places                      []place
	placeW, expatW              alias
	streets, line2              stringSet
	mailDomains                 stringSet
	mailW                       alias
	mailboxes                   stringSet
	companies                   []pattern
	companyW                    alias
	fancy, where, compass, nick wordSet
	legal                       []legalForm
	legalW                      alias
}

func parsePlaces(s string) ([]place, alias) {
	var out []place
	var w []float64
	for _, f := range lines(s, 6) {
		pl := place{word: word{text: f[0], fold: mailFold(f[0])}, region: f[1], weight: atof(f[4]), expat: atof(f[5])}
		for _, c := range strings.Fields(f[2]) {
			if c[0] >= 'A' && c[0] <= 'Z' {
				pl.outward = append(pl.outward, c)
				continue
			}
			lo, hi, isRange := strings.Cut(c, "-")
			if !isRange {
				hi = lo
			}
			l, err1 := strconv.Atoi(lo)
			h, err2 := strconv.Atoi(hi)
			if err1 != nil || err2 != nil || len(lo) != 5 || len(hi) != 5 || h < l {
				panic("seed: bad postal code " + strconv.Quote(c))
			}
			pl.codes = append(pl.codes, codeRange{l, h})
		}
		pl.phones = strings.Fields(f[3])
		out = append(out, pl)
		w = append(w, pl.weight)
	}
	return out, newAlias(w, nil)
}

// pattern is a company name template split into literal text and placeholders.
type pattern struct {
	segs []segment
	org  byte // CIF organisation letter that goes with it; 0: the legal form's
}

type segment struct {
	word      // literal text and its fold
	ph   byte // placeholder letter ('S', 'N', 'C', 'R', 'F', 'P'); 0 for literal text
}

func parsePatterns(s string) ([]pattern, alias) {
	var out []pattern
	var w []float64
	for _, f := range lines(s, 3) {
		var p pattern
		rest := f[1]
		for rest != "" {
			open := strings.IndexByte(rest, '{')
			if open < 0 {
				p.segs = append(p.segs, segment{word: word{rest, mailFold(rest)}})
				break
			}
			if open > 0 {
				p.segs = append(p.segs, segment{word: word{rest[:open], mailFold(rest[:open])}})
			}
			if len(rest) < open+3 || rest[open+2] != '}' || !strings.ContainsRune("SNCRFP", rune(rest[open+1])) {
				panic("seed: bad pattern " + strconv.Quote(f[1]))
			}
			p.segs = append(p.segs, segment{ph: rest[open+1]})
			rest = rest[open+3:]
		}
		if f[2] != "" {
			p.org = f[2][0]
		}
		out = append(out, p)
		w = append(w, atof(f[0]))
	}
	return out, newAlias(w, nil)
}

// legalForm is a legal form and the CIF organisation letter of that kind of entity.
type legalForm struct {
	form string
	org  byte
}

func parseLegalForms(s string) ([]legalForm, alias) {
	var out []legalForm
	var w []float64
	for _, f := range lines(s, 3) {
		lf := legalForm{form: f[0]}
		if f[1] != "" {
			lf.org = f[1][0]
		}
		out = append(out, lf)
		w = append(w, atof(f[2]))
	}
	return out, newAlias(w, nil)
}
