-- Customer accounts: an append-only ledger per customer and the running balance.
-- amount_cents > 0: the customer owes us more; balance_cents is the balance after the entry
-- (> 0 the customer owes us, < 0 we owe the customer). Each entry keeps the customer's name
-- and own account number as they were: accounting needs them after the customer is deleted.
CREATE TABLE ledger_entries (
    seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               uuid NOT NULL UNIQUE,
    customer_id      uuid NOT NULL, -- no foreign key: the ledger outlives the customer
    customer_name    text NOT NULL,
    account_number   text NOT NULL, -- '' : the default customer account
    kind             text NOT NULL CHECK (kind IN ('sale', 'payment', 'deposit', 'credit_use', 'credit_note', 'adjustment')),
    amount_cents     bigint NOT NULL CHECK (amount_cents <> 0),
    balance_cents    bigint NOT NULL,
    method           text NOT NULL, -- payments and deposits: cash, card, transfer; '' otherwise
    invoice_id       uuid,          -- the invoice that caused it (sale, credit use, credit note)
    invoice_number   text NOT NULL,
    reason           text NOT NULL, -- adjustments
    limit_override   boolean NOT NULL,
    user_id          text NOT NULL,
    username         text NOT NULL,
    created_at       timestamptz NOT NULL
);
CREATE INDEX ledger_entries_customer ON ledger_entries (customer_id, seq);
CREATE INDEX ledger_entries_created ON ledger_entries (created_at, seq);

-- The balance of each customer with entries; the row is what concurrent tills take turns on
-- (UPDATE takes its lock until the transaction ends).
CREATE TABLE customer_accounts (
    customer_id   uuid PRIMARY KEY,
    balance_cents bigint NOT NULL,
    entries       bigint NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX customer_accounts_debtors ON customer_accounts (balance_cents) WHERE balance_cents <> 0;

CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries cannot be changed or deleted'
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
