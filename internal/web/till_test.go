package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// setUpShop gives the shop what invoices need: a name and a tax id.
func setUpShop(t *testing.T, e *env) domain.Shop {
	t.Helper()
	shop, err := e.app.UpdateShop(context.Background(), app.System(), domain.IfVersion(0, 1, 2, 3), domain.ShopChanges{
		Name: domain.Some("Ultramarinos Ruiz"), TaxID: domain.Some("B12345674"), Line1: domain.Some("Calle Mayor 5"),
		PostalCode: domain.Some("28013"), City: domain.Some("Madrid"), InvoicePrefix: domain.Some("T"),
	})
	if err != nil {
		t.Fatalf("set up the shop: %v", err)
	}
	return shop
}

// mustTicket opens a ticket for p with one line.
func mustTicket(t *testing.T, e *env, p domain.Principal, label, qty string, priceCents int64) domain.Ticket {
	t.Helper()
	ctx := context.Background()
	tk, err := e.app.OpenTicket(ctx, p)
	if err != nil {
		t.Fatalf("open ticket: %v", err)
	}
	q, code := domain.ParseQuantity(qty)
	if code != "" {
		t.Fatalf("quantity %q: %s", qty, code)
	}
	tk, err = e.app.AddTicketLine(ctx, p, tk.ID, domain.LineChanges{Label: domain.Some(label), Quantity: domain.Some(q),
		UnitPriceCents: domain.Some(priceCents), VATRateBasisPoints: domain.Some(int64(2100))})
	if err != nil {
		t.Fatalf("add line: %v", err)
	}
	return tk
}

// mustSale closes a one-line ticket of p's, paid exactly in cash.
func mustSale(t *testing.T, e *env, p domain.Principal) domain.Invoice {
	t.Helper()
	tk := mustTicket(t, e, p, "Pan", "1", 120)
	inv, err := e.app.CloseTicket(context.Background(), p, tk.ID, []domain.Tender{{Method: domain.TenderCash, AmountCents: 120}}, "")
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	return inv
}

// principal is the user of role of the env, as the use cases see them.
func (e *env) principal(role domain.Role) domain.Principal {
	return domain.Principal{UserID: e.ids[role], Username: string(role), Role: role}
}

// vipCustomer adds the VIP group (10 %) and María García in it, with the card 4006381333931.
func vipCustomer(t *testing.T, e *env) domain.Customer {
	t.Helper()
	g, err := e.app.CreateGroup(context.Background(), app.System(), domain.GroupChanges{Name: domain.Some("VIP"), DiscountBasisPoints: domain.Some(int64(1000))})
	if err != nil {
		t.Fatal(err)
	}
	ch := person("María", "García López")
	ch.Reference = domain.Some("4006381333931")
	ch.GroupID = domain.Some(g.ID)
	ch.Line1 = domain.Some("Calle del Pez 12")
	ch.PostalCode = domain.Some("28004")
	ch.City = domain.Some("Madrid")
	return e.mustCreateCustomer(ch)
}

var ticketPath = regexp.MustCompile(`^/till/([0-9a-f-]{36})$`)

// TestTillWithoutScript rings up a sale with plain forms, as a browser without JavaScript
// does: a line on a new ticket opens it, the card attaches the customer and their discount,
// a line's quantity changes, an unknown card changes nothing, the close refuses too little
// money and then shows the receipt with the change.
func TestTillWithoutScript(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		setUpShop(t, e)
		maria := vipCustomer(t, e)
		b := e.loggedIn(domain.RoleCashier)

		// The cashier lands on the till, with an empty new ticket and the scan field focused.
		res := b.get("/till")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `id="scan"`, "autofocus", "Ticket nuevo", `action="/till/new/lines"`, "<option value=\"2100\" selected>21\u00a0%</option>")

		// The first line opens the ticket.
		res = b.post("/till/new/lines", url.Values{"label": {"Queso manchego"}, "quantity": {"0,350"}, "unit_price": {"18,90"}, "vat_rate": {"1000"}})
		wantStatus(t, res, http.StatusSeeOther)
		loc, _, _ := strings.Cut(res.header.Get("Location"), "?")
		m := ticketPath.FindStringSubmatch(loc)
		if m == nil {
			t.Fatalf("after the first line: Location %q", res.header.Get("Location"))
		}
		id := m[1]
		if res.header.Get("Location") != loc+"?focus=f-label" {
			t.Errorf("the label field should take the focus again: %q", res.header.Get("Location"))
		}
		res = b.get(res.header.Get("Location"))
		wantContains(t, res, "Queso manchego", "0,350", "6,62\u00a0€", `id="f-label" name="label" type="text" value="" maxlength="200" autofocus`)
		wantStatus(t, b.post("/till/"+id+"/lines", url.Values{"label": {"Pan"}, "quantity": {"2"}, "unit_price": {"1,25"}, "vat_rate": {"400"}}), http.StatusSeeOther)

		// A line with mistakes comes back with its errors and what was typed.
		res = b.post("/till/"+id+"/lines", url.Values{"label": {""}, "quantity": {"0,0001"}, "unit_price": {"abc"}, "vat_rate": {"1500"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "La línea no se ha añadido", `id="e-quantity"`, "Una cantidad tiene como mucho 3 decimales.", `id="e-unit_price"`, `value="0,0001"`)

		// An unknown card: said plainly, the ticket unchanged.
		before, err := e.app.Ticket(ctx, e.principal(domain.RoleCashier), id)
		if err != nil {
			t.Fatal(err)
		}
		res = b.post("/till/"+id+"/scan", url.Values{"q": {"9999999999999"}})
		wantStatus(t, res, http.StatusSeeOther)
		res = b.get(res.header.Get("Location"))
		wantContains(t, res, "Ningún cliente tiene la tarjeta 9999999999999. El ticket no ha cambiado.")
		after, err := e.app.Ticket(ctx, e.principal(domain.RoleCashier), id)
		if err != nil || after.Version != before.Version || after.Customer != nil {
			t.Errorf("an unknown card changed the ticket: version %d → %d, customer %+v (%v)", before.Version, after.Version, after.Customer, err)
		}

		// A name is a search: the customers found are offered, and one is attached.
		res = b.post("/till/"+id+"/scan", url.Values{"q": {"garcia"}})
		wantStatus(t, res, http.StatusSeeOther)
		res = b.get(res.header.Get("Location"))
		wantContains(t, res, "1 cliente coincide con «garcia».", `name="customer_id" value="`+maria.ID+`"`)

		// The card attaches the customer: name, group, discount on every line, the saving.
		res = b.post("/till/"+id+"/scan", url.Values{"q": {"4006381333931"}})
		wantStatus(t, res, http.StatusSeeOther)
		if got := res.header.Get("Location"); got != "/till/"+id {
			t.Fatalf("after the scan: %q", got)
		}
		res = b.get("/till/" + id)
		// 0.350 × 18.90 = 6.615 → 6.62, −0.66 (10 %) = 5.96; 2 × 1.25 = 2.50, −0.25 = 2.25.
		wantContains(t, res, "María García López", "Grupo VIP", "descuento 10\u00a0% en cada línea", "−0,66\u00a0€", "−0,25\u00a0€",
			"Ahorro del cliente", "−0,91\u00a0€", "8,21\u00a0€")
		// VAT per rate: 10 % on 5.96 (base 5.42), 4 % on 2.25 (base 2.16).
		wantContains(t, res, "5,42\u00a0€", "0,54\u00a0€", "2,16\u00a0€", "0,09\u00a0€")

		// Change the bread's quantity to 3: 3.75 − 0.38 = 3.37; total 9.33.
		tk, err := e.app.Ticket(ctx, e.principal(domain.RoleCashier), id)
		if err != nil {
			t.Fatal(err)
		}
		bread := tk.Lines[1].ID
		res = b.post("/till/"+id+"/lines/"+bread, url.Values{"quantity": {"3"}, "unit_price": {"1,25"}})
		wantStatus(t, res, http.StatusSeeOther)
		res = b.post("/till/"+id+"/lines/"+bread, url.Values{"quantity": {"-1"}, "unit_price": {"1,25"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Debe ser mayor que cero.")
		wantContains(t, b.get("/till/"+id), "9,33\u00a0€")

		// Detach and attach again: the discount goes and comes back.
		wantStatus(t, b.post("/till/"+id+"/customer/delete", nil), http.StatusSeeOther)
		res = b.get("/till/" + id)
		wantNotContains(t, res, "Ahorro del cliente", "María García López")
		wantContains(t, res, "10,37\u00a0€")
		wantStatus(t, b.post("/till/"+id+"/customer", url.Values{"customer_id": {maria.ID}}), http.StatusSeeOther)
		wantContains(t, b.get("/till/"+id), "9,33\u00a0€", "María García López")

		// Too little cash: refused, nothing issued.
		res = b.post("/till/"+id+"/close", url.Values{"cash": {"5"}, "key": {"k-1"}, "pay": {"tenders"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Faltan 4,33\u00a0€: el total es 9,33\u00a0€.")
		// Cash and card: 5 € card, 10 € cash → change 5.67.
		res = b.post("/till/"+id+"/close", url.Values{"cash": {"10"}, "card": {"5"}, "key": {"k-1"}, "pay": {"tenders"}})
		wantStatus(t, res, http.StatusSeeOther)
		receipt := res.header.Get("Location")
		if !strings.HasPrefix(receipt, "/invoices/") || !strings.HasSuffix(receipt, "/receipt") {
			t.Fatalf("after the close: %q", receipt)
		}
		// The same form sent again (a double press) shows the same invoice.
		again := b.post("/till/"+id+"/close", url.Values{"cash": {"10"}, "card": {"5"}, "key": {"k-1"}, "pay": {"tenders"}})
		if again.header.Get("Location") != receipt {
			t.Errorf("a second close went to %q (%d), want %q", again.header.Get("Location"), again.status, receipt)
		}
		res = b.get(receipt)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "Ultramarinos Ruiz", "B12345674", "Calle Mayor 5", "28013 Madrid", "T2026-000001", "Factura simplificada",
			"Cliente: María García López", "Calle del Pez 12", "28004 Madrid", "Grupo VIP: descuento 10\u00a0%",
			"Queso manchego", "0,350 × 18,90\u00a0€", "Descuento 10\u00a0%", "TOTAL", "9,33\u00a0€",
			"Efectivo", "10,00\u00a0€", "Tarjeta", "5,00\u00a0€", "Cambio", "5,67\u00a0€", "Ha ahorrado", "Imprimir", `href="/till"`)
		page, err := e.app.Invoices(ctx, app.System(), app.InvoiceQuery{})
		if err != nil || len(page.Invoices) != 1 {
			t.Fatalf("invoices: %d (%v), want 1", len(page.Invoices), err)
		}

		// The ticket is gone: the till starts a new one.
		wantContains(t, b.get("/till"), "Ticket nuevo")
	})
}

// TestTillScanAnswersTheScript: with Accept: application/json (till.js) the scan answers the
// ticket's HTML, the status line and the ticket's address, with no redirect.
func TestTillScanAnswersTheScript(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		vipCustomer(t, e)
		b := e.loggedIn(domain.RoleCashier)
		scan := func(path, q string) (answer, map[string]any) {
			t.Helper()
			req, err := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(url.Values{"q": {q}}.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			res := b.do(req)
			var out map[string]any
			if err := json.Unmarshal([]byte(res.body), &out); err != nil {
				t.Fatalf("not JSON (%d): %s", res.status, firstLines(res.body, 5))
			}
			return res, out
		}
		// An unknown card on a new ticket opens nothing.
		res, out := scan("/till/new/scan", "1234567890123")
		wantStatus(t, res, http.StatusOK)
		if out["alert"] != true || !strings.Contains(out["status"].(string), "Ningún cliente tiene la tarjeta 1234567890123") || out["url"] != "/till/new" {
			t.Errorf("unknown card: %v", out)
		}
		if tickets, _ := e.app.Tickets(context.Background(), e.principal(domain.RoleCashier)); len(tickets) != 0 {
			t.Errorf("an unknown card opened %d tickets", len(tickets))
		}
		// The card opens the ticket with the customer on it.
		res, out = scan("/till/new/scan", "4006381333931")
		wantStatus(t, res, http.StatusOK)
		if !ticketPath.MatchString(out["url"].(string)) || out["focus"] != "scan" {
			t.Errorf("scan: %v", out)
		}
		if got := out["status"]; got != "María García López está en el ticket: grupo VIP, descuento 10\u00a0%." {
			t.Errorf("status %q", got)
		}
		if html := out["html"].(string); !strings.Contains(html, "María García López") || !strings.Contains(html, "Grupo VIP") {
			t.Errorf("the ticket's HTML lacks the customer: %s", html)
		}
		// A request from another site is refused, as every form is.
		req, _ := http.NewRequest(http.MethodPost, e.url+out["url"].(string)+"/scan", strings.NewReader("q=4006381333931"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		wantStatus(t, b.do(req), http.StatusForbidden)
	})
}

// TestTillRefusesWithoutShopDetails: closing before the shop has a name and tax id says so
// and links to the settings; nothing is issued and the ticket stays.
func TestTillRefusesWithoutShopDetails(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleCashier)
	tk := mustTicket(t, e, e.principal(domain.RoleCashier), "Café", "1", 150)
	res := b.post("/till/"+tk.ID+"/close", url.Values{"pay": {"exact"}, "key": {"k"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "faltan el nombre o el NIF de la tienda", `<a href="/settings/shop">Completar los datos de la tienda</a>`)
	if _, err := e.app.Ticket(context.Background(), e.principal(domain.RoleCashier), tk.ID); err != nil {
		t.Errorf("the ticket is gone: %v", err)
	}
	// An empty ticket cannot be closed either.
	res = b.post("/till/new/close", url.Values{"pay": {"exact"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "El ticket no tiene líneas")
}

// TestTillParksTickets: a cashier keeps several tickets open, switches between them and
// discards one; another user's ticket is not theirs to see.
func TestTillParksTickets(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleCashier)
	first := mustTicket(t, e, e.principal(domain.RoleCashier), "Café", "1", 150)
	res := b.post("/till/tickets", nil)
	wantStatus(t, res, http.StatusSeeOther)
	second := res.header.Get("Location")
	if !ticketPath.MatchString(second) || second == "/till/"+first.ID {
		t.Fatalf("new ticket: %q", second)
	}
	res = b.get(second)
	wantContains(t, res, "Tickets abiertos", `href="/till/`+first.ID+`"`, `aria-current="page"`, "1 línea", "1,50\u00a0€")
	// The till opens the one changed last.
	wantStatus(t, b.post("/till/"+first.ID+"/lines", url.Values{"label": {"Té"}, "quantity": {"1"}, "unit_price": {"1"}, "vat_rate": {"2100"}}), http.StatusSeeOther)
	if got := b.get("/till").header.Get("Location"); got != "/till/"+first.ID {
		t.Errorf("/till went to %q", got)
	}
	// Removing a line.
	wantStatus(t, b.post("/till/"+first.ID+"/lines/"+first.Lines[0].ID+"/delete", nil), http.StatusSeeOther)
	if tk, err := e.app.Ticket(context.Background(), e.principal(domain.RoleCashier), first.ID); err != nil || len(tk.Lines) != 1 || tk.Lines[0].Label != "Té" {
		t.Errorf("after removing the coffee: %+v (%v)", tk.Lines, err)
	}
	wantStatus(t, b.post("/till/"+first.ID+"/delete", nil), http.StatusSeeOther)
	res = b.get("/till/" + first.ID)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/till" {
		t.Errorf("a discarded ticket: %d %q, want back to the till", res.status, res.header.Get("Location"))
	}
	wantContains(t, b.get("/till/"+strings.TrimPrefix(second, "/till/")), "Ese ticket ya no está abierto")
	// Someone else's ticket is not found.
	m := e.loggedIn(domain.RoleManager)
	res = m.get(second)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/till" {
		t.Errorf("another user's ticket: %d %q, want back to the till", res.status, res.header.Get("Location"))
	}
	wantNotContains(t, m.get("/till"), `href="`+second+`"`)
}
