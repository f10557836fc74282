"""/forget removes a reader's words from the disk, not only from the tables: neither the
database file nor its write-ahead log holds them afterwards."""

from __future__ import annotations

from pathlib import Path

from storage import Store

CHAT = 4242
TOPIC = "zanzibarquux"
MUTED = "wombatdiary"


def on_disk(database: Path) -> bytes:
    return b"".join(
        path.read_bytes()
        for path in (database, database.with_name(database.name + "-wal"))
        if path.exists()
    )


async def test_forgotten_words_are_gone_from_the_file_and_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "newsbot.db"
    async with await Store.open(path) as store:
        for chat in (CHAT, CHAT + 1):  # another reader keeps the pages in use
            await store.chats.ensure(chat)
            await store.subscriptions.subscribe(chat, f"{TOPIC}{chat}")
            await store.controls.mute_word(chat, f"{MUTED}{chat}")
    # Closed and opened again: the words now live in the database file itself, not the WAL.
    assert f"{TOPIC}{CHAT}".encode() in path.read_bytes()

    async with await Store.open(path) as store:
        await store.chats.forget(CHAT)

        assert await store.chats.get(CHAT) is None
        stored = on_disk(path)
        assert f"{TOPIC}{CHAT}".encode() not in stored
        assert f"{MUTED}{CHAT}".encode() not in stored
        # The other reader's words and the store itself are untouched.
        assert await store.subscriptions.topics(CHAT + 1) == [f"{TOPIC}{CHAT + 1}"]
        await store.subscriptions.subscribe(CHAT + 1, "harbour")


async def test_forgotten_words_written_moments_ago_are_gone_from_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "newsbot.db"
    async with await Store.open(path) as store:
        await store.chats.ensure(CHAT)
        await store.subscriptions.subscribe(CHAT, TOPIC)
        await store.controls.mute_word(CHAT, MUTED)
        assert TOPIC.encode() in on_disk(path)

        await store.chats.forget(CHAT)

        assert TOPIC.encode() not in on_disk(path)
        assert MUTED.encode() not in on_disk(path)
