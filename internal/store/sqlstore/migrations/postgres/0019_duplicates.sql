-- Duplicate detection (docs/duplicates.md). dup_name_key is the blocking key of "similar name
-- in the same postal code": a hash of the postal code and the folded, sorted name words
-- (search.DuplicateNameKey), written by every write of a customer. It is computed in Go, so
-- this migration cannot fill it: rows it adds are NULL, and the store fills them in batches
-- when it opens the database (sqlstore/duplicates_scan.go), while the setting below is there.
ALTER TABLE customers ADD COLUMN dup_name_key text COLLATE "C";
CREATE INDEX customers_dup_name ON customers (dup_name_key) INCLUDE (seq) WHERE dup_name_key <> '';
INSERT INTO settings (key, value) VALUES ('duplicates.name_keys_after', '0');

-- The scan groups each of the four indexes and lists who holds each shared value: with seq
-- included (and the phone index also holding the stored number its condition reads), it is an
-- index-only scan that visits no row of the table. The lookups by value that the form's
-- warnings and the import make use them as before.
DROP INDEX customers_phone;
CREATE INDEX customers_phone ON customers (split_part(phone, ';', 1), phone) INCLUDE (seq) WHERE phone <> '';
DROP INDEX customers_tax_id;
CREATE INDEX customers_tax_id ON customers (tax_id) INCLUDE (seq) WHERE tax_id <> '';
DROP INDEX customers_email_key;
CREATE INDEX customers_email_key ON customers (email_key) INCLUDE (seq) WHERE email_key <> '';

-- Pairs a user said are not the same customer ("No es duplicado"). customer_a < customer_b.
-- reasons is the bit set of what they had in common then (1 tax id, 2 e-mail, 4 phone,
-- 8 name); the pair shows again only if they come to share something more.
CREATE TABLE duplicate_dismissals (
    customer_a   uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    customer_b   uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    reasons      integer NOT NULL,
    dismissed_by text NOT NULL,
    dismissed_at timestamptz NOT NULL,
    PRIMARY KEY (customer_a, customer_b),
    CHECK (customer_a < customer_b)
);
CREATE INDEX duplicate_dismissals_b ON duplicate_dismissals (customer_b);
