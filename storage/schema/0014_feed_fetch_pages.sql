-- Step 9: whether the poller fetches the article pages of a feed's headline-only items.
-- On by default; an operator turns it off for a feed whose pages are paywalled or useless
-- (`newsbot feeds pages ID off`). NEWSBOT_FETCH_PAGES=0 turns it off for every feed.
ALTER TABLE feeds ADD COLUMN fetch_pages INTEGER NOT NULL DEFAULT 1;
