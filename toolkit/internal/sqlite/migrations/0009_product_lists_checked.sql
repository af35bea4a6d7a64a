-- A product's lists of version 0.6 (fotos, prijscategorieen, ...) are copied
-- into the list bodies as stored, so the schema now guarantees what the list
-- call used to check on every row: each is the text of a JSON array. An
-- empty list, stored as '' until now, becomes '[]'.
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
	fotos                TEXT NOT NULL CONSTRAINT fotos_json_array
		CHECK (typeof(fotos) = 'text' AND json_valid(fotos) AND json_type(fotos) = 'array'),
	prijscategorieen     TEXT NOT NULL CONSTRAINT prijscategorieen_json_array
		CHECK (typeof(prijscategorieen) = 'text' AND json_valid(prijscategorieen) AND json_type(prijscategorieen) = 'array'),
	ean                  TEXT NOT NULL CONSTRAINT ean_json_array
		CHECK (typeof(ean) = 'text' AND json_valid(ean) AND json_type(ean) = 'array'),
	samenstellingen      TEXT NOT NULL CONSTRAINT samenstellingen_json_array
		CHECK (typeof(samenstellingen) = 'text' AND json_valid(samenstellingen) AND json_type(samenstellingen) = 'array'),
	ruwe_grondstoffen    TEXT NOT NULL CONSTRAINT ruwe_grondstoffen_json_array
		CHECK (typeof(ruwe_grondstoffen) = 'text' AND json_valid(ruwe_grondstoffen) AND json_type(ruwe_grondstoffen) = 'array'),
	gebruiksaanwijzingen TEXT NOT NULL CONSTRAINT gebruiksaanwijzingen_json_array
		CHECK (typeof(gebruiksaanwijzingen) = 'text' AND json_valid(gebruiksaanwijzingen) AND json_type(gebruiksaanwijzingen) = 'array'),
	meer_info            TEXT NOT NULL CONSTRAINT meer_info_json_array
		CHECK (typeof(meer_info) = 'text' AND json_valid(meer_info) AND json_type(meer_info) = 'array')
);

-- Names the first damaged column of a row as it moves; the CHECKs alone
-- would refuse it without saying which product.
CREATE TRIGGER product_details_checked_moving BEFORE INSERT ON product_details_checked
WHEN NOT (
	typeof(NEW.fotos) = 'text' AND json_valid(NEW.fotos) AND json_type(NEW.fotos) = 'array' AND
	typeof(NEW.prijscategorieen) = 'text' AND json_valid(NEW.prijscategorieen) AND json_type(NEW.prijscategorieen) = 'array' AND
	typeof(NEW.ean) = 'text' AND json_valid(NEW.ean) AND json_type(NEW.ean) = 'array' AND
	typeof(NEW.samenstellingen) = 'text' AND json_valid(NEW.samenstellingen) AND json_type(NEW.samenstellingen) = 'array' AND
	typeof(NEW.ruwe_grondstoffen) = 'text' AND json_valid(NEW.ruwe_grondstoffen) AND json_type(NEW.ruwe_grondstoffen) = 'array' AND
	typeof(NEW.gebruiksaanwijzingen) = 'text' AND json_valid(NEW.gebruiksaanwijzingen) AND json_type(NEW.gebruiksaanwijzingen) = 'array' AND
	typeof(NEW.meer_info) = 'text' AND json_valid(NEW.meer_info) AND json_type(NEW.meer_info) = 'array')
BEGIN
	SELECT RAISE(ABORT, 'product ' || NEW.product_id || ': its stored ' || CASE
		WHEN NOT (typeof(NEW.fotos) = 'text' AND json_valid(NEW.fotos) AND json_type(NEW.fotos) = 'array') THEN 'fotos'
		WHEN NOT (typeof(NEW.prijscategorieen) = 'text' AND json_valid(NEW.prijscategorieen) AND json_type(NEW.prijscategorieen) = 'array') THEN 'prijscategorieen'
		WHEN NOT (typeof(NEW.ean) = 'text' AND json_valid(NEW.ean) AND json_type(NEW.ean) = 'array') THEN 'EAN'
		WHEN NOT (typeof(NEW.samenstellingen) = 'text' AND json_valid(NEW.samenstellingen) AND json_type(NEW.samenstellingen) = 'array') THEN 'samenstellingen'
		WHEN NOT (typeof(NEW.ruwe_grondstoffen) = 'text' AND json_valid(NEW.ruwe_grondstoffen) AND json_type(NEW.ruwe_grondstoffen) = 'array') THEN 'ruwe_grondstoffen'
		WHEN NOT (typeof(NEW.gebruiksaanwijzingen) = 'text' AND json_valid(NEW.gebruiksaanwijzingen) AND json_type(NEW.gebruiksaanwijzingen) = 'array') THEN 'gebruiksaanwijzingen'
		ELSE 'meer_info' END ||
		' is not a JSON array; repair or delete that product''s data of version 0.6, then start again');
END;

INSERT INTO product_details_checked
SELECT product_id, interne_notitie, merk, merk_id, categorie_id,
	CASE fotos WHEN '' THEN '[]' ELSE fotos END,
	CASE prijscategorieen WHEN '' THEN '[]' ELSE prijscategorieen END,
	CASE ean WHEN '' THEN '[]' ELSE ean END,
	CASE samenstellingen WHEN '' THEN '[]' ELSE samenstellingen END,
	CASE ruwe_grondstoffen WHEN '' THEN '[]' ELSE ruwe_grondstoffen END,
	CASE gebruiksaanwijzingen WHEN '' THEN '[]' ELSE gebruiksaanwijzingen END,
	CASE meer_info WHEN '' THEN '[]' ELSE meer_info END
FROM product_details ORDER BY product_id;

DROP TRIGGER product_details_checked_moving;
DROP TABLE product_details;
ALTER TABLE product_details_checked RENAME TO product_details;
CREATE INDEX product_details_categorie ON product_details (categorie_id);
