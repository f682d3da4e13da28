package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/testdb"
)

// chrome starts headless Chromium for one test, with any extra options. Without Chromium the
// test is skipped, except in CI (testdb.InCI), where that is a failure.
func chrome(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := os.Getenv("CLIENTELA_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if testdb.InCI() {
			t.Fatal("Chromium is not installed; CI must install it (apt-get install chromium)")
		}
		t.Skip("browser tests skipped: Chromium not found (apt-get install chromium, or set CLIENTELA_CHROMIUM)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.DisableGPU,
		chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "es-ES"),
		chromedp.Flag("accept-lang", "es-ES,es"),
		chromedp.WindowSize(1280, 900),
	)
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if _, err := chromedp.Run(ctx, chromedp.Title()); err != nil { // starts the browser
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// page drives one browser tab through the backoffice, saving a screenshot of each step in
// the test's artifact directory (go test -artifacts keeps them).
type page struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
	shot int
}

func (p *page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.screenshot("failure")
		p.t.Fatalf("browser: %v", err)
	}
}

func (p *page) open(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// eval runs JavaScript and returns its value.
func eval[T any](p *page, js string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// waitFor waits until a JavaScript condition holds.
func (p *page) waitFor(js string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		p.screenshot("failure")
		text, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string]("document.body.innerText"))
		p.t.Fatalf("waiting for %s: %v\npage text:\n%s", js, err, text)
	}
}

func (p *page) text(css string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf("(document.querySelector(%q) || {innerText: ''}).innerText", css))
}

// fill replaces the value of an input as a person would: empty it, type. (chromedp.Clear
// resets the value attribute, which a field already typed in ignores.)
func (p *page) fill(css, value string) {
	p.t.Helper()
	p.do(chromedp.WaitReady(chromedp.CSS(css)), chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		"(e => { e.value = ''; e.dispatchEvent(new Event('input', {bubbles: true})) })(document.querySelector(%q))", css)))
	if value != "" {
		p.do(chromedp.SendKeys(chromedp.CSS(css), value))
	}
}

// clickAndLoad clicks a link or button and waits for the page it leads to (after any
// redirects) to load.
func (p *page) clickAndLoad(css string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		p.screenshot("failure")
		p.t.Fatalf("click %s: %v", css, err)
	}
	p.do(chromedp.WaitReady(chromedp.CSS("body")))
}

// screenshot saves the page as it looks, after checking that every input on it has a label
// and that what inputs say describes them exists (screen readers depend on both).
func (p *page) screenshot(name string) {
	p.t.Helper()
	if name != "failure" {
		unlabelled := eval[[]string](p, `[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
			.filter(e => !e.labels || e.labels.length === 0).map(e => e.name || e.id)`)
		if len(unlabelled) > 0 {
			p.t.Errorf("%s: inputs without a label: %v", name, unlabelled)
		}
		dangling := eval[[]string](p, `[...document.querySelectorAll('[aria-describedby]')]
			.flatMap(e => e.getAttribute('aria-describedby').split(' ')).filter(id => !document.getElementById(id))`)
		if len(dangling) > 0 {
			p.t.Errorf("%s: aria-describedby names missing elements: %v", name, dangling)
		}
	}
	p.shot++
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(p.dir, fmt.Sprintf("%02d-%s.png", p.shot, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		p.t.Errorf("save screenshot: %v", err)
	}
}

func (p *page) login(username string) {
	p.t.Helper()
	p.open("/login")
	p.fill("#f-username", username)
	p.fill("#f-password", testPassword)
	p.clickAndLoad("button[type=submit]")
	// Cashiers start at the till, the others at the register.
	p.waitFor("location.pathname === '/customers' || location.pathname === '/till'")
}

// TestBackofficeInChromium walks the original page's steps in a real browser: log in, create
// a person and a company, fix a validation error, find "Muñoz" by typing "munoz", create the
// VIP group with 10 %, assign a customer, be refused deleting the group, move its members,
// delete it, delete a customer through the confirmation, and, as a cashier, see no trash.
func TestBackofficeInChromium(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	// A few customers already in the register, so the list looks like a shop's.
	for _, c := range []domain.CustomerChanges{
		withContact(person("Lucía", "Fernández Ortega"), "lucia.fernandez@example.es", "+34 622 18 40 93", "4006381333931"),
		withContact(person("Jean", "Dupont"), "jean.dupont@example.fr", "+33 6 12 34 56 78", "4006381333948"),
		withContact(domain.CustomerChanges{Kind: domain.Some(domain.KindCompany), CompanyName: domain.Some("Cafetería La Plaza"), LegalForm: domain.Some("S.L.")}, "pedidos@laplaza.example", "+34 954 21 08 77", ""),
		withContact(person("Andrés", "Muñiz Gil"), "", "+34 699 05 12 34", "4006381333955"),
	} {
		e.mustCreateCustomer(c)
	}
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}

	p.open("/customers")
	p.waitFor("location.pathname === '/login'")
	p.screenshot("login")
	p.login("admin")
	if got := eval[string](p, "document.activeElement.id"); got != "q" {
		t.Errorf("focus is on %q, want the search field", got)
	}
	p.screenshot("register")

	// Nuevo, top right: a person, with a wrong NIF first.
	p.clickAndLoad("a.new")
	p.waitFor("location.pathname === '/customers/new'")
	if eval[bool](p, "getComputedStyle(document.querySelector('.company-only')).display !== 'none'") {
		t.Error("the company fields show on a person's form")
	}
	p.do(chromedp.Click(chromedp.CSS("#kind-company")))
	if eval[bool](p, "getComputedStyle(document.querySelector('.person-only')).display !== 'none'") {
		t.Error("the person fields show on a company's form")
	}
	p.do(chromedp.Click(chromedp.CSS("#kind-person")))
	p.do(chromedp.SetValue(chromedp.CSS("#f-title"), "mr"))
	p.fill("#f-first_name", "José")
	p.fill("#f-last_name", "Muñoz")
	p.fill("#f-tax_id", "12345678A")
	p.fill("#f-email", "jose.munoz@example.es")
	p.fill("#f-phone", "612 34 56 78")
	p.screenshot("customer-new")
	p.clickAndLoad(".customer-form button[type=submit]")
	p.waitFor("document.querySelector('#e-tax_id') !== null")
	if got := p.text("#e-tax_id"); !strings.Contains(got, "carácter de control") {
		t.Errorf("tax id error: %q", got)
	}
	if got := eval[string](p, "document.querySelector('#f-first_name').value"); got != "José" {
		t.Errorf("the form lost the first name: %q", got)
	}
	p.screenshot("customer-error")
	p.fill("#f-tax_id", "12345678Z")
	p.clickAndLoad(".customer-form button[type=submit]")
	p.waitFor("location.pathname === '/customers'")
	if got := p.text(".flash"); got != "Cliente José Muñoz creado." {
		t.Errorf("flash: %q", got)
	}

	// A company.
	p.clickAndLoad("a.new")
	p.do(chromedp.Click(chromedp.CSS("#kind-company")))
	p.fill("#f-company_name", "Ferretería Núñez")
	p.fill("#f-legal_form", "S.A.")
	p.fill("#f-tax_id", "A58818501")
	p.screenshot("company-new")
	p.clickAndLoad(".customer-form button[type=submit]")
	p.waitFor("location.pathname === '/customers'")
	if got := p.text(".flash"); got != "Cliente Ferretería Núñez S.A. creado." {
		t.Errorf("flash: %q", got)
	}

	// Typing "munoz" narrows the list to "Muñoz", without a page load.
	origin := eval[float64](p, "performance.timeOrigin")
	p.do(chromedp.Click(chromedp.CSS("#q")), chromedp.SendKeys(chromedp.CSS("#q"), "munoz"))
	p.waitFor("document.querySelector('#customer-rows').innerText.includes('Muñoz, José') && !document.querySelector('#customer-rows').innerText.includes('Dupont')")
	if now := eval[float64](p, "performance.timeOrigin"); now != origin {
		t.Error("the search reloaded the page")
	}
	if got := eval[string](p, "location.search"); got != "?q=munoz" {
		t.Errorf("the address is %q, want ?q=munoz", got)
	}
	if rows := eval[float64](p, "document.querySelectorAll('#customer-rows tr').length"); rows != 1 {
		t.Errorf("%v rows for munoz, want 1", rows)
	}
	if got := eval[string](p, "document.getElementById('customer-status').textContent"); got != "1 cliente." {
		t.Errorf("the search status says %q", got)
	}
	p.screenshot("search-munoz")

	// Grupos de clientes > +: VIP with 10 %.
	p.clickAndLoad(`.tabs a[href="/groups"]`)
	p.screenshot("groups-empty")
	p.clickAndLoad("a.new")
	p.fill("#f-name", "VIP")
	p.fill("#f-discount", "10")
	p.screenshot("group-new")
	p.clickAndLoad(".group-form button[type=submit]")
	p.waitFor("location.pathname === '/groups'")
	if got := p.text("table.groups tbody"); !strings.Contains(got, "VIP") || !strings.Contains(got, "10\u00a0%") {
		t.Errorf("groups table: %q", got)
	}

	// Assign José Muñoz to VIP.
	p.open("/customers?q=munoz")
	p.clickAndLoad("#customer-rows a[href^='/customers/']")
	if got := p.text("h1"); got != "José Muñoz" {
		t.Errorf("the profile's heading says %q", got)
	}
	if got := p.text(".profile-head .tags"); !strings.Contains(got, "Sin grupo") {
		t.Errorf("the profile's tags: %q", got)
	}
	profile := eval[string](p, "location.pathname")
	p.clickAndLoad(`.head-actions a[href$="/edit"]`)
	p.waitFor("document.querySelector('#f-group_id') !== null")
	p.do(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#f-group_id');
		for (const o of s.options) { if (o.text.startsWith('VIP')) s.value = o.value; } })()`))
	p.screenshot("customer-edit")
	p.clickAndLoad(".customer-form button[type=submit]")
	p.waitFor(fmt.Sprintf("location.pathname === %q", profile))
	if got := p.text(".flash"); got != "Cambios de José Muñoz guardados." {
		t.Errorf("flash: %q", got)
	}
	if got := p.text(".profile-head .tags"); !strings.Contains(got, "Grupo VIP · descuento 10\u00a0%") {
		t.Errorf("the profile's tags after the edit: %q", got)
	}
	p.open("/customers?q=munoz")
	if !strings.Contains(p.text("#customer-rows"), "VIP") {
		t.Error("the register does not show the customer's group")
	}

	// The red trash icon of a group with a member: refused, with the count, and the offer to
	// move the member.
	p.open("/groups")
	p.clickAndLoad("table.groups a.icon.danger")
	if got := p.text(".form-message"); !strings.Contains(got, "aún tiene 1 cliente") {
		t.Errorf("refusal: %q", got)
	}
	p.screenshot("group-delete-refused")
	p.do(chromedp.SetValue(chromedp.CSS("#f-to_group_id"), "none"))
	p.clickAndLoad(".move-members button[type=submit]")
	if got := p.text(".confirm"); !strings.Contains(got, "¿Pasar el cliente del grupo «VIP» a «Sin grupo»?") || !strings.Contains(got, "de 10 % a ninguno") {
		t.Errorf("move confirmation: %q", got)
	}
	p.screenshot("group-move-confirm")
	p.clickAndLoad(".confirm button[type=submit]")
	if got := p.text(".flash"); got != "1 cliente movido." {
		t.Errorf("flash: %q", got)
	}
	p.screenshot("group-delete-confirm")
	p.clickAndLoad(".confirm button.danger")
	p.waitFor("location.pathname === '/groups'")
	if got := p.text(".flash"); got != "Grupo «VIP» suprimido." {
		t.Errorf("flash: %q", got)
	}
	if strings.Contains(p.text("table.groups tbody"), "VIP") {
		t.Error("VIP is still listed")
	}

	// Delete a customer: trash icon, a confirmation naming them, then a message.
	p.open("/customers?q=ferreteria")
	p.clickAndLoad("#customer-rows a.icon.danger")
	if got := p.text(".confirm"); !strings.Contains(got, "Ferretería Núñez S.A.") {
		t.Errorf("the confirmation does not name the customer: %q", got)
	}
	p.screenshot("customer-delete-confirm")
	p.clickAndLoad(".confirm button.danger")
	p.waitFor("location.pathname === '/customers'")
	if got := p.text(".flash"); got != "Cliente suprimido del registro: sus datos se han borrado." {
		t.Errorf("flash: %q", got)
	}
	if page, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "ferreteria"}); err != nil || len(page.Customers) != 0 {
		t.Errorf("after deletion the search finds %d customers (%v)", len(page.Customers), err)
	}
	p.screenshot("register-after-delete")

	// The admin's pages.
	for _, path := range []string{"/settings/users", "/settings/tokens", "/settings/shop", "/settings/account"} {
		p.open(path)
		p.screenshot(strings.ReplaceAll(strings.TrimPrefix(path, "/"), "/", "-"))
	}

	// Log out, log in as a cashier: no trash icons anywhere.
	p.clickAndLoad(".logout button")
	p.waitFor("location.pathname === '/login'")
	p.login("cashier")
	p.open("/customers")
	if n := eval[float64](p, "document.querySelectorAll('a.icon.danger, a[href$=\"/delete\"]').length"); n != 0 {
		t.Errorf("the cashier sees %v delete links", n)
	}
	p.screenshot("register-cashier")
	p.open("/groups")
	if n := eval[float64](p, "document.querySelectorAll('a.icon.danger, a.new').length"); n != 0 {
		t.Errorf("the cashier sees %v group delete or create links", n)
	}

	// A phone at the counter: 360 px wide, nothing overflows sideways.
	p.do(chromedp.EmulateViewport(360, 740))
	for _, path := range []string{"/customers", "/customers/new", "/groups"} {
		p.open(path)
		if w := eval[float64](p, "document.documentElement.scrollWidth"); w > 360 {
			t.Errorf("%s is %v px wide on a 360 px screen", path, w)
		}
		p.screenshot("phone" + strings.ReplaceAll(path, "/", "-"))
	}
}

func withContact(ch domain.CustomerChanges, email, phone, reference string) domain.CustomerChanges {
	ch.Email = domain.Some(email)
	ch.Phone = domain.Some(phone)
	ch.Reference = domain.Some(reference)
	return ch
}

// TestRegisterScrollsAndKeepsKeyboardFocus: the register loads the next page when the user
// scrolls to its end, and "show more" from the keyboard leaves focus on the first new row.
func TestRegisterScrollsAndKeepsKeyboardFocus(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	for i := range 120 {
		e.mustCreateCustomer(person("Cliente", fmt.Sprintf("Apellido%03d", i)))
	}
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.login("cashier")
	p.open("/customers")
	rowCount := "document.querySelectorAll('#customer-rows tr:not(.more)').length"
	if n := eval[float64](p, rowCount); n != 50 {
		t.Fatalf("first page: %v rows", n)
	}
	// Keyboard: tabbing onto the link brings it into view, which loads the next page (Enter
	// would too, but would race with that load and open the row focused after it).
	p.do(chromedp.Evaluate[chromedp.Void]("(() => { window.scrollTo(0, 0); document.querySelector('[data-more]').focus(); })()"))
	p.waitFor(rowCount + " >= 100")
	if got := eval[string](p, "document.activeElement.textContent"); got != "Apellido050, Cliente" {
		t.Errorf("after show more, focus is on %q, want the first new row", got)
	}
	// Scrolling to the end loads the rest.
	p.do(chromedp.Evaluate[chromedp.Void]("window.scrollTo(0, document.body.scrollHeight)"))
	p.waitFor(rowCount + " === 120 && !document.querySelector('[data-more]')")
	p.screenshot("register-scrolled")
}
