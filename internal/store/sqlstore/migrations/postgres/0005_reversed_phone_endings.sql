-- Search documents, version 2 (search.DocumentVersion): a phone number's endings are found
-- through one token holding its digits reversed and marked with '§' ("§87654321643"), instead
-- of a token per ending. Like digit words, reversed numbers are asked for as prefixes and never
-- go into the vocabulary of expandable words: the triggers of 0003 now leave out words that
-- start with '§' too. The documents themselves are rebuilt by the store when it opens a
-- database indexed with an older version (sqlstore.rebuildSearch).
CREATE OR REPLACE FUNCTION customer_search_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_search_words (word)
    SELECT DISTINCT w FROM new_customers, unnest(tsvector_to_array(new_customers.search_tsv)) AS w
    WHERE w !~ '^[0-9@§]'
    ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION customer_search_words_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    gone text[];
    lexeme text;
    held boolean;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO customer_search_words (word)
        SELECT w FROM unnest(tsvector_to_array(NEW.search_tsv)) AS w
        WHERE w !~ '^[0-9@§]'
        ORDER BY 1
        ON CONFLICT DO NOTHING;
        gone := ARRAY(SELECT w FROM unnest(tsvector_to_array(OLD.search_tsv)) AS w WHERE w !~ '^[0-9@§]'
                      EXCEPT SELECT unnest(tsvector_to_array(NEW.search_tsv)) ORDER BY 1);
    ELSE
        gone := ARRAY(SELECT w FROM unnest(tsvector_to_array(OLD.search_tsv)) AS w WHERE w !~ '^[0-9@§]' ORDER BY 1);
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
