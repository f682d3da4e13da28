-- Messages to customers (docs/messages.md): each campaign (one message to one customer, a
-- group or a search of the register) and the opt-outs recorded through its unsubscribe link.
-- The recipients are the outbox's rows with campaign_id; no address is kept here.
CREATE TABLE campaigns (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    subject     TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    audience    TEXT NOT NULL CHECK (audience IN ('customer', 'group', 'search')),
    audience_id TEXT NOT NULL DEFAULT '',
    query       TEXT NOT NULL DEFAULT '',
    balance     TEXT NOT NULL DEFAULT '',
    recipients  INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);

-- One row per customer who followed a campaign's unsubscribe link (the first time).
CREATE TABLE unsubscribes (
    campaign_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, customer_id)
);
