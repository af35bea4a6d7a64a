-- Sign-in attempts per limit (username and address, address, username),
-- kept in the database so that every server process shares them. The key is
-- a SHA-256 of what is counted: no typed username is stored.
CREATE TABLE sign_in_counts (
	key         BYTEA PRIMARY KEY,
	attempts    BIGINT NOT NULL,
	window_ends BIGINT NOT NULL
);
CREATE INDEX sign_in_counts_window_ends ON sign_in_counts (window_ends);
