-- Step 11: lead images and link previews.
-- The URL of an article's lead image (media:content, an image enclosure, og:image, or an
-- "image" field); Telegram fetches it for the link preview, newsbot never downloads it.
CREATE TABLE article_images (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    url TEXT NOT NULL
);

-- A reader who turned link previews off (/previews off); no row: on.
CREATE TABLE chat_previews (
    chat_id INTEGER PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))
);
