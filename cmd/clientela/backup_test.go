package main_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
)

// sqliteBackend is the SQLite entry of testdb.Backends.
func sqliteBackend(t *testing.T) testdb.Backend {
	for _, b := range testdb.Backends(t) {
		if b.Name == "sqlite" {
			return b
		}
	}
	t.Fatal("no SQLite backend")
	return testdb.Backend{}
}

// acked is what the clients were told was saved, and when.
type acked struct {
	mu        sync.Mutex
	customers []string
	invoices  []string
}

func (k *acked) snapshot() (customers, invoices []string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.customers...), append([]string(nil), k.invoices...)
}

// sellToNewCustomers runs one till client until stop: it adds a customer and sells to them
// on account (an invoice and a ledger entry each time).
func sellToNewCustomers(ctx context.Context, a *app.App, client int, stop <-chan struct{}, k *acked) error {
	sys := app.System()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return nil
		default:
		}
		c, err := a.CreateCustomer(ctx, sys, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			FirstName: domain.Some(fmt.Sprintf("Cliente%d", client)), LastName: domain.Some(fmt.Sprintf("Número%d", i)),
			CreditLimitCents: domain.Some(int64(100000))})
		if err != nil {
			return fmt.Errorf("create customer: %w", err)
		}
		k.mu.Lock()
		k.customers = append(k.customers, c.ID)
		k.mu.Unlock()
		tk, err := a.OpenTicket(ctx, sys)
		if err != nil {
			return err
		}
		if _, err := a.AttachCustomer(ctx, sys, tk.ID, app.CustomerChoice{CustomerID: c.ID}); err != nil {
			return err
		}
		tk, err = a.AddTicketLine(ctx, sys, tk.ID, domain.LineChanges{Label: domain.Some("Café"), Quantity: domain.Some(domain.Quantity(1000 * (i%3 + 1))),
			UnitPriceCents: domain.Some(int64(150 + client)), VATRateBasisPoints: domain.Some(int64(1000))})
		if err != nil {
			return err
		}
		inv, err := a.CloseTicket(ctx, sys, tk.ID, []domain.Tender{{Method: domain.TenderAccount, AmountCents: tk.Totals().TotalCents}}, "")
		if err != nil {
			return fmt.Errorf("close ticket: %w", err)
		}
		k.mu.Lock()
		k.invoices = append(k.invoices, inv.ID)
		k.mu.Unlock()
	}
}

// TestBackupWhileServingThenRestore: a backup taken while 8 clients add customers and close
// tickets opens, passes its checks and holds everything acknowledged before it began; a copy
// restored into a fresh data directory has the same register, invoices and balances, and its
// chain verifies; a damaged copy is refused; restore is refused while serve runs.
func TestBackupWhileServingThenRestore(t *testing.T) {
	b := migrated(t, sqliteBackend(t))
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, b.URL, b.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := app.New(app.Config{Store: db})
	closeTickets(t, a, 0) // the shop's data, which invoices need

	var k acked
	quit := make(chan struct{})
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- sellToNewCustomers(ctx, a, c, quit, &k) }()
	}
	time.Sleep(500 * time.Millisecond)
	customersBefore, invoicesBefore := k.snapshot()
	copy1 := filepath.Join(t.TempDir(), "under-load.db")
	out, errOut, code := run(t, "", "backup", "--data-dir", b.DataDir, "--out", copy1)
	afterBackup, _ := k.snapshot()
	close(quit)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a client failed: %v", err)
		}
	}
	if code != 0 || !strings.Contains(out, "Backup written to "+copy1) || !strings.Contains(out, "invoice chain OK") ||
		!regexp.MustCompile(`took: +\d`).MatchString(out) || !regexp.MustCompile(`size: +[\d.]+ [KM]iB`).MatchString(out) {
		t.Fatalf("backup: %d\n%s\n%s", code, out, errOut)
	}
	if len(customersBefore) < 8 || len(afterBackup) <= len(customersBefore) {
		t.Fatalf("the clients did not write around the backup: %d before, %d after", len(customersBefore), len(afterBackup))
	}
	t.Logf("%d customers acknowledged before the backup, %d by its end\n%s", len(customersBefore), len(afterBackup), out)

	// The copy holds everything acknowledged before it began.
	cp, err := sqlstore.OpenCopy(ctx, copy1)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range customersBefore {
		if !has(t, cp.ReadSQL(), "SELECT count(*) FROM customers WHERE id = ?", id) {
			t.Fatalf("customer %s, acknowledged before the backup began, is not in it", id)
		}
	}
	for _, id := range invoicesBefore {
		if !has(t, cp.ReadSQL(), "SELECT count(*) FROM invoices WHERE id = ?", id) {
			t.Fatalf("invoice %s, acknowledged before the backup began, is not in it", id)
		}
	}
	cp.Close()
	if !strings.Contains(out, thousands(countOf(t, copy1, "customers"))+" customers") {
		t.Errorf("the printed count is not the copy's: %s", out)
	}

	// Quiet now: a second copy, restored into a fresh data directory, is the database.
	copy2 := filepath.Join(t.TempDir(), "quiet.db")
	if out, errOut, code := run(t, "", "backup", "--data-dir", b.DataDir, "--out", copy2); code != 0 {
		t.Fatalf("backup: %d\n%s\n%s", code, out, errOut)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	out, errOut, code = run(t, "", "restore", "--data-dir", fresh, copy2)
	if code != 0 || !strings.Contains(out, "Restored "+copy2) || !strings.Contains(out, "invoice chain OK") {
		t.Fatalf("restore: %d\n%s\n%s", code, out, errOut)
	}
	restored, err := sqlstore.Open(ctx, "", fresh)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT id, kind, first_name, last_name, credit_limit_cents, version FROM customers ORDER BY id",
		"SELECT id, number, total_cents, customer_id FROM invoices ORDER BY id",
		"SELECT customer_id, balance_cents, entries FROM customer_accounts ORDER BY customer_id",
		"SELECT id, customer_id, kind, amount_cents FROM ledger_entries ORDER BY id",
	} {
		want, got := dump(t, db.SQL(), q), dump(t, restored.SQL(), q)
		if want != got {
			t.Fatalf("%s differs after restore:\nwant %.300s\ngot  %.300s", q, want, got)
		}
	}
	restored.Close()
	if out, errOut, code := run(t, "", "verify", "--data-dir", fresh); code != 0 || !strings.Contains(out, "Invoice chain OK") {
		t.Fatalf("verify the restored database: %d %s %s", code, out, errOut)
	}

	// A damaged copy: bytes flipped in the middle. Refused, and the database left alone.
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	raw, err := os.ReadFile(copy2)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(raw) / 2; i < len(raw)/2+64; i++ {
		raw[i] ^= 0xA5
	}
	writeFile(t, damaged, raw)
	rec, err := os.ReadFile(copy2 + ".json")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, damaged+".json", rec)
	out, errOut, code = run(t, "", "restore", "--data-dir", fresh, damaged)
	if code != 1 || !strings.Contains(errOut, "refused: "+damaged+" cannot be trusted") || !strings.Contains(errOut, "changed or damaged") {
		t.Fatalf("restore of a damaged copy: %d\n%s\n%s", code, out, errOut)
	}
	if entries, _ := filepath.Glob(filepath.Join(fresh, "*.replaced-*")); len(entries) != 0 {
		t.Fatalf("a refused restore moved the database: %v", entries)
	}
	// Without its record, the file's own structure gives it away.
	if err := os.Remove(damaged + ".json"); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code = run(t, "", "restore", "--data-dir", fresh, damaged); code != 1 || !strings.Contains(errOut, "cannot be trusted") {
		t.Fatalf("restore of a damaged copy without its record: %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("refused: %s", errOut)

	// Not while serve uses the data directory.
	db.Close()
	_, _, srv := serve(t, b)
	out, errOut, code = run(t, "", "restore", "--data-dir", b.DataDir, copy1)
	if code != 1 || !strings.Contains(errOut, "serve is using") {
		t.Fatalf("restore while serve runs: %d\n%s\n%s", code, out, errOut)
	}
	stop(srv)
	out, errOut, code = run(t, "", "restore", "--data-dir", b.DataDir, copy1)
	if code != 0 || !strings.Contains(out, "The database it replaced is kept at") {
		t.Fatalf("restore once serve stopped: %d\n%s\n%s", code, out, errOut)
	}
	aside, _ := filepath.Glob(filepath.Join(b.DataDir, sqlstore.SQLiteFile+".replaced-*"))
	all, _ := k.snapshot()
	if len(aside) != 1 || countOf(t, aside[0], "customers") != int64(len(all)) {
		t.Fatalf("the replaced database is not kept whole: %v", aside)
	}
	if got, want := countOf(t, filepath.Join(b.DataDir, sqlstore.SQLiteFile), "customers"), countOf(t, copy1, "customers"); got != want {
		t.Fatalf("restored %d customers, the copy holds %d", got, want)
	}
}

// TestBackupOnPostgreSQL: backup and restore say that pg_dump does it, print the command,
// and exit 3.
func TestBackupOnPostgreSQL(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		if b.Name != "postgres" {
			continue
		}
		b = migrated(t, b)
		for _, args := range [][]string{{"backup"}, {"restore", "x.dump"}} {
			out, errOut, code := run(t, "", append(args, "--database-url", b.URL)...)
			if code != 3 || !strings.Contains(out, "pg_dump's job") || !strings.Contains(out, "pg_dump --format=custom") {
				t.Fatalf("%v on PostgreSQL: %d\n%s\n%s", args, code, out, errOut)
			}
		}
	}
}

func has(t *testing.T, db *sql.DB, q string, arg any) bool {
	t.Helper()
	var n int
	if err := db.QueryRow(q, arg).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func dump(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
		n++
	}
	if n == 0 {
		t.Fatalf("%s: no rows to compare", q)
	}
	return b.String()
}

// countOf counts a table's rows in a SQLite file, opened read-only.
func countOf(t *testing.T, path, table string) int64 {
	t.Helper()
	cp, err := sqlstore.OpenCopy(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var n int64
	if err := cp.ReadSQL().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// thousands writes n as the command prints counts: 1,656.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
