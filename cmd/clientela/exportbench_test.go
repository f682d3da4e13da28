package main_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
	"github.com/clientela/clientela/internal/verifactu"
)

// TestExportBench measures clientela export accounting over a year of N invoices on SQLite:
// the wall time and the peak memory (maximum resident set) of the export process, in both
// formats. It runs only when asked:
//
//	CLIENTELA_BENCH_EXPORT=1000000 [CLIENTELA_BENCH_DIR=/tmp/exportbench] \
//	    go test ./cmd/clientela -run TestExportBench -v -timeout 60m
//
// The invoices are seeded with direct SQL inserts on a database of the bench's own (not
// through CloseTicket, which would take an hour and chain them); a CLIENTELA_BENCH_DIR that
// already holds them is reused.
func TestExportBench(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CLIENTELA_BENCH_EXPORT"))
	if n <= 0 {
		t.Skip("set CLIENTELA_BENCH_EXPORT=N to measure the accounting export over N invoices")
	}
	dir := os.Getenv("CLIENTELA_BENCH_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	if out, errOut, code := run(t, "", "migrate", "--data-dir", dir); code != 0 {
		t.Fatalf("migrate: %d\n%s\n%s", code, out, errOut)
	}
	b := testdb.Backend{Name: "sqlite", DataDir: dir}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "", b.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	var have int
	if err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM invoices").Scan(&have); err != nil {
		t.Fatal(err)
	}
	if have != n {
		if have != 0 {
			t.Fatalf("%s holds %d invoices, not %d: use another CLIENTELA_BENCH_DIR", dir, have, n)
		}
		start := time.Now()
		seedInvoices(t, db.SQL(), n)
		t.Logf("seeded %d invoices in %s", n, time.Since(start).Round(time.Second))
	}
	db.Close()

	for _, format := range []string{"csv", "fec"} {
		out := filepath.Join(dir, "journal."+format)
		cmd := exec.Command(binary, "export", "accounting", "--from", "2025-01-01", "--to", "2025-12-31", "--format", format,
			"--out", out, "--data-dir", b.DataDir)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("export %s: %v\n%s", format, err, stderr.String())
		}
		elapsed := time.Since(start)
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		st, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stderr.String(), fmt.Sprintf("Exported %d invoices", n)) {
			t.Fatalf("export %s: %s", format, stderr.String())
		}
		t.Logf("export %s of %d invoices: %.1f s wall, %.1f s CPU, peak RSS %d MB, %d MB written; %s", format, n,
			elapsed.Seconds(), time.Duration(ru.Utime.Nano()+ru.Stime.Nano()).Seconds(), ru.Maxrss/1024, st.Size()>>20,
			strings.TrimSpace(stderr.String()))
		os.Remove(out)
	}
}

// seedInvoices inserts n invoices issued through 2025 (Madrid), a third of them to one of a
// thousand customers (half of whom have their own account number), at one or two VAT rates,
// paid in cash or by card, and one payment on account per hundred invoices.
func seedInvoices(t *testing.T, db *sql.DB, n int) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "PRAGMA synchronous = OFF"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	const rows = 100
	insert := func(table, cols string, ncols int, args []any) {
		k := len(args) / ncols
		row := "(" + strings.TrimSuffix(strings.Repeat("?,", ncols), ",") + ")"
		q := "INSERT INTO " + table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+",", k), ",")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("insert %s: %v", table, err)
		}
	}
	const invCols = `id, number, series, year, number_in_series, type, issued_at, ticket_id, user_id, username,
		issuer_name, issuer_tax_id, issuer_line1, issuer_line2, issuer_postal_code, issuer_city, issuer_region, issuer_country,
		customer_id, customer_kind, customer_title, customer_first_name, customer_last_name, customer_company_name, customer_legal_form,
		customer_tax_id, customer_line1, customer_line2, customer_postal_code, customer_city, customer_region, customer_country,
		customer_email, customer_reference, customer_account_number, customer_name_key,
		group_id, group_name, group_discount_basis_points,
		gross_cents, discount_cents, total_cents, vat_cents, change_cents, rectifies_id, chain_position,
		rec_id_emisor_factura, rec_num_serie_factura, rec_fecha_expedicion, rec_tipo_factura, rec_cuota_total, rec_importe_total,
		rec_huella, rec_fecha_hora_huso, fingerprint`
	const nInv = 55
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, verifactu.Madrid())
	step := int64((365*24*time.Hour-time.Second)/time.Microsecond) / int64(n)
	rates := []int64{2100, 1000, 400}
	var inv, vat, pay, led []any
	// Each batch of invoices goes in before its VAT lines, payments and ledger entries.
	flush := func(force bool) {
		if len(inv) < rows*nInv && !(force && len(inv) > 0) {
			return
		}
		insert("invoices", invCols, nInv, inv)
		insert("invoice_vat", "invoice_id, rate_basis_points, base_cents, vat_cents, total_cents", 5, vat)
		insert("invoice_payments", "invoice_id, position, method, amount_cents, tendered_cents", 5, pay)
		if len(led) > 0 {
			insert("ledger_entries", `id, customer_id, customer_name, account_number, kind, amount_cents, balance_cents, method,
				invoice_number, reason, limit_override, user_id, username, created_at`, 14, led)
		}
		inv, vat, pay, led = inv[:0], vat[:0], pay[:0], led[:0]
	}
	for i := range n {
		at := start.UnixMicro() + int64(i)*step
		id := fmt.Sprintf("01900000-0000-7000-8000-%012x", i)
		var custID any
		kind, first, last, account := "", "", "", ""
		if c := r.IntN(3000); c < 1000 {
			custID, kind, first, last = fmt.Sprintf("01800000-0000-7000-8000-%012x", c), "person", "Cliente", strconv.Itoa(c)
			if c%2 == 0 {
				account = fmt.Sprintf("430%05d", c)
			}
		}
		var total, vatTotal int64
		for _, rate := range rates[:1+r.IntN(2)] {
			t := int64(100 + r.IntN(10000))
			base := (t*10000 + (10000+rate)/2) / (10000 + rate)
			vat = append(vat, id, rate, base, t-base, t)
			total += t
			vatTotal += t - base
		}
		method := "card"
		tendered := total
		if r.IntN(2) == 0 {
			method, tendered = "cash", (total/1000+1)*1000
		}
		pay = append(pay, id, 1, method, total, tendered)
		inv = append(inv, id, fmt.Sprintf("F2025-%07d", i+1), "F", 2025, i+1, "F2", at, "", "u", "bench",
			"Bar Bench", "B58378431", "Calle Mayor 1", "", "28013", "Madrid", "", "ES",
			custID, kind, "", first, last, "", "", "", "", "", "", "", "", "", "", "", account, strings.ToLower(first+" "+last),
			"", "", 0, total, 0, total, vatTotal, tendered-total, nil, i+1,
			"B58378431", "", "", "F2", "", "", "", "", "")
		if custID != nil && r.IntN(33) == 0 {
			led = append(led, fmt.Sprintf("01a00000-0000-7000-8000-%012x", i), custID, "Cliente "+last, account, "payment",
				-int64(100+r.IntN(5000)), 0, "transfer", "", "", 0, "u", "bench", at+1)
		}
		flush(false)
	}
	flush(true)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
