package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/domain"
)

// TestDeletedCustomerLeavesNoTrace deletes a customer and renames another through the API,
// then reads every byte of every file in the SQLite data directory: the deleted customer's
// name, e-mail address and phone number (in each form search indexes it) and the old name
// must be gone, from the full-text index's pages and from the write-ahead log as much as from
// the table. (PostgreSQL keeps dead row versions until vacuum: see the README.)
func TestDeletedCustomerLeavesNoTrace(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *apiEnv) {
		if e.dataDir == "" {
			t.Skip("PostgreSQL's files are the server's; the README says how long dead rows stay")
		}
		// Enough customers around them that the index has several segments and pages.
		var filler []domain.Customer
		for i := range 1500 {
			c := domain.Customer{ID: fmt.Sprintf("0190a000-0000-7000-8000-%012d", i), Kind: domain.KindPerson,
				FirstName: fmt.Sprintf("Cliente%d", i%300), LastName: fmt.Sprintf("Apellido%d", i%70),
				Email: fmt.Sprintf("c%d@example.com", i), Phone: fmt.Sprintf("+3461%07d", i*37),
				Address: domain.Address{City: "Sevilla"}, CreatedAt: time.Now(), UpdatedAt: time.Now(), Version: 1}
			if err := c.Prepare("ES"); err != nil {
				t.Fatal(err)
			}
			filler = append(filler, c)
		}
		if err := e.db.BulkInsertCustomers(context.Background(), filler[:1000]); err != nil {
			t.Fatal(err)
		}
		gone := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Zoraida", "last_name": "Quesada",
			"email": "zoraida.quesada@zqmail.es", "phone": "655 43 21 09", "address": map[string]any{"city": "Sevilla"}})
		renamed := e.createCustomer(t, map[string]any{"kind": "person", "first_name": "Leocadia", "last_name": "Villalobos"})
		if err := e.db.BulkInsertCustomers(context.Background(), filler[1000:]); err != nil {
			t.Fatal(err)
		}
		// Every way search indexes them, and the stored forms.
		secrets := []string{"Zoraida", "zoraida", "Quesada", "quesada", "zqmail", "655432109", "34655432109", "90123455643", "Leocadia", "leocadia"}
		find := func() map[string][]string {
			found := map[string][]string{}
			files, err := filepath.Glob(filepath.Join(e.dataDir, "*"))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range append(secrets, "villalobos", "Cliente299") {
					if bytes.Contains(b, []byte(s)) {
						found[s] = append(found[s], filepath.Base(f))
					}
				}
			}
			return found
		}
		// Their pages reach the database file, as they do once the log has grown 1,000 pages.
		if _, err := e.db.SQL().Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			t.Fatal(err)
		}
		// The scan finds what is there.
		if before := find(); len(before) != len(secrets)+2 {
			t.Fatalf("before the delete the scan finds %v, want every word", before)
		}
		if r := e.do(t, "", req{method: "DELETE", path: "/api/v1/customers/" + gone["id"].(string), role: domain.RoleManager}); r.status != 204 {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
		r := e.do(t, "PATCH /api/v1/customers/{id}", req{method: "PATCH", path: "/api/v1/customers/" + renamed["id"].(string),
			role: domain.RoleManager, body: map[string]any{"first_name": "Ana"}, header: map[string]string{"If-Match": `"1"`}})
		if r.status != 200 {
			t.Fatalf("rename: %d %s", r.status, r.body)
		}
		after := find()
		for _, s := range secrets {
			if files := after[s]; len(files) > 0 {
				t.Errorf("%q is still in %v", s, files)
			}
		}
		if len(after["villalobos"]) == 0 || len(after["Cliente299"]) == 0 {
			t.Errorf("the words of customers still registered are gone too: %v", after)
		}
		for _, q := range []string{"zoraida", "quesada", "655432109", "3210", "leocadia"} {
			if got, _ := e.list(t, "q="+q); len(got) != 0 {
				t.Errorf("q=%s still finds %q", q, got)
			}
		}
	})
}
