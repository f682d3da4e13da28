package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCustomerProfileInChromium: the profile at 1280 px shows its cards side by side, at
// 360 px stacked without sideways scrolling, and leads to the form and back, all in a browser
// that runs no script.
func TestCustomerProfileInChromium(t *testing.T) {
	ctx := chrome(t, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	e := newEnv(t, sqliteBackend(t))
	c, _ := fullCustomer(t, e)
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
	p.viewportShot("profile-1280", "customer-profile.png")

	p.do(chromedp.EmulateViewport(360, 740))
	p.open("/customers/" + c.ID)
	if w := eval[float64](p, "document.documentElement.scrollWidth"); w > 360 {
		t.Errorf("the profile is %v px wide on a 360 px screen", w)
	}
	if !eval[bool](p, `(() => { const s = document.querySelectorAll('.profile-grid > .card');
		return s[1].getBoundingClientRect().top >= s[0].getBoundingClientRect().bottom })()`) {
		t.Error("the cards are not stacked at 360 px")
	}
	// Every fact fits: nothing sticks out of its card.
	over := eval[[]string](p, `[...document.querySelectorAll('.card dd')].filter(d => d.scrollWidth > d.clientWidth + 1).map(d => d.innerText)`)
	if len(over) > 0 {
		t.Errorf("facts wider than their card: %q", over)
	}
	p.viewportShot("profile-360", "customer-profile-phone.png")

	// Editar, then Cancelar: back on the profile; Editar, save: the profile with the message.
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
