package cli

import (
	"strings"
	"testing"
	"time"
)

func TestProgressOnATerminalRedrawsOneLine(t *testing.T) {
	var out strings.Builder
	p := &progress{w: &out, label: "seeding", total: 30, terminal: true, start: time.Now()}
	p.set(10)
	p.lastOut = time.Time{} // as if a tenth of a second had passed
	p.set(20)
	p.set(30)
	if got := out.String(); strings.Count(got, "\r") != 3 || strings.Count(got, "\n") != 1 || !strings.HasSuffix(got, "\n") {
		t.Errorf("terminal output %q: want three \\r frames and one final newline", got)
	}
	if !strings.Contains(out.String(), "[##########....................]  33% 10/30") {
		t.Errorf("no bar in %q", out.String())
	}
}

func TestProgressElsewhereWritesALinePerStep(t *testing.T) {
	var out strings.Builder
	p := &progress{w: &out, label: "seeding", total: 30, start: time.Now()}
	for _, done := range []int64{10, 20, 30} {
		p.set(done)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if strings.Contains(out.String(), "\r") || len(lines) != 3 {
		t.Fatalf("output %q: want three lines without \\r", out.String())
	}
	for i, want := range []string{"seeding: 10/30 (33%), ", "seeding: 20/30 (67%), ", "seeding: 30/30 (100%), "} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d %q, want it to start with %q", i, lines[i], want)
		}
	}
}

// newProgress keeps the bar for terminals only: a strings.Builder (a pipe, a file) gets lines.
func TestNewProgressOffATerminal(t *testing.T) {
	if p := newProgress(&strings.Builder{}, "x", 1); p.terminal {
		t.Error("a strings.Builder taken for a terminal")
	}
}
