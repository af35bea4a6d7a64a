-- Failed and refused sign-ins of one username within a minute share one
-- audit entry that counts them (attempts), found by its aggregate key, so
-- that what anonymous clients send makes the log grow by a bounded amount
-- a minute. Every other entry counts 1 and has no key.
ALTER TABLE audit_log ADD COLUMN attempts BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN aggregate_key BYTEA;
CREATE UNIQUE INDEX audit_log_aggregate_key ON audit_log (aggregate_key);

-- The addresses each user signed in from with a right password, spared the
-- per-username limit of failed sign-ins; the key is a SHA-256 of username
-- and address. At most a few per user, each forgotten at expires_at.
CREATE TABLE known_addresses (
	key        BYTEA PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id),
	expires_at BIGINT NOT NULL
);
CREATE INDEX known_addresses_user ON known_addresses (user_id, expires_at);
CREATE INDEX known_addresses_expires_at ON known_addresses (expires_at);
