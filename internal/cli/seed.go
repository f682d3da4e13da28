package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
	"github.com/clientela/clientela/internal/seed"
	"github.com/clientela/clientela/internal/store/sqlstore"
)

const seedBatch = 10000

func runSeed(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("seed", env)
	storage := addStorageFlags(fs, env)
	count := fs.Int("customers", 1000, "number of customers to add")
	seedValue := fs.Uint64("seed", 1, "random seed: the same seed gives the same customers")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	dupPercent := fs.Int("duplicates", 0, "percent of customers that are a second registration of the one before, typed differently (for the duplicates bench)")
	if err := parse(fs, args); err != nil {
		return err
	}
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	if *count < 0 {
		return fmt.Errorf("--customers must be 0 or more")
	}
	if *dupPercent < 0 || *dupPercent > 50 {
		return fmt.Errorf("--duplicates must be between 0 and 50")
	}
	db, err := storage.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	a := newApp(db, nil)
	gen := seed.NewGenerator(*seedValue)

	start := time.Now()
	groupIDs, newGroups, err := seedGroups(ctx, a, gen)
	if err != nil {
		return err
	}
	existing, err := db.CountCustomers(ctx)
	if err != nil {
		return err
	}
	if err := db.StartBulkLoad(ctx); err != nil {
		return err
	}
	// Generate on one goroutine while the database writes on another.
	batches := make(chan []sqlstore.BulkRow, 2)
	genErr := make(chan error, 1)
	go func() {
		defer close(batches)
		now := time.Now().UTC().Truncate(time.Microsecond)
		for from := 0; from < *count; from += seedBatch {
			n := min(seedBatch, *count-from)
			batch := make([]sqlstore.BulkRow, n)
			var c, prev domain.Customer
			for j := range batch {
				// Offset by what is there, so a second run adds new references.
				i := int(existing) + from + j
				if gen.IsDuplicate(i, *dupPercent) {
					gen.Customer(i-1, groupIDs, &prev)
					gen.Duplicate(i, &prev, &c)
				} else {
					gen.Customer(i, groupIDs, &c)
				}
				id, err := uuid.NewV7()
				if err != nil {
					genErr <- err
					return
				}
				c.ID, c.CreatedAt, c.UpdatedAt, c.Version = id.String(), now, now, 1
				if c.MarketingConsent {
					c.MarketingConsentAt = &now
				}
				batch[j] = db.PrepareBulk(&c)
			}
			select {
			case batches <- batch:
			case <-ctx.Done():
				return
			}
		}
		genErr <- nil
	}()
	bar := newProgress(env.Stderr, "seeding", int64(*count))
	var done int64
	for batch := range batches {
		if err := db.BulkInsert(ctx, batch); err != nil {
			return err
		}
		done += int64(len(batch))
		bar.set(done)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("interrupted after %d customers: %w", done, err)
	}
	if err := <-genErr; err != nil {
		return err
	}
	if *count == 0 {
		bar.set(0)
	}
	if err := db.FinishBulkLoad(ctx); err != nil {
		return err
	}
	elapsed := time.Since(start)
	// Only the groups this run created: a second seed reuses the first one's.
	added := fmt.Sprintf("%d customers", done)
	if newGroups > 0 {
		added += fmt.Sprintf(" and %d groups", newGroups)
	}
	fmt.Fprintf(env.Stdout, "Added %s to the %s database in %.1f s (%.0f customers/s).\n",
		added, db.Backend(), elapsed.Seconds(), float64(done)/max(elapsed.Seconds(), 1e-9))
	return nil
}

// seedGroups creates the generator's groups through the use case, reusing those that exist.
// It returns every group's id and how many it created.
func seedGroups(ctx context.Context, a *app.App, gen *seed.Generator) (ids []string, created int, err error) {
	existing := map[string]string{}
	groups, err := a.GroupChoices(ctx, app.System())
	if err != nil {
		return nil, 0, err
	}
	for _, g := range groups {
		existing[g.NameKey()] = g.ID
	}
	for _, g := range gen.Groups() {
		if id, ok := existing[g.NameKey()]; ok {
			ids = append(ids, id)
			continue
		}
		group, err := a.CreateGroup(ctx, app.System(), domain.GroupChanges{
			Name: domain.Some(g.Name), DiscountBasisPoints: domain.Some(g.DiscountBasisPoints), Description: domain.Some(g.Description),
		})
		if err != nil {
			return nil, 0, fmt.Errorf("seed group %q: %w", g.Name, err)
		}
		ids = append(ids, group.ID)
		created++
	}
	return ids, created, nil
}
