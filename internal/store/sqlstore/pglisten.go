package sqlstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/clientela/clientela/internal/app"
)

// customerChannel is where PostgreSQL announces changes to customers (migration 0004).
const customerChannel = "clientela_customers"

// pgChangeFeed listens for changes to customers on a connection of its own.
type pgChangeFeed struct {
	url string
}

// ChangeFeed returns what tells this process about changes to customers made by any process,
// or nil when the database cannot (SQLite: lookups there cost less than checking would).
func (db *DB) ChangeFeed() app.CustomerChangeFeed {
	if db.d.name != "postgres" {
		return nil
	}
	return &pgChangeFeed{url: db.url}
}

// WatchCustomerChanges implements app.CustomerChangeFeed: it calls ready once it listens,
// then changed after each committed change, until ctx ends or the connection fails.
func (f *pgChangeFeed) WatchCustomerChanges(ctx context.Context, ready, changed func()) error {
	conn, err := pgx.Connect(ctx, f.url)
	if err != nil {
		return fmt.Errorf("listen for customer changes: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+customerChannel); err != nil {
		return fmt.Errorf("listen for customer changes: %w", err)
	}
	ready()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("wait for customer changes: %w", err)
		}
		changed()
	}
}
