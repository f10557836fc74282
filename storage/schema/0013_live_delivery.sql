-- Step 12: "as it happens" delivery.
-- A chat's delivery mode, for one of its topics or ('' ) for all of them: daily (the digest,
-- the default), live (each new matching story posted on its own) or off.
CREATE TABLE delivery_modes (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('daily', 'live', 'off')),
    PRIMARY KEY (chat_id, topic)
);

-- No live posts between start and end (minutes after midnight, in the chat's time zone).
CREATE TABLE quiet_hours (
    chat_id INTEGER PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1439)
);

-- Stories waiting to be posted: one row per chat and story (two sources of one event are one
-- row). Written in the same transaction as the scan watermark, so a kill loses nothing; a row
-- leaves after its post is logged in deliveries, so a restart never posts it twice.
CREATE TABLE live_queue (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    queued_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, story_id)
);

-- Live posts per chat, for the hourly cap; batched = a "5 more on ukraine" message.
CREATE TABLE live_posts (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    posted_at INTEGER NOT NULL,
    batched INTEGER NOT NULL DEFAULT 0 CHECK (batched IN (0, 1))
);
CREATE INDEX live_posts_by_chat ON live_posts (chat_id, posted_at);

-- Articles fetched up to this time have been matched against live topics.
CREATE TABLE live_scan (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    scanned_until INTEGER NOT NULL
);
