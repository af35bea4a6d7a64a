-- The server purges expired and revoked user tokens regularly.
CREATE INDEX user_tokens_expires ON user_tokens (expires_at);
CREATE INDEX user_tokens_revoked ON user_tokens (revoked_at);
