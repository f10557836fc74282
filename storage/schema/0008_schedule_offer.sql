-- Step 8: whether a chat has been offered (or has chosen) a digest schedule.
-- A chat's first subscription switches on a daily digest at 08:00 local time, once: a chat
-- that set its own time, or switched the digest off, keeps its choice on later subscriptions.
ALTER TABLE chats ADD COLUMN schedule_chosen INTEGER NOT NULL DEFAULT 0;

-- Any write of the digest time (/schedule, the offer's buttons) is a choice, even one that
-- changes nothing: /schedule off before the first subscription means off.
CREATE TRIGGER chats_schedule_chosen AFTER UPDATE OF digest_time ON chats
WHEN new.schedule_chosen = 0
BEGIN
    UPDATE chats SET schedule_chosen = 1 WHERE id = new.id;
END;

-- Chats from before this step that follow something, or have or had a schedule, have made
-- their choice already: a later subscription must not switch their digest on.
UPDATE chats SET schedule_chosen = 1
WHERE digest_time IS NOT NULL
   OR last_digest_at IS NOT NULL
   OR EXISTS (SELECT 1 FROM subscriptions WHERE subscriptions.chat_id = chats.id)
   OR EXISTS (SELECT 1 FROM chat_sources WHERE chat_sources.chat_id = chats.id AND follow = 1);
