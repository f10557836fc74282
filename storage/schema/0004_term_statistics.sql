-- Step 4: document frequencies over article titles and texts, for related-headline scores.
-- Headlines alone are too short to tell a common word ("force") from a specific one
-- ("Ukraine"); article texts are a much better background.
CREATE VIRTUAL TABLE articles_vocab USING fts5vocab (articles_fts, row);
