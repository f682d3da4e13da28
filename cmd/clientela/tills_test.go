package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/clientela/clientela/internal/testdb"
)

// TestTillsOnTwoServers: two serve processes on one database (a PostgreSQL schema, an SQLite
// data directory), four tills on each closing tickets at once through the API. Invoice
// numbers are exactly 1..N with none shared or skipped, and clientela verify finds the chain
// whole.
func TestTillsOnTwoServers(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			serverA, serverB, till, _, cli := twoServersWithShop(t, b)

			const tillsPerServer, ticketsPerTill = 4, 15
			var mu sync.Mutex
			var numbers []string
			var failures []string
			var wg sync.WaitGroup
			for _, server := range []string{serverA, serverB} {
				for range tillsPerServer {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for range ticketsPerTill {
							number, err := sellOne(server, till)
							mu.Lock()
							if err != nil {
								failures = append(failures, err.Error())
							} else {
								numbers = append(numbers, number)
							}
							mu.Unlock()
						}
					}()
				}
			}
			wg.Wait()
			if len(failures) > 0 {
				t.Fatalf("%d sales failed, the first: %s", len(failures), failures[0])
			}
			n := 2 * tillsPerServer * ticketsPerTill
			var seq []int
			for _, number := range numbers {
				_, tail, _ := strings.Cut(number, "-")
				v, err := strconv.Atoi(tail)
				if err != nil {
					t.Fatalf("invoice number %q", number)
				}
				seq = append(seq, v)
			}
			sort.Ints(seq)
			for i, v := range seq {
				if v != i+1 {
					t.Fatalf("numbers are not 1..%d: position %d holds %d (%v)", n, i+1, v, seq)
				}
			}
			if out := cli("", "verify"); !strings.Contains(out, fmt.Sprintf("Invoice chain OK: %d of %d records", n, n)) {
				t.Fatalf("verify: %s", out)
			}
		})
	}
}

// twoServersWithShop starts two serve processes on one prepared database, sets up the shop
// and returns their addresses, a cashier's and an admin's API tokens, and a way to run the
// command on the same database.
func twoServersWithShop(t *testing.T, b testdb.Backend) (serverA, serverB, till, admin string, cli func(stdin string, args ...string) string) {
	t.Helper()
	serverA, _, _ = serve(t, b)
	serverB, _, _ = serve(t, b)
	cli = func(stdin string, args ...string) string {
		t.Helper()
		out, errOut, code := run(t, stdin, append(args, storageArgs(b)...)...)
		if code != 0 {
			t.Fatalf("clientela %v: exit %d: %s", args, code, errOut)
		}
		return strings.TrimSpace(out)
	}
	cli("a long enough password\n", "user", "add", "--username", "caja", "--role", "cashier")
	till = cli("", "token", "create", "--username", "caja", "--name", "tills")
	admin = cli("", "token", "create", "--username", "admin", "--name", "setup")
	if code, body := call(t, "PATCH", serverA+"/api/v1/shop", admin, "application/json", map[string]any{
		"name": "Bar Pepe", "tax_id": "B58378431", "invoice_prefix": "T",
		"address": map[string]any{"line1": "Calle Mayor 1", "postal_code": "28013", "city": "Madrid"},
	}, "If-Match", "*"); code != http.StatusOK {
		t.Fatalf("shop: %d %v", code, body)
	}
	return serverA, serverB, till, admin, cli
}

// sellOne opens a ticket on server, adds a line and closes it in cash; it returns the
// invoice's number. It reports errors instead of failing: it runs on the tills' goroutines.
func sellOne(server, token string) (string, error) {
	do := func(method, path string, body any) (int, map[string]any, error) {
		var buf bytes.Buffer
		if body != nil {
			if err := json.NewEncoder(&buf).Encode(body); err != nil {
				return 0, nil, err
			}
		}
		req, err := http.NewRequest(method, server+path, &buf)
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out, nil
	}
	code, ticket, err := do("POST", "/api/v1/tickets", nil)
	if err != nil || code != http.StatusCreated {
		return "", fmt.Errorf("open ticket: %d %v %v", code, ticket, err)
	}
	path := "/api/v1/tickets/" + ticket["id"].(string)
	code, body, err := do("POST", path+"/lines", map[string]any{"label": "Café", "quantity": 2, "unit_price_cents": 150, "vat_rate_basis_points": 1000})
	if err != nil || code != http.StatusCreated {
		return "", fmt.Errorf("add line: %d %v %v", code, body, err)
	}
	code, inv, err := do("POST", path+"/close", map[string]any{"payments": []any{map[string]any{"method": "cash", "amount_cents": 500}}})
	if err != nil || code != http.StatusCreated {
		return "", fmt.Errorf("close: %d %v %v", code, inv, err)
	}
	number, _ := inv["number"].(string)
	return number, nil
}
