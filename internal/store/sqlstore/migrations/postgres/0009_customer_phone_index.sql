-- Customers are looked up by phone number, without its extension, to warn that another
-- customer already has the number a form is about to save (app.CheckCustomer). The stored
-- form is E.164, then ";ext=" and the extension when there is one: the index holds what comes
-- before the ';'. A query uses it only when it spells the same expression and the same
-- condition (sqlstore/duplicates.go).
CREATE INDEX customers_phone ON customers (split_part(phone, ';', 1)) WHERE phone <> '';
