-- Search on PostgreSQL, second version (see docs/search.md and pgsearch.go).
--
-- The search document is indexed as the tokens Go wrote, without parsing them again
-- (array_to_tsvector): the two can never disagree on what a word is, and no positions are
-- kept (nothing is ranked). Words the customer has only in their e-mail address are written
-- with a leading '@': they are matched whole, so that prefixes of names do not reach the
-- thousands of run-together address words ("mariacarmen", "jlopez"). Documents written
-- before this migration have no marks and stay correct: their e-mail words also match as
-- prefixes, as before, until the customer is saved again.
ALTER TABLE customers DROP COLUMN search_tsv;
ALTER TABLE customers ADD COLUMN search_tsv tsvector
    GENERATED ALWAYS AS (array_to_tsvector(array_remove(string_to_array(search_doc, ' '), ''))) STORED;
-- fastupdate off: a search never has to scan a pending list of recent inserts.
CREATE INDEX customers_search ON customers USING gin (search_tsv) WITH (fastupdate = off);

-- The vocabulary of the words that prefixes are matched against (every indexed word that
-- starts with neither a digit nor the e-mail mark). A search turns a prefix into an OR of the
-- few whole words it starts, which GIN answers by skipping through posting lists instead of
-- merging every list into a bitmap first. Kept in step with customers by the triggers below;
-- a word nobody has any more is removed, so a deleted customer's name does not stay behind.
CREATE TABLE customer_search_words (
    word text COLLATE "C" PRIMARY KEY
);
INSERT INTO customer_search_words (word)
SELECT DISTINCT w FROM customers, unnest(tsvector_to_array(search_tsv)) AS w
WHERE w !~ '^[0-9@]'
ON CONFLICT DO NOTHING;

-- New customers, once per statement (a bulk COPY adds its words in one go).
CREATE FUNCTION customer_search_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_search_words (word)
    SELECT DISTINCT w FROM new_customers, unnest(tsvector_to_array(new_customers.search_tsv)) AS w
    WHERE w !~ '^[0-9@]'
    ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_search_words_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_customers
    FOR EACH STATEMENT EXECUTE FUNCTION customer_search_words_insert();

-- A changed or deleted document: add the new words, drop the old ones nobody has any more.
-- Adding takes a ROW EXCLUSIVE lock on the vocabulary, dropping a SHARE ROW EXCLUSIVE one, so
-- a drop never runs beside a transaction that is adding words: it waits for it to commit, and
-- its checks, statements of their own, then see that transaction's customers. Each check is
-- planned with its word (EXECUTE): a common word is found among the first rows of a scan, a
-- rare one through the index, where one generic plan would merge the posting list of
-- "antonio" into a bitmap (~7 ms a word).
CREATE FUNCTION customer_search_words_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    gone text[];
    lexeme text;
    held boolean;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO customer_search_words (word)
        SELECT w FROM unnest(tsvector_to_array(NEW.search_tsv)) AS w
        WHERE w !~ '^[0-9@]'
        ORDER BY 1
        ON CONFLICT DO NOTHING;
        gone := ARRAY(SELECT w FROM unnest(tsvector_to_array(OLD.search_tsv)) AS w WHERE w !~ '^[0-9@]'
                      EXCEPT SELECT unnest(tsvector_to_array(NEW.search_tsv)) ORDER BY 1);
    ELSE
        gone := ARRAY(SELECT w FROM unnest(tsvector_to_array(OLD.search_tsv)) AS w WHERE w !~ '^[0-9@]' ORDER BY 1);
    END IF;
    IF cardinality(gone) > 0 THEN
        LOCK TABLE customer_search_words IN SHARE ROW EXCLUSIVE MODE;
        FOREACH lexeme IN ARRAY gone LOOP
            EXECUTE 'SELECT EXISTS (SELECT 1 FROM customers WHERE search_tsv @@ $1)'
                INTO held USING quote_literal(lexeme)::tsquery;
            IF NOT held THEN
                DELETE FROM customer_search_words WHERE word = lexeme;
            END IF;
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_search_words_update AFTER UPDATE OF search_doc ON customers
    FOR EACH ROW WHEN (OLD.search_doc IS DISTINCT FROM NEW.search_doc)
    EXECUTE FUNCTION customer_search_words_change();
CREATE TRIGGER customers_search_words_delete AFTER DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION customer_search_words_change();
