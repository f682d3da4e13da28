package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

// TestAccountPlanPage: the admin sees the plan with its defaults, a number of the wrong
// length is refused naming the row, and a good change is saved and shown.
func TestAccountPlanPage(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	admin := e.loggedIn(domain.RoleAdmin)
	page := admin.get("/settings/accounts")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "Plan de cuentas", `value="43000000"`, `value="Clientes varios"`, `name="sales.2100.number" type="text" inputmode="numeric" maxlength="12" size="12" value="70000021"`,
		`value="47700004"`, "4301 → 43000001")

	form := url.Values{}
	for _, name := range []string{"version", "account_number_length"} {
		form.Set(name, map[string]string{"version": "0", "account_number_length": "8"}[name])
	}
	set := func(name, number, label string) { form.Set(name+".number", number); form.Set(name+".label", label) }
	set("default_customer", "43000000", "Clientes varios")
	set("cash", "5700", "Caja")
	set("card", "57200000", "Tarjetas")
	set("bank", "57200000", "Bancos")
	set("customer_credit", "43800000", "Anticipos de clientes")
	set("adjustments", "65900000", "Ajustes")
	set("general_sales", "70000000", "Ventas")
	set("general_output_vat", "47700000", "IVA")
	for _, r := range []string{"2100", "1000", "400", "0"} {
		set("sales."+r, "700000"+map[string]string{"2100": "21", "1000": "10", "400": "04", "0": "00"}[r], "Ventas "+r)
	}
	for _, r := range []string{"2100", "1000", "400"} {
		set("output_vat."+r, "477000"+map[string]string{"2100": "21", "1000": "10", "400": "04"}[r], "IVA "+r)
	}
	form.Set("sales.1000.label", "")
	bad := admin.post("/settings/accounts", form)
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad, "Debe tener exactamente 8 dígitos.", `id="f-cash.number"`, `href="#f-sales.1000.label"`)

	form.Set("cash.number", "57000001")
	form.Set("sales.1000.label", "Ventas hostelería")
	wantStatus(t, admin.post("/settings/accounts", form), http.StatusSeeOther)
	saved := admin.get("/settings/accounts")
	wantContains(t, saved, "Plan de cuentas guardado.", `value="57000001"`, `value="Ventas hostelería"`)

	// The version of the form is stale now: saving it again says so.
	stale := admin.post("/settings/accounts", form)
	wantStatus(t, stale, http.StatusConflict)
}

// TestExportsPage: a manager picks a period, sees its totals per account with debit equal to
// credit, and downloads the journal as CSV and FEC.
func TestExportsPage(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	setUpHardwareShop(t, e)
	sell(t, e.app, e.cashier(), "", saleLine{"Tornillos", "2", 1210, 2100}, saleLine{"Pan", "1", 104, 400})
	manager := e.loggedIn(domain.RoleManager)
	page := manager.get("/exports")
	wantStatus(t, page, http.StatusOK)
	today := time.Now().In(verifactu.Madrid()).Format(time.DateOnly)
	wantContains(t, page, "Exportación contable", `value="`+today+`"`, "Día incluido")

	totals := manager.get("/exports?from=" + today + "&to=" + today)
	wantStatus(t, totals, http.StatusOK)
	wantContains(t, totals, "1 factura,", "70000021", "47700004", "57000000", "Descargar diario (CSV)",
		`href="/exports/accounting?format=csv&amp;from=`+today+`&amp;to=`+today+`"`)
	// Σ debit = Σ credit: the customer account and the cash, 24.20 + 1.04 each.
	wantContains(t, totals, `Total</th><td class="num">50,48`, `</td><td class="num">50,48`)

	csv := manager.get("/exports/accounting?format=csv&from=" + today + "&to=" + today)
	wantStatus(t, csv, http.StatusOK)
	if !strings.HasPrefix(csv.body, "date,entry,account,account_label,document,label,debit,credit\r\n") || strings.Count(csv.body, "\r\n") != 1+5+2 {
		t.Fatalf("csv %q", csv.body)
	}
	fec := manager.get("/exports/accounting?format=fec&from=" + today + "&to=" + today)
	if fec.status != 200 || fec.header.Get("Content-Disposition") != "attachment; filename=B12345674FEC"+strings.ReplaceAll(today, "-", "")+".txt" {
		t.Fatalf("fec %d %v", fec.status, fec.header)
	}

	bad := manager.get("/exports?from=2026-02-30&to=" + today)
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad, "Valor no válido.")
	wantStatus(t, e.loggedIn(domain.RoleCashier).get("/exports"), http.StatusForbidden)
}

// TestExportsPageWhenBusy: with every export slot taken, the page says other exports are
// running (503, Retry-After) and keeps the period.
func TestExportsPageWhenBusy(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	release, started := make(chan struct{}), make(chan struct{}, app.DefaultMaxExports)
	var held sync.WaitGroup
	for range app.DefaultMaxExports {
		held.Add(1)
		go func() {
			defer held.Done()
			_, _ = e.app.ExportAccounting(context.Background(), app.System(), app.AccountingQuery{From: "2026-01-01", To: "2026-01-01", Format: "csv"},
				func(string) (io.Writer, error) { started <- struct{}{}; <-release; return io.Discard, nil }, nil)
		}()
	}
	for range app.DefaultMaxExports {
		<-started
	}
	page := e.loggedIn(domain.RoleManager).get("/exports?from=2026-01-01&to=2026-01-31")
	close(release)
	held.Wait()
	wantStatus(t, page, http.StatusServiceUnavailable)
	wantContains(t, page, "Hay otras exportaciones en curso", `value="2026-01-31"`)
	if page.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}
