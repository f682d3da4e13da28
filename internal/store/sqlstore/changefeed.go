package sqlstore

import "github.com/clientela/clientela/internal/app"

// ChangeFeed returns what tells this process about every committed change to customers
// (app.TopicCustomers) and to users and API tokens (app.TopicAccess), made by any process
// sharing the database: LISTEN/NOTIFY on PostgreSQL (pglisten.go), PRAGMA data_version on
// SQLite, looked at when the database's files are written (sqlitefeed.go). Migrations'
// triggers announce the changes.
func (db *DB) ChangeFeed() app.ChangeFeed {
	return db.d.changeFeed(db)
}
