-- Step 10: channels (and groups) managed from a private chat with the bot.
-- A managed chat remembers who set it up (told once if the bot loses its rights there);
-- a session says which chat a person's private chat is managing until /channel off.
CREATE TABLE managed_chats (
    chat_id INTEGER PRIMARY KEY,           -- the channel's (or group's) id, negative
    name TEXT NOT NULL,                    -- "@name", or the title of a chat without one
    set_by INTEGER NOT NULL,               -- the user who first managed it
    since INTEGER NOT NULL,                -- Unix seconds
    lost_rights_notified INTEGER NOT NULL DEFAULT 0 CHECK (lost_rights_notified IN (0, 1))
);

CREATE TABLE channel_sessions (
    -- the person's private chat with the bot; /forget deletes the session with it
    private_chat_id INTEGER PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
    chat_id INTEGER NOT NULL REFERENCES managed_chats (chat_id) ON DELETE CASCADE
);
