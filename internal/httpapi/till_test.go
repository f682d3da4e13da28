package httpapi_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

// TestTillOverHTTP runs the till as a terminal does, on every backend: a ticket, a scanned
// loyalty card, the group discount, a close with cash and change retried with its
// Idempotency-Key, the invoice and its chain record, a return, and the invoice's snapshot
// after the customer and their group are deleted.
func TestTillOverHTTP(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		e.setUpShop(t)
		const cashier = domain.RoleCashier
		vip := e.createGroup(t, map[string]any{"name": "VIP", "discount_basis_points": 1000})["id"].(string)
		ana := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "last_name": "Muñoz", "tax_id": "12345678Z",
			"address": map[string]any{"line1": "Calle Luna 3", "postal_code": "28001", "city": "Madrid"}, "reference": "2000000099999", "group_id": vip})["id"].(string)

		tk := e.do(t, "POST /api/v1/tickets", req{method: "POST", path: "/api/v1/tickets", role: cashier})
		if tk.status != http.StatusCreated || tk.header.Get("ETag") != `"1"` {
			t.Fatalf("open: %d %s", tk.status, tk.body)
		}
		id := tk.obj(t)["id"].(string)
		path := "/api/v1/tickets/" + id
		add := func(body string) response {
			return e.do(t, "POST /api/v1/tickets/{id}/lines", req{method: "POST", path: path + "/lines", role: cashier, body: body})
		}
		// 0.350 kg at 19.99 €/kg is 6.9965 € → 7.00 €; a float would not say so reliably.
		if r := add(`{"label":"Queso","quantity":0.350,"unit_price_cents":1999,"vat_rate_basis_points":1000}`); r.status != 201 {
			t.Fatalf("add: %d %s", r.status, r.body)
		}
		for body, want := range map[string]string{
			`{"label":"X","quantity":1e-4,"unit_price_cents":1,"vat_rate_basis_points":1000}`:                   "quantity:quantity_decimals",
			`{"label":"X","quantity":-1,"unit_price_cents":1,"vat_rate_basis_points":1000}`:                     "quantity:out_of_range",
			`{"label":"X","quantity":1,"unit_price_cents":1,"vat_rate_basis_points":500}`:                       "vat_rate_basis_points:vat_rate_not_offered",
			`{"label":"X","quantity":1,"unit_price_cents":1}`:                                                   "vat_rate_basis_points:required",
			`{"label":"X","quantity":1e400,"unit_price_cents":1,"vat_rate_basis_points":1000}`:                  "quantity:out_of_range",
			`{"label":"X","quantity":12345678901234567890.5,"unit_price_cents":1,"vat_rate_basis_points":1000}`: "quantity:out_of_range",
		} {
			if r := add(body); r.status != 422 || !contains(r.errorFields(t), want) {
				t.Errorf("%s: %d %s, want 422 %s", body, r.status, r.body, want)
			}
		}
		r := add(`{"label":"Pan","quantity":2,"unit_price_cents":125,"vat_rate_basis_points":400}`)
		var ticket struct {
			Lines []struct {
				Quantity      float64 `json:"quantity"`
				GrossCents    int64   `json:"gross_cents"`
				DiscountCents int64   `json:"discount_cents"`
				TotalCents    int64   `json:"total_cents"`
			} `json:"lines"`
			DiscountCents int64 `json:"discount_cents"`
			TotalCents    int64 `json:"total_cents"`
			VAT           []struct {
				Rate int64 `json:"rate_basis_points"`
				Base int64 `json:"base_cents"`
				VAT  int64 `json:"vat_cents"`
			} `json:"vat"`
			Customer *struct{ Name string } `json:"customer"`
			Group    *struct {
				Name     string `json:"name"`
				Discount int64  `json:"discount_basis_points"`
			} `json:"group"`
		}
		r.json(t, &ticket)
		if len(ticket.Lines) != 2 || ticket.Lines[0].Quantity != 0.35 || ticket.Lines[0].GrossCents != 700 || ticket.TotalCents != 950 || ticket.DiscountCents != 0 {
			t.Fatalf("ticket %s", r.body)
		}

		// Unknown card: 404 naming the field; the ticket is as it was.
		r = e.do(t, "PUT /api/v1/tickets/{id}/customer", req{method: "PUT", path: path + "/customer", role: cashier, body: map[string]any{"reference": "0000"}})
		if r.status != 404 || !contains(r.errorFields(t), "reference:unknown_reference") {
			t.Errorf("unknown card: %d %s", r.status, r.body)
		}
		r = e.do(t, "PUT /api/v1/tickets/{id}/customer", req{method: "PUT", path: path + "/customer", role: cashier, body: map[string]any{"reference": "2000000099999"}})
		r.json(t, &ticket)
		// 7.00 − 0.70 and 2.50 − 0.25: 8.55 in all.
		if r.status != 200 || ticket.Customer == nil || ticket.Customer.Name != "Ana Muñoz" || ticket.Group == nil || ticket.Group.Name != "VIP" ||
			ticket.Group.Discount != 1000 || ticket.DiscountCents != 95 || ticket.TotalCents != 855 || ticket.Lines[0].DiscountCents != 70 {
			t.Fatalf("attached: %d %s", r.status, r.body)
		}
		var vatSum int64
		for _, v := range ticket.VAT {
			vatSum += v.Base + v.VAT
		}
		if vatSum != ticket.TotalCents {
			t.Errorf("VAT per rate %+v does not add up to %d", ticket.VAT, ticket.TotalCents)
		}

		// Close: short cash refused; then cash with change, retried with the same key.
		closeWith := func(body, key string) response {
			return e.do(t, "POST /api/v1/tickets/{id}/close", req{method: "POST", path: path + "/close", role: cashier, body: body,
				header: map[string]string{"Idempotency-Key": key}})
		}
		if r := closeWith(`{"payments":[{"method":"cash","amount_cents":800}]}`, "till-1-a"); r.status != 422 || !contains(r.errorFields(t), "payments:payments_do_not_cover") {
			t.Errorf("short: %d %s", r.status, r.body)
		}
		first := closeWith(`{"payments":[{"method":"card","amount_cents":55},{"method":"cash","amount_cents":1000}]}`, "till-1-b")
		again := closeWith(`{"payments":[{"method":"cash","amount_cents":1000}]}`, "till-1-b")
		if first.status != 201 || again.status != 201 || string(first.body) != string(again.body) {
			t.Fatalf("close and retry:\n%d %s\n%d %s", first.status, first.body, again.status, again.body)
		}
		var inv struct {
			ID          string `json:"id"`
			Number      string `json:"number"`
			Type        string `json:"type"`
			TotalCents  int64  `json:"total_cents"`
			VATCents    int64  `json:"vat_cents"`
			ChangeCents int64  `json:"change_cents"`
			Customer    *struct {
				Name    string `json:"name"`
				TaxID   string `json:"tax_id"`
				Address struct {
					Line1   string `json:"line1"`
					Country string `json:"country"`
				} `json:"address"`
			} `json:"customer"`
			Group *struct {
				Name     string `json:"name"`
				Discount int64  `json:"discount_basis_points"`
			} `json:"group"`
			Payments []struct {
				Method   string `json:"method"`
				Amount   int64  `json:"amount_cents"`
				Tendered int64  `json:"tendered_cents"`
			} `json:"payments"`
			Rectifies *struct {
				Number string `json:"number"`
			} `json:"rectifies"`
			Record      verifactu.Record `json:"record"`
			Fingerprint string           `json:"fingerprint"`
		}
		first.json(t, &inv)
		if inv.Type != "F1" || inv.TotalCents != 855 || inv.ChangeCents != 200 || inv.Payments[1].Amount != 800 || inv.Payments[1].Tendered != 1000 ||
			inv.Customer == nil || inv.Customer.Name != "Ana Muñoz" || inv.Group == nil || inv.Group.Discount != 1000 ||
			inv.Record.ImporteTotal != "8.55" || inv.Record.IDEmisorFactura != "B58378431" || inv.Record.NumSerieFactura != inv.Number ||
			inv.Record.Fingerprint() != inv.Fingerprint || inv.Record.TipoFactura != "F1" {
			t.Errorf("invoice %s", first.body)
		}
		if r := e.do(t, "GET /api/v1/tickets/{id}", req{method: "GET", path: path, role: cashier}); r.status != 404 {
			t.Errorf("closed ticket: %d", r.status)
		}

		// A return of half the cheese, by a manager.
		r = e.do(t, "POST /api/v1/invoices/{id}/rectify", req{method: "POST", path: "/api/v1/invoices/" + inv.ID + "/rectify", role: domain.RoleManager,
			body: `{"lines":[{"position":1,"quantity":0.175}]}`})
		var ret struct {
			Type       string `json:"type"`
			Number     string `json:"number"`
			TotalCents int64  `json:"total_cents"`
			Rectifies  *struct {
				Number string `json:"number"`
			} `json:"rectifies"`
			Record verifactu.Record `json:"record"`
		}
		r.json(t, &ret)
		if r.status != 201 || ret.Type != "R1" || ret.Rectifies == nil || ret.Rectifies.Number != inv.Number || ret.TotalCents != -315 ||
			ret.Record.Huella != inv.Fingerprint || ret.Record.ImporteTotal != "-3.15" {
			t.Errorf("rectify: %d %s", r.status, r.body)
		}

		// The customer and the group deleted: the invoice keeps both.
		if r := e.do(t, "DELETE /api/v1/customers/{id}", req{method: "DELETE", path: "/api/v1/customers/" + ana, role: domain.RoleManager}); r.status != 204 {
			t.Fatalf("delete customer: %d", r.status)
		}
		if r := e.do(t, "DELETE /api/v1/groups/{id}", req{method: "DELETE", path: "/api/v1/groups/" + vip, role: domain.RoleManager}); r.status != 204 {
			t.Fatalf("delete group: %d %s", r.status, r.body)
		}
		r = e.do(t, "GET /api/v1/invoices/{id}", req{method: "GET", path: "/api/v1/invoices/" + inv.ID, role: cashier})
		r.json(t, &inv)
		if r.status != 200 || inv.Customer == nil || inv.Customer.Name != "Ana Muñoz" || inv.Customer.Address.Line1 != "Calle Luna 3" ||
			inv.Customer.TaxID != "12345678Z" || inv.Group == nil || inv.Group.Name != "VIP" {
			t.Errorf("invoice after deletions: %d %s", r.status, r.body)
		}
		// The receipt and the PDF, reprinted after the deletions, from the invoice's snapshots.
		r = e.do(t, "GET /api/v1/invoices/{id}/receipt", req{method: "GET", path: "/api/v1/invoices/" + inv.ID + "/receipt", role: cashier})
		receipt := string(r.body)
		for _, want := range []string{inv.Number, "Ana Muñoz", "Calle Luna 3", "B58378431", "8,55", "VIP", "Efectivo"} {
			if !strings.Contains(receipt, want) {
				t.Errorf("receipt lacks %q:\n%s", want, receipt)
			}
		}
		for _, line := range strings.Split(receipt, "\n") {
			if utf8.RuneCountInString(line) > 42 {
				t.Errorf("receipt line wider than 42 columns: %q", line)
			}
		}
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
			t.Errorf("receipt: %d %s", r.status, r.header.Get("Content-Type"))
		}
		r = e.do(t, "GET /api/v1/invoices/{id}/pdf", req{method: "GET", path: "/api/v1/invoices/" + inv.ID + "/pdf", role: cashier})
		if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF-")) ||
			!strings.Contains(r.header.Get("Content-Disposition"), inv.Number+".pdf") {
			t.Errorf("pdf: %d %v %.20q", r.status, r.header, r.body)
		}

		list := func(q string) []string {
			r := e.do(t, "GET /api/v1/invoices", req{method: "GET", path: "/api/v1/invoices?" + q, role: cashier})
			var l struct {
				Data []struct {
					Number string `json:"number"`
				} `json:"data"`
			}
			r.json(t, &l)
			var out []string
			for _, d := range l.Data {
				out = append(out, d.Number)
			}
			return out
		}
		if got := list("q=" + url.QueryEscape("MUÑOZ ana")); len(got) != 2 || got[0] != ret.Number {
			t.Errorf("search by name: %v", got)
		}
		if got := list("customer_id=" + ana + "&type=F1"); len(got) != 1 || got[0] != inv.Number {
			t.Errorf("by customer: %v", got)
		}
	})
}
