-- Categories and the products' details (the keys API version 0.6 adds), and
-- per company token the version its calls get by default ('' is the
-- protocol's, 0.4).
--
-- A category's name is unique among its siblings; roots have no parent, so
-- the unique index reads a missing parent as 0 (NULLs never collide).
CREATE TABLE categories (
	id         INTEGER PRIMARY KEY,
	company_id INTEGER NOT NULL REFERENCES companies (id),
	parent_id  INTEGER REFERENCES categories (id),
	naam       TEXT NOT NULL,
	position   INTEGER NOT NULL
);
CREATE UNIQUE INDEX categories_naam ON categories (company_id, COALESCE(parent_id, 0), naam);
CREATE INDEX categories_parent ON categories (parent_id);

-- A product's details live beside the product, not in its row, so that the
-- lists of 0.4 and 0.5 read the products' rows alone. The list-valued keys
-- are kept as the wire JSON of their list ('' for none, NULL from 0009 on).
CREATE TABLE product_details (
	product_id           INTEGER PRIMARY KEY REFERENCES products (id),
	interne_notitie      TEXT NOT NULL,
	merk                 TEXT NOT NULL,
	merk_id              INTEGER,
	categorie_id         INTEGER REFERENCES categories (id),
	fotos                TEXT NOT NULL,
	prijscategorieen     TEXT NOT NULL,
	ean                  TEXT NOT NULL,
	samenstellingen      TEXT NOT NULL,
	ruwe_grondstoffen    TEXT NOT NULL,
	gebruiksaanwijzingen TEXT NOT NULL,
	meer_info            TEXT NOT NULL
);
CREATE INDEX product_details_categorie ON product_details (categorie_id);

-- The categories a product is in, in the order given; names are read from
-- categories, so that a renamed category shows in every product at once.
CREATE TABLE product_categories (
	product_id  INTEGER NOT NULL REFERENCES products (id),
	position    INTEGER NOT NULL,
	category_id INTEGER NOT NULL REFERENCES categories (id),
	PRIMARY KEY (product_id, position)
);
CREATE INDEX product_categories_category ON product_categories (category_id);

ALTER TABLE company_tokens ADD COLUMN api_version TEXT NOT NULL DEFAULT '';
-- Token checks keep a company token's version in memory (see
-- 0005_token_changes).
DROP TRIGGER company_tokens_changed;
CREATE TRIGGER company_tokens_changed AFTER UPDATE OF hash, company_id, can_products, can_clients, revoked_at, api_version ON company_tokens
BEGIN UPDATE token_changes SET n = n + 1; END;
