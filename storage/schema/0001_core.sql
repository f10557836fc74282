-- Step 1: the core tables. Times are integer Unix seconds (UTC); sort_at is the time to order by.

CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    topic TEXT,
    etag TEXT,
    last_modified TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_poll_at INTEGER,
    added_at INTEGER NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url TEXT UNIQUE,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    text TEXT NOT NULL,
    language TEXT,
    source TEXT,
    published_at INTEGER,
    fetched_at INTEGER NOT NULL,
    sort_at INTEGER NOT NULL,
    story_id INTEGER NOT NULL,
    categories TEXT NOT NULL DEFAULT '[]',
    feed_id INTEGER REFERENCES feeds (id) ON DELETE SET NULL
);
CREATE INDEX articles_by_hash ON articles (content_hash);
CREATE INDEX articles_by_title_key ON articles (title_key);
CREATE INDEX articles_by_time ON articles (sort_at);
CREATE INDEX articles_by_story ON articles (story_id);

CREATE TABLE article_categories (
    category TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (category, article_id)
) WITHOUT ROWID;
CREATE INDEX article_categories_by_article ON article_categories (article_id);

-- Bare headlines and, through a trigger, every article's title: one list to rank and show.
CREATE TABLE headlines (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    url TEXT,
    source TEXT,
    published_at INTEGER,
    fetched_at INTEGER NOT NULL,
    sort_at INTEGER NOT NULL,
    article_id INTEGER UNIQUE REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX headlines_by_title_key ON headlines (title_key);
CREATE INDEX headlines_by_time ON headlines (sort_at);

CREATE TRIGGER articles_title_headline AFTER INSERT ON articles BEGIN
    INSERT INTO headlines (title, title_key, url, source, published_at, fetched_at, sort_at,
                           article_id)
    VALUES (new.title, new.title_key, new.url, new.source, new.published_at, new.fetched_at,
            new.sort_at, new.id);
END;

CREATE TABLE chats (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'private',
    language TEXT,
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    digest_time TEXT,
    digest_days TEXT NOT NULL DEFAULT '0123456',
    summary_length TEXT NOT NULL DEFAULT 'medium',
    active INTEGER NOT NULL DEFAULT 1,
    paused INTEGER NOT NULL DEFAULT 0,
    message_thread_id INTEGER,
    last_digest_at INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE subscriptions (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, topic)
) WITHOUT ROWID;
CREATE INDEX subscriptions_by_topic ON subscriptions (topic);

CREATE TABLE deliveries (
    chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    delivered_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, article_id)
) WITHOUT ROWID;

CREATE TABLE summary_cache (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    algorithm TEXT NOT NULL,
    length INTEGER NOT NULL,
    sentences TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, algorithm, length)
) WITHOUT ROWID;
