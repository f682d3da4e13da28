package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/clientela/clientela/internal/testdb"
)

// TestAccountOnTwoServers: two serve processes on one database, four tills on each, charge
// 30 € each to one customer's account with a 100 € limit at the same moment: exactly three
// sales pass, the others are refused with credit_limit_exceeded; then payments on both
// servers at once lose nothing.
func TestAccountOnTwoServers(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			serverA, serverB, till, admin, _ := twoServersWithShop(t, b)
			code, c := call(t, "POST", serverA+"/api/v1/customers", admin, "application/json", map[string]any{
				"kind": "person", "first_name": "Rosa", "last_name": "Díaz", "reference": "7711", "credit_limit_cents": 10000})
			if code != http.StatusCreated {
				t.Fatalf("customer: %d %v", code, c)
			}
			customer := c["id"].(string)

			// Every till rings up first, then all close at once.
			type ticket struct{ server, id string }
			var tickets []ticket
			for _, server := range []string{serverA, serverB} {
				for range 4 {
					code, tk := call(t, "POST", server+"/api/v1/tickets", till, "", nil)
					if code != http.StatusCreated {
						t.Fatalf("open: %d %v", code, tk)
					}
					id := tk["id"].(string)
					if code, body := call(t, "POST", server+"/api/v1/tickets/"+id+"/lines", till, "application/json", map[string]any{
						"label": "Vino", "quantity": 1, "unit_price_cents": 3000, "vat_rate_basis_points": 2100}); code != http.StatusCreated {
						t.Fatalf("line: %d %v", code, body)
					}
					if code, body := call(t, "PUT", server+"/api/v1/tickets/"+id+"/customer", till, "application/json", map[string]any{"reference": "7711"}); code != http.StatusOK {
						t.Fatalf("attach: %d %v", code, body)
					}
					tickets = append(tickets, ticket{server, id})
				}
			}
			var wg sync.WaitGroup
			results := make([]string, len(tickets))
			start := make(chan struct{})
			for i, tk := range tickets {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					results[i] = post(tk.server+"/api/v1/tickets/"+tk.id+"/close", till,
						map[string]any{"payments": []any{map[string]any{"method": "account", "amount_cents": 3000}}})
				}()
			}
			close(start)
			wg.Wait()
			passed, refused := 0, 0
			for _, r := range results {
				switch r {
				case "201":
					passed++
				case "409 credit_limit_exceeded":
					refused++
				default:
					t.Fatalf("a close answered %s", r)
				}
			}
			if passed != 3 || refused != 5 {
				t.Fatalf("%d sales of 30 € passed a 100 € limit and %d were refused; want 3 and 5", passed, refused)
			}
			// Payments of 10 € at once on both servers.
			for i := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					server := []string{serverA, serverB}[i%2]
					if r := post(server+"/api/v1/customers/"+customer+"/account/payments", till, map[string]any{"amount_cents": 1000, "method": "cash"}); r != "201" {
						t.Errorf("payment: %s", r)
					}
				}()
			}
			wg.Wait()
			code, acct := call(t, "GET", serverB+"/api/v1/customers/"+customer+"/account?limit=100", till, "", nil)
			if code != http.StatusOK || acct["balance_cents"] != float64(9000-6000) || len(acct["entries"].([]any)) != 9 {
				t.Fatalf("account: %d balance %v, %d entries", code, acct["balance_cents"], len(acct["entries"].([]any)))
			}
		})
	}
}

// post sends a JSON body and returns "201", or the status and the error code.
func post(url, token string, body any) string {
	b, err := json.Marshal(body)
	if err != nil {
		return err.Error()
	}
	req, err := http.NewRequest("POST", url, bytes.NewReader(b))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error()
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusCreated {
		return "201"
	}
	var out struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return fmt.Sprintf("%d %s", res.StatusCode, out.Error.Code)
}
