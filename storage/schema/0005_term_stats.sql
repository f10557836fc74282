-- Step 5: document frequencies kept in a plain table, so related-headline scoring looks up
-- hundreds of terms by primary key instead of walking FTS5 posting lists (fts5vocab counts a
-- term's documents by reading all of them). The writer adds each ingested chunk's counts.
-- The row with the empty term holds the number of documents counted (articles and bare
-- headlines). Counts are not lowered when rows are deleted; idf only needs to be close.
CREATE TABLE term_stats (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO term_stats (term, docs) SELECT term, doc FROM articles_vocab WHERE true;
INSERT INTO term_stats (term, docs)
    SELECT term, doc FROM headlines_vocab WHERE true
    ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs;
INSERT INTO term_stats (term, docs)
    VALUES ('', (SELECT count(*) FROM articles) + (SELECT count(*) FROM headlines));
