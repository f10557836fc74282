"""Live-delivery storage: effective modes, the queue's one row per story, the hourly counts."""

import json
from datetime import UTC, datetime, timedelta

from storage.ingest.jsonl import parse_jsonl
from storage.live import QueuedStory

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def _chat(store, chat_id: int, *topics: str) -> None:
    await store.chats.ensure(chat_id)
    for topic in topics:
        await store.subscriptions.subscribe(chat_id, topic)


async def test_a_topic_mode_overrides_the_chat_default(store):
    await _chat(store, 1, "ukraine", "climate")
    await _chat(store, 2, "ukraine")
    live = store.live
    await live.set_mode(1, "", "live")
    await live.set_mode(1, "climate", "off")
    await live.set_mode(2, "ukraine", "live")
    assert await live.live_topics() == {"ukraine": [1, 2]}
    await store.chats.update(2, paused=True)
    assert await live.live_topics() == {"ukraine": [1]}


async def test_one_row_per_chat_and_story_and_the_watermark_moves_with_it(store):
    await _chat(store, 1, "ukraine")
    body = "Negotiators met in Geneva for a new round of talks on a ceasefire. " * 4
    lines = [
        json.dumps(
            {"title": "Talks resume in Geneva today", "source": source, "text": body + source}
        )
        for source in ("Wire A", "Wire B")
    ]
    await store.articles.ingest(parse_jsonl(lines, name="talks.jsonl"))
    [first, second] = sorted(
        (hit.article for hit in await store.articles.search("geneva")), key=lambda a: a.id
    )
    assert first.story_id == second.story_id  # one event, two sources
    live = store.live
    assert await live.scanned_until() is None
    story = first.story_id
    stories = [
        QueuedStory(1, story, first.id, "ukraine"),
        QueuedStory(1, story, second.id, "ukraine"),
    ]
    assert await live.enqueue(stories, scanned_until=T0, now=T0) == 1
    assert await live.scanned_until() == T0
    assert await live.pending(1) == [QueuedStory(1, story, first.id, "ukraine")]
    await live.done(1, [story], posted_at=T0, batched=False)
    await live.done(1, [], posted_at=T0 + timedelta(minutes=5), batched=True)
    assert await live.pending(1) == []
    assert await live.posts_since(1, T0 - timedelta(hours=1)) == (1, 1)
    assert await live.posts_since(1, T0 + timedelta(minutes=1)) == (0, 1)
