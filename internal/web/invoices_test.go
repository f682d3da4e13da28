package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/auth"
	"github.com/clientela/clientela/internal/domain"
	moneyfmt "github.com/clientela/clientela/internal/money"
)

// saleLine is a line rung up at the till.
type saleLine struct {
	label      string
	quantity   string // as a till sends it: "2", "0.350"
	unitCents  int64  // VAT included
	vatBasisPt int64
}

// setUpHardwareShop gives the shop the name and tax id every invoice needs.
func setUpHardwareShop(t *testing.T, e *env) {
	t.Helper()
	_, err := e.app.UpdateShop(context.Background(), app.System(), domain.IfAnyVersion(), domain.ShopChanges{
		Name: domain.Some("Ferretería La Plaza S.L."), TaxID: domain.Some("B12345674"),
		Line1: domain.Some("Plaza Mayor 1"), PostalCode: domain.Some("37002"), City: domain.Some("Salamanca")})
	if err != nil {
		t.Fatalf("set up the shop: %v", err)
	}
}

// clockApp is the env's application on a clock of the test's, for invoices issued in the past.
func clockApp(e *env, clock func() time.Time) *app.App {
	fast := auth.Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	return app.New(app.Config{Store: e.db, Clock: clock, PasswordParams: &fast, Logger: slog.New(slog.DiscardHandler)})
}

// cashier is the env's cashier as a principal of the use cases.
func (e *env) cashier() domain.Principal {
	return domain.Principal{UserID: e.ids[domain.RoleCashier], Username: "cashier", Role: domain.RoleCashier}
}

// sell rings up lines for a customer (by id; "" for none) and closes the ticket in cash,
// handed over in whole tens of euros, as a till does.
func sell(t *testing.T, a *app.App, p domain.Principal, customerID string, lines ...saleLine) domain.Invoice {
	t.Helper()
	ctx := context.Background()
	tk, err := a.OpenTicket(ctx, p)
	if err != nil {
		t.Fatalf("open ticket: %v", err)
	}
	for _, l := range lines {
		q, code := domain.ParseQuantity(l.quantity)
		if code != "" {
			t.Fatalf("quantity %q: %s", l.quantity, code)
		}
		if tk, err = a.AddTicketLine(ctx, p, tk.ID, domain.LineChanges{Label: domain.Some(l.label), Quantity: domain.Some(q),
			UnitPriceCents: domain.Some(l.unitCents), VATRateBasisPoints: domain.Some(l.vatBasisPt)}); err != nil {
			t.Fatalf("add line: %v", err)
		}
	}
	if customerID != "" {
		if tk, err = a.AttachCustomer(ctx, p, tk.ID, app.CustomerChoice{CustomerID: customerID}); err != nil {
			t.Fatalf("attach customer: %v", err)
		}
	}
	due := tk.Totals().TotalCents
	inv, err := a.CloseTicket(ctx, p, tk.ID, []domain.Tender{{Method: domain.TenderCash, AmountCents: (due/1000 + 1) * 1000}}, "")
	if err != nil {
		t.Fatalf("close ticket: %v", err)
	}
	return inv
}

var (
	hammer = saleLine{"Martillo de carpintero", "1", 1995, 2100}
	nails  = saleLine{"Clavos 3 mm (kg)", "0.350", 1200, 2100}
	bread  = saleLine{"Pan de pueblo", "2", 150, 400}
)

// TestInvoiceHistory: the history lists invoices newest first and narrows them by customer,
// name, number, type and dates; an invoice shows everything it was issued with.
func TestInvoiceHistory(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		setUpHardwareShop(t, e)
		maria, _ := fullCustomer(t, e)
		luis := e.mustCreateCustomer(person("Luis", "García"))
		full := sell(t, e.app, e.cashier(), maria.ID, hammer, nails, bread)
		simple := sell(t, e.app, e.cashier(), luis.ID, bread)
		anon := sell(t, e.app, e.cashier(), "", hammer)
		manager := domain.Principal{UserID: e.ids[domain.RoleManager], Username: "manager", Role: domain.RoleManager}
		ret, err := e.app.RectifyInvoice(ctx, manager, full.ID, app.RectifyRequest{Lines: []domain.ReturnLine{{Position: 1, Quantity: 1000}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if full.Type != domain.InvoiceFull || simple.Type != domain.InvoiceSimplified || ret.Type != domain.InvoiceRectifying {
			t.Fatalf("types %s %s %s", full.Type, simple.Type, ret.Type)
		}

		b := e.loggedIn(domain.RoleCashier)
		res := b.get("/invoices")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `<a href="/invoices" aria-current="page">Facturas</a>`)
		if got := invoiceNumbers(res.body); got != strings.Join([]string{ret.Number, anon.Number, simple.Number, full.Number}, " ") {
			t.Errorf("history: %s", got)
		}
		for _, tc := range []struct {
			query string
			want  []domain.Invoice
		}{
			{"type=F1", []domain.Invoice{full}},
			{"type=R1", []domain.Invoice{ret}},
			{"q=munoz", []domain.Invoice{ret, full}},
			{"q=garcia+luis", []domain.Invoice{simple}},
			{"number=" + url.QueryEscape(simple.Number), []domain.Invoice{simple}},
			{"customer_id=" + maria.ID, []domain.Invoice{ret, full}},
			{"from=" + time.Now().Format(time.DateOnly) + "&to=" + time.Now().Format(time.DateOnly), []domain.Invoice{ret, anon, simple, full}},
			{"from=" + time.Now().AddDate(0, 0, 2).Format(time.DateOnly), nil},
		} {
			res := b.get("/invoices?" + tc.query)
			wantStatus(t, res, http.StatusOK)
			var want []string
			for _, inv := range tc.want {
				want = append(want, inv.Number)
			}
			if got := invoiceNumbers(res.body); got != strings.Join(want, " ") {
				t.Errorf("%s: %s, want %s", tc.query, got, want)
			}
			if tc.want == nil {
				wantContains(t, res, "Ninguna factura coincide con estos filtros.")
			}
		}
		wantContains(t, b.get("/invoices?customer_id="+maria.ID), "Facturas de María Muñoz Peña.", `<a href="/customers/`+maria.ID+`">Ver su ficha</a>`, `<input type="hidden" name="customer_id" value="`+maria.ID+`">`)
		// A date typed by hand: said next to the field, nothing listed.
		res = b.get("/invoices?from=2026-13-45")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="e-from"`, `value="2026-13-45"`, "Corrija los filtros marcados.")

		// The full invoice as issued.
		res = b.get("/invoices/" + full.ID)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "<h1>Factura "+full.Number+"</h1>", "Factura completa (F1)", "Cobrada por cashier",
			"Ferretería La Plaza S.L.", "B12345674", "Plaza Mayor 1<br>37002 Salamanca",
			`<a href="/customers/`+maria.ID+`">María Muñoz Peña</a>`, "12345678Z", "Calle Mayor 5<br>3.º B<br>28013 Madrid<br>Madrid",
			"VIP · descuento 10\u00a0%",
			"Martillo de carpintero", "Clavos 3 mm (kg)", ">0,350<", "12,00\u00a0€", "10\u00a0% · 0,42\u00a0€",
			"Pan de pueblo", "4\u00a0%", "21\u00a0%",
			"Efectivo", "(entregado: ", "Cambio", full.Fingerprint,
			"Rectificada por:", `<a class="digits" href="/invoices/`+ret.ID+`">`+ret.Number+`</a>`)
		wantNotContains(t, res, "ya no está en el registro")
		wantContains(t, res, `href="/invoices/`+full.ID+`/receipt"`, `href="/invoices/`+full.ID+`/pdf"`)
		pdf := b.get("/invoices/" + full.ID + "/pdf")
		wantStatus(t, pdf, http.StatusOK)
		if ct := pdf.header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(pdf.body, "%PDF-") ||
			!strings.Contains(pdf.header.Get("Content-Disposition"), full.Number+".pdf") {
			t.Errorf("the invoice as PDF: %s %q %.10q", ct, pdf.header.Get("Content-Disposition"), pdf.body)
		}
		for _, v := range full.VAT {
			wantContains(t, res, money(v.BaseCents), money(v.VATCents))
		}
		wantContains(t, res, money(full.TotalCents), money(full.DiscountCents), money(full.GrossCents))
		// The rectifying one points back; the simplified one has no customer's tax id.
		res = b.get("/invoices/" + ret.ID)
		wantContains(t, res, "Factura rectificativa (R1)", "Rectifica la factura", `href="/invoices/`+full.ID+`">`+full.Number+`</a>`, "(devolución de la línea 1)", ">−1<")
		res = b.get("/invoices/" + anon.ID)
		wantContains(t, res, "Factura simplificada (F2)", "Sin cliente")
		wantNotContains(t, res, "Rectificada por:")
		wantStatus(t, b.get("/invoices/01900000-0000-7000-8000-000000000000"), http.StatusNotFound)
		wantStatus(t, b.get("/invoices/nope"), http.StatusNotFound)
	})
}

// TestInvoiceHistoryPages: fifty invoices to a page, the older ones behind a link, and a
// stale cursor shows the first page.
func TestInvoiceHistoryPages(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	setUpHardwareShop(t, e)
	var numbers []string
	for range 53 {
		numbers = append(numbers, sell(t, e.app, e.cashier(), "", bread).Number)
	}
	b := e.loggedIn(domain.RoleManager)
	res := b.get("/invoices?type=F2")
	first := strings.Fields(invoiceNumbers(res.body))
	if len(first) != 50 || first[0] != numbers[52] || first[49] != numbers[3] {
		t.Fatalf("first page: %d rows, %s … %s", len(first), first[0], first[len(first)-1])
	}
	next := between(between(res.body, `<nav class="pager"`, "</nav>"), `href="`, `" rel="next">`)
	if !strings.HasPrefix(next, "/invoices?cursor=") || !strings.Contains(next, "type=F2") {
		t.Fatalf("next page link %q", next)
	}
	res = b.get(strings.ReplaceAll(next, "&amp;", "&"))
	if got := invoiceNumbers(res.body); got != strings.Join([]string{numbers[2], numbers[1], numbers[0]}, " ") {
		t.Errorf("second page: %s", got)
	}
	wantContains(t, res, `href="/invoices?type=F2">« Las más recientes</a>`)
	wantNotContains(t, res, `rel="next"`)
	res = b.get("/invoices?cursor=garbage")
	wantStatus(t, res, http.StatusOK)
	if got := strings.Fields(invoiceNumbers(res.body)); len(got) != 50 {
		t.Errorf("a stale cursor: %d rows", len(got))
	}
}

// TestInvoicesOutliveTheirCustomerAndGroup: after the customer and their group are deleted,
// past invoices still show the customer's name and address, and the group's name and
// discount, as they were.
func TestInvoicesOutliveTheirCustomerAndGroup(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		setUpHardwareShop(t, e)
		maria, vip := fullCustomer(t, e)
		inv := sell(t, e.app, e.cashier(), maria.ID, hammer)
		if _, err := e.app.MoveGroupMembers(ctx, app.System(), vip.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.app.DeleteGroup(ctx, app.System(), vip.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.app.DeleteCustomer(ctx, app.System(), maria.ID); err != nil {
			t.Fatal(err)
		}
		b := e.loggedIn(domain.RoleCashier)
		wantStatus(t, b.get("/customers/"+maria.ID), http.StatusNotFound)
		res := b.get("/invoices/" + inv.ID)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `<p class="party-name">María Muñoz Peña</p>`, "Calle Mayor 5<br>3.º B<br>28013 Madrid<br>Madrid",
			"12345678Z", "VIP · descuento 10\u00a0%", "ya no está en el registro", "10\u00a0% · 2,00\u00a0€")
		wantNotContains(t, res, `href="/customers/`+maria.ID+`"`)
		// Still found by her name, and by her id, named as the invoices keep her.
		if got := invoiceNumbers(b.get("/invoices?q=maria+munoz").body); got != inv.Number {
			t.Errorf("search by the deleted customer's name: %q", got)
		}
		res = b.get("/invoices?customer_id=" + maria.ID)
		wantContains(t, res, "Facturas de María Muñoz Peña.")
		wantNotContains(t, res, "Ver su ficha")
	})
}

// TestProfileShowsWhatTheCustomerBought: the key figures, the last invoices and each of the
// last 12 months' spending, from invoices issued over the year.
func TestProfileShowsWhatTheCustomerBought(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		setUpHardwareShop(t, e)
		maria, _ := fullCustomer(t, e)
		b := e.loggedIn(domain.RoleCashier)
		res := b.get("/customers/" + maria.ID)
		wantContains(t, res, "Total gastado", "0,00\u00a0€", "Aún ninguna", "Aún no tiene facturas.", "Ninguna compra en los últimos 12 meses.")
		wantNotContains(t, res, "chart-monthly")

		now := time.Now()
		at := now
		past := clockApp(e, func() time.Time { return at })
		var want, inYear int64
		months := map[string]int64{}
		for _, ago := range []int{14, 11, 5, 5, 1, 0} {
			at = time.Date(now.Year(), now.Month()-time.Month(ago), 10, 12, 0, 0, 0, time.Local)
			if ago == 0 {
				at = now
			}
			inv := sell(t, past, e.cashier(), maria.ID, hammer, bread)
			if ago <= 11 {
				months[at.Format("2006-01")] += inv.TotalCents
				inYear += inv.TotalCents
			}
			want += inv.TotalCents
		}
		last := sell(t, e.app, e.cashier(), maria.ID, nails)
		want += last.TotalCents
		months[now.Format("2006-01")] += last.TotalCents
		inYear += last.TotalCents

		res = b.get("/customers/" + maria.ID)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `<span class="figure">`+money(want)+`</span>`, `<span class="figure">7</span>`,
			`<span class="figure">`+last.IssuedAt.Local().Format("02/01/2006")+`</span>`, "Últimas facturas", `href="/invoices/`+last.ID+`"`,
			`<a href="/invoices?customer_id=`+maria.ID+`">Ver todas sus facturas</a>`)
		if n := strings.Count(between(res.body, `id="h-invoices"`, "</table>"), `<tr`); n != 6 {
			t.Errorf("%d rows in the last invoices, want a header and 5", n)
		}
		spanish := []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
		for i := 11; i >= 0; i-- {
			m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, time.Local)
			row := fmt.Sprintf("<tr><td>%s de %d</td><td class=\"num\">%s</td></tr>", spanish[m.Month()-1], m.Year(), money(months[m.Format("2006-01")]))
			wantContains(t, res, row)
		}
		// The chart: a bar for each month with spending (11, 5, 1 and 0 months ago), named by
		// what it shows.
		chart := between(res.body, `<figure class="spending-chart">`, "</figure>")
		if n := strings.Count(chart, `<rect class="bar"`); n != 4 {
			t.Errorf("%d bars, want 4", n)
		}
		if !strings.Contains(chart, `role="img" aria-label="Gasto por mes de María Muñoz Peña en los últimos 12 meses: `+money(inYear)+` en total; el mes de más gasto, `) {
			t.Errorf("the chart's name: %s", between(chart, "aria-label=", ">"))
		}
	})
}

// invoiceNumbers lists the invoice numbers a page's table shows, in order.
func invoiceNumbers(body string) string {
	var out []string
	for _, part := range strings.Split(body, `<td class="number-cell"><a class="digits" href="/invoices/`)[1:] {
		out = append(out, between(part, `">`, "</a>"))
	}
	return strings.Join(out, " ")
}

// between is the text of s after the first start and before the next end.
func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(after, end)
	return before
}

// money formats cents as the Spanish pages do.
func money(cents int64) string { return moneyfmt.FormatCents(cents, "es") }
