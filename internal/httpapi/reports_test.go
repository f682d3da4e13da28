package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/verifactu"
)

// book posts a ledger entry through the store, as the account use cases do.
func (e *apiEnv) book(t *testing.T, customerID string, kind domain.LedgerKind, cents int64, at time.Time) {
	t.Helper()
	le := domain.LedgerEntry{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, CustomerName: "x", Kind: kind,
		AmountCents: cents, UserID: "u", Username: "u", CreatedAt: at.UTC().Truncate(time.Microsecond)}
	switch kind {
	case domain.LedgerPayment, domain.LedgerDeposit:
		le.Method = domain.TenderTransfer
	case domain.LedgerSale:
		le.InvoiceNumber = "F2026-000001"
	}
	ctx := context.Background()
	if err := e.db.Write(ctx, func(tx app.Tx) error { return tx.PostLedgerEntry(ctx, &le) }); err != nil {
		t.Fatal(err)
	}
}

func TestReportsAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		now := time.Now()
		ago := func(d int) time.Time { return now.AddDate(0, 0, -d) }
		vip := e.createGroup(t, map[string]any{"name": "VIP"})["id"].(string)
		ana := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ana", "last_name": "Arco", "group_id": vip,
			"account_number": "43000001", "reference": "2000000000017"})["id"].(string)
		bea := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Bea", "last_name": "Bravo"})["id"].(string)
		ciro := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Ciro", "last_name": "Cruz", "group_id": vip})["id"].(string)
		e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Dora", "last_name": "Díaz"})
		e.book(t, ana, domain.LedgerSale, 4000, ago(100))
		e.book(t, ana, domain.LedgerSale, 2000, ago(40))
		e.book(t, ana, domain.LedgerPayment, -3000, ago(20))
		e.book(t, ana, domain.LedgerSale, 1000, ago(5))
		e.book(t, bea, domain.LedgerSale, 9000, ago(65))
		e.book(t, ciro, domain.LedgerDeposit, -2500, ago(3))

		r := e.do(t, "GET /api/v1/reports/debtors", req{method: "GET", path: "/api/v1/reports/debtors", role: domain.RoleManager})
		if r.status != http.StatusOK {
			t.Fatalf("debtors: %d %s", r.status, r.body)
		}
		var rep struct {
			AsOf       string `json:"as_of"`
			Count      int64
			TotalCents int64 `json:"total_cents"`
			Ageing     map[string]int64
			Data       []struct {
				CustomerID    string `json:"customer_id"`
				Name          string
				Reference     string
				AccountNumber string `json:"account_number"`
				BalanceCents  int64  `json:"balance_cents"`
				Ageing        map[string]int64
			}
			NextCursor *string `json:"next_cursor"`
		}
		r.json(t, &rep)
		if rep.AsOf != time.Now().In(verifactu.Madrid()).Format(time.DateOnly) {
			t.Errorf("as_of %q", rep.AsOf)
		}
		if rep.Count != 2 || rep.TotalCents != 13000 || rep.NextCursor != nil || len(rep.Data) != 2 {
			t.Fatalf("report %+v", rep)
		}
		// Bea 90 € (61–90); Ana 40 €: 10 € (0–30), 20 € (31–60), 10 € of the oldest (> 90).
		want := map[string]int64{"days_0_30": 1000, "days_31_60": 2000, "days_61_90": 9000, "days_over_90": 1000}
		if !equalMaps(rep.Ageing, want) {
			t.Errorf("ageing %v", rep.Ageing)
		}
		a := rep.Data[1]
		if rep.Data[0].CustomerID != bea || a.CustomerID != ana || a.Name != "Ana Arco" || a.AccountNumber != "43000001" || a.Reference != "2000000000017" ||
			a.BalanceCents != 4000 || !equalMaps(a.Ageing, map[string]int64{"days_0_30": 1000, "days_31_60": 2000, "days_61_90": 0, "days_over_90": 1000}) {
			t.Errorf("rows %+v", rep.Data)
		}
		// One row a page.
		r = e.do(t, "GET /api/v1/reports/debtors", req{method: "GET", path: "/api/v1/reports/debtors?limit=1", role: domain.RoleAdmin})
		r.json(t, &rep)
		if len(rep.Data) != 1 || rep.NextCursor == nil || rep.Count != 2 {
			t.Fatalf("page 1 %+v", rep)
		}
		r = e.do(t, "GET /api/v1/reports/debtors", req{method: "GET", path: "/api/v1/reports/debtors?limit=1&cursor=" + *rep.NextCursor, role: domain.RoleAdmin})
		rep.NextCursor = nil
		r.json(t, &rep)
		if len(rep.Data) != 1 || rep.Data[0].CustomerID != ana || rep.NextCursor != nil {
			t.Fatalf("page 2 %+v", rep)
		}
		if r := e.do(t, "GET /api/v1/reports/debtors", req{method: "GET", path: "/api/v1/reports/debtors", role: domain.RoleCashier}); r.status != http.StatusForbidden {
			t.Errorf("cashier: %d", r.status)
		}

		r = e.do(t, "GET /api/v1/reports/creditors", req{method: "GET", path: "/api/v1/reports/creditors", role: domain.RoleManager})
		var cr struct {
			Count, TotalCents int64
			Data              []map[string]any
		}
		r.json(t, &cr)
		if cr.Count != 1 || len(cr.Data) != 1 || cr.Data[0]["customer_id"] != ciro || cr.Data[0]["credit_cents"] != float64(2500) {
			t.Errorf("creditors %s", r.body)
		}

		// Ana's statement since 50 days ago: opening 40 €, three entries, closing 40 €.
		from := ago(50).Format(time.DateOnly)
		r = e.do(t, "GET /api/v1/customers/{id}/statement", req{method: "GET", path: "/api/v1/customers/" + ana + "/statement?from=" + from, role: domain.RoleCashier})
		if r.status != http.StatusOK {
			t.Fatalf("statement: %d %s", r.status, r.body)
		}
		var st struct {
			From, To    string
			Opening     int64 `json:"opening_balance_cents"`
			Closing     int64 `json:"closing_balance_cents"`
			Debit       int64 `json:"debit_cents"`
			Credit      int64 `json:"credit_cents"`
			Entries     []map[string]any
			Name        string
			AccountNumb string `json:"account_number"`
		}
		r.json(t, &st)
		var kinds []string
		for _, en := range st.Entries {
			kinds = append(kinds, en["kind"].(string))
		}
		if st.From != from || st.Opening != 4000 || st.Closing != 4000 || st.Debit != 3000 || st.Credit != 3000 || st.Name != "Ana Arco" ||
			!slices.Equal(kinds, []string{"sale", "payment", "sale"}) || st.Entries[1]["method"] != "transfer" || st.Entries[1]["invoice_id"] != nil {
			t.Errorf("statement %s", r.body)
		}
		r = e.do(t, "GET /api/v1/customers/{id}/statement", req{method: "GET", path: "/api/v1/customers/" + ana + "/statement?from=2026-02-30", role: domain.RoleCashier})
		if r.status != http.StatusUnprocessableEntity || !slices.Equal(r.errorFields(t), []string{"from:invalid"}) {
			t.Errorf("bad date: %d %s", r.status, r.body)
		}
		r = e.do(t, "GET /api/v1/customers/{id}/statement", req{method: "GET", path: "/api/v1/customers/by-reference/statement", role: domain.RoleCashier})
		if r.status != http.StatusNotFound {
			t.Errorf("by-reference/statement: %d %s", r.status, r.body)
		}

		// The register's balance filter, with the group filter.
		list := func(query string) []string {
			t.Helper()
			r := e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?" + query, role: domain.RoleCashier})
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", query, r.status, r.body)
			}
			var page struct {
				Data []struct {
					FirstName string `json:"first_name"`
				}
			}
			r.json(t, &page)
			var out []string
			for _, c := range page.Data {
				out = append(out, c.FirstName)
			}
			return out
		}
		for q, want := range map[string][]string{
			"balance=debtors":                   {"Ana", "Bea"},
			"balance=creditors":                 {"Ciro"},
			"balance=debtors&group_id=" + vip:   {"Ana"},
			"balance=creditors&group_id=" + vip: {"Ciro"},
			"":                                  {"Ana", "Bea", "Ciro", "Dora"},
			"q=arco&balance=debtors":            {"Ana"},
			"q=cruz&balance=debtors":            nil,
			"q=cruz&balance=creditors":          {"Ciro"},
		} {
			if got := list(q); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", q, got, want)
			}
		}
		r = e.do(t, "GET /api/v1/customers", req{method: "GET", path: "/api/v1/customers?balance=owing", role: domain.RoleCashier})
		if r.status != http.StatusUnprocessableEntity || !slices.Equal(r.errorFields(t), []string{"balance:invalid"}) {
			t.Errorf("bad balance: %d %s", r.status, r.body)
		}
	})
}

func equalMaps(a, b map[string]int64) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
