-- token_changes counts the changes to what a token check reads. Servers keep
-- token checks in memory and read this one number to know whether what they
-- keep is still true: a revocation, a deactivated user or a changed grant
-- moves it in the same transaction, so every process sees it at once.
-- Recording a token's use (last_used_at) and issuing a token do not move it.
CREATE TABLE token_changes (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  INTEGER NOT NULL
);
INSERT INTO token_changes (id, n) VALUES (1, 0);

CREATE TRIGGER user_tokens_changed AFTER UPDATE OF hash, user_id, app_slug, expires_at, revoked_at ON user_tokens
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER user_tokens_deleted AFTER DELETE ON user_tokens
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER users_changed AFTER UPDATE ON users
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER users_deleted AFTER DELETE ON users
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER apps_added AFTER INSERT ON apps
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER apps_changed AFTER UPDATE ON apps
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER apps_deleted AFTER DELETE ON apps
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER permissions_changed AFTER UPDATE ON permissions
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER permissions_deleted AFTER DELETE ON permissions
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER grants_added AFTER INSERT ON grants
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER grants_changed AFTER UPDATE ON grants
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER grants_deleted AFTER DELETE ON grants
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER company_tokens_changed AFTER UPDATE OF hash, company_id, can_products, can_clients, revoked_at ON company_tokens
BEGIN UPDATE token_changes SET n = n + 1; END;
CREATE TRIGGER company_tokens_deleted AFTER DELETE ON company_tokens
BEGIN UPDATE token_changes SET n = n + 1; END;
