-- The web console: its own accounts and their sessions (a session by the
-- hash of its secret), the key every server process signs the console's
-- forms with, and who made each change in the audit log (the admin
-- commands, a console user) and which company it concerns.
CREATE TABLE console_users (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	active        INTEGER NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE console_sessions (
	id           INTEGER PRIMARY KEY,
	hash         BLOB NOT NULL UNIQUE,
	user_id      INTEGER NOT NULL REFERENCES console_users (id),
	created_at   INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_id);
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen_at);
CREATE INDEX console_sessions_created ON console_sessions (created_at);

CREATE TABLE console_keys (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	secret BLOB NOT NULL
);

ALTER TABLE audit_log ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN company TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_actor ON audit_log (actor);
CREATE INDEX audit_log_company ON audit_log (company);
