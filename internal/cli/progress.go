package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress shows how far long work has come. On a terminal it redraws a one-line bar in place
// (with \r), at most ten times a second; written to a file or a pipe (a log, CI) it writes one
// plain line per step instead, since \r frames there pile up into one unreadable line.
type progress struct {
	w        io.Writer
	label    string
	total    int64
	terminal bool
	start    time.Time
	lastOut  time.Time
}

// newProgress draws on w: a bar when w is a terminal, lines otherwise. Callers call set once
// per step (a batch), so a log gets one line each.
func newProgress(w io.Writer, label string, total int64) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, label: label, total: total, terminal: ok && isTerminal(f), start: time.Now()}
}

// set shows that done of total are finished.
func (p *progress) set(done int64) {
	now := time.Now()
	frac := 1.0
	if p.total > 0 {
		frac = float64(done) / float64(p.total)
	}
	elapsed := now.Sub(p.start).Seconds()
	rate := float64(done) / max(elapsed, 1e-9)
	if !p.terminal {
		fmt.Fprintf(p.w, "%s: %d/%d (%.0f%%), %.0f/s, %.1f s\n", p.label, done, p.total, frac*100, rate, elapsed)
		return
	}
	if done < p.total && now.Sub(p.lastOut) < 100*time.Millisecond {
		return
	}
	p.lastOut = now
	const width = 30
	filled := int(frac * width)
	fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%% %d/%d %6.0f/s %5.1fs", p.label,
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), frac*100, done, p.total, rate, elapsed)
	if done >= p.total {
		fmt.Fprintln(p.w)
	}
}
