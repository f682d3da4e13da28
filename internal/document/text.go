package document

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// clean makes a field printable on one line: invalid UTF-8 becomes U+FFFD, the text is
// composed (NFC, so "e" + U+0301 takes one column as "é"), control characters and line
// separators become spaces, and bidirectional override/isolate controls are dropped: on a
// receipt they could make an amount read in a different order than it was printed.
func clean(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFC.String(s)
	s = strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf { // the common case, without the table look-ups below
			if r < ' ' || r == 0x7f {
				return ' '
			}
			return r
		}
		switch {
		case isBidiControl(r):
			return -1
		case unicode.IsControl(r), unicode.In(r, unicode.Zl, unicode.Zp):
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func isBidiControl(r rune) bool {
	switch {
	case r == '\u061c', r == '\u200e', r == '\u200f':
		return true
	case r >= '\u202a' && r <= '\u202e':
		return true
	case r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// columns is the width of s on a fixed-pitch printer, counted in runes.
func columns(s string) int { return utf8.RuneCountInString(s) }

// wrap breaks s into lines of at most width runes, at spaces when it can; a word longer
// than the width is cut, between characters rather than inside one (a base letter keeps its
// combining marks) unless a single character is itself wider than a line.
func wrap(s string, width int) []string {
	words := strings.Fields(clean(s))
	var lines []string
	var cur strings.Builder
	curCols := 0
	flush := func() {
		if curCols > 0 {
			lines = append(lines, cur.String())
			cur.Reset()
			curCols = 0
		}
	}
	for _, w := range words {
		wc := columns(w)
		if wc > width {
			flush()
			chunks := cut(w, width)
			lines = append(lines, chunks[:len(chunks)-1]...)
			last := chunks[len(chunks)-1]
			cur.WriteString(last)
			curCols = columns(last)
			continue
		}
		if curCols > 0 && curCols+1+wc > width {
			flush()
		}
		if curCols > 0 {
			cur.WriteByte(' ')
			curCols++
		}
		cur.WriteString(w)
		curCols += wc
	}
	flush()
	return lines
}

// cut splits a word without spaces into chunks of at most width runes, keeping each
// character (base + marks, or an emoji joined with ZWJ) whole when it fits in a line.
func cut(w string, width int) []string {
	var chunks []string
	var cur []rune
	for _, cl := range clusters(w) {
		if len(cl) > width { // a pathological character: cut it anyway
			if len(cur) > 0 {
				chunks = append(chunks, string(cur))
				cur = cur[:0]
			}
			for len(cl) > width {
				chunks = append(chunks, string(cl[:width]))
				cl = cl[width:]
			}
			cur = append(cur, cl...)
			continue
		}
		if len(cur)+len(cl) > width {
			chunks = append(chunks, string(cur))
			cur = cur[:0]
		}
		cur = append(cur, cl...)
	}
	if len(cur) > 0 {
		chunks = append(chunks, string(cur))
	}
	return chunks
}

// clusters groups the runes of s into user-perceived characters, approximately: a rune
// starts a new character unless it is a mark, a zero-width joiner, or follows a joiner.
func clusters(s string) [][]rune {
	var out [][]rune
	prevJoiner := false
	for _, r := range s {
		joiner := r == '\u200d'
		mark := r >= utf8.RuneSelf && unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
		if len(out) > 0 && (mark || joiner || prevJoiner) {
			out[len(out)-1] = append(out[len(out)-1], r)
		} else {
			out = append(out, []rune{r})
		}
		prevJoiner = joiner
	}
	return out
}

// pad returns s followed by spaces up to width runes.
func pad(s string, width int) string {
	if n := width - columns(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// padLeft returns s preceded by spaces up to width runes.
func padLeft(s string, width int) string {
	if n := width - columns(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}

// center returns s centred in width runes (no trailing spaces).
func center(s string, width int) string {
	if n := (width - columns(s)) / 2; n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}
