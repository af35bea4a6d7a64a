-- A product's lists (fotos, prijscategorieen, ...) are copied into the list
-- bodies as stored, so the schema guarantees their shape instead of the
-- list call checking every row: each is the text of a JSON array, or NULL
-- for an empty list, which costs a reader no bytes to fetch. This migration
-- turns the '' that stood for an empty list into NULL.
--
-- SQLite adds a CHECK only to a new table: the rows move into one. A row
-- that is not a JSON array stops the migration with its product and column,
-- so that nothing is dropped; repair or delete it and start again.
CREATE TABLE product_details_checked (
	product_id           INTEGER PRIMARY KEY REFERENCES products (id),
	interne_notitie      TEXT NOT NULL,
	merk                 TEXT NOT NULL,
	merk_id              INTEGER,
	categorie_id         INTEGER REFERENCES categories (id),
	fotos                TEXT CONSTRAINT fotos_json_array
		CHECK (fotos IS NULL OR typeof(fotos) = 'text' AND json_valid(fotos) AND json_type(fotos) = 'array'),
	prijscategorieen     TEXT CONSTRAINT prijscategorieen_json_array
		CHECK (prijscategorieen IS NULL OR typeof(prijscategorieen) = 'text' AND json_valid(prijscategorieen) AND json_type(prijscategorieen) = 'array'),
	ean                  TEXT CONSTRAINT ean_json_array
		CHECK (ean IS NULL OR typeof(ean) = 'text' AND json_valid(ean) AND json_type(ean) = 'array'),
	samenstellingen      TEXT CONSTRAINT samenstellingen_json_array
		CHECK (samenstellingen IS NULL OR typeof(samenstellingen) = 'text' AND json_valid(samenstellingen) AND json_type(samenstellingen) = 'array'),
	ruwe_grondstoffen    TEXT CONSTRAINT ruwe_grondstoffen_json_array
		CHECK (ruwe_grondstoffen IS NULL OR typeof(ruwe_grondstoffen) = 'text' AND json_valid(ruwe_grondstoffen) AND json_type(ruwe_grondstoffen) = 'array'),
	gebruiksaanwijzingen TEXT CONSTRAINT gebruiksaanwijzingen_json_array
		CHECK (gebruiksaanwijzingen IS NULL OR typeof(gebruiksaanwijzingen) = 'text' AND json_valid(gebruiksaanwijzingen) AND json_type(gebruiksaanwijzingen) = 'array'),
	meer_info            TEXT CONSTRAINT meer_info_json_array
		CHECK (meer_info IS NULL OR typeof(meer_info) = 'text' AND json_valid(meer_info) AND json_type(meer_info) = 'array')
);

-- Names the first damaged column of a row as it moves; the CHECKs alone
-- would refuse it without saying which product.
CREATE TRIGGER product_details_checked_moving BEFORE INSERT ON product_details_checked
WHEN NOT (
	(NEW.fotos IS NULL OR typeof(NEW.fotos) = 'text' AND json_valid(NEW.fotos) AND json_type(NEW.fotos) = 'array') AND
	(NEW.prijscategorieen IS NULL OR typeof(NEW.prijscategorieen) = 'text' AND json_valid(NEW.prijscategorieen) AND json_type(NEW.prijscategorieen) = 'array') AND
	(NEW.ean IS NULL OR typeof(NEW.ean) = 'text' AND json_valid(NEW.ean) AND json_type(NEW.ean) = 'array') AND
	(NEW.samenstellingen IS NULL OR typeof(NEW.samenstellingen) = 'text' AND json_valid(NEW.samenstellingen) AND json_type(NEW.samenstellingen) = 'array') AND
	(NEW.ruwe_grondstoffen IS NULL OR typeof(NEW.ruwe_grondstoffen) = 'text' AND json_valid(NEW.ruwe_grondstoffen) AND json_type(NEW.ruwe_grondstoffen) = 'array') AND
	(NEW.gebruiksaanwijzingen IS NULL OR typeof(NEW.gebruiksaanwijzingen) = 'text' AND json_valid(NEW.gebruiksaanwijzingen) AND json_type(NEW.gebruiksaanwijzingen) = 'array') AND
	(NEW.meer_info IS NULL OR typeof(NEW.meer_info) = 'text' AND json_valid(NEW.meer_info) AND json_type(NEW.meer_info) = 'array'))
BEGIN
	SELECT RAISE(ABORT, 'product ' || NEW.product_id || ': its stored ' || CASE
		WHEN NOT (NEW.fotos IS NULL OR typeof(NEW.fotos) = 'text' AND json_valid(NEW.fotos) AND json_type(NEW.fotos) = 'array') THEN 'fotos'
		WHEN NOT (NEW.prijscategorieen IS NULL OR typeof(NEW.prijscategorieen) = 'text' AND json_valid(NEW.prijscategorieen) AND json_type(NEW.prijscategorieen) = 'array') THEN 'prijscategorieen'
		WHEN NOT (NEW.ean IS NULL OR typeof(NEW.ean) = 'text' AND json_valid(NEW.ean) AND json_type(NEW.ean) = 'array') THEN 'EAN'
		WHEN NOT (NEW.samenstellingen IS NULL OR typeof(NEW.samenstellingen) = 'text' AND json_valid(NEW.samenstellingen) AND json_type(NEW.samenstellingen) = 'array') THEN 'samenstellingen'
		WHEN NOT (NEW.ruwe_grondstoffen IS NULL OR typeof(NEW.ruwe_grondstoffen) = 'text' AND json_valid(NEW.ruwe_grondstoffen) AND json_type(NEW.ruwe_grondstoffen) = 'array') THEN 'ruwe_grondstoffen'
		WHEN NOT (NEW.gebruiksaanwijzingen IS NULL OR typeof(NEW.gebruiksaanwijzingen) = 'text' AND json_valid(NEW.gebruiksaanwijzingen) AND json_type(NEW.gebruiksaanwijzingen) = 'array') THEN 'gebruiksaanwijzingen'
		ELSE 'meer_info' END ||
		' is not a JSON array; repair or delete that product''s data of version 0.6, then start again');
END;

INSERT INTO product_details_checked
SELECT product_id, interne_notitie, merk, merk_id, categorie_id,
	NULLIF(fotos, ''),
	NULLIF(prijscategorieen, ''),
	NULLIF(ean, ''),
	NULLIF(samenstellingen, ''),
	NULLIF(ruwe_grondstoffen, ''),
	NULLIF(gebruiksaanwijzingen, ''),
	NULLIF(meer_info, '')
FROM product_details ORDER BY product_id;

DROP TRIGGER product_details_checked_moving;
DROP TABLE product_details;
ALTER TABLE product_details_checked RENAME TO product_details;
CREATE INDEX product_details_categorie ON product_details (categorie_id);
