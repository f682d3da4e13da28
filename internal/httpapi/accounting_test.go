package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

// TestAccountingOverHTTP: an admin sets the account plan with its ETag; two tickets are
// closed (a walk-in in cash, a customer with their own account number by card); a manager
// downloads today's journal as CSV and as FEC, named as the formats want, balanced, with the
// customer's own account and the plan's cash account.
func TestAccountingOverHTTP(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		e.setUpShop(t)
		const admin, manager, cashier = domain.RoleAdmin, domain.RoleManager, domain.RoleCashier
		plan := e.do(t, "GET /api/v1/settings/accounts", req{method: "GET", path: "/api/v1/settings/accounts", role: admin})
		if plan.status != 200 || plan.header.Get("ETag") != `"0"` || plan.obj(t)["default_customer"].(map[string]any)["number"] != "43000000" {
			t.Fatalf("plan: %d %s %v", plan.status, plan.body, plan.header)
		}
		r := e.do(t, "PATCH /api/v1/settings/accounts", req{method: "PATCH", path: "/api/v1/settings/accounts", role: admin,
			header: map[string]string{"If-Match": `"0"`}, body: `{"cash":{"number":"57000001","label":"Caja tienda"}}`})
		if r.status != 200 || r.header.Get("ETag") != `"1"` || r.obj(t)["cash"].(map[string]any)["label"] != "Caja tienda" {
			t.Fatalf("patch plan: %d %s", r.status, r.body)
		}
		r = e.do(t, "PATCH /api/v1/settings/accounts", req{method: "PATCH", path: "/api/v1/settings/accounts", role: admin,
			header: map[string]string{"If-Match": `"1"`}, body: `{"card":{"number":"572","label":"Tarjeta"},"sales":[{"number":"70000021"}]}`})
		if got := strings.Join(r.errorFields(t), " "); r.status != 422 || got != "card.number:account_length sales[0].rate_basis_points:out_of_range sales[0].label:required" {
			t.Fatalf("bad plan: %d %s", r.status, r.body)
		}

		ruiz := e.createCustomer(t, map[string]any{"kind": "company", "company_name": "Talleres Ruiz", "account_number": "4301"})["id"].(string)
		sell := func(customer, method string, price int) {
			tk := e.do(t, "POST /api/v1/tickets", req{method: "POST", path: "/api/v1/tickets", role: cashier}).obj(t)["id"].(string)
			path := "/api/v1/tickets/" + tk
			e.do(t, "POST /api/v1/tickets/{id}/lines", req{method: "POST", path: path + "/lines", role: cashier,
				body: map[string]any{"label": "Aceite", "quantity": 1, "unit_price_cents": price, "vat_rate_basis_points": 2100}})
			if customer != "" {
				e.do(t, "PUT /api/v1/tickets/{id}/customer", req{method: "PUT", path: path + "/customer", role: cashier, body: map[string]any{"customer_id": customer}})
			}
			if r := e.do(t, "POST /api/v1/tickets/{id}/close", req{method: "POST", path: path + "/close", role: cashier,
				body: map[string]any{"payments": []any{map[string]any{"method": method, "amount_cents": price}}}}); r.status != 201 {
				t.Fatalf("close: %d %s", r.status, r.body)
			}
		}
		sell("", "cash", 1210)
		sell(ruiz, "card", 2420)

		today := time.Now().In(verifactu.Madrid()).Format(time.DateOnly)
		path := "/api/v1/exports/accounting?from=" + today + "&to=" + today
		r = e.do(t, "GET /api/v1/exports/accounting", req{method: "GET", path: path + "&format=csv", role: manager})
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
			r.header.Get("Content-Disposition") != `attachment; filename=diario-`+today+"-"+today+".csv" {
			t.Fatalf("csv: %d %v %s", r.status, r.header, r.body)
		}
		rows, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		if err != nil || len(rows) != 1+10 || strings.Join(rows[0], ",") != "date,entry,account,account_label,document,label,debit,credit" {
			t.Fatalf("csv rows %d %v: %s", len(rows), err, r.body)
		}
		accounts := map[string]bool{}
		for _, row := range rows[1:] {
			accounts[row[2]+" "+row[3]] = true
		}
		for _, want := range []string{"57000001 Caja tienda", "43000001 Talleres Ruiz", "43000000 Clientes varios", "57200000 Bancos (tarjeta)"} {
			if !accounts[want] {
				t.Errorf("no line on %s: %v", want, accounts)
			}
		}

		r = e.do(t, "GET /api/v1/exports/accounting", req{method: "GET", path: path + "&format=fec", role: manager})
		name := "B58378431FEC" + strings.ReplaceAll(today, "-", "") + ".txt"
		if r.status != 200 || r.header.Get("Content-Disposition") != "attachment; filename="+name {
			t.Fatalf("fec: %d %v", r.status, r.header)
		}
		lines := strings.Split(strings.TrimSuffix(string(r.body), "\r\n"), "\r\n")
		if len(lines) != 11 || len(strings.Split(lines[0], "\t")) != 18 || !strings.HasPrefix(lines[1], "VT\tVentas\t1\t") {
			t.Fatalf("fec body %q", r.body)
		}

		r = e.do(t, "GET /api/v1/exports/accounting", req{method: "GET", path: "/api/v1/exports/accounting?from=2026-13-01&to=2026-01-01", role: manager})
		if r.status != 422 || strings.Join(r.errorFields(t), " ") != "from:invalid" {
			t.Fatalf("bad period: %d %s", r.status, r.body)
		}
		if r := e.do(t, "GET /api/v1/exports/accounting", req{method: "GET", path: path, role: cashier}); r.status != http.StatusForbidden {
			t.Fatalf("cashier: %d", r.status)
		}
	})
}
