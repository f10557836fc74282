-- Step 15: a followed source's own delivery mode (daily, live or off), like a topic's in
-- delivery_modes. NULL: the chat's default (delivery_modes' '' row, else daily).
ALTER TABLE chat_sources ADD COLUMN delivery TEXT CHECK (delivery IN ('daily', 'live', 'off'));
