// Package cli is the command line face: it reads flags and environment variables, opens the
// database and calls the use cases. cmd/clientela only hands it the process's arguments.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

// Env is the process's surroundings, replaceable in tests.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Version is the release this binary is ("1.4.0"), set when it is built for a release;
	// empty for a development build.
	Version string
}

// command is one sub-command.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server (API) on the database", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"user", "manage users: user add --username U --role admin|manager|cashier; user password --username U", runUser},
		{"token", "manage API tokens: token create|list|revoke (clientela token --help)", runToken},
		{"seed", "fill the database with realistic customers: seed --customers N", runSeed},
		{"import", "import customers FILE [--dry-run] [--existing skip|update|refuse] [--map HEADER=field …] [--rejects FILE]: a .csv or .xlsx file", runImport},
		{"export", "export accounting --from YYYY-MM-DD --to YYYY-MM-DD --format csv|fec [--out FILE]: the accountant's journal;\n             export customers [--format csv|xlsx|vcf] [--q TEXT] [--group NAME] [--out FILE]", runExport},
		{"customer", "customer privacy-export --id ID [--out FILE]: everything held about a customer, as JSON;\n             customer erase --id ID: erase a customer's personal data (docs/privacy.md)", runCustomer},
		{"retention", "retention [--dry-run]: blank personal data on invoices and ledger entries past the retention period", runRetention},
		{"backup", "backup [--out FILE]: a checked copy of the SQLite database, taken while serve runs", runBackup},
		{"restore", "restore FILE: put a checked copy in place of the database (serve must be stopped)", runRestore},
		{"verify", "check the chain of invoice records; exits 1 at the first broken link", runVerify},
		{"bench", "measure lookups and searches over HTTP and bare SQL", runBench},
	}
}

// errUsage marks an error already explained by a usage message (exit status 2).
var errUsage = errors.New("usage")

// Run runs the command line and returns the process exit status.
func Run(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "--version" || args[0] == "-version" {
		fmt.Fprintln(env.Stdout, versionLine(env.Version))
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		case errors.Is(err, errPostgresBackup):
			return exitPostgresBackup
		default:
			fmt.Fprintf(env.Stderr, "clientela %s: %s\n", c.name, describe(err))
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "clientela: unknown command %q\n", args[0])
	usage(env.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Clientela — the customer register of a point-of-sale backoffice.")
	fmt.Fprintln(w, "\nUsage: clientela <command> [flags]   (clientela <command> --help for its flags)")
	fmt.Fprintln(w, "       clientela --version")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
}

// describe turns an error into a line for the terminal, in English with field names.
func describe(err error) string {
	var e *domain.Error
	if !errors.As(err, &e) || e.Code == domain.CodeInternal {
		return err.Error()
	}
	msgs := i18n.New()
	parts := []string{msgs.T(i18n.English, "error."+string(e.Code), e.Details)}
	for _, f := range e.Fields {
		parts = append(parts, fmt.Sprintf("%s: %s", f.Field, msgs.T(i18n.English, "field."+f.Code, f.Params)))
	}
	return strings.Join(parts, " ")
}

// storageFlags are the flags every command that opens the database shares.
type storageFlags struct {
	dataDir     string
	databaseURL string
	stderr      io.Writer // where opening reports long work (a re-index after an upgrade)
}

func addStorageFlags(fs *flag.FlagSet, env Env) *storageFlags {
	s := &storageFlags{stderr: env.Stderr}
	fs.StringVar(&s.dataDir, "data-dir", envOr(env, "CLIENTELA_DATA_DIR", "data"), "directory of the SQLite database (env CLIENTELA_DATA_DIR)")
	fs.StringVar(&s.databaseURL, "database-url", envOr(env, "CLIENTELA_DATABASE_URL", ""), "postgres://… to use PostgreSQL instead of SQLite (env CLIENTELA_DATABASE_URL)")
	return s
}

// open opens the database, creating it (and applying migrations) when there is none: for
// serve, migrate and seed, which set a database up.
func (s *storageFlags) open(ctx context.Context) (*sqlstore.DB, error) {
	return s.openWith(ctx)
}

// openExisting opens a database that already exists, and refuses to create one: a command
// run from the wrong folder, or with a mistyped --data-dir, must not leave an empty database
// behind and then report that the user does not exist.
func (s *storageFlags) openExisting(ctx context.Context, opts ...sqlstore.Option) (*sqlstore.DB, error) {
	db, err := s.openWith(ctx, append([]sqlstore.Option{sqlstore.Existing()}, opts...)...)
	if !errors.Is(err, sqlstore.ErrNoDatabase) {
		return db, err
	}
	if s.databaseURL != "" {
		return nil, fmt.Errorf("no Clientela tables in the PostgreSQL database at %s (run clientela migrate to set it up, or check --database-url or CLIENTELA_DATABASE_URL)", redactURL(s.databaseURL))
	}
	return nil, fmt.Errorf("no database at %s (use --data-dir or CLIENTELA_DATA_DIR)", showDir(s.dataDir))
}

func (s *storageFlags) openWith(ctx context.Context, opts ...sqlstore.Option) (*sqlstore.DB, error) {
	if s.stderr != nil {
		opts = append(opts, sqlstore.WithLogger(slog.New(slog.NewTextHandler(s.stderr, nil))))
	}
	db, err := sqlstore.Open(ctx, s.databaseURL, s.dataDir, opts...)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// showDir writes a relative directory the way a shell user would type it: "./data".
func showDir(dir string) string {
	if dir == "" {
		dir = "data"
	}
	if filepath.IsAbs(dir) || dir == "." || dir == ".." || strings.HasPrefix(dir, "./") || strings.HasPrefix(dir, "../") {
		return dir
	}
	return "./" + dir
}

// redactURL hides the password of a database URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(the URL given)"
	}
	return u.Redacted()
}

func envOr(env Env, key, def string) string {
	if env.Getenv != nil {
		if v := env.Getenv(key); v != "" {
			return v
		}
	}
	return def
}

// newFlagSet makes a flag set that prints its usage to stderr and does not exit.
func newFlagSet(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet("clientela "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parse parses flags and refuses stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		fs.Usage()
		return errUsage
	}
	return nil
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

func newApp(db *sqlstore.DB, log *slog.Logger) *app.App {
	return app.New(app.Config{Store: db, Logger: log, Changes: db.ChangeFeed()})
}

// roleNames lists role names for help texts.
func roleNames() string {
	return strings.Join([]string{string(domain.RoleAdmin), string(domain.RoleManager), string(domain.RoleCashier)}, "|")
}

// stdinIsTerminal reports whether stdin is an interactive terminal.
func stdinIsTerminal(env Env) (*os.File, bool) {
	f, ok := env.Stdin.(*os.File)
	if !ok {
		return nil, false
	}
	return f, isTerminal(f)
}
