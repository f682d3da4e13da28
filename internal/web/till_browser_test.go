package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// keys types text into whatever has the focus, as a keyboard (or a barcode scanner) does.
func (p *page) keys(text string) {
	p.t.Helper()
	p.do(chromedp.KeyEvent(text))
}

// focused is the id of the element that has the focus.
func (p *page) focused() string {
	p.t.Helper()
	return eval[string](p, "document.activeElement ? document.activeElement.id : ''")
}

// tabTo presses Tab until the element with id has the focus, as a keyboard user reaches it;
// it fails when the element is not reachable within a page's worth of stops.
func (p *page) tabTo(id string) {
	p.t.Helper()
	for range 60 {
		if p.focused() == id {
			return
		}
		p.keys(kb.Tab)
	}
	p.screenshot("failure")
	p.t.Fatalf("Tab never reached #%s", id)
}

// waitAcross waits until a JavaScript condition holds on a page that is being replaced by
// another (a script's location.assign): evaluations that meet the old page going away are
// tried again.
func (p *page) waitAcross(js string) {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.screenshot("failure")
	p.t.Fatalf("waiting for %s: timed out", js)
}

// TestTillInChromium rings up a sale at the till with the keyboard alone, as a cashier with
// a barcode scanner does: an unknown card is refused and changes nothing, a name finds the
// customer, the VIP card (digits, then Enter) attaches María with her group's 10 % off every
// line without a page load, lines are added (0,350 kg of cheese), the cash typed shows the
// change, Enter closes, and the receipt prints from the keyboard and leads back to the till.
func TestTillInChromium(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	setUpShop(t, e)
	vipCustomer(t, e)
	for _, c := range []domain.CustomerChanges{
		withContact(person("Jean", "Dupont"), "jean.dupont@example.fr", "+33 6 12 34 56 78", "4006381333948"),
		withContact(person("Lucía", "Fernández Ortega"), "lucia.fernandez@example.es", "+34 622 18 40 93", "4006381333955"),
	} {
		e.mustCreateCustomer(c)
	}
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.login("cashier")
	p.waitFor("location.pathname === '/till'")
	if got := p.focused(); got != "scan" {
		t.Fatalf("on the till, the focus is on %q, want the scan field", got)
	}
	origin := eval[float64](p, "performance.timeOrigin")
	status := "document.getElementById('till-status').textContent"

	// An unknown card: said plainly, and nothing opened.
	p.keys("9999999999999" + kb.Enter)
	p.waitFor(status + ".includes('Ningún cliente tiene la tarjeta 9999999999999')")
	if tickets, _ := e.app.Tickets(context.Background(), e.principal(domain.RoleCashier)); len(tickets) != 0 {
		t.Errorf("an unknown card opened %d tickets", len(tickets))
	}
	if got := p.focused(); got != "scan" {
		t.Errorf("after an unknown card the focus is on %q", got)
	}
	// Add two lines from the keyboard. The quantity field holds "1", selected on Tab.
	p.tabTo("f-label")
	p.keys("Queso manchego" + kb.Tab + "0,350" + kb.Tab + "18,90" + kb.Tab + "1")
	p.tabTo("add-line-submit")
	p.keys(kb.Enter)
	p.waitFor("document.querySelector('table.lines') && document.querySelector('table.lines').innerText.includes('Queso manchego')")
	if got := p.focused(); got != "f-label" {
		t.Errorf("after adding a line the focus is on %q, want the label field", got)
	}
	if got := eval[string](p, "location.pathname"); !ticketPath.MatchString(got) {
		t.Errorf("the address did not follow the ticket: %q", got)
	}
	p.keys("Pan" + kb.Tab + "2" + kb.Tab + "1,25" + kb.Tab + "4" + kb.Tab + kb.Enter)
	p.waitFor("document.querySelector('table.lines').innerText.includes('Pan')")
	if got := p.text("[data-total]"); got != "9,12\u00a0€" {
		t.Errorf("total before the card: %q, want 9,12 € (6,62 + 2,50)", got)
	}

	// A name in the scan field searches; Enter on the first match attaches it.
	p.do(chromedp.Evaluate[chromedp.Void]("document.getElementById('scan').focus()"))
	p.keys("dupont" + kb.Enter)
	p.waitFor("document.activeElement && document.activeElement.id === 'match-0'")
	if got := p.text(".matches"); !strings.Contains(got, "Jean Dupont") {
		t.Errorf("matches: %q", got)
	}
	p.keys(kb.Enter)
	p.waitFor("document.querySelector('[data-customer-name]') && document.querySelector('[data-customer-name]').textContent === 'Jean Dupont'")

	// The VIP card, as a scanner types it: María replaces Jean, with 10 % off every line.
	if got := p.focused(); got != "scan" {
		t.Fatalf("after attaching, the focus is on %q, want the scan field", got)
	}
	p.keys("4006381333931" + kb.Enter)
	p.waitFor("document.querySelector('[data-customer-name]').textContent === 'María García López'")
	if now := eval[float64](p, "performance.timeOrigin"); now != origin {
		t.Error("the scan reloaded the page")
	}
	if got := p.text("[data-customer-group]"); got != "Grupo VIP · descuento 10\u00a0% en cada línea" {
		t.Errorf("group: %q", got)
	}
	if got := eval[string](p, status); got != "María García López está en el ticket: grupo VIP, descuento 10\u00a0%." {
		t.Errorf("status: %q", got)
	}
	discounts := eval[[]string](p, "[...document.querySelectorAll('table.lines .l-discount')].map(td => td.textContent)")
	if strings.Join(discounts, " ") != "−0,66\u00a0€ −0,25\u00a0€" {
		t.Errorf("line discounts: %q", discounts)
	}
	if got := p.text("[data-saving]"); !strings.Contains(got, "−0,91\u00a0€") {
		t.Errorf("saving: %q", got)
	}
	if got := p.text("[data-total]"); got != "8,21\u00a0€" {
		t.Errorf("total with the discount: %q", got)
	}
	if got := eval[string](p, "document.getElementById('scan').value"); got != "" {
		t.Errorf("the scan field kept %q", got)
	}
	p.viewportShot("till", "till.png")

	// An unknown card now leaves María on the ticket.
	p.keys("1234512345123" + kb.Enter)
	p.waitFor(status + ".includes('Ningún cliente tiene la tarjeta 1234512345123')")
	if got := p.text("[data-customer-name]"); got != "María García López" {
		t.Errorf("after an unknown card the customer is %q", got)
	}

	// Pay 20 € cash: the change shows as it is typed; Enter closes.
	p.tabTo("f-cash")
	p.keys("20")
	if got := p.text("#change"); got != "11,79\u00a0€" {
		t.Errorf("change shown: %q, want 11,79 €", got)
	}
	p.keys(kb.Enter)
	p.waitAcross("location.pathname.endsWith('/receipt') && document.readyState === 'complete'")
	if got := p.text(".change-due"); !strings.Contains(got, "11,79\u00a0€") {
		t.Errorf("change on the receipt: %q", got)
	}
	receipt := p.text(".receipt")
	for _, want := range []string{"Ultramarinos Ruiz", "B12345674", "Cliente: María García López", "Calle del Pez 12", "Queso manchego",
		"0,350 × 18,90\u00a0€", "TOTAL", "8,21\u00a0€", "Efectivo", "20,00\u00a0€", "Cambio", "11,79\u00a0€", "10\u00a0%"} {
		if !strings.Contains(receipt, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, receipt)
		}
	}
	if got := eval[float64](p, "document.querySelector('.receipt').getBoundingClientRect().width"); got > 300 {
		t.Errorf("the receipt is %v px wide, want about 72 mm", got)
	}
	p.viewportShot("receipt", "receipt.png")
	// "Imprimir" has the focus: Enter prints.
	if got := eval[string](p, "document.activeElement.dataset.print === undefined ? document.activeElement.textContent : 'print'"); got != "print" {
		t.Errorf("on the receipt the focus is on %q, want Imprimir", got)
	}
	p.do(chromedp.Evaluate[chromedp.Void]("window.print = () => { window.printed = true; }"))
	p.keys(kb.Enter)
	if !eval[bool](p, "window.printed === true") {
		t.Error("Enter on Imprimir did not print")
	}
	p.keys(kb.Tab + kb.Enter)
	p.waitAcross("location.pathname === '/till' && document.readyState === 'complete'")
	if got := p.text("#ticket-title"); got != "Ticket nuevo" {
		t.Errorf("back at the till: %q", got)
	}
	invoices, err := e.app.Invoices(context.Background(), app.System(), app.InvoiceQuery{})
	if err != nil || len(invoices.Invoices) != 1 || invoices.Invoices[0].TotalCents != 821 || invoices.Invoices[0].ChangeCents != 1179 {
		t.Fatalf("invoices: %+v (%v)", invoices.Invoices, err)
	}

	// A phone at the counter: 360 px wide, nothing overflows sideways.
	tk := mustTicket(t, e, e.principal(domain.RoleCashier), "Aceite de oliva virgen extra 1 l", "2", 895)
	p.do(chromedp.EmulateViewport(360, 740))
	for _, path := range []string{"/till/" + tk.ID, "/invoices/" + invoices.Invoices[0].ID + "/receipt"} {
		p.open(path)
		if w := eval[float64](p, "document.documentElement.scrollWidth"); w > 360 {
			t.Errorf("%s is %v px wide on a 360 px screen", path, w)
		}
		p.screenshot("phone" + strings.ReplaceAll(path[:min(len(path), 12)], "/", "-"))
	}
}

// TestTillPrintView: printed, the receipt page shows the receipt alone, and it fits an 80 mm
// roll.
func TestTillPrintView(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	setUpShop(t, e)
	inv := mustSale(t, e, e.principal(domain.RoleCashier))
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.login("cashier")
	p.open("/invoices/" + inv.ID + "/receipt")
	p.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if eval[bool](p, "getComputedStyle(document.querySelector('.receipt-tools')).display !== 'none'") {
		t.Error("the buttons print")
	}
	if w := eval[float64](p, "document.querySelector('.receipt').getBoundingClientRect().width"); w < 250 || w > 290 {
		t.Errorf("printed receipt is %v px wide, want 72 mm (272 px)", w)
	}
}
