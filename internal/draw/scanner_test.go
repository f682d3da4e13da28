package draw

import (
	"github.com/clientela/clientela/internal/testdb"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBarcodeScansWithZbar is the check that does not share the package's tables: the SVG is
// rasterised by librsvg and read by zbar, a decoder written by other people. It runs where
// both tools are installed (Debian: apt-get install librsvg2-bin zbar-tools) and is skipped
// elsewhere.
func TestBarcodeScansWithZbar(t *testing.T) {
	rsvg, err1 := exec.LookPath("rsvg-convert")
	zbar, err2 := exec.LookPath("zbarimg")
	if err1 != nil || err2 != nil {
		if testdb.InCI() {
			t.Fatal("rsvg-convert or zbarimg is not installed: CI must scan the barcodes (apt-get install librsvg2-bin zbar-tools)")
		}
		t.Skip("rsvg-convert or zbarimg not installed")
	}
	values := []string{"4006381333931", "8412345678905", "96385074", "4006381333932", "HI345678H",
		"334455", "C-00042", "Kingcean", "ab 12345678 x!~", "1", `<&>"'`, "000000000000000000000000"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 8 {
		var b strings.Builder
		for range 1 + r.IntN(20) {
			if r.IntN(3) == 0 {
				b.WriteByte(byte('0' + r.IntN(10)))
			} else {
				b.WriteByte(byte(33 + r.IntN(94))) // zbar trims spaces at the ends
			}
		}
		values = append(values, b.String())
	}
	want := map[string]string{"4006381333931": "EAN-13", "8412345678905": "EAN-13", "96385074": "EAN-8"}
	dir := t.TempDir()
	for i, v := range values {
		svg, err := Barcode(v)
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		in := filepath.Join(dir, "b.svg")
		png := filepath.Join(dir, "b.png")
		if err := os.WriteFile(in, []byte(svg), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(rsvg, "-z", "2", "-b", "white", "-o", png, in).CombinedOutput(); err != nil {
			t.Fatalf("rsvg-convert: %v %s", err, out)
		}
		out, err := exec.Command(zbar, "-q", "--raw", "-Sbinary", png).Output()
		got := strings.TrimSuffix(string(out), "\n")
		if err != nil || got != v {
			t.Errorf("value %d %q: zbar read %q (%v)", i, v, got, err)
		}
		sym, _ := exec.Command(zbar, "-q", png).Output()
		kind := want[v]
		if kind == "" {
			kind = "CODE-128"
		}
		if !strings.HasPrefix(string(sym), kind+":") {
			t.Errorf("%q: zbar says %q, want %s", v, sym, kind)
		}
	}
}
