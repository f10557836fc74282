-- Step 3: digest scheduling and per-chat digest options.
-- next_digest_at (Unix seconds, UTC) is computed from the chat's local schedule by the bot's
-- scheduler, so one indexed range query finds the chats due now however many there are.
-- A changed schedule clears it (trigger below) and the next tick computes it again.

ALTER TABLE chats ADD COLUMN next_digest_at INTEGER;
ALTER TABLE chats ADD COLUMN digest_max_stories INTEGER NOT NULL DEFAULT 5;
ALTER TABLE chats ADD COLUMN digest_notify_empty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN digest_lookback_hours INTEGER NOT NULL DEFAULT 24;

-- Partial indexes: the due query and the "needs a due time" query each read only their rows.
CREATE INDEX chats_due_digest ON chats (next_digest_at, id)
    WHERE active = 1 AND paused = 0 AND digest_time IS NOT NULL;
CREATE INDEX chats_unscheduled_digest ON chats (id)
    WHERE digest_time IS NOT NULL AND next_digest_at IS NULL;

CREATE TRIGGER chats_digest_schedule_changed
AFTER UPDATE OF digest_time, time_zone, digest_days ON chats
WHEN old.digest_time IS NOT new.digest_time
  OR old.time_zone IS NOT new.time_zone
  OR old.digest_days IS NOT new.digest_days
BEGIN
    UPDATE chats SET next_digest_at = NULL WHERE id = new.id;
END;

-- "New since the last digest" is about when an article was stored, not when it was published.
CREATE INDEX articles_by_fetched ON articles (fetched_at);
