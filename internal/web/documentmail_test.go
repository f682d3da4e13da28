package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestDocumentMailPages: the invoice of a customer who asked for invoices by e-mail shows its
// e-mail queued, and can be sent again; the statement page e-mails the statement; the profile
// lists the customer's e-mails; an invoice whose customer has no e-mail offers no button.
func TestDocumentMailPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		setUpShop(t, e)
		ch := person("María", "Muñoz")
		ch.Email = domain.Some("maria@example.com")
		c := e.mustCreateCustomer(ch)
		p := e.principal(domain.RoleCashier)
		tk := mustTicket(t, e, p, "Aceite", "1", 1250)
		if _, err := e.app.AttachCustomer(ctx, p, tk.ID, app.CustomerChoice{CustomerID: c.ID}); err != nil {
			t.Fatal(err)
		}
		inv, err := e.app.CloseTicket(ctx, p, tk.ID, []domain.Tender{{Method: domain.TenderCash, AmountCents: 1250}}, "")
		if err != nil {
			t.Fatal(err)
		}
		cashier := e.loggedIn(domain.RoleCashier)
		a := cashier.get("/invoices/" + inv.ID)
		wantContains(t, a, "Envíos por correo", "Su factura "+inv.Number, "maria@example.com", "En cola", "Enviar de nuevo por correo")
		a = cashier.post("/invoices/"+inv.ID+"/mail", url.Values{})
		if a.status != http.StatusSeeOther {
			t.Fatalf("resend: %d\n%s", a.status, a.body)
		}
		a = cashier.get(a.header.Get("Location"))
		wantContains(t, a, "La factura está en la cola de correo")
		if mails, _ := e.app.InvoiceMails(ctx, p, inv.ID); len(mails) != 2 {
			t.Errorf("mails of the invoice after a resend: %d", len(mails))
		}

		a = cashier.get("/customers/" + c.ID + "/statement")
		wantContains(t, a, "Enviar por correo a maria@example.com")
		a = cashier.post("/customers/"+c.ID+"/statement/mail", url.Values{"from": {"2026-01-01"}, "to": {"2026-12-31"}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("statement mail: %d\n%s", a.status, a.body)
		}
		a = cashier.get(a.header.Get("Location"))
		wantContains(t, a, "El extracto está en la cola de correo")

		a = cashier.get("/customers/" + c.ID)
		wantContains(t, a, "Correos al cliente", "Su factura "+inv.Number, "Su extracto del 01/01/2026 al 31/12/2026")

		// Without an e-mail: no button, and the POST says nothing was sent.
		anon := mustSale(t, e, p)
		a = cashier.get("/invoices/" + anon.ID)
		wantNotContains(t, a, "Enviar por correo", "Envíos por correo")
		a = cashier.post("/invoices/"+anon.ID+"/mail", url.Values{})
		a = cashier.get(a.header.Get("Location"))
		wantContains(t, a, "no se ha enviado nada")
	})
}
