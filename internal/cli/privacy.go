package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/clientela/clientela/internal/app"
)

const (
	privacyExportUsage = "clientela customer privacy-export --id ID [--out FILE]"
	eraseUsage         = "clientela customer erase --id ID"
	retentionUsage     = "clientela retention [--dry-run]"
)

// runCustomer runs the privacy requests on one customer (docs/privacy.md).
func runCustomer(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "privacy-export":
			return runPrivacyExport(ctx, env, args[1:])
		case "erase":
			return runErase(ctx, env, args[1:])
		case "-h", "--help", "help":
			customerUsage(env.Stdout)
			return nil
		}
	}
	customerUsage(env.Stderr)
	return errUsage
}

func customerUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: "+privacyExportUsage)
	fmt.Fprintln(w, "       "+eraseUsage)
	fmt.Fprintln(w, "  (clientela customer privacy-export --help, clientela customer erase --help for their flags)")
}

// runPrivacyExport writes everything held about a customer as JSON (the package's shape,
// version 1) to a file, written under a temporary name and renamed once complete, or to
// stdout.
func runPrivacyExport(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("customer privacy-export", env)
	storage := addStorageFlags(fs, env)
	var id, out string
	fs.StringVar(&id, "id", "", "the customer's id")
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: "+privacyExportUsage)
		fmt.Fprintln(fs.Output(), "\nWrites everything held about the customer (GDPR arts. 15, 20) as JSON: the record, the consent")
		fmt.Fprintln(fs.Output(), "history, invoices as issued, account entries, messages sent, opt-outs and the audit trail's")
		fmt.Fprintln(fs.Output(), "entries about them (docs/privacy.md). Audited.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if id == "" {
		return fmt.Errorf("--id: required")
	}
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	pkg, err := newApp(db, nil).PrivacyExport(ctx, app.System(), id)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(pkg, "", "  ")
	if err != nil {
		return fmt.Errorf("encode package: %w", err)
	}
	b = append(b, '\n')
	output := newOutFile(out, env.Stdout)
	w, err := output.open("")
	if err == nil {
		if _, err = w.Write(b); err != nil {
			err = fmt.Errorf("write %s: %w", out, err)
		}
	}
	if err := output.finish(err); err != nil {
		return err
	}
	if out == "" {
		return nil
	}
	fmt.Fprintf(env.Stderr, "%s: %d invoices, %d account entries, %d messages\n", out, len(pkg.Invoices), len(pkg.Ledger), len(pkg.Messages))
	return nil
}

// runErase erases a customer (GDPR art. 17): refused while their balance is not zero.
func runErase(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("customer erase", env)
	storage := addStorageFlags(fs, env)
	var id string
	fs.StringVar(&id, "id", "", "the customer's id")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: "+eraseUsage)
		fmt.Fprintln(fs.Output(), "\nErases the customer's personal data for good (GDPR art. 17): the record, search index, messages,")
		fmt.Fprintln(fs.Output(), "opt-outs and audit details. Invoices keep only what the law requires until the retention period")
		fmt.Fprintln(fs.Output(), "ends (a full invoice the name, tax id and address; a simplified one nothing). Refused while the")
		fmt.Fprintln(fs.Output(), "customer's balance is not zero. Audited (who, when, the id). See docs/privacy.md.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if id == "" {
		return fmt.Errorf("--id: required")
	}
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// Messages written as .eml files (no SMTP server) leave the mail folder too.
	a := app.New(app.Config{Store: db, Changes: db.ChangeFeed(), Mail: app.MailConfig{Folder: filepath.Join(storage.dataDir, MailFolder)}})
	rep, err := a.EraseCustomer(ctx, app.System(), id)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "erased %s: %d invoices blanked (%d full invoices keep name, tax id and address), %d account entries anonymised, %d messages erased, %d audit entries scrubbed\n",
		rep.CustomerID, rep.InvoicesChanged, rep.FullInvoicesKept, rep.LedgerEntriesAnonymised, rep.MessagesErased, rep.AuditEntriesScrubbed)
	return nil
}

// runRetention anonymises the invoice snapshots and ledger entries past the retention
// period, after printing how many there are; --dry-run only prints the counts.
func runRetention(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("retention", env)
	storage := addStorageFlags(fs, env)
	var dry bool
	fs.BoolVar(&dry, "dry-run", false, "only count what would be anonymised")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: "+retentionUsage)
		fmt.Fprintln(fs.Output(), "\nBlanks the customer's personal data on invoices and ledger entries older than the retention")
		fmt.Fprintln(fs.Output(), "period (/settings/privacy; 6 years by default, counted from the end of the year they were made).")
		fmt.Fprintln(fs.Output(), "Prints the counts first. serve runs it once a day. Audited. See docs/privacy.md.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a := newApp(db, nil)
	rep, err := a.RunRetention(ctx, app.System(), true)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "retention %d years: %d invoices and %d ledger entries made before %s hold personal data\n",
		rep.Years, rep.Invoices, rep.LedgerEntries, rep.Before.Format(time.DateOnly))
	if dry {
		fmt.Fprintln(env.Stdout, "dry run: nothing changed")
		return nil
	}
	rep, err = a.RunRetention(ctx, app.System(), false)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "anonymised %d invoices and %d ledger entries\n", rep.Invoices, rep.LedgerEntries)
	return nil
}
