-- The audit log: sign-ins, throttling, token issue and revocation, and
-- every administrator's change. Never a password or a token.
CREATE TABLE audit_log (
	id       INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL,
	action   TEXT NOT NULL,
	username TEXT NOT NULL,
	app      TEXT NOT NULL,
	address  TEXT NOT NULL,
	detail   TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_username ON audit_log (username);
