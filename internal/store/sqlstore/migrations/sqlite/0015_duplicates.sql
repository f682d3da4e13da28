-- Duplicate detection (docs/duplicates.md). dup_name_key is the blocking key of "similar name
-- in the same postal code": a hash of the postal code and the folded, sorted name words
-- (search.DuplicateNameKey), written by every write of a customer. It is computed in Go, so
-- this migration cannot fill it: rows it adds are NULL, and the store fills them in batches
-- when it opens the database (sqlstore/duplicates_scan.go), while the setting below is there.
ALTER TABLE customers ADD COLUMN dup_name_key TEXT;
CREATE INDEX customers_dup_name ON customers (dup_name_key) WHERE dup_name_key <> '';
INSERT INTO settings (key, value) VALUES ('duplicates.name_keys_after', '0');

-- The phone index of the form's warning also holds the stored number, so that grouping the
-- numbers several customers share reads the index alone (a covering scan: the row id, seq, is
-- in every index), not a million rows.
DROP INDEX customers_phone;
CREATE INDEX customers_phone ON customers (substr(phone, 1, instr(phone || ';', ';') - 1), phone) WHERE phone <> '';

-- Pairs a user said are not the same customer ("No es duplicado"). customer_a < customer_b.
-- reasons is the bit set of what they had in common then (1 tax id, 2 e-mail, 4 phone,
-- 8 name); the pair shows again only if they come to share something more.
CREATE TABLE duplicate_dismissals (
    customer_a   TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    customer_b   TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    reasons      INTEGER NOT NULL,
    dismissed_by TEXT NOT NULL,
    dismissed_at INTEGER NOT NULL,
    PRIMARY KEY (customer_a, customer_b),
    CHECK (customer_a < customer_b)
) WITHOUT ROWID;
CREATE INDEX duplicate_dismissals_b ON duplicate_dismissals (customer_b);
