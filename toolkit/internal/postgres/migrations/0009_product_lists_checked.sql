-- A product's lists (fotos, prijscategorieen, ...) are copied into the list
-- bodies as stored, so the schema guarantees their shape instead of the
-- list call checking every row: each is a JSON array, or NULL for an empty
-- list, which costs a reader no bytes to fetch. The json type keeps the
-- text exactly as written (jsonb would reorder keys and respace it). This
-- migration turns the '' that stood for an empty list into NULL.
--
-- A row that is not a JSON array stops the migration with its product and
-- column, so that nothing is dropped; repair or delete it and start again.
-- The rows are checked one by one only when the conversion fails: the
-- usual case pays for one rewrite of the table.
CREATE FUNCTION pg_temp.json_array_text(t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	RETURN t = '' OR json_typeof(t::json) = 'array';
EXCEPTION WHEN data_exception THEN
	RETURN false;
END $$;

DO $$
DECLARE
	bad record;
BEGIN
	BEGIN
		ALTER TABLE product_details
			ALTER COLUMN fotos DROP NOT NULL,
			ALTER COLUMN fotos TYPE json USING CAST(NULLIF(fotos, '') AS json),
			ALTER COLUMN prijscategorieen DROP NOT NULL,
			ALTER COLUMN prijscategorieen TYPE json USING CAST(NULLIF(prijscategorieen, '') AS json),
			ALTER COLUMN ean DROP NOT NULL,
			ALTER COLUMN ean TYPE json USING CAST(NULLIF(ean, '') AS json),
			ALTER COLUMN samenstellingen DROP NOT NULL,
			ALTER COLUMN samenstellingen TYPE json USING CAST(NULLIF(samenstellingen, '') AS json),
			ALTER COLUMN ruwe_grondstoffen DROP NOT NULL,
			ALTER COLUMN ruwe_grondstoffen TYPE json USING CAST(NULLIF(ruwe_grondstoffen, '') AS json),
			ALTER COLUMN gebruiksaanwijzingen DROP NOT NULL,
			ALTER COLUMN gebruiksaanwijzingen TYPE json USING CAST(NULLIF(gebruiksaanwijzingen, '') AS json),
			ALTER COLUMN meer_info DROP NOT NULL,
			ALTER COLUMN meer_info TYPE json USING CAST(NULLIF(meer_info, '') AS json),
			ADD CONSTRAINT fotos_json_array CHECK (json_typeof(fotos) = 'array'),
			ADD CONSTRAINT prijscategorieen_json_array CHECK (json_typeof(prijscategorieen) = 'array'),
			ADD CONSTRAINT ean_json_array CHECK (json_typeof(ean) = 'array'),
			ADD CONSTRAINT samenstellingen_json_array CHECK (json_typeof(samenstellingen) = 'array'),
			ADD CONSTRAINT ruwe_grondstoffen_json_array CHECK (json_typeof(ruwe_grondstoffen) = 'array'),
			ADD CONSTRAINT gebruiksaanwijzingen_json_array CHECK (json_typeof(gebruiksaanwijzingen) = 'array'),
			ADD CONSTRAINT meer_info_json_array CHECK (json_typeof(meer_info) = 'array');
	EXCEPTION WHEN data_exception OR check_violation THEN
		SELECT product_id, CASE
			WHEN NOT pg_temp.json_array_text(fotos) THEN 'fotos'
			WHEN NOT pg_temp.json_array_text(prijscategorieen) THEN 'prijscategorieen'
			WHEN NOT pg_temp.json_array_text(ean) THEN 'EAN'
			WHEN NOT pg_temp.json_array_text(samenstellingen) THEN 'samenstellingen'
			WHEN NOT pg_temp.json_array_text(ruwe_grondstoffen) THEN 'ruwe_grondstoffen'
			WHEN NOT pg_temp.json_array_text(gebruiksaanwijzingen) THEN 'gebruiksaanwijzingen'
			ELSE 'meer_info' END AS col
		INTO bad FROM product_details
		WHERE NOT (pg_temp.json_array_text(fotos) AND pg_temp.json_array_text(prijscategorieen) AND pg_temp.json_array_text(ean)
			AND pg_temp.json_array_text(samenstellingen) AND pg_temp.json_array_text(ruwe_grondstoffen)
			AND pg_temp.json_array_text(gebruiksaanwijzingen) AND pg_temp.json_array_text(meer_info))
		ORDER BY product_id LIMIT 1;
		IF NOT FOUND THEN
			RAISE;
		END IF;
		RAISE EXCEPTION 'product %: its stored % is not a JSON array; repair or delete that product''s data of version 0.6, then start again', bad.product_id, bad.col
			USING ERRCODE = 'check_violation';
	END;
END $$;

DROP FUNCTION pg_temp.json_array_text(text);
