package sqlstore

import "context"

// A bulk load holds a lease for as long as it runs, so that another process opening the
// database (a server started during `clientela seed`) can tell a load in progress, which it
// must leave alone, from one a crash interrupted, which it finishes. PostgreSQL: a session
// advisory lock on a connection of the loader's own. SQLite: a lock on a file beside the
// database (loadlock_unix.go; where the platform has none, every load looks interrupted, as
// before leases existed).

// loadLease is held by a running bulk load.
type loadLease interface {
	release() error
}

// acquireLoadLease takes the lease, waiting if another process holds it (wait) or answering
// ok=false at once (!wait).
func (db *DB) acquireLoadLease(ctx context.Context, wait bool) (lease loadLease, ok bool, err error) {
	return db.d.acquireLoadLease(ctx, db, wait)
}
