-- token_changes counts the changes to what a token check reads. Servers keep
-- token checks in memory and read this one number to know whether what they
-- keep is still true: a revocation, a deactivated user or a changed grant
-- moves it in the same transaction, so every process sees it at once.
-- Recording a token's use (last_used_at) and issuing a token do not move it.
CREATE TABLE token_changes (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  BIGINT NOT NULL
);
INSERT INTO token_changes (id, n) VALUES (1, 0);

CREATE FUNCTION token_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE token_changes SET n = n + 1;
	RETURN NULL;
END
$$;

CREATE TRIGGER user_tokens_changed AFTER UPDATE OF hash, user_id, app_slug, expires_at, revoked_at OR DELETE ON user_tokens
	FOR EACH STATEMENT EXECUTE FUNCTION token_changed();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION token_changed();
CREATE TRIGGER apps_changed AFTER INSERT OR UPDATE OR DELETE ON apps
	FOR EACH STATEMENT EXECUTE FUNCTION token_changed();
CREATE TRIGGER permissions_changed AFTER UPDATE OR DELETE ON permissions
	FOR EACH STATEMENT EXECUTE FUNCTION token_changed();
CREATE TRIGGER grants_changed AFTER INSERT OR UPDATE OR DELETE ON grants
	FOR EACH STATEMENT EXECUTE FUNCTION token_changed();
CREATE TRIGGER company_tokens_changed AFTER UPDATE OF hash, company_id, can_products, can_clients, revoked_at OR DELETE ON company_tokens
	FOR EACH STATEMENT EXECUTE FUNCTION token_changed();
