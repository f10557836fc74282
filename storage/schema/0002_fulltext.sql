-- Step 2: full-text indexes with Porter stemming, kept in step with their tables by triggers.
-- External-content tables: the text is stored once, in articles and headlines.

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- Title matches weigh more than body matches.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)');

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE VIRTUAL TABLE headlines_fts USING fts5 (
    title,
    content = 'headlines', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- Document frequencies for the related-headline scores come from here.
CREATE VIRTUAL TABLE headlines_vocab USING fts5vocab (headlines_fts, row);

CREATE TRIGGER headlines_fts_insert AFTER INSERT ON headlines BEGIN
    INSERT INTO headlines_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER headlines_fts_delete AFTER DELETE ON headlines BEGIN
    INSERT INTO headlines_fts (headlines_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER headlines_fts_update AFTER UPDATE OF title ON headlines BEGIN
    INSERT INTO headlines_fts (headlines_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO headlines_fts (rowid, title) VALUES (new.id, new.title);
END;

-- Rows written under step 1 enter the indexes now.
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
INSERT INTO headlines_fts (headlines_fts) VALUES ('rebuild');
