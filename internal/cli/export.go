package cli

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// exportPageCacheKiB is the SQLite page cache of an export (16 MiB).
const exportPageCacheKiB = 16 << 10

// runExport runs the exports: the accounting journal, the customers (export_customers.go).
func runExport(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "customers" {
		return runExportCustomers(ctx, env, args[1:])
	}
	if len(args) == 0 || args[0] != "accounting" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			exportUsage(env.Stdout)
			return nil
		}
		exportUsage(env.Stderr)
		return errUsage
	}
	return runExportAccounting(ctx, env, args[1:])
}

func exportUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: clientela export accounting --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|fec] [--out FILE]")
	fmt.Fprintln(w, "       "+exportCustomersUsage)
	fmt.Fprintln(w, "  (clientela export accounting --help, clientela export customers --help for their flags)")
}

// runExportAccounting writes the accounting journal of a period (docs/accounting.md) to a
// file or to stdout. A file is written under a temporary name and renamed once complete, so
// a failed export leaves no half journal behind. On a terminal, stderr shows a progress bar.
func runExportAccounting(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("export accounting", env)
	storage := addStorageFlags(fs, env)
	var q app.AccountingQuery
	var out string
	fs.StringVar(&q.From, "from", "", "first day of the period, YYYY-MM-DD (the shop's days: Europe/Madrid)")
	fs.StringVar(&q.To, "to", "", "last day of the period, YYYY-MM-DD, included")
	fs.StringVar(&q.Format, "format", app.FormatCSV, "csv (the CSV journal) or fec (the French FEC)")
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: clientela export accounting --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|fec] [--out FILE]")
		fmt.Fprintln(fs.Output(), "\nWrites the accounting journal of the days from..to (both included, in the shop's time zone,")
		fmt.Fprintln(fs.Output(), "Europe/Madrid): one balanced entry per invoice, per payment and per customer-account movement.")
		fmt.Fprintln(fs.Output(), "CSV: date,entry,account,account_label,document,label,debit,credit. FEC: the 18 columns, tab separated.")
		fmt.Fprintln(fs.Output(), "\nFlags:")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	// The export reads once through the period: a small page cache serves it as well as the
	// server's large one, and keeps the process's memory small whatever the period.
	db, err := storage.openExisting(ctx, sqlstore.WithPageCache(exportPageCacheKiB))
	if err != nil {
		return err
	}
	defer db.Close()

	// The export allocates briskly and keeps little (a batch): collecting garbage less often
	// saves time for a few more MB of heap.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	output := newOutFile(out, env.Stdout)
	var bar *progress
	show := func(done, total int64) {
		if bar == nil {
			bar = newProgress(env.Stderr, "export", total)
		}
		if bar.terminal {
			bar.set(done)
		}
	}
	sum, err := newApp(db, nil).ExportAccounting(ctx, app.System(), q, output.open, show)
	if err := output.finish(err); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Exported %d invoices and %d customer-account movements: %d entries, %d lines, debit %s = credit %s.\n",
		sum.Invoices, sum.LedgerEntries, sum.Entries, sum.Lines, euros(sum.DebitCents), euros(sum.CreditCents))
	return nil
}

func euros(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }
