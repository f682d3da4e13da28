//go:build !linux

package sqlstore

import "context"

// watchFiles has no file events to offer on this system: the feed polls.
func (f *sqliteChangeFeed) watchFiles(context.Context) (fileWatch, error) {
	return nil, errNoFileEvents
}
