package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/mail/mailtest"
)

// TestMessagesInChromium: write to a group, see the preview, send, and follow the unsubscribe
// link of the message that arrived (issue 10). Its screenshots are docs/screenshots/
// message-preview.png and campaign.png (CLIENTELA_UPDATE_DOCS_SCREENSHOTS=1).
func TestMessagesInChromium(t *testing.T) {
	ctx := chrome(t)
	smtp := mailtest.Start(t)
	e := newPublicEnv(t, sqliteBackend(t), smtpTransport(smtp))
	g, _, _ := messageAudience(t, e)
	for _, name := range []string{"Lucía Fernández lucia.fernandez", "Jorge Martín jorge.martin", "Elena Sanz elena.sanz"} {
		parts := strings.Fields(name)
		first, last := parts[0], parts[1]
		ch := person(first, last)
		ch.GroupID, ch.MarketingConsent = domain.Some(g.ID), domain.Some(true)
		ch.Email = domain.Some(parts[2] + "@example.com")
		e.mustCreateCustomer(ch)
	}
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.login("manager")

	p.open("/messages/new")
	p.do(chromedp.SetValue(chromedp.CSS("#f-group_id"), g.ID))
	p.fill("#f-subject", "Novedades para {{.Group}}")
	p.fill("#f-body", "Hola {{.FirstName}}:\n\nEsta semana, un 10 % en toda la tienda para los socios.\nSu saldo: {{.Balance}}.\n\nFerretería Núñez")
	p.clickAndLoad("button[value=preview]")
	p.waitFor("document.querySelector('.message-preview') !== null")
	if got := p.text(".preview-count"); !strings.Contains(got, "Lo recibirán 4 clientes") {
		t.Errorf("preview count: %q", got)
	}
	if got := p.text(".preview-subject"); got != "Novedades para Socios" {
		t.Errorf("preview subject: %q", got)
	}
	if got := p.text(".preview-text"); !strings.Contains(got, "Hola Lucía:") || !strings.Contains(got, "dése de baja") {
		t.Errorf("preview text: %q", got)
	}
	eval[bool](p, "(document.querySelector('.message-preview h2').scrollIntoView({block: 'start'}), true)")
	p.viewportShot("message-preview", "message-preview.png")

	p.clickAndLoad("button[value=send]")
	p.waitFor("location.pathname.startsWith('/messages/') && document.querySelector('.campaign-counts') !== null")
	if got := p.text(".flash"); got != "Mensaje puesto en cola para 4 clientes." {
		t.Errorf("flash: %q", got)
	}
	if n, err := e.app.DeliverMail(context.Background()); err != nil || n != 4 {
		t.Fatalf("deliver: %d %v", n, err)
	}
	p.open(eval[string](p, "location.pathname"))
	if got := p.text("[data-status=sent]"); got != "4" {
		t.Errorf("sent: %q", got)
	}

	// The customer follows the link of the message that arrived, signed out.
	link := ""
	for _, m := range smtp.Received() {
		if m.To[0] == "ana@example.com" {
			link = unsubscribeLink(t, m.Data)
		}
	}
	if link == "" {
		t.Fatal("Ana's message did not arrive")
	}
	p.open("/logout")
	p.clickAndLoad("main form button[type=submit]")
	p.waitFor("location.pathname === '/login'")
	p.do(chromedp.Navigate(link), chromedp.WaitReady(chromedp.CSS("body")))
	p.waitFor("document.body.innerText.includes('darme de baja')")
	p.screenshot("unsubscribe")
	p.clickAndLoad(".unsubscribe-form button[type=submit]")
	p.waitFor("document.querySelector('.unsubscribe-done') !== null")
	c, err := e.app.Customers(context.Background(), app.System(), app.CustomerQuery{Q: "ana@example.com"})
	if err != nil || len(c.Customers) != 1 || c.Customers[0].MarketingConsent {
		t.Fatalf("Ana after unsubscribing: %v %+v", err, c.Customers)
	}
	p.login("manager")
	p.open("/messages")
	p.clickAndLoad("table.campaigns a")
	p.waitFor("document.querySelector('[data-status=unsubscribed]') !== null")
	if got := p.text("[data-status=unsubscribed]"); got != "1" {
		t.Errorf("unsubscribed: %q", got)
	}
	p.viewportShot("campaign", "campaign.png")
}
