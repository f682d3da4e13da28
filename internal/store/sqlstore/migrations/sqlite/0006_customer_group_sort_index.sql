-- A group's members in list order: the customer list filtered by group walks this index from
-- where the page starts and stops after a page, with no sort and no visit of other groups'
-- customers; a group's member count reads only its entries. It replaces the index on group_id
-- alone, whose leading column it shares (the foreign key's checks use it the same way).
DROP INDEX customers_group;
CREATE INDEX customers_group_sort ON customers (group_id, sort_key, seq) WHERE group_id IS NOT NULL;
