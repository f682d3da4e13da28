package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clientela/clientela/internal/verifactu"
)

// TestAccountingInChromium: the admin fixes a wrong account number on the account plan and
// saves it; a manager picks a period on the export page, sees its totals with the download
// links; both pages fit a 360 px phone without sideways scrolling.
func TestAccountingInChromium(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	setUpHardwareShop(t, e)
	sell(t, e.app, e.cashier(), "", saleLine{"Tornillos", "2", 1210, 2100}, saleLine{"Pan", "1", 104, 400})
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}

	p.login("admin")
	p.open("/settings/accounts")
	if got := p.text("h1"); got != "Plan de cuentas" {
		t.Fatalf("heading %q", got)
	}
	p.fill(`input[name="cash.number"]`, "5700")
	p.clickAndLoad(`.account-plan-form button[type=submit]`)
	if got := p.text(".error-summary"); !strings.Contains(got, "Caja (efectivo): Debe tener exactamente 8 dígitos.") {
		t.Fatalf("summary %q", got)
	}
	p.screenshot("account-plan-refused")
	p.fill(`input[name="cash.number"]`, "57000001")
	p.fill(`input[name="cash.label"]`, "Caja tienda")
	p.clickAndLoad(`.account-plan-form button[type=submit]`)
	if got := eval[string](p, `document.querySelector('input[name="cash.label"]').value`); got != "Caja tienda" {
		t.Fatalf("saved label %q", got)
	}
	p.docsShot("account-plan", "account-plan.png")
	p.do(chromedp.EmulateViewport(360, 800))
	p.open("/settings/accounts")
	if eval[bool](p, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Error("the account plan scrolls sideways at 360 px")
	}
	p.screenshot("account-plan-360")
	p.do(chromedp.EmulateViewport(1280, 900))
	p.open("/logout")
	p.clickAndLoad(`main form[action="/logout"] button`)

	today := time.Now().In(verifactu.Madrid()).Format(time.DateOnly)
	p.login("manager")
	p.open("/exports")
	p.do(chromedp.SetValue(chromedp.CSS(`#f-from`), today), chromedp.SetValue(chromedp.CSS(`#f-to`), today))
	p.clickAndLoad(`.export-form button[type=submit]`)
	if got := p.text(".export-totals tfoot"); !strings.Contains(got, "50,48") {
		t.Fatalf("totals %q", got)
	}
	if got := p.text(".export-totals"); !strings.Contains(got, "1 factura, 0 movimientos de cuentas de clientes, 2 asientos.") ||
		!strings.Contains(got, "57000001") || !strings.Contains(got, "Caja tienda") {
		t.Errorf("totals %q", got)
	}
	href := eval[string](p, `document.querySelector('.export-totals a.primary').getAttribute('href')`)
	if href != "/exports/accounting?format=csv&from="+today+"&to="+today {
		t.Errorf("CSV link %q", href)
	}
	p.docsShot("exports", "exports.png")
	p.do(chromedp.EmulateViewport(360, 800))
	p.open("/exports?from=" + today + "&to=" + today)
	if eval[bool](p, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Error("the export page scrolls sideways at 360 px")
	}
	p.screenshot("exports-360")
}
