package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientela/clientela/internal/app"
)

// errChainBroken makes verify exit non-zero once it has said where the chain breaks.
var errChainBroken = errors.New("the invoice chain is broken")

// runVerify walks the chain of invoice records (VERI*FACTU style) and says how many records it
// checked and, when one does not hold, the first broken link. Exit status 1 on a break, so a
// cron job or a backup check can act on it.
func runVerify(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("verify", env)
	storage := addStorageFlags(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := newApp(db, nil).VerifyChain(ctx, app.System())
	if err != nil {
		return err
	}
	if rep.Break == nil {
		fmt.Fprintf(env.Stdout, "Invoice chain OK: %d of %d records checked, every fingerprint and link holds.\n", rep.Checked, rep.Length)
		return nil
	}
	b := rep.Break
	what := map[string]string{
		"fingerprint": "its fingerprint is not that of its stored fields (the record was changed)",
		"link":        "it does not follow the previous record (a record is missing, added or moved)",
		"invoice":     "the invoice's stored number, type, date or amounts differ from its record",
	}[b.Reason]
	if what == "" {
		what = b.Reason
	}
	number := b.Number
	if number == "" {
		number = "after the last record"
	}
	fmt.Fprintf(env.Stdout, "Invoice chain BROKEN: %d of %d records hold; the first broken link is record %d (%s): %s.\n",
		rep.Checked, rep.Length, b.Position, number, what)
	return errChainBroken
}
