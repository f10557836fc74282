-- Step 9: what each message of a scheduled digest holds, recorded before the first one is sent.
-- A digest is planned whole (the slot it is for, each message's text, buttons and articles),
-- and each message is marked once Telegram has accepted it. After a crash the catch-up sends
-- the messages not yet marked, exactly as planned: a rebuild could rank differently and so
-- repeat or skip stories. The rows go when the chat's schedule moves on past the slot.
CREATE TABLE digest_parts (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    -- The schedule's instant this digest is for (Unix seconds, UTC).
    slot_at INTEGER NOT NULL,
    -- When it was built: the end of its window, where the chat's next digest starts.
    built_at INTEGER NOT NULL,
    text TEXT NOT NULL,
    -- The message's reply_markup as Bot API JSON, or NULL for none.
    keyboard TEXT,
    -- JSON list of the article ids it shows (all sources of each story).
    article_ids TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, part)
) WITHOUT ROWID;
