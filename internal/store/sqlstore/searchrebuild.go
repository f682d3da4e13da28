package sqlstore

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/domain"
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
		if db.d.name == "postgres" {
			if _, err := t.exec(ctx, "SELECT pg_advisory_xact_lock(727275)"); err != nil {
				return fmt.Errorf("search index lock: %w", err)
			}
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
	// Every row was rewritten: PostgreSQL has as many dead row versions to clear (searches
	// walk the table in order) and SQLite's full-text index as many small segments to merge;
	// its write-ahead log holds the pages of the old index, which are emptied.
	steps := []string{"VACUUM (ANALYZE) customers"}
	if db.d.name == "sqlite" {
		steps = []string{"INSERT INTO customer_search (customer_search) VALUES ('optimize')", "PRAGMA optimize=0x10002",
			"PRAGMA wal_checkpoint(TRUNCATE)"}
	}
	for _, q := range steps {
		// The index is right without this; it is only faster with it.
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			db.log.WarnContext(ctx, "tidying up after re-indexing failed; searches may be slower until the next vacuum",
				slog.String("step", q), slog.Any("error", err))
		}
	}
	return nil
}

// sqliteSearchTable creates SQLite's full-text table as migration 0004 left it.
var sqliteSearchTable = []string{
	"CREATE VIRTUAL TABLE customer_search USING fts5 (doc, tokenize = 'ascii', prefix = '3 4 5')",
	"INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 1)",
}

// rebuildSearch writes every customer's search document again, and the vocabulary of
// expandable words with it.
func (t *tx) rebuildSearch(ctx context.Context, count int64, rebuildIndex bool) error {
	var setup, teardown []string
	if t.d.docColumn {
		// The whole table, first: the statements below would take stronger locks one after
		// the other, and an edit that read a row in between would deadlock with them. Other
		// servers wait for the re-index (stop them before an upgrade). The word triggers
		// would check each replaced word of each customer; the vocabulary is rebuilt whole at
		// the end instead. A large index is cheaper to build than to update row by row.
		setup = []string{"LOCK TABLE customers IN ACCESS EXCLUSIVE MODE", "SET LOCAL maintenance_work_mem = '1GB'",
			"ALTER TABLE customers DISABLE TRIGGER customers_search_words_update"}
		teardown = []string{"ALTER TABLE customers ENABLE TRIGGER customers_search_words_update",
			"TRUNCATE customer_search_words",
			`INSERT INTO customer_search_words (word) SELECT DISTINCT w FROM customers, unnest(tsvector_to_array(search_tsv)) AS w
				WHERE w !~ '^[0-9@§]' ON CONFLICT DO NOTHING`}
		if rebuildIndex {
			setup = append(setup, "DROP INDEX customers_search")
			teardown = append([]string{"CREATE INDEX customers_search ON customers USING gin (search_tsv) WITH (fastupdate = off)"}, teardown...)
		}
	} else {
		// A table that keeps its documents has no 'delete-all'; deleting them one by one in
		// secure-delete mode would rewrite the index's pages a million times. A new table
		// is empty at once, and the old one's pages are overwritten as they are freed.
		setup = append([]string{"DROP TABLE customer_search"}, sqliteSearchTable...)
		// As in a bulk load: segments gather without merging, and are merged once at the end
		// (the 'optimize' after the transaction).
		setup = append(setup, "INSERT INTO customer_search (customer_search, rank) VALUES ('automerge', 0)",
			"INSERT INTO customer_search (customer_search, rank) VALUES ('crisismerge', 200)",
			"DELETE FROM customer_search_words")
		teardown = []string{"INSERT INTO customer_search (customer_search, rank) VALUES ('automerge', 4)",
			"INSERT INTO customer_search (customer_search, rank) VALUES ('crisismerge', 16)"}
	}
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
		if err := t.rewriteDocuments(ctx, batch, words); err != nil {
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

// rewriteDocuments writes a batch's documents again: into the search_doc column on
// PostgreSQL (one statement, triggers keep the vocabulary), into the full-text table on
// SQLite, gathering the vocabulary's words in words.
func (t *tx) rewriteDocuments(ctx context.Context, batch []domain.Customer, words map[string]struct{}) error {
	if !t.d.docColumn {
		for i := range batch {
			doc := t.d.document(&batch[i])
			if _, err := t.exec(ctx, "INSERT INTO customer_search (rowid, doc) VALUES (?, ?)", batch[i].Seq, doc); err != nil {
				return fmt.Errorf("rewrite search documents: %w", err)
			}
			for _, w := range vocabularyWords(doc) {
				words[w] = struct{}{}
			}
		}
		return nil
	}
	seqs := make([]int64, len(batch))
	docs := make([]string, len(batch))
	for i := range batch {
		seqs[i], docs[i] = batch[i].Seq, t.d.document(&batch[i])
	}
	_, err := t.exec(ctx, `UPDATE customers SET search_doc = v.doc
		FROM unnest(?::bigint[], ?::text[]) AS v(seq, doc) WHERE customers.seq = v.seq`, seqs, docs)
	if err != nil {
		return fmt.Errorf("rewrite search documents: %w", err)
	}
	return nil
}
