-- Step 9: who may use the bot (NEWSBOT_ACCESS allowlist or approval).
-- Users an admin allowed or denied, allowed users once they have written (for /users), and
-- groups and channels an allowed user added or administers. A stranger the bot refused
-- automatically is never stored.
CREATE TABLE access (
    id INTEGER PRIMARY KEY,
    subject_id INTEGER UNIQUE,     -- a user id (> 0) or a group's or channel's (< 0); NULL
                                   -- for "/allow @name" until that user first writes
    username TEXT UNIQUE,          -- lower case, without @; NULL when unknown
    allowed INTEGER NOT NULL CHECK (allowed IN (0, 1)),
    since INTEGER NOT NULL,        -- when allowed or denied (Unix seconds)
    decided_by INTEGER,            -- who allowed or denied; NULL: the configuration
    last_seen INTEGER,             -- the user's last message, to the hour; NULL: never
    CHECK (subject_id IS NOT NULL OR username IS NOT NULL)
);
