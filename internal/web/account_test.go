package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/domain"
)

// TestAccountPages: at the till a cashier charges part of a sale to the customer's account,
// is refused past the credit limit with the amounts, takes a payment from the account page
// reached from the till, prints its receipt and goes back to the till; the profile shows
// the balance and the entries.
func TestAccountPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		setUpShop(t, e)
		ch := person("Rosa", "Díaz")
		ch.Reference = domain.Some("7711")
		ch.CreditLimitCents = domain.Some(int64(5000))
		c := e.mustCreateCustomer(ch)
		cashier := e.loggedIn(domain.RoleCashier)
		p := e.principal(domain.RoleCashier)
		tk := mustTicket(t, e, p, "Jamón", "1", 8000)
		tillPath := "/till/" + tk.ID
		if a := cashier.post(tillPath+"/scan", url.Values{"q": {"7711"}}); a.status != http.StatusSeeOther {
			t.Fatalf("scan: %d\n%s", a.status, a.body)
		}
		a := cashier.get(tillPath)
		wantContains(t, a, "Cuenta saldada", "límite 50,00\u00a0€", `name="account"`, "Cobro a cuenta o depósito")
		wantNotContains(t, a, `name="credit"`, `name="override"`) // no credit held; a cashier cannot override

		// 80 on account, limit 50: refused, with the amounts; nothing booked.
		a = cashier.post(tillPath+"/close", url.Values{"pay": {"tenders"}, "account": {"80"}, "key": {"k1"}})
		wantStatus(t, a, http.StatusUnprocessableEntity)
		wantContains(t, a, "Venta a cuenta rechazada", "0,00\u00a0€", "50,00\u00a0€", "80,00\u00a0€")
		// 30 in cash and 50 on account: closed.
		a = cashier.post(tillPath+"/close", url.Values{"pay": {"tenders"}, "cash": {"30"}, "account": {"50"}, "key": {"k2"}})
		if a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/invoices/") {
			t.Fatalf("close: %d %s\n%s", a.status, a.header.Get("Location"), a.body)
		}
		receipt := cashier.get(a.header.Get("Location"))
		wantContains(t, receipt, "Cargo en cuenta", "50,00\u00a0€")

		// The account page, from a new ticket at the till: pay 20 by card.
		tk2 := mustTicket(t, e, p, "Pan", "1", 100)
		cashier.post("/till/"+tk2.ID+"/scan", url.Values{"q": {"7711"}})
		a = cashier.get("/till/" + tk2.ID)
		wantContains(t, a, "Debe 50,00\u00a0€", "/customers/"+c.ID+"/account?return=/till/"+tk2.ID)
		back := "/till/" + tk2.ID
		a = cashier.get("/customers/" + c.ID + "/account?return=" + url.QueryEscape(back))
		wantContains(t, a, "Nos debe", "50,00\u00a0€", "Venta a cuenta", `href="`+back+`"`)
		wantNotContains(t, a, "Ajuste manual")
		a = cashier.post("/customers/"+c.ID+"/account/payments", url.Values{"amount": {"veinte"}, "method": {"card"}, "kind": {"payment"}, "key": {"p1"}, "return": {back}})
		wantStatus(t, a, http.StatusUnprocessableEntity)
		wantContains(t, a, "No se ha anotado nada", "Escriba un número")
		a = cashier.post("/customers/"+c.ID+"/account/payments", url.Values{"amount": {"20"}, "method": {"card"}, "kind": {"payment"}, "key": {"p1"}, "return": {back}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("payment: %d\n%s", a.status, a.body)
		}
		loc := a.header.Get("Location")
		a = cashier.get(loc)
		wantContains(t, a, "Pago a cuenta", "Tarjeta", "Saldo pendiente", "30,00 €", `href="`+back+`"`)
		// Pressed twice: booked once.
		cashier.post("/customers/"+c.ID+"/account/payments", url.Values{"amount": {"20"}, "method": {"card"}, "kind": {"payment"}, "key": {"p1"}, "return": {back}})
		page, err := e.app.Account(context.Background(), p, c.ID, "", 10)
		if err != nil || page.Account.BalanceCents != 3000 || len(page.Entries) != 2 {
			t.Fatalf("account after the payment: %+v %v", page.Account, err)
		}
		// A way back elsewhere than the backoffice is not followed.
		a = cashier.get("/customers/" + c.ID + "/account?return=https://evil.example/")
		wantNotContains(t, a, "evil.example")

		// The profile shows the balance and the entries; a manager may adjust.
		manager := e.loggedIn(domain.RoleManager)
		a = manager.get("/customers/" + c.ID)
		wantContains(t, a, "Nos debe", "30,00\u00a0€", "Pago a cuenta", "/customers/"+c.ID+"/statement")
		a = manager.post("/customers/"+c.ID+"/account/adjustments", url.Values{"amount": {"-30"}, "reason": {""}, "key": {"a1"}})
		wantStatus(t, a, http.StatusUnprocessableEntity)
		a = manager.post("/customers/"+c.ID+"/account/adjustments", url.Values{"amount": {"-30"}, "reason": {"Acuerdo comercial"}, "key": {"a1"}})
		wantStatus(t, a, http.StatusSeeOther)
		a = manager.get("/customers/" + c.ID)
		wantContains(t, a, "Cuenta saldada", "Acuerdo comercial")
	})
}
