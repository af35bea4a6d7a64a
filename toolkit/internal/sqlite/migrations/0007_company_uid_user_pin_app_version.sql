-- A company's uid (unique when set) and a user's pin, which API versions
-- 0.5 and up send, and per app the version its users get by default (''
-- is the protocol's own, 0.4). Existing companies get a random UUID as uid.
ALTER TABLE companies ADD COLUMN uid TEXT NOT NULL DEFAULT '';
UPDATE companies SET uid = lower(
	hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
	substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX companies_uid ON companies (uid) WHERE uid != '';
ALTER TABLE users ADD COLUMN pin TEXT NOT NULL DEFAULT '';
ALTER TABLE apps ADD COLUMN api_version TEXT NOT NULL DEFAULT '';
-- Token checks keep the user's company uid in memory: a new uid must reach
-- them (see 0005_token_changes). Users and apps already move token_changes.
CREATE TRIGGER companies_uid_changed AFTER UPDATE OF uid ON companies
BEGIN UPDATE token_changes SET n = n + 1; END;
