package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a one-line progress bar on a terminal stream, at most ten times a second.
type progress struct {
	w       io.Writer
	label   string
	total   int64
	start   time.Time
	lastOut time.Time
}

func newProgress(w io.Writer, label string, total int64) *progress {
	return &progress{w: w, label: label, total: total, start: time.Now()}
}

// set shows that done of total are finished.
func (p *progress) set(done int64) {
	now := time.Now()
	if done < p.total && now.Sub(p.lastOut) < 100*time.Millisecond {
		return
	}
	p.lastOut = now
	const width = 30
	frac := float64(done) / float64(max(p.total, 1))
	filled := int(frac * width)
	elapsed := now.Sub(p.start).Seconds()
	rate := float64(done) / max(elapsed, 1e-9)
	fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%% %d/%d %6.0f/s %5.1fs", p.label,
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), frac*100, done, p.total, rate, elapsed)
	if done >= p.total {
		fmt.Fprintln(p.w)
	}
}
