package sqlstore

// SetSearchWindow makes PostgreSQL searches check only n rows in order before using the
// index, so that tests with a few rows go down both roads.
func SetSearchWindow(db *DB, n int) { db.d.pgWindow = n }
