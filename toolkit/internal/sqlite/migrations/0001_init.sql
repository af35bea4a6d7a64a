-- Times are Unix microseconds; decimals are exact text; dates "YYYY-MM-DD".
CREATE TABLE companies (
	id         INTEGER PRIMARY KEY,
	slug       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	first_name    TEXT NOT NULL DEFAULT '',
	last_name     TEXT NOT NULL DEFAULT '',
	email         TEXT NOT NULL DEFAULT '',
	company_id    INTEGER NOT NULL REFERENCES companies (id),
	active        INTEGER NOT NULL DEFAULT 1,
	created_at    INTEGER NOT NULL
);

CREATE TABLE apps (
	id         INTEGER PRIMARY KEY,
	slug       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE permissions (
	id        INTEGER PRIMARY KEY,
	app_id    INTEGER NOT NULL REFERENCES apps (id),
	slug      TEXT NOT NULL UNIQUE,
	label     TEXT NOT NULL,
	parent_id INTEGER REFERENCES permissions (id)
);
CREATE INDEX permissions_app ON permissions (app_id);
CREATE INDEX permissions_parent ON permissions (parent_id);

CREATE TABLE grants (
	user_id       INTEGER NOT NULL REFERENCES users (id),
	permission_id INTEGER NOT NULL REFERENCES permissions (id),
	PRIMARY KEY (user_id, permission_id)
);

CREATE TABLE user_tokens (
	id           INTEGER PRIMARY KEY,
	hash         BLOB NOT NULL UNIQUE,
	user_id      INTEGER NOT NULL REFERENCES users (id),
	app_slug     TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	revoked_at   INTEGER
);
CREATE INDEX user_tokens_user ON user_tokens (user_id);

CREATE TABLE company_tokens (
	id           INTEGER PRIMARY KEY,
	hash         BLOB NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	company_id   INTEGER NOT NULL REFERENCES companies (id),
	can_products INTEGER NOT NULL,
	can_clients  INTEGER NOT NULL,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER NOT NULL,
	revoked_at   INTEGER
);

CREATE TABLE products (
	id                   INTEGER PRIMARY KEY,
	company_id           INTEGER NOT NULL REFERENCES companies (id),
	naam                 TEXT NOT NULL,
	beschrijving         TEXT NOT NULL,
	sku                  TEXT NOT NULL,
	voorraad_bijhouden   TEXT NOT NULL,
	op_voorraad          TEXT NOT NULL,
	product_url          TEXT NOT NULL,
	verkoopprijs_excl    TEXT NOT NULL,
	verkoopprijs_incl    TEXT NOT NULL,
	inkoopprijs_excl     TEXT NOT NULL,
	inkoopprijs_incl     TEXT NOT NULL,
	btw                  TEXT NOT NULL,
	bestellingtype       TEXT NOT NULL,
	units_per_bestelling TEXT NOT NULL,
	status               TEXT NOT NULL,
	UNIQUE (company_id, sku)
);

CREATE TABLE clients (
	id                 INTEGER PRIMARY KEY,
	company_id         INTEGER NOT NULL REFERENCES companies (id),
	klantennummer      INTEGER NOT NULL,
	aanspreektitel     TEXT NOT NULL,
	voornaam           TEXT NOT NULL,
	achternaam         TEXT NOT NULL,
	straat             TEXT NOT NULL,
	huisnummer         TEXT NOT NULL,
	busnummer          TEXT NOT NULL,
	postcode           TEXT NOT NULL,
	plaats             TEXT NOT NULL,
	land               TEXT NOT NULL,
	geboortedatum      TEXT NOT NULL,
	geboorteplaats     TEXT NOT NULL,
	is_bedrijf         INTEGER NOT NULL,
	bedrijfsnaam       TEXT NOT NULL,
	btw_nummer         TEXT NOT NULL,
	ondernemingsnummer TEXT NOT NULL,
	UNIQUE (company_id, klantennummer)
);
