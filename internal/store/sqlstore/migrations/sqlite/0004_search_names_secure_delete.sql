-- Search, third version (search.DocumentVersion 3; see docs/search.md):
--
-- * Name words are indexed marked ("¶garcia"), so that customers whose name matches are
--   listed before those who match only through their city or e-mail address. The store
--   writes the new documents when it opens a database indexed with an older version
--   (sqlstore.rebuildSearch), which also fills the vocabulary again.
-- * A deleted customer's words leave the index at once. The table used to be contentless
--   with contentless_delete, where a delete only records a tombstone and the words stay in
--   the index's pages until a merge rewrites them. FTS5 can remove a document's words only
--   when it knows them, so the table now keeps each document (customer_search_content), and
--   runs in secure-delete mode, which takes them out of the index's pages on delete instead
--   of adding delete markers. The database's own secure_delete then overwrites what is freed.
--
-- Dropping the old table frees its pages, with whatever deleted customers' words they still
-- held; secure_delete overwrites them too.
DROP TABLE customer_search;
CREATE VIRTUAL TABLE customer_search USING fts5 (
    doc,
    tokenize = 'ascii',
    prefix = '3 4 5'
);
INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 1);
DELETE FROM customer_search_words;
