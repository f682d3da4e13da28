package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/search"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

const exportCustomersUsage = "clientela export customers [--format csv|xlsx|vcf] [--q TEXT] [--group NAME] [--out FILE]"

// runExportCustomers writes the register, a search or a group as CSV, .xlsx or vCard to a
// file (written under a temporary name, renamed once complete) or to stdout.
func runExportCustomers(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("export customers", env)
	storage := addStorageFlags(fs, env)
	var q app.CustomerExport
	var out, group string
	fs.StringVar(&q.Format, "format", "csv", "csv, xlsx or vcf (vCard 4.0)")
	fs.StringVar(&q.Q, "q", "", "only the customers a search for this text finds")
	fs.StringVar(&group, "group", "", "only the members of the group with this name")
	fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: "+exportCustomersUsage)
		fmt.Fprintln(fs.Output(), "\nWrites customers with every field; a CSV or .xlsx export imports back unchanged")
		fmt.Fprintln(fs.Output(), "(clientela import customers). Audited.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if q.Format == "vcard" {
		q.Format = "vcf"
	}
	db, err := storage.openExisting(ctx, sqlstore.WithPageCache(exportPageCacheKiB))
	if err != nil {
		return err
	}
	defer db.Close()
	a := newApp(db, nil)
	if group != "" {
		groups, err := a.GroupChoices(ctx, app.System())
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.NameKey() == search.Key(group) {
				q.GroupID = g.ID
			}
		}
		if q.GroupID == "" {
			return fmt.Errorf("--group: no group named %q", group)
		}
	}
	output := newOutFile(out, env.Stdout)
	if out != "" {
		q.TmpDir = filepath.Dir(out)
	}
	n, err := a.ExportCustomers(ctx, app.System(), q, output.open)
	if err := output.finish(err); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Exported %d customers (%s).\n", n, strings.ToUpper(q.Format))
	return nil
}
