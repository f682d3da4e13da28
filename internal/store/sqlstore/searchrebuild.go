package sqlstore

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/search"
)

// settingSearchVersion records which search.DocumentVersion the index was written with.
const settingSearchVersion = "search.document_version"

// rebuildBatch is how many customers the rebuild reads and rewrites at a time.
const rebuildBatch = 5000

// ensureSearchIndex rebuilds the search index when it was written by another version of
// search.Document (a database from before the version was recorded counts as older), so that
// an upgrade never leaves customers that searches for a new kind of token cannot find. It
// runs at open, in one transaction: a second server starting at the same time waits, then
// finds the work done.
func (db *DB) ensureSearchIndex(ctx context.Context) error {
	want := strconv.Itoa(search.DocumentVersion)
	rebuilt := false
	err := db.run(ctx, func(atx app.Tx) error {
		t := atx.(*tx)
		if err := t.d.lockReindex(ctx, t); err != nil {
			return err
		}
		have, ok, err := t.Setting(ctx, settingSearchVersion)
		if err != nil {
			return err
		}
		if ok && have == want {
			return nil
		}
		var n int64
		if err := t.queryRow(ctx, "SELECT count(*) FROM customers").Scan(&n); err != nil {
			return fmt.Errorf("count customers: %w", err)
		}
		if n > 0 {
			db.log.InfoContext(ctx, "re-indexing customers for search after an upgrade; this runs once",
				slog.Int64("customers", n), slog.String("from_version", have), slog.String("to_version", want))
			start := time.Now()
			if err := t.rebuildSearch(ctx, n, n > db.reindexDropAt); err != nil {
				return fmt.Errorf("rebuild search index: %w", err)
			}
			db.log.InfoContext(ctx, "search index rebuilt", slog.Duration("took", time.Since(start).Round(time.Millisecond)))
			rebuilt = true
		}
		return t.PutSetting(ctx, settingSearchVersion, want)
	})
	if err != nil || !rebuilt {
		return err
	}
	// Every row was rewritten: the backend tidies up (afterReindexSteps).
	for _, q := range db.d.afterReindexSteps() {
		// The index is right without this; it is only faster with it.
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			db.log.WarnContext(ctx, "tidying up after re-indexing failed; searches may be slower until the next vacuum",
				slog.String("step", q), slog.Any("error", err))
		}
	}
	return nil
}

// rebuildSearch writes every customer's search document again, and the vocabulary of
// expandable words with it.
func (t *tx) rebuildSearch(ctx context.Context, count int64, rebuildIndex bool) error {
	setup, teardown := t.d.rebuildSearchSteps(rebuildIndex)
	for _, q := range setup {
		if _, err := t.exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	words := map[string]struct{}{} // SQLite's vocabulary, written once at the end
	var after int64
	for {
		batch, err := t.scanCustomers(t.query(ctx, "SELECT "+customerColumns+" FROM customers c WHERE c.seq > ? ORDER BY c.seq LIMIT ?", after, rebuildBatch))
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		if err := t.d.rewriteDocuments(ctx, t, batch, words); err != nil {
			return err
		}
		after = batch[len(batch)-1].Seq
	}
	for w := range words {
		if _, err := t.exec(ctx, "INSERT INTO customer_search_words (word) VALUES (?)", w); err != nil {
			return fmt.Errorf("rebuild search vocabulary: %w", err)
		}
	}
	for _, q := range teardown {
		if _, err := t.exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
