-- Customer register, groups, users, API tokens, audit log and settings.
CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE customer_groups (
    seq                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                    uuid NOT NULL UNIQUE,
    name                  text NOT NULL,
    name_key              text NOT NULL UNIQUE,
    discount_basis_points integer NOT NULL CHECK (discount_basis_points BETWEEN 0 AND 10000),
    description           text NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    version               bigint NOT NULL
);

CREATE TABLE customers (
    seq                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                   uuid NOT NULL UNIQUE,
    kind                 text NOT NULL CHECK (kind IN ('person', 'company')),
    title                text NOT NULL,
    first_name           text NOT NULL,
    last_name            text NOT NULL,
    company_name         text NOT NULL,
    legal_form           text NOT NULL,
    tax_id               text NOT NULL,
    email                text NOT NULL,
    email_key            text NOT NULL,
    phone                text NOT NULL,
    line1                text NOT NULL,
    line2                text NOT NULL,
    postal_code          text NOT NULL,
    city                 text NOT NULL,
    region               text NOT NULL,
    country              text NOT NULL,
    reference            text NOT NULL,
    reference_key        text UNIQUE, -- NULL when there is no reference
    account_number       text NOT NULL,
    group_id             uuid REFERENCES customer_groups (id) ON DELETE RESTRICT,
    notes                text NOT NULL,
    invoice_by_email     boolean NOT NULL,
    marketing_consent    boolean NOT NULL,
    marketing_consent_at timestamptz,
    credit_limit_cents   bigint NOT NULL CHECK (credit_limit_cents >= 0),
    sort_key             text COLLATE "C" NOT NULL,
    search_doc           text NOT NULL,
    -- search_doc holds tokens folded in Go; the 'simple' configuration indexes them as they
    -- are. Stored, so that checking a row against a query does not parse its text again.
    search_tsv           tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_doc)) STORED,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              bigint NOT NULL
);
CREATE INDEX customers_sort ON customers (sort_key, seq);
CREATE INDEX customers_group ON customers (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX customers_tax_id ON customers (tax_id) WHERE tax_id <> '';
CREATE INDEX customers_email_key ON customers (email_key) WHERE email_key <> '';
CREATE INDEX customers_search ON customers USING gin (search_tsv);

CREATE TABLE users (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            uuid NOT NULL UNIQUE,
    username      text NOT NULL,
    username_key  text NOT NULL UNIQUE,
    role          text NOT NULL CHECK (role IN ('admin', 'manager', 'cashier')),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE TABLE api_tokens (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         uuid NOT NULL UNIQUE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor_id    text NOT NULL,
    actor_name  text NOT NULL,
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   text NOT NULL,
    fields      text NOT NULL, -- JSON array of field names, never values
    details     text NOT NULL  -- JSON object of counts and ids
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
