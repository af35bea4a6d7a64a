-- Sign-in attempts per limit (username and address, address, username),
-- kept in the database so that every server process shares them. The key is
-- a SHA-256 of what is counted: no typed username is stored.
CREATE TABLE sign_in_counts (
	key         BLOB PRIMARY KEY,
	attempts    INTEGER NOT NULL,
	window_ends INTEGER NOT NULL
);
CREATE INDEX sign_in_counts_window_ends ON sign_in_counts (window_ends);
