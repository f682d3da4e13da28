package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestMergeInChromium: from a profile, "Fusionar con otro…", find the duplicate, keep its
// first name and card, see the result, merge, and land on the survivor holding them.
func TestMergeInChromium(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	s := e.mustCreateCustomer(domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("Maria"),
		LastName: domain.Some("García Ruiz"), Email: domain.Some("maria@example.com"), Reference: domain.Some("TARJETA-1")})
	a := e.mustCreateCustomer(domain.CustomerChanges{Kind: domain.Some(domain.KindPerson), FirstName: domain.Some("María"),
		LastName: domain.Some("Garcia"), Phone: domain.Some("612345678"), Reference: domain.Some("TARJETA-2")})
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.login("manager")

	p.open("/customers/" + s.ID)
	p.clickAndLoad("a[data-merge-link]")
	p.fill("#merge-q", "garcia")
	p.clickAndLoad("form.search button[type=submit]")
	p.clickAndLoad(`a[href$="absorb=` + a.ID + `"]`)
	p.screenshot("merge-compare")
	if got := p.text("tr[data-field=phone]"); !strings.Contains(got, "612 34 56 78") {
		t.Errorf("the phone row says %q", got)
	}
	// On a phone the comparison fits the screen.
	p.do(chromedp.EmulateViewport(360, 740))
	if w := eval[float64](p, "document.documentElement.scrollWidth"); w > 360 {
		p.screenshot("merge-360")
		t.Errorf("the merge page is %v px wide on a 360 px screen", w)
	}
	p.do(chromedp.EmulateViewport(1280, 900))
	p.do(chromedp.Click(chromedp.CSS(`input[name=f_first_name][value=absorbed]`)),
		chromedp.Click(chromedp.CSS(`input[name=f_reference][value=absorbed]`)))
	p.clickAndLoad(`button[name=action][value=preview]`)
	if got := p.text("[data-merged-name]"); got != "María García Ruiz" {
		t.Errorf("the result is named %q", got)
	}
	if got := p.text("[data-merged-reference]"); got != "TARJETA-2" {
		t.Errorf("the result's card is %q", got)
	}
	p.clickAndLoad("button[data-merge-confirm]")
	p.waitFor("location.pathname === '/customers/" + s.ID + "'")
	p.screenshot("merged-profile")
	if got := p.text("h1"); got != "María García Ruiz" {
		t.Errorf("the survivor's heading %q", got)
	}
	if _, err := e.app.Customer(context.Background(), app.System(), a.ID); domain.ErrorCode(err) != domain.CodeNotFound {
		t.Errorf("the absorbed record after the merge: %v", err)
	}
	c, err := e.app.CustomerByReference(context.Background(), app.System(), "TARJETA-2")
	if err != nil || c.ID != s.ID || c.Phone == "" {
		t.Errorf("the card after the merge: %+v %v", c, err)
	}
}
