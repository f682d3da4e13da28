package app_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
)

// TestErasureCost measures an erasure over an audit log of CLIENTELA_ERASURE_BENCH entries
// (e.g. 1000000), which it searches for the customer's values, while a till keeps creating
// customers: the erasure's time, and the longest a till's write waited meanwhile (the log's
// scan runs before the erasure's transaction, so the till is not held for it). Skipped unless
// the variable is set; docs/performance.md has the numbers.
func TestErasureCost(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CLIENTELA_ERASURE_BENCH"))
	if n <= 0 {
		t.Skip("set CLIENTELA_ERASURE_BENCH=1000000 to measure")
	}
	eachBackend(t, app.Config{}, func(t *testing.T, e *env) {
		ctx := context.Background()
		boss := e.as("boss")
		c, err := e.app.CreateCustomer(ctx, boss, domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
			FirstName: domain.Some("Zoraida"), LastName: domain.Some("Quesada"), Email: domain.Some("zoraida@zqmail.es"), Phone: domain.Some("655432109")})
		if err != nil {
			t.Fatal(err)
		}
		const batch = 10000
		for done := 0; done < n; done += batch {
			err := e.db.Write(ctx, func(tx app.Tx) error {
				for i := done; i < min(done+batch, n); i++ {
					if err := tx.AppendAudit(ctx, &domain.AuditEntry{At: time.Now(), ActorID: "system", ActorName: "system",
						Action: domain.ActionCustomerUpdate, EntityType: "customer", EntityID: fmt.Sprintf("0190a000-0000-7000-8000-%012d", i),
						Fields: []string{"email", "phone"}, Details: map[string]any{"entry_id": fmt.Sprintf("0190a000-0000-7000-9000-%012d", i), "amount_cents": i}}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if e.db.Backend() == "sqlite" { // as the log's automatic checkpoints leave it in a shop
			if _, err := e.db.SQL().Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
				t.Fatal(err)
			}
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var longest time.Duration
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				if _, err := e.app.CreateCustomer(ctx, e.as("till"), domain.CustomerChanges{Kind: domain.Some(domain.KindPerson),
					FirstName: domain.Some(fmt.Sprintf("Till%d", i))}); err != nil {
					t.Error(err)
					return
				}
				longest = max(longest, time.Since(start))
				time.Sleep(5 * time.Millisecond)
			}
		}()
		start := time.Now()
		if _, err := e.app.EraseCustomer(ctx, boss, c.ID); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		close(stop)
		wg.Wait()
		t.Logf("%s: erasure over %d audit entries took %v; a till's create waited at most %v meanwhile", e.db.Backend(), n, took, longest)
	})
}
