-- The outbox: every e-mail is written here, in the transaction of what caused it, and a
-- worker in `serve` sends it (docs/mail.md). raw holds the rendered message, sent unchanged
-- on every try so that retries carry the same Message-ID.
-- A worker claims a due message by moving next_attempt_at to the end of its claim and
-- writing its claim token (SELECT … FOR UPDATE SKIP LOCKED: several processes claim side by
-- side, never the same row): a worker that dies leaves the message to be claimed again when
-- the claim expires. A message whose customer is deleted is dropped: recipient, subject and
-- raw are blanked.
CREATE TABLE outbox (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              uuid NOT NULL UNIQUE,
    message_id      text NOT NULL UNIQUE,
    kind            text NOT NULL CHECK (kind IN ('invoice', 'statement', 'message', 'test')),
    status          text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'dropped')),
    customer_id     uuid,
    invoice_id      uuid,
    campaign_id     uuid,
    sender          text NOT NULL,
    recipient       text NOT NULL,
    subject         text NOT NULL,
    raw             bytea,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claim           text,
    last_response   text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, seq) WHERE status = 'queued'; -- status first: SQLite's planner then prefers it to outbox_status
CREATE INDEX outbox_status ON outbox (status, seq);
CREATE INDEX outbox_customer ON outbox (customer_id, seq) WHERE customer_id IS NOT NULL;
CREATE INDEX outbox_invoice ON outbox (invoice_id, seq) WHERE invoice_id IS NOT NULL;
CREATE INDEX outbox_campaign ON outbox (campaign_id, status) WHERE campaign_id IS NOT NULL;

-- Every try and the server's answer.
CREATE TABLE outbox_attempts (
    outbox_seq bigint NOT NULL REFERENCES outbox (seq) ON DELETE CASCADE,
    attempt    integer NOT NULL,
    at         timestamptz NOT NULL,
    outcome    text NOT NULL CHECK (outcome IN ('queued', 'sent', 'failed')),
    response   text NOT NULL,
    PRIMARY KEY (outbox_seq, attempt)
);
