package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestCustomerProfileInChromium: on a seeded register with a year of invoices, the profile
// at 1280 px shows its figures, cards, barcode and spending chart; at 360 px everything stacks
// without sideways scrolling; it leads to the form and back, to the invoices and to one
// invoice — all in a browser that runs no script.
func TestCustomerProfileInChromium(t *testing.T) {
	ctx := chrome(t, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	e := newEnv(t, sqliteBackend(t))
	seedRegister(t, e, 200)
	setUpHardwareShop(t, e)
	c, _ := fullCustomer(t, e)
	// A year of shopping: some months more, some none, one return.
	now := time.Now()
	at := now
	past := clockApp(e, func() time.Time { return at })
	var invoices []domain.Invoice
	for i, ago := range []int{11, 10, 9, 7, 6, 6, 4, 3, 2, 2, 2, 1, 0} {
		at = time.Date(now.Year(), now.Month()-time.Month(ago), 3+2*i, 11, 30, 0, 0, time.Local)
		if ago == 0 {
			at = now.Add(-time.Minute)
		}
		lines := []saleLine{hammer, bread}
		for range i % 4 {
			lines = append(lines, nails)
		}
		invoices = append(invoices, sell(t, past, e.cashier(), c.ID, lines...))
	}
	manager := domain.Principal{UserID: e.ids[domain.RoleManager], Username: "manager", Role: domain.RoleManager}
	if _, err := e.app.RectifyInvoice(context.Background(), manager, invoices[len(invoices)-2].ID,
		app.RectifyRequest{Lines: []domain.ReturnLine{{Position: 1, Quantity: 1000}}}, ""); err != nil {
		t.Fatal(err)
	}
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.do(chromedp.EmulateViewport(1280, 900))
	p.login("manager")
	scriptsOff(t, p)

	p.open("/customers/" + c.ID)
	if got := p.text("h1"); got != "María Muñoz Peña" {
		t.Errorf("heading %q", got)
	}
	if got := p.text(".profile-head .tags"); !strings.Contains(got, "Persona física") || !strings.Contains(got, "Grupo VIP · descuento 10\u00a0%") {
		t.Errorf("tags %q", got)
	}
	// The figures side by side, under the name.
	if !eval[bool](p, `(() => { const f = [...document.querySelectorAll('.figures li')].map(l => l.getBoundingClientRect());
		return f.length === 3 && f[0].top === f[1].top && f[1].top === f[2].top })()`) {
		t.Error("the key figures are not in one row at 1280 px")
	}
	if got := p.text(".figures"); !strings.Contains(got, "Facturas\n13") {
		t.Errorf("figures %q", got)
	}
	// Side by side: the first two cards share a row.
	if !eval[bool](p, `(() => { const s = document.querySelectorAll('.profile-grid > .card');
		return s[0].getBoundingClientRect().top === s[1].getBoundingClientRect().top })()`) {
		t.Error("the cards are not side by side at 1280 px")
	}
	// The actions are in the header, on the name's line.
	if !eval[bool](p, `(() => { const h = document.querySelector('h1').getBoundingClientRect(), a = document.querySelector('.head-actions').getBoundingClientRect();
		return a.top < h.bottom && a.left > h.right })()`) {
		t.Error("the actions are not beside the name")
	}
	// The barcode at its natural size (2 px a module, so a scanner reads it off the screen).
	if w := eval[float64](p, "document.querySelector('svg.barcode').getBoundingClientRect().width"); w != 226 {
		t.Errorf("the barcode is %v px wide, want 226", w)
	}
	checkChart(t, p, 12)
	p.docsShot("profile-1280", "customer-profile.png")

	// The last invoices lead to the whole list of hers and to each invoice.
	if n := eval[float64](p, "document.querySelectorAll('#h-invoices ~ table tbody tr').length"); n != 5 {
		t.Errorf("%v rows of last invoices", n)
	}
	p.clickAndLoad(`a[href^="/invoices?customer_id="]`)
	if got := p.text(".filter-customer"); !strings.HasPrefix(got, "Facturas de María Muñoz Peña.") {
		t.Errorf("the list says %q", got)
	}
	if n := eval[float64](p, "document.querySelectorAll('table.invoices tbody tr').length"); n != 14 {
		t.Errorf("%v invoices of hers listed, want 14", n)
	}
	p.screenshot("invoices-of-customer")
	p.clickAndLoad("table.invoices tbody tr.rectifying a")
	if got := p.text("h1"); !strings.HasPrefix(got, "Factura ") {
		t.Errorf("invoice heading %q", got)
	}
	p.clickAndLoad(".note-box a")
	if got := p.text(".note-box"); !strings.Contains(got, "Rectificada por:") {
		t.Errorf("the rectified invoice says %q", got)
	}
	p.screenshot("invoice-1280")

	p.do(chromedp.EmulateViewport(360, 740))
	for _, path := range []string{"/customers/" + c.ID, "/invoices", "/invoices/" + invoices[2].ID} {
		p.open(path)
		if w := eval[float64](p, "document.documentElement.scrollWidth"); w > 360 {
			t.Errorf("%s is %v px wide on a 360 px screen", path, w)
		}
		over := eval[[]string](p, `[...document.querySelectorAll('.card dd, .card td, .figures li')].filter(d => d.scrollWidth > d.clientWidth + 1).map(d => d.innerText)`)
		if len(over) > 0 {
			t.Errorf("%s: text wider than its box: %q", path, over)
		}
	}
	p.open("/customers/" + c.ID)
	if !eval[bool](p, `(() => { const s = document.querySelectorAll('.profile-grid > .card');
		return s[1].getBoundingClientRect().top >= s[0].getBoundingClientRect().bottom })()`) {
		t.Error("the cards are not stacked at 360 px")
	}
	checkChart(t, p, 12)
	p.viewportShot("profile-360", "customer-profile-phone.png")
	p.open("/invoices/" + invoices[2].ID)
	p.screenshot("invoice-360")

	// Editar, then Cancelar: back on the profile; Editar, save: the profile with the message.
	p.do(chromedp.EmulateViewport(1280, 900))
	p.open("/customers/" + c.ID)
	p.clickAndLoad(`.head-actions a[href$="/edit"]`)
	p.waitFor(fmt.Sprintf("location.pathname === %q", "/customers/"+c.ID+"/edit"))
	p.clickAndLoad(".save-bar a.button")
	p.waitFor(fmt.Sprintf("location.pathname === %q", "/customers/"+c.ID))
	p.clickAndLoad(`.head-actions a[href$="/edit"]`)
	p.fill("#f-first_name", "Mari")
	p.clickAndLoad(".save-bar button[type=submit]")
	p.waitFor(fmt.Sprintf("location.pathname === %q", "/customers/"+c.ID))
	if got := p.text(".flash"); got != "Cambios de Mari Muñoz Peña guardados." {
		t.Errorf("flash %q", got)
	}
	if got := p.text("h1"); got != "Mari Muñoz Peña" {
		t.Errorf("heading after the edit %q", got)
	}
}

// checkChart checks the spending chart as drawn: inside its card, one label per month that
// do not overlap, and bars that stay within the drawing.
func checkChart(t *testing.T, p *page, months int) {
	t.Helper()
	svg := "document.querySelector('.spending-chart svg')"
	if !eval[bool](p, `(() => { const s = `+svg+`.getBoundingClientRect(), c = document.querySelector('.spending').getBoundingClientRect();
		return s.width > 250 && s.left >= c.left && s.right <= c.right })()`) {
		t.Errorf("the chart does not fit its card: %v", eval[any](p, svg+".getBoundingClientRect().toJSON()"))
	}
	if n := eval[float64](p, svg+".querySelectorAll('rect.bar').length"); n < 8 {
		t.Errorf("%v bars drawn", n)
	}
	labels := eval[[]map[string]float64](p, `[...`+svg+`.querySelectorAll('text')].filter(e => /^[a-z]{3}/.test(e.textContent)).map(e => { const r = e.getBoundingClientRect(); return {l: r.left, r: r.right} })`)
	if len(labels) < months {
		t.Errorf("%d month labels, want %d", len(labels), months)
	}
	for i := 1; i < len(labels); i++ {
		if labels[i]["l"] < labels[i-1]["r"] {
			t.Errorf("month labels %d and %d overlap", i-1, i)
		}
	}
	if !eval[bool](p, `(() => { const s = `+svg+`.getBoundingClientRect();
		return [...`+svg+`.querySelectorAll('rect.bar')].every(b => { const r = b.getBoundingClientRect(); return r.top >= s.top - 0.5 && r.bottom <= s.bottom + 0.5 }) })()`) {
		t.Error("a bar leaves the drawing")
	}
	if got := eval[string](p, svg+".getAttribute('aria-label')"); !strings.HasPrefix(got, "Gasto por mes de ") {
		t.Errorf("the chart's name %q", got)
	}
}

// docsShot saves the whole page (not only what the window shows) as an artifact, and with
// CLIENTELA_UPDATE_DOCS_SCREENSHOTS=1 also as docs/screenshots/<docsName>.
func (p *page) docsShot(name, docsName string) {
	p.t.Helper()
	p.screenshot(name)
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG (below it, JPEG)
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	if os.Getenv(envUpdateDocs) == "1" {
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", docsName), png, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
}
