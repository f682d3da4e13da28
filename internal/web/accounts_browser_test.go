package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/clientela/clientela/internal/domain"
)

// TestAccountsInChromium: a cashier sells on a customer's account up to the credit limit, is
// refused past it (with the balance, the limit and the amount), takes a payment from the
// account page the till links to, prints its receipt, goes back to the ticket and closes it on
// account; a manager then sees the balance on the profile and the debt in the debtors report.
func TestAccountsInChromium(t *testing.T) {
	ctx := chrome(t)
	e := newEnv(t, sqliteBackend(t))
	setUpShop(t, e)
	ch := withContact(person("Rosa", "Díaz Prieto"), "rosa.diaz@example.es", "+34 611 22 33 44", "7711")
	ch.CreditLimitCents = domain.Some(int64(5000))
	rosa := e.mustCreateCustomer(ch)
	p := &page{t: t, ctx: ctx, base: e.url, dir: t.ArtifactDir()}
	p.login("cashier")
	p.waitFor("location.pathname === '/till'")

	ringUp := func(label, price string) {
		p.do(chromedp.Evaluate[chromedp.Void]("document.getElementById('scan').focus()"))
		p.keys("7711" + kb.Enter)
		p.waitFor("document.querySelector('[data-customer-account]') !== null")
		p.tabTo("f-label")
		p.keys(label + kb.Tab + "1" + kb.Tab + price)
		p.tabTo("add-line-submit")
		p.keys(kb.Enter)
		p.waitFor("document.querySelector('table.lines') && document.querySelector('table.lines').innerText.includes('" + label + "')")
	}
	// 40 € on account, within the 50 € limit.
	ringUp("Jamón ibérico", "40")
	if got := p.text("[data-customer-account]"); !strings.Contains(got, "Cuenta saldada") || !strings.Contains(got, "límite 50,00\u00a0€") {
		t.Errorf("the account on the ticket: %q", got)
	}
	p.tabTo("f-account")
	p.keys("40" + kb.Enter)
	p.waitAcross("location.pathname.endsWith('/receipt') && document.readyState === 'complete'")
	if got := p.text(".receipt"); !strings.Contains(got, "Cargo en cuenta") {
		t.Errorf("the receipt does not show the account tender:\n%s", got)
	}
	p.open("/till")

	// 20 € more: past the limit, refused with the figures; the ticket stays.
	ringUp("Queso curado", "20")
	if got := p.text("[data-customer-account]"); !strings.Contains(got, "Debe 40,00\u00a0€") {
		t.Errorf("the account on the ticket: %q", got)
	}
	p.tabTo("f-account")
	p.keys("20" + kb.Enter)
	p.waitFor("document.getElementById('pay-message') !== null")
	msg := p.text("#pay-message")
	for _, want := range []string{"Venta a cuenta rechazada", "40,00\u00a0€", "50,00\u00a0€", "20,00\u00a0€"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the refusal %q lacks %q", msg, want)
		}
	}
	p.screenshot("limit-refused")
	ticketPath := eval[string](p, "location.pathname")

	// The account page from the till: a payment of 30 € by card, its receipt, back to the ticket.
	p.clickAndLoad("[data-customer-account] a")
	p.waitFor("location.pathname.endsWith('/account')")
	if got := p.focused(); got != "f-amount" {
		t.Errorf("on the account page the focus is on %q, want the amount", got)
	}
	p.keys("30")
	p.do(chromedp.SetValue(chromedp.CSS("#f-method"), "card"))
	p.clickAndLoad("button[name=kind][value=payment]")
	p.waitFor("location.pathname.endsWith('/receipt')")
	receipt := p.text(".receipt")
	for _, want := range []string{"Pago a cuenta", "Rosa Díaz Prieto", "Tarjeta", "30,00 €", "Saldo pendiente", "10,00 €"} {
		if !strings.Contains(receipt, want) {
			t.Errorf("the payment's receipt lacks %q:\n%s", want, receipt)
		}
	}
	p.viewportShot("payment-receipt", "account-receipt.png")
	p.clickAndLoad(".receipt-tools a")
	p.waitFor("location.pathname === '" + ticketPath + "'")

	// Now it fits: 10 owed + 20 ≤ 50.
	p.tabTo("f-account")
	p.keys("20" + kb.Enter)
	p.waitAcross("location.pathname.endsWith('/receipt') && document.readyState === 'complete'")
	page, err := e.app.Account(context.Background(), e.principal(domain.RoleAdmin), rosa.ID, "", 10)
	if err != nil || page.Account.BalanceCents != 3000 || len(page.Entries) != 3 {
		t.Fatalf("account: %+v (%d entries) %v", page.Account, len(page.Entries), err)
	}

	// The profile, as a manager.
	p.open("/logout")
	p.clickAndLoad("button[type=submit]")
	p.login("manager")
	p.open("/customers/" + rosa.ID)
	if got := p.text(".account-card"); !strings.Contains(got, "Nos debe") || !strings.Contains(got, "30,00\u00a0€") || !strings.Contains(got, "Pago a cuenta") {
		t.Errorf("the account on the profile:\n%s", got)
	}
	p.docsShot("profile-account", "customer-account.png")

	// The debtors report: Rosa owes 30 €, all of it from today, in the first bar.
	p.clickAndLoad("nav.main-nav a[href='/reports/debtors']")
	p.waitFor("location.pathname === '/reports/debtors'")
	if got := p.text("table.debtors"); !strings.Contains(got, "Rosa Díaz Prieto") || !strings.Contains(got, "30,00 €") {
		t.Errorf("the debtors report:\n%s", got)
	}
	bars := eval[int](p, "document.querySelectorAll('.ageing-chart svg rect').length")
	if bars == 0 {
		t.Error("the ageing chart has no bars")
	}
	p.screenshot("debtors")
}
