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
	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/seed"
)

// Issue 13 items 1–6 in Chromium: the register with 2,000 seeded customers on a desktop and
// on a phone, the forms' summaries, warnings and invoice box, and the confirmations, some of
// them with scripts switched off.

// envUpdateDocs, set to 1, makes TestRegisterInChromium copy its two screenshots of the
// register to docs/screenshots, where the README shows them.
const envUpdateDocs = "CLIENTELA_UPDATE_DOCS_SCREENSHOTS"

// seedRegister adds the seed command's groups and its first n customers (seed 1), as
// `clientela seed --customers n` does on an empty database.
func seedRegister(t *testing.T, e *env, n int) {
	t.Helper()
	ctx := context.Background()
	gen := seed.NewGenerator(1)
	var ids []string
	for _, g := range gen.Groups() {
		created, err := e.app.CreateGroup(ctx, app.System(), domain.GroupChanges{Name: domain.Some(g.Name),
			DiscountBasisPoints: domain.Some(g.DiscountBasisPoints), Description: domain.Some(g.Description)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, created.ID)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	batch := make([]domain.Customer, n)
	for i := range batch {
		c := &batch[i]
		gen.Customer(i, ids, c)
		c.ID, c.CreatedAt, c.UpdatedAt, c.Version = uuid.Must(uuid.NewV7()).String(), now, now, 1
		if c.MarketingConsent {
			c.MarketingConsentAt = &now
		}
	}
	if err := e.db.BulkInsertCustomers(ctx, batch); err != nil {
		t.Fatal(err)
	}
}

// viewportShot saves what the window shows (not the whole page) as an artifact, and with
// CLIENTELA_UPDATE_DOCS_SCREENSHOTS=1 also as docs/screenshots/<docsName>.
func (p *page) viewportShot(name, docsName string) {
	p.t.Helper()
	p.screenshot(name) // the whole page, after the label checks
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(p.dir, name+"-viewport.png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	if os.Getenv(envUpdateDocs) == "1" {
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", docsName), png, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
}

// TestRegisterInChromium: with 2,000 customers the register keeps one line per customer and
// many customers to a screen, never breaks a number, cuts long e-mails with an ellipsis, says
// how many customers there are and in what order, and filters by group; on a 360 px phone the
// bar is compact with a menu, the cards carry no repeated labels and nothing overflows.
func TestRegisterInChromium(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	seedRegister(t, e, 2000)
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.do(chromedp.EmulateViewport(1280, 800))
	p.login("admin")

	if got := p.text("#customer-summary"); got != "En el registro: 2000 clientes. Por orden de apellidos; las empresas, por su nombre." {
		t.Errorf("summary: %q", got)
	}
	rows := "[...document.querySelectorAll('#customer-rows tr:not(.more)')]"
	if n := eval[float64](p, rows+".length"); n != 50 {
		t.Fatalf("%v rows", n)
	}
	// One line per row: every row as tall as the first, and that is one line of text.
	uneven := eval[[]string](p, `(() => { const rows = `+rows+`; const h = rows[0].getBoundingClientRect().height;
		return rows.filter(r => Math.abs(r.getBoundingClientRect().height - h) > 0.5).map(r => r.innerText.replace(/\s+/g, ' ')) })()`)
	if len(uneven) > 0 {
		t.Errorf("rows taller than the first: %q", uneven)
	}
	if h := eval[float64](p, rows+"[0].getBoundingClientRect().height"); h > 40 {
		t.Errorf("a row is %v px tall", h)
	}
	if n := eval[float64](p, rows+".filter(r => r.getBoundingClientRect().bottom <= innerHeight).length"); n < 14 {
		t.Errorf("only %v rows fit a 1280×800 window", n)
	}
	// Numbers whole: each phone and barcode is one line of text, not cut.
	numbers := eval[float64](p, "document.querySelectorAll('#customer-rows .ref-cell span, #customer-rows .phone-cell span').length")
	if numbers < 50 {
		t.Fatalf("only %v phones and references on the page", numbers)
	}
	broken := eval[[]string](p, `[...document.querySelectorAll('#customer-rows .ref-cell span, #customer-rows .phone-cell span')]
		.filter(s => { const r = document.createRange(); r.selectNodeContents(s); return r.getClientRects().length !== 1 || s.scrollWidth > s.clientWidth })
		.map(s => s.textContent)`)
	if len(broken) > 0 {
		t.Errorf("numbers broken or cut: %q", broken)
	}
	// Long e-mails end in an ellipsis, with the whole address as the tooltip.
	cut := eval[[]string](p, `[...document.querySelectorAll('#customer-rows .email-cell span')]
		.filter(s => s.scrollWidth > s.clientWidth).map(s => getComputedStyle(s).textOverflow + ' ' + (s.title === s.textContent))`)
	for _, c := range cut {
		if c != "ellipsis true" {
			t.Errorf("a cut e-mail shows %q", c)
		}
	}
	if len(cut) == 0 {
		t.Log("no e-mail needed cutting at this width")
	}
	// The kind as an icon that says its name to screen readers.
	if n := eval[float64](p, rows+".filter(r => !['Persona física', 'Persona jurídica'].includes(r.querySelector('.kind .visually-hidden').textContent)).length"); n != 0 {
		t.Errorf("%v rows without the kind's name", n)
	}
	if got := eval[string](p, "(s => s.borderCollapse + ' ' + s.borderTopLeftRadius)(getComputedStyle(document.querySelector('table.customers')))"); got != "separate 8px" {
		t.Errorf("table corners: %s", got)
	}
	p.viewportShot("register-1280", "customers.png")

	// The group filter: choosing a group shows its customers, and says so.
	group := eval[string](p, "(s => s.options[2].text.replace(/ \\(.*$/, ''))(document.getElementById('group-filter'))")
	// Setting the value fires "change", which applies the filter at once.
	if _, err := chromedp.RunResponse(p.ctx, chromedp.SetValue(chromedp.CSS("#group-filter"), eval[string](p, "document.getElementById('group-filter').options[2].value"))); err != nil {
		t.Fatalf("choose a group: %v", err)
	}
	p.do(chromedp.WaitReady(chromedp.CSS("body")))
	p.waitFor("location.search.includes('group_id=')")
	if got := p.text("#customer-summary"); !strings.Contains(got, "clientes del grupo «"+group+"»") {
		t.Errorf("summary of group %q: %q", group, got)
	}
	if others := eval[float64](p, fmt.Sprintf("%s.filter(r => r.querySelector('.group-cell').textContent !== %q).length", rows, group)); others != 0 {
		t.Errorf("%v rows of other groups", others)
	}

	// A phone at the counter.
	p.do(chromedp.EmulateViewport(360, 740))
	p.open("/customers")
	if w := eval[float64](p, "document.documentElement.scrollWidth"); w > 360 {
		t.Errorf("the register is %v px wide on a 360 px screen", w)
	}
	if h := eval[float64](p, "document.querySelector('header.top').getBoundingClientRect().height"); h > 56 {
		t.Errorf("the top bar is %v px tall", h)
	}
	if eval[bool](p, "document.querySelector('.phone-menu').checkVisibility()") {
		t.Error("the menu is open before it is asked for")
	}
	if !eval[bool](p, `(i => { const cs = getComputedStyle(i); const c = document.createElement('canvas').getContext('2d');
		c.font = cs.font; return c.measureText(i.placeholder).width <= i.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) })(document.getElementById('q'))`) {
		t.Errorf("the placeholder %q does not fit the search field", eval[string](p, "document.getElementById('q').placeholder"))
	}
	labelled := eval[[]string](p, `[...document.querySelectorAll('#customer-rows td[data-label]')].filter(td => {
		const b = getComputedStyle(td, '::before'); return b.content !== 'none' && b.position !== 'absolute' }).map(td => td.dataset.label)`)
	if len(labelled) > 0 {
		t.Errorf("cards show labels: %q", labelled[:min(3, len(labelled))])
	}
	if h := eval[float64](p, "document.querySelector('#customer-rows tr').getBoundingClientRect().height"); h > 90 {
		t.Errorf("a card is %v px tall", h)
	}
	p.viewportShot("register-360", "customers-phone.png")
	p.do(chromedp.Click(chromedp.CSS(".phone-nav summary")))
	p.waitFor("document.querySelector('.phone-menu a[href=\"/settings/users\"]').checkVisibility()")
	if w := eval[float64](p, "document.documentElement.scrollWidth"); w > 360 {
		t.Errorf("with the menu open the page is %v px wide", w)
	}
	p.screenshot("register-360-menu")
}

// TestPhoneMenuWithoutScripts: the phone's menu is a details element, so it opens and leads
// to its pages in a browser that runs no script at all.
func TestPhoneMenuWithoutScripts(t *testing.T) {
	ctx := chrome(t, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	e := newEnv(t, sqliteBackend(t))
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.do(chromedp.EmulateViewport(360, 740))
	p.login("admin")
	scriptsOff(t, p)
	p.do(chromedp.Click(chromedp.CSS(".phone-nav summary")))
	p.waitFor("document.querySelector('.phone-menu').checkVisibility()")
	p.clickAndLoad(`.phone-menu a[href="/settings/account"]`)
	p.waitFor("location.pathname === '/settings/account'")
}

// TestCustomerFormInChromium: one submit shows every error in a summary that takes the focus
// and leads to each field; the invoice box follows the e-mail until the user touches it; a
// phone another customer has is warned about and saved with "save anyway"; the buttons stay
// in view; a message about a created customer goes once the list changes.
func TestCustomerFormInChromium(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	ch := withContact(person("Rosa", "Vidal"), "rosa@example.es", "+34 612 34 56 78", "4006381333931")
	rosa := e.mustCreateCustomer(ch)
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.do(chromedp.EmulateViewport(1280, 700))
	p.login("manager")

	p.open("/customers/new")
	if got := p.text(".save-bar button.primary"); got != "Crear cliente" {
		t.Errorf("the create button says %q", got)
	}
	// The buttons stay at the bottom of the window while the form goes on below.
	if !eval[bool](p, `(() => { const b = document.querySelector('.save-bar').getBoundingClientRect();
		return b.bottom <= innerHeight + 1 && document.querySelector('#f-notes').getBoundingClientRect().top > innerHeight })()`) {
		t.Error("the save bar is not in view on a long form")
	}
	// The invoice box: shown unticked without an e-mail, ticked as one is typed.
	box := "document.getElementById('f-invoice_by_email').checked"
	if eval[bool](p, box) {
		t.Error("the box is ticked on a new customer without an e-mail")
	}
	p.fill("#f-email", "maria@")
	if !eval[bool](p, box) {
		t.Error("typing an e-mail did not tick the box")
	}
	p.fill("#f-first_name", "María")
	p.fill("#f-tax_id", "12345678A")
	p.fill("#f-phone", "12")
	p.fill("#f-credit_limit", "12,345")
	p.fill("#f-reference", "4006381333931")
	p.clickAndLoad(".save-bar button[type=submit]")
	p.waitFor("document.querySelector('.error-summary') !== null")
	if got := eval[string](p, "document.activeElement.className"); !strings.Contains(got, "error-summary") {
		t.Errorf("focus is on %q, want the error summary", got)
	}
	items := eval[[]string](p, "[...document.querySelectorAll('.error-summary li')].map(li => li.textContent)")
	want := []string{"NIF / NIE / CIF: ", "Correo electrónico: No es una dirección de correo válida", "Teléfono: No es un número de teléfono válido",
		"Referencia: Esta referencia ya es de otro cliente: Rosa Vidal", "Límite de crédito (€): Como máximo dos decimales."}
	if len(items) != len(want) {
		t.Fatalf("summary: %q", items)
	}
	for i, w := range want {
		if !strings.HasPrefix(items[i], w) {
			t.Errorf("summary line %d: %q, want %q…", i, items[i], w)
		}
	}
	if href := eval[string](p, "document.querySelector('#e-reference a').getAttribute('href')"); href != "/customers/"+rosa.ID {
		t.Errorf("the taken reference links to %q", href)
	}
	p.screenshot("customer-errors")
	p.do(chromedp.Click(chromedp.CSS(".error-summary a[href='#f-tax_id']")))
	if got := eval[string](p, "document.activeElement.id"); got != "f-tax_id" {
		t.Errorf("the summary link moved the focus to %q", got)
	}
	if !eval[bool](p, box) {
		t.Error("the box lost its state")
	}

	// Fixed, but with Rosa's phone: a warning that names her, then "save anyway".
	p.fill("#f-tax_id", "12345678Z")
	p.fill("#f-email", "maria@example.es")
	p.fill("#f-phone", "612 34 56 78")
	p.fill("#f-credit_limit", "")
	p.fill("#f-reference", "")
	p.clickAndLoad(".save-bar button[type=submit]")
	p.waitFor("document.querySelector('.warning-summary') !== null")
	if got := eval[string](p, "document.activeElement.className"); !strings.Contains(got, "warning-summary") {
		t.Errorf("focus is on %q, want the warning", got)
	}
	if got := p.text("#w-phone"); got != "Otro cliente tiene este teléfono: Rosa Vidal" {
		t.Errorf("phone warning: %q", got)
	}
	p.screenshot("customer-shared-phone")
	if got := p.text(".save-bar button.primary"); got != "Guardar de todos modos" {
		t.Fatalf("the button says %q", got)
	}
	p.clickAndLoad(".save-bar button.primary")
	p.waitFor("location.pathname === '/customers'")
	if got := p.text(".flash"); got != "Cliente María creado." {
		t.Errorf("flash: %q", got)
	}
	page, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "maria@example.es"})
	if err != nil || len(page.Customers) != 1 || !page.Customers[0].InvoiceByEmail || page.Customers[0].Phone != rosa.Phone {
		t.Fatalf("saved: %+v (%v)", page.Customers, err)
	}
	// The message is about the list as it was: it goes when a search changes the list.
	p.do(chromedp.SendKeys(chromedp.CSS("#q"), "vidal"))
	p.waitFor("!document.querySelector('[data-flash]') && document.getElementById('customer-summary').textContent.startsWith('Resultados de «vidal»')")

	// Ticked by the script, unticked by the user: saved off.
	p.open("/customers/new")
	p.fill("#f-first_name", "Eva")
	p.fill("#f-email", "eva@example.es")
	p.do(chromedp.Click(chromedp.CSS("#f-invoice_by_email")))
	p.fill("#f-email", "eva.prieto@example.es")
	if eval[bool](p, box) {
		t.Error("the box followed the e-mail after the user unticked it")
	}
	p.clickAndLoad(".save-bar button[type=submit]")
	p.waitFor("location.pathname === '/customers'")
	page, err = e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "eva.prieto@example.es"})
	if err != nil || len(page.Customers) != 1 || page.Customers[0].InvoiceByEmail {
		t.Fatalf("saved: %+v (%v)", page.Customers, err)
	}
}

// TestConfirmationsWithoutScripts: disabling a user, revoking a token and moving a group's
// members each go through a page that says what will happen, in a browser that runs no
// script; nothing happens before the confirmation.
func TestConfirmationsWithoutScripts(t *testing.T) {
	ctx := chrome(t, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	e := newEnv(t, sqliteBackend(t))
	bg := context.Background()
	if _, err := e.app.CreateAPIToken(bg, app.System(), "cashier", "Caja 1"); err != nil {
		t.Fatal(err)
	}
	vip, _ := e.app.CreateGroup(bg, app.System(), domain.GroupChanges{Name: domain.Some("VIP"), DiscountBasisPoints: domain.Some(int64(1000))})
	gold, _ := e.app.CreateGroup(bg, app.System(), domain.GroupChanges{Name: domain.Some("Oro"), DiscountBasisPoints: domain.Some(int64(500))})
	for _, name := range []string{"Ana", "Bea"} {
		ch := person(name, "López")
		ch.GroupID = domain.Some(vip.ID)
		e.mustCreateCustomer(ch)
	}
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.login("admin")
	scriptsOff(t, p)

	// Revoke a token: the page says what stops; cancelling changes nothing.
	p.open("/settings/tokens")
	p.clickAndLoad("table.tokens .row-actions button")
	if got := p.text(".confirm"); !strings.Contains(got, "¿Revocar el token «Caja 1» de cashier?") || !strings.Contains(got, "deja de funcionar al momento") {
		t.Errorf("token confirmation: %q", got)
	}
	p.screenshot("token-revoke-confirm")
	p.clickAndLoad(".confirm a.button")
	if tokens, _ := e.app.APITokens(bg, app.System()); tokens[0].RevokedAt != nil {
		t.Fatal("cancelling revoked the token")
	}
	p.clickAndLoad("table.tokens .row-actions button")
	p.clickAndLoad(".confirm button.danger")
	if got := p.text(".flash"); got != "Token revocado." {
		t.Errorf("flash: %q", got)
	}

	// Disable a user.
	p.open("/settings/users")
	p.clickAndLoad(`form[action="/settings/users/` + e.ids[domain.RoleCashier] + `/disable"] button`)
	if got := p.text(".confirm"); !strings.Contains(got, "¿Desactivar a cashier?") || !strings.Contains(got, "sus sesiones abiertas se cierran") {
		t.Errorf("user confirmation: %q", got)
	}
	p.screenshot("user-disable-confirm")
	p.clickAndLoad(".confirm button.danger")
	if got := p.text(".flash"); !strings.HasPrefix(got, "Usuario desactivado") {
		t.Errorf("flash: %q", got)
	}

	// Move a group's members: nothing chosen beforehand; both discounts shown.
	p.open("/groups/" + vip.ID + "/delete")
	if got := eval[string](p, "document.getElementById('f-to_group_id').value"); got != "" {
		t.Errorf("the move form has %q chosen", got)
	}
	p.clickAndLoad(".move-members button[type=submit]")
	if got := p.text("#e-to_group_id"); !strings.Contains(got, "Elija a qué grupo") {
		t.Errorf("moving without a choice: %q", got)
	}
	p.do(chromedp.SetValue(chromedp.CSS("#f-to_group_id"), gold.ID))
	p.clickAndLoad(".move-members button[type=submit]")
	if got := p.text(".confirm"); !strings.Contains(got, "¿Pasar los 2 clientes del grupo «VIP» a «Oro»?") || !strings.Contains(got, "de 10\u00a0% a 5\u00a0%") {
		t.Errorf("move confirmation: %q", got)
	}
	if g, _ := e.app.Group(bg, app.System(), vip.ID); g.MemberCount != 2 {
		t.Fatal("members moved before the confirmation")
	}
	p.screenshot("group-move-confirm")
	p.clickAndLoad(".confirm button[type=submit]")
	if got := p.text(".flash"); got != "2 clientes movidos." {
		t.Errorf("flash: %q", got)
	}
}

// scriptsOff fails the test unless the page runs no script: a script element added to it
// does nothing.
func scriptsOff(t *testing.T, p *page) {
	t.Helper()
	ran := eval[string](p, `(() => { const s = document.createElement('script'); s.textContent = 'window.ranScript = 1';
		document.head.appendChild(s); return typeof window.ranScript })()`)
	if ran != "undefined" {
		t.Fatal("the page runs scripts")
	}
}
