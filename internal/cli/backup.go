package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	neturl "net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/money"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// errPostgresBackup: backup or restore was asked of PostgreSQL, whose copies are pg_dump's;
// the command printed the one to run and exits 3 (docs/backups.md), so a script that
// expects a copy does not mistake the advice for one.
var errPostgresBackup = errors.New("PostgreSQL backups are pg_dump's job")

// exitPostgresBackup is the exit status of errPostgresBackup.
const exitPostgresBackup = 3

// BackupFolder is the folder of the data directory where copies go when --out is not given,
// and where serve keeps its daily ones.
const BackupFolder = "backups"

// runBackup takes a consistent copy of the SQLite database, which serve may keep writing
// meanwhile, and checks it by opening it (docs/backups.md).
func runBackup(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("backup", env)
	storage := addStorageFlags(fs, env)
	out := fs.String("out", "", "file to write the copy to (default: a new file in <data-dir>/backups, keeping the newest as serve does)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if storage.databaseURL != "" {
		printPgDump(env.Stdout, storage.databaseURL)
		return errPostgresBackup
	}
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(app.Config{Store: db, Backups: app.BackupConfig{Dir: filepath.Join(storage.dataDir, BackupFolder)}})
	var res app.BackupResult
	if *out != "" {
		abs, aerr := filepath.Abs(*out)
		if aerr != nil {
			return fmt.Errorf("--out: %w", aerr)
		}
		res, err = a.Backup(ctx, app.System(), abs, app.BackupByCLI)
	} else {
		res, err = a.BackupNow(ctx, app.System(), app.BackupByCLI)
	}
	if err != nil {
		return err
	}
	r := res.Record
	fmt.Fprintf(env.Stdout, "Backup written to %s\n", res.Path)
	fmt.Fprintf(env.Stdout, "  size:    %s (%s bytes)\n", humanBytes(r.Size), money.FormatInt(r.Size, "en"))
	fmt.Fprintf(env.Stdout, "  holds:   %s customers, %s invoices\n", money.FormatInt(r.Customers, "en"), money.FormatInt(r.Invoices, "en"))
	fmt.Fprintf(env.Stdout, "  checked: integrity ok, schema version %d (current), invoice chain OK (%d records)\n", r.Schema, r.ChainRecords)
	fmt.Fprintf(env.Stdout, "  sha256:  %s (in %s)\n", r.SHA256, filepath.Base(res.Path)+".json")
	fmt.Fprintf(env.Stdout, "  took:    %s\n", res.Took.Round(time.Millisecond))
	return nil
}

// printPgDump says what to run instead on PostgreSQL.
func printPgDump(w io.Writer, dbURL string) {
	url := withoutPassword(dbURL)
	fmt.Fprintln(w, "This database is PostgreSQL: its backups are pg_dump's job, not Clientela's.")
	fmt.Fprintln(w, "Take one with (the password from ~/.pgpass or PGPASSWORD):")
	fmt.Fprintf(w, "  pg_dump --format=custom --file=clientela-$(date +%%Y%%m%%d-%%H%%M%%S).dump '%s'\n", url)
	fmt.Fprintln(w, "and restore one into an empty database with:")
	fmt.Fprintf(w, "  pg_restore --no-owner --dbname='%s' clientela-YYYYMMDD-HHMMSS.dump\n", url)
	fmt.Fprintln(w, "See docs/backups.md.")
}

// humanBytes writes a size in binary units: "12.3 MiB".
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	// Tenths in integers: sizes are not money, but floats are not needed either.
	tenths := n * 10 / div
	return fmt.Sprintf("%d.%d %ciB", tenths/10, tenths%10, "KMGTPE"[exp])
}

// runRestore puts a checked copy in place of the data directory's database.
func runRestore(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("restore", env)
	storage := addStorageFlags(fs, env)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: clientela restore [--data-dir DIR] FILE")
		fs.PrintDefaults()
	}
	file, err := parseOneArg(fs, args)
	if err != nil {
		return err
	}
	if storage.databaseURL != "" {
		printPgDump(env.Stdout, storage.databaseURL)
		return errPostgresBackup
	}
	lock, err := sqlstore.LockDataDir(storage.dataDir)
	if errors.Is(err, sqlstore.ErrInUse) {
		return fmt.Errorf("refused: a clientela serve is using %s; stop it first (nothing was changed)", showDir(storage.dataDir))
	}
	if err != nil {
		return err
	}
	defer lock.Release()
	open := func(ctx context.Context, p string) (app.CopyStore, error) { return sqlstore.OpenCopy(ctx, p) }
	chk := app.CheckCopyFile(ctx, open, file, true)
	if !chk.OK() {
		return fmt.Errorf("refused: %s cannot be trusted: %s (nothing was changed)", file, chk.Problem)
	}
	dest := filepath.Join(storage.dataDir, sqlstore.SQLiteFile)
	aside := dest + ".replaced-" + time.Now().UTC().Format("20060102-150405")
	for i := 2; fileExists(aside); i++ {
		aside = fmt.Sprintf("%s.replaced-%s-%d", dest, time.Now().UTC().Format("20060102-150405"), i)
	}
	replaced, err := sqlstore.Restore(ctx, storage.dataDir, file, aside)
	if err != nil {
		return err
	}
	// Open it as serve would: a copy an older Clientela made is migrated now.
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	db.Close()
	fmt.Fprintf(env.Stdout, "Restored %s into %s\n", file, showDir(dest))
	fmt.Fprintf(env.Stdout, "  holds:   %s customers, %s invoices\n", money.FormatInt(chk.Customers, "en"), money.FormatInt(chk.Invoices, "en"))
	fmt.Fprintf(env.Stdout, "  checked: integrity ok, schema version %d, invoice chain OK (%d records)\n", chk.Schema, chk.Chain.Checked)
	if replaced {
		fmt.Fprintf(env.Stdout, "The database it replaced is kept at %s (delete it yourself once you no longer need it).\n", showDir(aside))
	} else {
		fmt.Fprintln(env.Stdout, "There was no database there before.")
	}
	return nil
}

// parseOneArg parses flags around exactly one argument.
func parseOneArg(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", err
		}
		return "", errUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fs.Usage()
		return "", errUsage
	}
	arg := rest[0]
	if err := fs.Parse(rest[1:]); err != nil {
		return "", errUsage
	}
	if len(fs.Args()) > 0 {
		fs.Usage()
		return "", errUsage
	}
	return arg, nil
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// withoutPassword drops the password from a database URL, for a command to copy: pg_dump
// takes it from ~/.pgpass or PGPASSWORD.
func withoutPassword(s string) string {
	u, err := neturl.Parse(s)
	if err != nil {
		return "(your database URL)"
	}
	if u.User != nil {
		u.User = neturl.User(u.User.Username())
	}
	return u.String()
}
