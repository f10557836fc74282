"""A digest full of muted stories is filled with the next visible ones (mutes checked lazily)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.digests.builder import DigestBuilder
from storage import Store
from storage.ingest.records import ArticleRecord

NOW = datetime.now(UTC)


async def test_muted_top_stories_give_way_to_the_next_visible_ones(tmp_path: Path) -> None:
    async with await Store.open(tmp_path / "newsbot.db") as store:
        # Twelve distinct harbour stories; the six newest also mention football.
        await store.articles.ingest(
            ArticleRecord(
                title=f"Harbour {place} opens a new quay",
                text=f"The harbour of {place} opened its new quay on the river today."
                + (" The football club came to watch." if number >= 6 else ""),
                url=f"https://news.test/{place}",
                published_at=NOW - timedelta(hours=12 - number),
            )
            for number, place in enumerate(
                [
                    "Alder",
                    "Birch",
                    "Cedar",
                    "Dover",
                    "Elm",
                    "Fir",
                    "Grove",
                    "Hazel",
                    "Iris",
                    "Juniper",
                    "Kestrel",
                    "Larch",
                ]
            )
        )
        chat_id = 5150
        await store.subscriptions.subscribe(chat_id, "harbour")
        await store.chats.update(chat_id, max_stories=4)
        await store.controls.mute_word(chat_id, "football")
        chat = await store.chats.get(chat_id)
        assert chat is not None
        [digest] = await DigestBuilder(store, None, now=NOW + timedelta(minutes=1)).build([chat])
    text = "\n".join(message.text for message in digest.messages)
    shown = [place for place in ("Alder", "Birch", "Cedar", "Dover", "Elm", "Fir") if place in text]
    assert len(shown) == 4
    assert not any(place in text for place in ("Grove", "Hazel", "Iris", "Juniper", "Kestrel"))
