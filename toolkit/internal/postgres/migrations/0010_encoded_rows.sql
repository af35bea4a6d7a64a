-- Lists are sent from encoded rows: each product and client keeps its wire
-- JSON beside its row (products.wire, the object of the protocol's keys;
-- product_details.wire, the keys of the product's details; clients.wire),
-- written by the store in the same transaction as every change that alters
-- it, so that a list reads one column per row. '' marks a row whose JSON is
-- still to be written: the store writes it when it opens, as it does for
-- every existing row after this migration. The partial indexes find such
-- rows without reading the others. The columns are text, not json: the
-- store writes them from checked columns, and parsing every row on its way
-- in would cost an import more than the rest of the row.
ALTER TABLE products ADD COLUMN wire TEXT NOT NULL DEFAULT '';
ALTER TABLE product_details ADD COLUMN wire TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN wire TEXT NOT NULL DEFAULT '';
CREATE INDEX products_unencoded ON products (id) WHERE wire = '';
CREATE INDEX product_details_unencoded ON product_details (product_id) WHERE wire = '';
CREATE INDEX clients_unencoded ON clients (id) WHERE wire = '';

-- catalogue_stamps holds one number per company that changes, in the same
-- transaction, with every change of what the company's lists send. A
-- server keeps a list's encoded body as long as the stamp it was read at
-- is the company's: every list reads the stamp first, so a change in any
-- process is in the very next list of every process. A stamp is random, so
-- that a database replaced by a copy never meets a body kept for the stamp
-- of another.
CREATE TABLE catalogue_stamps (
	company_id BIGINT PRIMARY KEY REFERENCES companies (id),
	stamp      BIGINT NOT NULL
);
INSERT INTO catalogue_stamps (company_id, stamp) SELECT id, (random() * 4611686018427387903)::bigint FROM companies;
