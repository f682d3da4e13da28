package cli

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/bench"
	"github.com/clientela/clientela/internal/domain"
)

// benchShopName marks a shop the bench set up itself: only on such a database does it issue
// invoices, since every close adds a record to the shop's chain for good.
const benchShopName = "Clientela bench"

// benchLines are the lines of each benchmarked ticket: three VAT rates, one weighed.
var benchLines = []domain.LineChanges{
	{Label: domain.Some("Café con leche"), Quantity: domain.Some(domain.Quantity(2000)), UnitPriceCents: domain.Some(int64(180)), VATRateBasisPoints: domain.Some(int64(1000))},
	{Label: domain.Some("Queso manchego"), Quantity: domain.Some(domain.Quantity(350)), UnitPriceCents: domain.Some(int64(2195)), VATRateBasisPoints: domain.Some(int64(400))},
	{Label: domain.Some("Vino tinto"), Quantity: domain.Some(domain.Quantity(1000)), UnitPriceCents: domain.Some(int64(1250)), VATRateBasisPoints: domain.Some(int64(2100))},
}

// benchTicketClose measures closing tickets (pricing with the group discount, invoice number,
// customer and group snapshot, chain record) through the use case, as every face calls it.
// Tickets are rung up beforehand, each with three lines and a customer scanned by reference,
// so only the close is timed. ok is false, with the reason, when the database has a real shop.
func benchTicketClose(ctx context.Context, a *app.App, refs []string, n, c int) (r bench.Result, skipped string, err error) {
	sys := app.System()
	shop, err := a.Shop(ctx, sys)
	if err != nil {
		return r, "", err
	}
	switch shop.Name {
	case "":
		if _, err := a.UpdateShop(ctx, sys, domain.IfVersion(shop.Version), domain.ShopChanges{
			Name: domain.Some(benchShopName), TaxID: domain.Some("B58378431"), Line1: domain.Some("Calle Mayor 1"),
			PostalCode: domain.Some("28013"), City: domain.Some("Madrid"), InvoicePrefix: domain.Some("B"),
		}); err != nil {
			return r, "", fmt.Errorf("set up the bench shop: %w", err)
		}
	case benchShopName:
	default:
		return r, "this database has a real shop: closing tickets would issue real invoices (run the bench on a seeded copy)", nil
	}
	// Measure runs the case twice (one client, then c clients), so 2n tickets.
	tickets := make([]string, 2*n)
	for i := range tickets {
		t, err := a.OpenTicket(ctx, sys)
		if err != nil {
			return r, "", fmt.Errorf("open ticket: %w", err)
		}
		for _, l := range benchLines {
			if _, err := a.AddTicketLine(ctx, sys, t.ID, l); err != nil {
				return r, "", fmt.Errorf("add line: %w", err)
			}
		}
		if _, err := a.AttachCustomer(ctx, sys, t.ID, app.CustomerChoice{Reference: refs[i%len(refs)]}); err != nil {
			return r, "", fmt.Errorf("attach customer: %w", err)
		}
		tickets[i] = t.ID
	}
	var next atomic.Int64
	var failures atomic.Int64
	var firstOnce sync.Once
	var firstErr error
	r = bench.Measure(ctx, "ticket close (3 lines, customer, invoice, chain)", "app", n, c, func(ctx context.Context, _ int) error {
		id := tickets[next.Add(1)-1]
		_, err := a.CloseTicket(ctx, sys, id, []domain.Tender{{Method: domain.TenderCash, AmountCents: 10000}}, "")
		if err != nil {
			failures.Add(1)
			firstOnce.Do(func() { firstErr = err })
		}
		return err
	})
	if failures.Load() > 0 {
		return r, "", fmt.Errorf("%d closes failed, the first: %w", failures.Load(), firstErr)
	}
	return r, "", nil
}
