package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// A bulk load holds a lease for as long as it runs, so that another process opening the
// database (a server started during `clientela seed`) can tell a load in progress, which it
// must leave alone, from one a crash interrupted, which it finishes. PostgreSQL: a session
// advisory lock on a connection of the loader's own. SQLite: a lock on a file beside the
// database (loadlock_unix.go; where the platform has none, every load looks interrupted, as
// before leases existed).

// bulkLoadLockKey is the advisory lock of bulk loads on PostgreSQL (migrations use 727274,
// re-indexing 727275).
const bulkLoadLockKey = 727276

// loadLease is held by a running bulk load.
type loadLease interface {
	release() error
}

// acquireLoadLease takes the lease, waiting if another process holds it (wait) or answering
// ok=false at once (!wait).
func (db *DB) acquireLoadLease(ctx context.Context, wait bool) (lease loadLease, ok bool, err error) {
	if db.d.name == "sqlite" {
		return lockLoadFile(db.path+".load", wait)
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("bulk load lease: %w", err)
	}
	if wait {
		_, err = conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", bulkLoadLockKey)
		ok = err == nil
	} else {
		err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", bulkLoadLockKey).Scan(&ok)
	}
	if err != nil || !ok {
		conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("bulk load lease: %w", err)
		}
		return nil, false, nil
	}
	return pgLease{conn}, true, nil
}

type pgLease struct{ conn *sql.Conn }

func (l pgLease) release() error {
	_, err := l.conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", bulkLoadLockKey)
	if cerr := l.conn.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("release bulk load lease: %w", err)
	}
	return nil
}
