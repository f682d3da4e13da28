//go:build !linux

package sqlstore

import (
	"context"
	"errors"
)

// watchFiles has no file events to offer on this system: the feed polls.
func (f *sqliteChangeFeed) watchFiles(context.Context) (fileWatch, error) {
	return nil, errors.New("no file events on this system")
}
