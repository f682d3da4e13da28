package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
	"github.com/clientela/clientela/internal/testdb"
	"github.com/clientela/clientela/internal/verifactu"
)

// TestExportAccounting runs clientela export accounting on a day of three cash sales: the CSV
// to a file, the FEC to stdout, and a bad period refused without leaving a file.
func TestExportAccounting(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = migrated(t, b)
			ctx := context.Background()
			db, err := sqlstore.Open(ctx, b.URL, b.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			closeTickets(t, app.New(app.Config{Store: db}), 3)
			db.Close()
			today := time.Now().In(verifactu.Madrid()).Format(time.DateOnly)

			file := filepath.Join(t.TempDir(), "diario.csv")
			args := append([]string{"export", "accounting", "--from", today, "--to", today, "--out", file}, storageArgs(b)...)
			out, errOut, code := run(t, "", args...)
			if code != 0 || out != "" || !strings.Contains(errOut, "Exported 3 invoices and 0 customer-account movements: 6 entries, 15 lines") {
				t.Fatalf("export to a file: %d %q %q", code, out, errOut)
			}
			csv, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(csv), "\r\n"), "\r\n")
			if len(lines) != 16 || lines[0] != "date,entry,account,account_label,document,label,debit,credit" ||
				!strings.HasPrefix(lines[1], today+",1,43000000,Clientes varios,T") || !strings.HasSuffix(lines[1], ",1.50,0.00") {
				t.Fatalf("csv:\n%s", csv)
			}

			args = append([]string{"export", "accounting", "--from", today, "--to", today, "--format", "fec"}, storageArgs(b)...)
			out, _, code = run(t, "", args...)
			if code != 0 || !strings.HasPrefix(out, "JournalCode\tJournalLib\tEcritureNum\t") || strings.Count(out, "\r\n") != 16 || !strings.Contains(out, "\t1,50\t0,00\t") {
				t.Fatalf("fec to stdout: %d %q", code, out)
			}

			bad := filepath.Join(t.TempDir(), "bad.csv")
			args = append([]string{"export", "accounting", "--from", today, "--to", "2020-01-01", "--format", "xls", "--out", bad}, storageArgs(b)...)
			_, errOut, code = run(t, "", args...)
			if code != 1 || !strings.Contains(errOut, "to:") || !strings.Contains(errOut, "format:") {
				t.Fatalf("bad period: %d %q", code, errOut)
			}
			if entries, _ := os.ReadDir(filepath.Dir(bad)); len(entries) != 0 {
				t.Fatalf("a refused export left %v", entries)
			}
			if _, errOut, code := run(t, "", "export", "invoices"); code != 2 || !strings.Contains(errOut, "clientela export accounting") {
				t.Fatalf("unknown export: %d %q", code, errOut)
			}
		})
	}
}

// TestExportAccountingProgressOnATerminal: on a terminal (script(1) gives the command one),
// the export draws its progress bar on stderr; the journal still goes to the file.
func TestExportAccountingProgressOnATerminal(t *testing.T) {
	scriptPath, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed")
	}
	b := migrated(t, testdb.Backend{Name: "sqlite"})
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "", b.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	closeTickets(t, app.New(app.Config{Store: db}), 2)
	db.Close()
	today := time.Now().In(verifactu.Madrid()).Format(time.DateOnly)
	file := filepath.Join(t.TempDir(), "diario.csv")
	command := strings.Join([]string{binary, "export", "accounting", "--from", today, "--to", today, "--out", file, "--data-dir", b.DataDir}, " ")
	out, err := exec.Command(scriptPath, "-qec", command, "/dev/null").CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(string(out), "\rexport [##############################] 100% 2/2") || !strings.Contains(string(out), "Exported 2 invoices") {
		t.Fatalf("no progress bar on the terminal: %q", out)
	}
	if csv, err := os.ReadFile(file); err != nil || strings.Count(string(csv), "\r\n") != 11 {
		t.Fatalf("journal: %v %q", err, csv)
	}
}
