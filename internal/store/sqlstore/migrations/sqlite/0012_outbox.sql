-- The outbox: every e-mail is written here, in the transaction of what caused it, and a
-- worker in `serve` sends it (docs/mail.md). raw holds the rendered message, sent unchanged
-- on every try so that retries carry the same Message-ID.
-- A worker claims a due message by moving next_attempt_at to the end of its claim and
-- writing its claim token: a worker that dies leaves the message to be claimed again when
-- the claim expires. A message whose customer is deleted is dropped: recipient, subject and
-- raw are blanked.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    message_id      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('invoice', 'statement', 'message', 'test')),
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'dropped')),
    customer_id     TEXT,
    invoice_id      TEXT,
    campaign_id     TEXT,
    sender          TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    raw             BLOB,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claim           TEXT,
    last_response   TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, seq) WHERE status = 'queued'; -- status first: SQLite's planner then prefers it to outbox_status
CREATE INDEX outbox_status ON outbox (status, seq);
CREATE INDEX outbox_customer ON outbox (customer_id, seq) WHERE customer_id IS NOT NULL;
CREATE INDEX outbox_invoice ON outbox (invoice_id, seq) WHERE invoice_id IS NOT NULL;
CREATE INDEX outbox_campaign ON outbox (campaign_id, status) WHERE campaign_id IS NOT NULL;

-- Every try and the server's answer.
CREATE TABLE outbox_attempts (
    outbox_seq INTEGER NOT NULL REFERENCES outbox (seq) ON DELETE CASCADE,
    attempt    INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('queued', 'sent', 'failed')),
    response   TEXT NOT NULL,
    PRIMARY KEY (outbox_seq, attempt)
);
