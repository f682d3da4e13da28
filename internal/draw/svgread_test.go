package draw

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
)

// node is a generic element read back from a drawing, so tests check what a browser or a
// scanner would get rather than how the string was built.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []*node    `xml:",any"`
	Text     string     `xml:",chardata"`
}

// parseSVG parses s strictly; a drawing that is not well-formed XML fails the test.
func parseSVG(t testing.TB, s string) *node {
	t.Helper()
	var root node
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	if err := d.Decode(&root); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, s)
	}
	if root.XMLName.Local != "svg" || root.XMLName.Space != svgNS {
		t.Fatalf("root is %v, want svg in %s", root.XMLName, svgNS)
	}
	return &root
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *node) hasClass(c string) bool {
	for _, f := range strings.Fields(n.attr("class")) {
		if f == c {
			return true
		}
	}
	return false
}

// all returns the elements under n (n included) that match, in document order.
func (n *node) all(match func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		if match(m) {
			out = append(out, m)
		}
		for _, c := range m.Children {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byName(name string) func(*node) bool {
	return func(n *node) bool { return n.XMLName.Local == name }
}

func byClass(name, class string) func(*node) bool {
	return func(n *node) bool { return n.XMLName.Local == name && n.hasClass(class) }
}

// text is the character data of n and its descendants.
func (n *node) text() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		b.WriteString(m.Text)
		for _, c := range m.Children {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func (n *node) float(t testing.TB, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("%s=%q on <%s>: %v", name, n.attr(name), n.XMLName.Local, err)
	}
	return v
}

// viewBox returns the width and height of the root's viewBox, which must start at 0 0.
func (n *node) viewBox(t testing.TB) (w, h float64) {
	t.Helper()
	f := strings.Fields(n.attr("viewBox"))
	if len(f) != 4 || f[0] != "0" || f[1] != "0" {
		t.Fatalf("viewBox %q", n.attr("viewBox"))
	}
	w, err1 := strconv.ParseFloat(f[2], 64)
	h, err2 := strconv.ParseFloat(f[3], 64)
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		t.Fatalf("viewBox %q", n.attr("viewBox"))
	}
	return w, h
}
