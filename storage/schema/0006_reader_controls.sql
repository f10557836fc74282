-- Step 6: reader controls. Words and phrases a chat never wants to see, and feeds a chat
-- follows (every story of the feed) or mutes (none of them). Both go with the chat.

CREATE TABLE muted_words (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    phrase TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, phrase)
) WITHOUT ROWID;

-- follow = 1: the feed's stories come as if it were a topic; follow = 0: the feed is muted.
CREATE TABLE chat_sources (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    follow INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, feed_id)
) WITHOUT ROWID;
CREATE INDEX chat_sources_by_feed ON chat_sources (feed_id);

CREATE INDEX articles_by_feed ON articles (feed_id, fetched_at);
