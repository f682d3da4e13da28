package app

import "context"

// maxCachedLookups bounds the barcode lookup cache: the customers found by barcode, the
// till's hottest path, kept while the change feed is live (feedCache, WatchChanges). Any
// change to any customer, by any process, empties it.
const maxCachedLookups = 100_000

// writeCustomers runs a transaction that changes customers and then forgets cached lookups
// at once, so that this process reads its own writes without waiting for the feed's echo.
func (a *App) writeCustomers(ctx context.Context, fn func(Tx) error) error {
	defer a.dupScans.clear()
	defer a.lookups.clear()
	return a.store.Write(ctx, fn)
}
