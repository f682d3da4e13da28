-- Messages to customers (docs/messages.md): each campaign (one message to one customer, a
-- group or a search of the register) and the opt-outs recorded through its unsubscribe link.
-- The recipients are the outbox's rows with campaign_id; no address is kept here.
CREATE TABLE campaigns (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          uuid NOT NULL UNIQUE,
    subject     text NOT NULL,
    author_id   text NOT NULL,
    author_name text NOT NULL,
    audience    text NOT NULL CHECK (audience IN ('customer', 'group', 'search')),
    audience_id text NOT NULL DEFAULT '',
    query       text NOT NULL DEFAULT '',
    balance     text NOT NULL DEFAULT '',
    recipients  bigint NOT NULL,
    skipped     bigint NOT NULL,
    created_at  timestamptz NOT NULL
);

-- One row per customer who followed a campaign's unsubscribe link (the first time).
CREATE TABLE unsubscribes (
    campaign_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, customer_id)
);
