-- Customer register, groups, users, API tokens, audit log and settings.
-- Times are INTEGER microseconds since 1970-01-01 UTC.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE customer_groups (
    seq                   INTEGER PRIMARY KEY,
    id                    TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    name_key              TEXT NOT NULL UNIQUE,
    discount_basis_points INTEGER NOT NULL CHECK (discount_basis_points BETWEEN 0 AND 10000),
    description           TEXT NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL
);

CREATE TABLE customers (
    seq                  INTEGER PRIMARY KEY,
    id                   TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    title                TEXT NOT NULL,
    first_name           TEXT NOT NULL,
    last_name            TEXT NOT NULL,
    company_name         TEXT NOT NULL,
    legal_form           TEXT NOT NULL,
    tax_id               TEXT NOT NULL,
    email                TEXT NOT NULL,
    email_key            TEXT NOT NULL,
    phone                TEXT NOT NULL,
    line1                TEXT NOT NULL,
    line2                TEXT NOT NULL,
    postal_code          TEXT NOT NULL,
    city                 TEXT NOT NULL,
    region               TEXT NOT NULL,
    country              TEXT NOT NULL,
    reference            TEXT NOT NULL,
    reference_key        TEXT UNIQUE, -- NULL when there is no reference
    account_number       TEXT NOT NULL,
    group_id             TEXT REFERENCES customer_groups (id) ON DELETE RESTRICT,
    notes                TEXT NOT NULL,
    invoice_by_email     INTEGER NOT NULL,
    marketing_consent    INTEGER NOT NULL,
    marketing_consent_at INTEGER,
    credit_limit_cents   INTEGER NOT NULL CHECK (credit_limit_cents >= 0),
    sort_key             TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    version              INTEGER NOT NULL
);
CREATE INDEX customers_sort ON customers (sort_key, seq);
CREATE INDEX customers_group ON customers (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX customers_tax_id ON customers (tax_id) WHERE tax_id <> '';
CREATE INDEX customers_email_key ON customers (email_key) WHERE email_key <> '';

-- Full-text index of customers, rowid = customers.seq. The store writes each customer's search
-- document (tokens folded in Go) here in the same transaction as the row. Contentless: it
-- keeps only the index. Prefix indexes make 2- and 3-character starts of words as fast as
-- whole words.
CREATE VIRTUAL TABLE customer_search USING fts5 (
    doc,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii',
    prefix = '3 4 5'
);

-- The vocabulary of the full-text index: every word of four letters or more that some
-- customer has. Search turns a long prefix into the words it starts (see fts.go).
CREATE TABLE customer_search_words (
    word TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TABLE users (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'cashier')),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    fields      TEXT NOT NULL, -- JSON array of field names, never values
    details     TEXT NOT NULL  -- JSON object of counts and ids
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
