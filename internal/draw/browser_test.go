package draw

import (
	"context"
	"fmt"
	"github.com/clientela/clientela/internal/testdb"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The pages' Content-Security-Policy (internal/web/render.go): no inline style or script,
// so a drawing that relied on either would break there.
const pageCSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// recordViolations is served as a script file, allowed by the policy, that keeps the
// policy's complaints for the test to read.
const recordViolations = `window.violations = [];
document.addEventListener("securitypolicyviolation", e => window.violations.push(e.violatedDirective + " " + e.blockedURI));`

// browser starts headless Chromium, or skips the test where it is not installed.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CLIENTELA_CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path != "" {
			break
		}
		path, _ = exec.LookPath(name)
	}
	if path == "" {
		if testdb.InCI() {
			t.Fatal("Chromium is not installed: CI must run the browser tests")
		}
		t.Skip("Chromium not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.DisableGPU,
		chromedp.NoSandbox, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1024, 800))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// serve answers /page with the drawing inline in an HTML page under the pages' policy.
func serve(t *testing.T, body func() template.HTML) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", pageCSP)
		switch r.URL.Path {
		case "/v.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, recordViolations)
		case "/s.css":
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprint(w, "body{margin:16px;font-family:sans-serif} svg{display:block;max-width:100%;height:auto} .barcode{margin:24px}")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><script src="/v.js"></script><link rel="stylesheet" href="/s.css"></head><body>%s</body></html>`, body())
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/page"
}

// TestBarcodeScansInChromium: the barcode as the profile page will show it (inline in HTML,
// under the pages' policy, CSS scaling it), photographed by Chromium and read by zbar.
func TestBarcodeScansInChromium(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		if testdb.InCI() {
			t.Fatal("zbarimg is not installed: CI must scan the barcodes (apt-get install zbar-tools)")
		}
		t.Skip("zbarimg not installed (apt-get install zbar-tools)")
	}
	ctx := browser(t)
	current := ""
	url := serve(t, func() template.HTML {
		svg, err := Barcode(current)
		if err != nil {
			t.Errorf("%q: %v", current, err)
		}
		return svg
	})
	dir := t.TempDir()
	for _, v := range []string{"4006381333931", "96385074", "C-00042", "Cliente 0001234", `<&>"'`, "  two  spaces"} {
		current = v
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("svg"))); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("svg")))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "b.png")
		if err := os.WriteFile(file, png, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(zbar, "-q", "--raw", "-Sbinary", file).Output()
		if got := strings.TrimSuffix(string(out), "\n"); err != nil || got != v {
			t.Errorf("%q: zbar read %q from Chromium's rendering (%v)", v, got, err)
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("svg text")].map(e => e.textContent).join("") + "|" + window.violations.join(",")`))
		if err != nil || text != v+"|" {
			t.Errorf("%q: text and policy violations %q (%v)", v, text, err)
		}
	}
}

// layoutProblems lists, as Chromium lays the drawing out with real fonts, the texts that
// overlap their neighbours of the same class or leave the drawing, and any policy violation.
const layoutProblems = `(() => {
  const out = [...window.violations];
  const svg = document.querySelector("svg").getBoundingClientRect();
  if (svg.width < 100 || svg.right > document.documentElement.clientWidth + 0.5) out.push("svg width " + svg.width + " right " + svg.right);
  const byClass = {};
  for (const e of document.querySelectorAll("svg text")) {
    const r = e.getBoundingClientRect();
    if (r.left < svg.left - 0.5 || r.right > svg.right + 0.5 || r.top < svg.top - 0.5 || r.bottom > svg.bottom + 0.5)
      out.push("outside: " + e.textContent + " " + [r.left, r.right, r.top, r.bottom].join(","));
    const k = e.getAttribute("class") || e.parentNode.getAttribute("class");
    (byClass[k] = byClass[k] || []).push([e.textContent, r]);
  }
  for (const [k, list] of Object.entries(byClass)) for (let i = 1; i < list.length; i++) {
    const [pt, p] = list[i-1], [ct, c] = list[i];
    if (p.right > c.left + 0.5 && p.left < c.right - 0.5 && p.bottom > c.top + 0.5 && p.top < c.bottom - 0.5)
      out.push(k + " overlap: " + pt + " / " + ct);
  }
  return out.join("; ");
})()`

// TestChartsLayoutInChromium: at a phone's 360 px and at desktop width, no label overlaps
// another or leaves the drawing, with Spanish labels and large amounts.
func TestChartsLayoutInChromium(t *testing.T) {
	ctx := browser(t)
	values := []int64{120000, 0, 4505000, 3000000, -500000, 8800000, 0, 0, 1500000, 12345600, 9990000, 4000000}
	var drawing template.HTML
	url := serve(t, func() template.HTML { return drawing })
	monthly, err := MonthlyBars(monthsFrom(2025, time.December, values...), Options{Title: "Gasto", Money: esMoney, MonthName: esMonth})
	if err != nil {
		t.Fatal(err)
	}
	ageing, err := AgeingBars([]Bucket{{"0–30 días", 123456700}, {"31–60 días", 4500000}, {"61–90 días", 0}, {"Más de 90 días", 99000}}, Options{Title: "Deudores", Money: esMoney})
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{360, 1024} {
		for name, svg := range map[string]template.HTML{"monthly": monthly.SVG, "ageing": ageing.SVG} {
			drawing = svg
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 740), chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("svg"))); err != nil {
				t.Fatal(err)
			}
			problems, err := chromedp.Run(ctx, chromedp.Evaluate[string](layoutProblems))
			if err != nil || problems != "" {
				t.Errorf("%s at %d px: %s %v", name, width, problems, err)
			}
			if dir := os.Getenv("DRAW_SHOTS"); dir != "" { // pictures for a person to look at
				png, _ := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width)), png, 0o644)
			}
		}
	}
}
