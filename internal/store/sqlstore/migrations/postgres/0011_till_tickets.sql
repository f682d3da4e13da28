-- The till: the shop's own details and the open tickets.

-- The shop (one row): printed on receipts and invoices. Its country is the default_country
-- setting. vat_rates: the rates offered at the till, basis points separated by commas.
CREATE TABLE shop (
    id             integer PRIMARY KEY CHECK (id = 1),
    name           text NOT NULL,
    tax_id         text NOT NULL,
    line1          text NOT NULL,
    line2          text NOT NULL,
    postal_code    text NOT NULL,
    city           text NOT NULL,
    region         text NOT NULL,
    invoice_prefix text NOT NULL,
    vat_rates      text NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        bigint NOT NULL
);
INSERT INTO shop VALUES (1, '', '', '', '', '', '', '', 'F', '2100,1000,400,0', 'epoch', 1);

-- Open tickets; closing one issues an invoice and deletes it. owner_id is the user who
-- opened it (text without a foreign key: the system user runs benches). The customer is
-- attached by id; deleting the customer detaches them. The group and its discount are
-- captured when the customer is attached (a group's new rate is seen by the next ticket); no
-- foreign key, so a group can be deleted while a ticket still shows it.
CREATE TABLE tickets (
    seq                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                    uuid NOT NULL UNIQUE,
    owner_id              text NOT NULL,
    customer_id           uuid REFERENCES customers (id) ON DELETE SET NULL,
    group_id              text NOT NULL,
    group_name            text NOT NULL,
    discount_basis_points integer NOT NULL CHECK (discount_basis_points BETWEEN 0 AND 10000),
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    version               bigint NOT NULL
);
CREATE INDEX tickets_owner ON tickets (owner_id, seq);
CREATE INDEX tickets_customer ON tickets (customer_id) WHERE customer_id IS NOT NULL;

CREATE TABLE ticket_lines (
    seq                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                    uuid NOT NULL UNIQUE,
    ticket_id             uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    label                 text NOT NULL,
    quantity              bigint NOT NULL CHECK (quantity > 0), -- thousandths
    unit_price_cents      bigint NOT NULL CHECK (unit_price_cents >= 0),
    vat_rate_basis_points integer NOT NULL CHECK (vat_rate_basis_points BETWEEN 0 AND 10000)
);
CREATE INDEX ticket_lines_ticket ON ticket_lines (ticket_id, seq);
