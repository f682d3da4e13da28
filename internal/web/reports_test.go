package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
)

// bookEntry posts a ledger entry through the store, as the account use cases do.
func (e *env) bookEntry(c domain.Customer, kind domain.LedgerKind, cents int64, at time.Time) {
	e.t.Helper()
	le := domain.LedgerEntry{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: c.ID, CustomerName: c.DisplayName(),
		Kind: kind, AmountCents: cents, UserID: e.ids[domain.RoleManager], Username: "manager", CreatedAt: at.UTC().Truncate(time.Microsecond)}
	switch kind {
	case domain.LedgerPayment, domain.LedgerDeposit:
		le.Method = domain.TenderCard
	case domain.LedgerSale:
		le.InvoiceNumber = fmt.Sprintf("F%d-%06d", at.Year(), cents)
	case domain.LedgerAdjustment:
		le.Reason = "Redondeo"
	}
	ctx := context.Background()
	if err := e.db.Write(ctx, func(tx app.Tx) error { return tx.PostLedgerEntry(ctx, &le) }); err != nil {
		e.t.Fatalf("post %s: %v", kind, err)
	}
}

// accounts books: Ana owes 100 € (120 days), Bea 75 € (50 € 75 days ago, 25 € 45 days ago),
// Ciro 12,50 € (10 days ago); Dora holds 30 € of credit; Eva is settled; Fran has no account.
func (e *env) accounts(groupID string) map[string]domain.Customer {
	now := time.Now()
	ago := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	cs := map[string]domain.Customer{}
	for _, n := range []string{"Ana", "Bea", "Ciro", "Dora", "Eva", "Fran"} {
		ch := person(n, "Prueba")
		if n == "Ana" || n == "Dora" {
			ch.GroupID = domain.Some(groupID)
		}
		if n == "Ana" {
			ch.AccountNumber = domain.Some("43000007")
			ch.Reference = domain.Some("2000000000071")
		}
		cs[n] = e.mustCreateCustomer(ch)
	}
	e.bookEntry(cs["Ana"], domain.LedgerSale, 10000, ago(120))
	e.bookEntry(cs["Bea"], domain.LedgerSale, 5000, ago(75))
	e.bookEntry(cs["Bea"], domain.LedgerSale, 2500, ago(45))
	e.bookEntry(cs["Ciro"], domain.LedgerSale, 1250, ago(10))
	e.bookEntry(cs["Dora"], domain.LedgerDeposit, -3000, ago(5))
	e.bookEntry(cs["Eva"], domain.LedgerSale, 990, ago(3))
	e.bookEntry(cs["Eva"], domain.LedgerPayment, -990, ago(2))
	return cs
}

func (e *env) group(name string) domain.Group {
	e.t.Helper()
	g, err := e.app.CreateGroup(context.Background(), app.System(), domain.GroupChanges{Name: domain.Some(name)})
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

// page is get with the no-break spaces of amounts ("12,50 €") made plain spaces.
func (b *browser) page(path string) answer {
	b.e.t.Helper()
	a := b.get(path)
	a.body = strings.ReplaceAll(a.body, "\u00a0", " ")
	return a
}

// svgBars reads the bars of the first SVG chart of a page: each bar's title and width.
func svgBars(t *testing.T, body string) map[string]float64 {
	t.Helper()
	i := strings.Index(body, `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-ageing"`)
	j := strings.Index(body[max(i, 0):], "</svg>") + max(i, 0)
	if i < 0 || j < i {
		t.Fatalf("no SVG on the page:\n%s", body)
	}
	var root struct {
		Class string `xml:"class,attr"`
		Label string `xml:"aria-label,attr"`
		G     []struct {
			Class string `xml:"class,attr"`
			Rects []struct {
				Class string  `xml:"class,attr"`
				Width float64 `xml:"width,attr"`
				Title string  `xml:"title"`
			} `xml:"rect"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal([]byte(body[i:j+len("</svg>")]), &root); err != nil {
		t.Fatalf("SVG does not parse: %v", err)
	}
	if root.Class != "chart chart-ageing" || root.Label == "" {
		t.Errorf("svg class %q, label %q", root.Class, root.Label)
	}
	out := map[string]float64{}
	for _, g := range root.G {
		if g.Class != "bars" {
			continue
		}
		for _, r := range g.Rects {
			label, _, _ := strings.Cut(r.Title, ":")
			out[label] = r.Width
		}
	}
	return out
}

func TestDebtorsReportPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		cs := e.accounts(e.group("VIP").ID)
		b := e.loggedIn(domain.RoleManager)
		res := b.page("/reports/debtors")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "<h1>Deudores</h1>", "3 clientes nos deben 187,50 €.", "Deuda por antigüedad",
			`href="/reports/debtors.csv"`, `href="/reports/creditors"`, "43000007", "2000000000071",
			`href="/customers/`+cs["Ana"].ID+`/statement"`)
		wantNotContains(t, res, "Dora", "Eva", "Fran")
		// Largest debt first.
		ana, bea, ciro := strings.Index(res.body, "Ana Prueba"), strings.Index(res.body, "Bea Prueba"), strings.Index(res.body, "Ciro Prueba")
		if !(ana < bea && bea < ciro) || ana < 0 {
			t.Errorf("order: Ana %d, Bea %d, Ciro %d", ana, bea, ciro)
		}
		// The totals row: 12,50 € (0–30), 25 € (31–60), 50 € (61–90), 100 € (> 90).
		foot := res.body[strings.Index(res.body, "<tfoot>"):]
		if re := regexp.MustCompile(`12,50 €.*25,00 €.*50,00 €.*100,00 €.*187,50 €`); !re.MatchString(strings.ReplaceAll(foot, "\n", " ")) {
			t.Errorf("totals row:\n%s", foot)
		}
		// The chart: one bar per bucket, as long as its amount: 1 : 2 : 4 : 8.
		bars := svgBars(t, res.body)
		want := map[string]float64{"0–30 días": 1, "31–60 días": 2, "61–90 días": 4, "Más de 90 días": 8}
		if len(bars) != 4 {
			t.Fatalf("bars %v", bars)
		}
		unit := bars["0–30 días"]
		for label, ratio := range want {
			if got := bars[label] / unit; math.Abs(got-ratio) > 0.02*ratio {
				t.Errorf("bar %s is %.3f units long, want %v (widths %v)", label, got, ratio, bars)
			}
		}

		// In English.
		b.lang = "en"
		res = b.page("/reports/debtors")
		wantContains(t, res, "<h1>Debtors</h1>", "3 customers owe us €187.50.", "Over 90 days")
		b.lang = "es-ES"

		// Pages stay put when a cursor is stale.
		wantStatus(t, b.get("/reports/debtors?cursor=stale"), http.StatusOK)

		// The CSV: every debtor, amounts with a decimal point.
		res = b.get("/reports/debtors.csv")
		wantStatus(t, res, http.StatusOK)
		if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("headers %v", res.header)
		}
		wantLines := []string{
			"customer_id,name,reference,account_number,balance,days_0_30,days_31_60,days_61_90,days_over_90",
			cs["Ana"].ID + ",Ana Prueba,2000000000071,43000007,100.00,0.00,0.00,0.00,100.00",
			cs["Bea"].ID + ",Bea Prueba,,,75.00,0.00,25.00,50.00,0.00",
			cs["Ciro"].ID + ",Ciro Prueba,,,12.50,12.50,0.00,0.00,0.00",
		}
		if got := strings.Split(strings.TrimSpace(res.body), "\n"); strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
			t.Errorf("CSV\n%s\nwant\n%s", res.body, strings.Join(wantLines, "\n"))
		}

		// Creditors.
		res = b.page("/reports/creditors")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "<h1>Acreedores</h1>", "1 cliente tiene 30,00 € a su favor.", "Dora Prueba")
		wantNotContains(t, res, "Ana Prueba", "Eva Prueba")
		res = b.get("/reports/creditors.csv")
		if got := strings.TrimSpace(res.body); got != "customer_id,name,reference,account_number,credit\n"+cs["Dora"].ID+",Dora Prueba,,,30.00" {
			t.Errorf("creditors CSV %q", got)
		}

		// Cashiers see no reports.
		c := e.loggedIn(domain.RoleCashier)
		for _, p := range []string{"/reports/debtors", "/reports/debtors.csv", "/reports/creditors", "/reports/creditors.csv"} {
			wantStatus(t, c.get(p), http.StatusForbidden)
		}
	})
}

func TestDebtorsReportEmptyAndFormulas(t *testing.T) {
	e := newEnv(t, sqliteBackend(t))
	b := e.loggedIn(domain.RoleManager)
	res := b.page("/reports/debtors")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Ningún cliente nos debe nada.")
	wantNotContains(t, res, "chart-ageing")
	// A name a spreadsheet would read as a formula is written as text.
	c := e.mustCreateCustomer(domain.CustomerChanges{Kind: domain.Some(domain.KindCompany), CompanyName: domain.Some(`=HYPERLINK("x")`)})
	e.bookEntry(c, domain.LedgerSale, 1, time.Now())
	res = b.get("/reports/debtors.csv")
	wantContains(t, res, `,"'=HYPERLINK(""x"")",,,0.01,0.01,0.00,0.00,0.00`)
}

func TestStatementPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		cs := e.accounts(e.group("VIP").ID)
		bea := cs["Bea"]
		e.bookEntry(bea, domain.LedgerPayment, -2000, time.Now().AddDate(0, 0, -1))
		e.bookEntry(bea, domain.LedgerAdjustment, -500, time.Now())
		c := e.loggedIn(domain.RoleCashier)
		res := c.page("/customers/" + bea.ID + "/statement")
		wantStatus(t, res, http.StatusOK)
		// The last three months: the 50 € sale (75 days ago) is before them.
		wantContains(t, res, "Extracto de cuenta · Bea Prueba", "Saldo inicial", "50,00 €", "Venta a cuenta", "F", "25,00 €",
			"Pago (tarjeta)", "20,00 €", "Ajuste: Redondeo", "5,00 €", "Saldo final · nos debe", "50,00 €",
			`name="from"`, `name="to"`, "/customers/"+bea.ID+"/statement.pdf?from=")
		// A chosen period: nothing in it.
		res = c.page("/customers/" + bea.ID + "/statement?from=2020-01-01&to=2020-01-31")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "Sin movimientos en el periodo.", `value="2020-01-01"`, "31/01/2020", "saldado")
		// A reversed period is refused next to the field.
		res = c.page("/customers/" + bea.ID + "/statement?from=2026-02-10&to=2026-02-01")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "No puede ser anterior a la fecha de inicio (2026-02-10).")
		wantNotContains(t, res, "Saldo inicial")
		wantStatus(t, c.get("/customers/"+uuid.Must(uuid.NewV7()).String()+"/statement"), http.StatusNotFound)

		// The PDF.
		res = c.get("/customers/" + bea.ID + "/statement.pdf")
		wantStatus(t, res, http.StatusOK)
		if res.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.body, "%PDF-") {
			t.Errorf("PDF answer %v", res.header)
		}
		if n, _ := strconv.Atoi(res.header.Get("Content-Length")); n != len(res.body) {
			t.Errorf("length %d of %d", n, len(res.body))
		}
		wantStatus(t, c.get("/customers/"+bea.ID+"/statement.pdf?from=nope"), http.StatusUnprocessableEntity)
	})
}

func TestRegisterBalanceFilterPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		vip := e.group("VIP")
		e.accounts(vip.ID)
		b := e.loggedIn(domain.RoleCashier)
		res := b.get("/customers?balance=debtors")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `<select id="balance-filter" name="balance"`, `<option value="debtors" selected>Deudores</option>`,
			"Ana Prueba", "Bea Prueba", "Ciro Prueba", "Clientes que nos deben, por nombre.")
		wantNotContains(t, res, "Dora Prueba", "Eva Prueba", "Fran Prueba")
		res = b.get("/customers?balance=creditors")
		wantContains(t, res, "Dora Prueba")
		wantNotContains(t, res, "Ana Prueba", "Eva Prueba")
		res = b.get("/customers?balance=debtors&group_id=" + vip.ID)
		wantContains(t, res, "Ana Prueba", "Clientes del grupo «VIP» que nos deben")
		wantNotContains(t, res, "Bea Prueba", "Dora Prueba")
		res = b.get("/customers?balance=creditors&group_id=" + vip.ID + "&fragment=rows")
		wantContains(t, res, "Dora Prueba")
		wantNotContains(t, res, "Ana Prueba", "<html")
		// Searches too.
		res = b.get("/customers?q=prueba&balance=debtors")
		wantContains(t, res, "Ana Prueba", "Bea Prueba", "Ciro Prueba", "Búsqueda de «prueba» entre los clientes que nos deben.")
		wantNotContains(t, res, "Dora Prueba", "Eva Prueba", "Fran Prueba")
		res = b.get("/customers?q=prueba&balance=creditors&group_id=" + vip.ID + "&fragment=rows")
		wantContains(t, res, "Dora Prueba")
		wantNotContains(t, res, "Ana Prueba")
		res = b.get("/customers?balance=whatever")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "Fran Prueba", "Ana Prueba")
	})
}

// TestReportKeysBuiltAtRunTime checks the catalog keys the statement and the register's
// balance filter build from values.
func TestReportKeysBuiltAtRunTime(t *testing.T) {
	msgs := i18n.New()
	var keys []string
	for _, k := range domain.LedgerKinds {
		keys = append(keys, "statement.kind."+string(k))
	}
	for _, m := range domain.AccountPaymentMethods {
		keys = append(keys, "invoices.payment."+string(m))
	}
	for _, side := range []app.BalanceSide{app.BalanceDebtors, app.BalanceCreditors} {
		keys = append(keys, "register.summary_"+string(side), "register.summary_"+string(side)+"_in_group",
			"register.search_"+string(side), "register.search_"+string(side)+"_in_group")
	}
	keys = append(keys, "field."+app.FieldBeforeFrom, "field."+app.FieldTooManyEntries)
	for _, key := range keys {
		for _, lang := range []i18n.Lang{i18n.Spanish, i18n.English} {
			if !msgs.Has(lang, key) {
				t.Errorf("%q missing from the %s catalog", key, lang)
			}
		}
	}
}
