-- Step 7: when a feed's current run of failures began, so operators can be told about a feed
-- that has been failing for a day. Kept by triggers on the failure count, which the poller
-- raises on each failure and resets on success; the time is the database's clock.
ALTER TABLE feeds ADD COLUMN failing_since INTEGER;

CREATE TRIGGER feeds_failing_since AFTER UPDATE OF failures ON feeds
WHEN new.failures > 0 AND old.failures = 0
BEGIN
    UPDATE feeds SET failing_since = unixepoch() WHERE id = new.id;
END;

CREATE TRIGGER feeds_recovered AFTER UPDATE OF failures ON feeds
WHEN new.failures = 0 AND old.failures > 0
BEGIN
    UPDATE feeds SET failing_since = NULL WHERE id = new.id;
END;

UPDATE feeds SET failing_since = unixepoch() WHERE failures > 0;
