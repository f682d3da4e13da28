-- Customer accounts: an append-only ledger per customer and the running balance.
-- amount_cents > 0: the customer owes us more; balance_cents is the balance after the entry
-- (> 0 the customer owes us, < 0 we owe the customer). Each entry keeps the customer's name
-- and own account number as they were: accounting needs them after the customer is deleted.
CREATE TABLE ledger_entries (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    customer_id      TEXT NOT NULL, -- no foreign key: the ledger outlives the customer
    customer_name    TEXT NOT NULL,
    account_number   TEXT NOT NULL, -- '' : the default customer account
    kind             TEXT NOT NULL CHECK (kind IN ('sale', 'payment', 'deposit', 'credit_use', 'credit_note', 'adjustment')),
    amount_cents     INTEGER NOT NULL CHECK (amount_cents <> 0),
    balance_cents    INTEGER NOT NULL,
    method           TEXT NOT NULL, -- payments and deposits: cash, card, transfer; '' otherwise
    invoice_id       TEXT,          -- the invoice that caused it (sale, credit use, credit note)
    invoice_number   TEXT NOT NULL,
    reason           TEXT NOT NULL, -- adjustments
    limit_override   INTEGER NOT NULL CHECK (limit_override IN (0, 1)),
    user_id          TEXT NOT NULL,
    username         TEXT NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX ledger_entries_customer ON ledger_entries (customer_id, seq);
CREATE INDEX ledger_entries_created ON ledger_entries (created_at, seq);

-- The balance of each customer with entries; the row is what concurrent tills take turns on.
CREATE TABLE customer_accounts (
    customer_id   TEXT PRIMARY KEY,
    balance_cents INTEGER NOT NULL,
    entries       INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX customer_accounts_debtors ON customer_accounts (balance_cents) WHERE balance_cents <> 0;

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries cannot be changed or deleted');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries cannot be changed or deleted');
END;
