"""The bot's small in-memory caches: a full one forgets its least recently used entry only."""

from bot.digests.builder import RelatedCache
from bot.services import ChatLanguages, SeenChats
from storage import RelatedHeadline


def test_a_full_seen_chats_forgets_only_the_chat_seen_longest_ago() -> None:
    seen = SeenChats(max_size=3)
    for chat_id in (1, 2, 3):
        seen.mark(chat_id)
    assert seen.fresh(1)  # seen again: now chat 2 is the oldest
    seen.mark(4)
    assert [seen.fresh(chat_id) for chat_id in (1, 2, 3, 4)] == [True, False, True, True]


def test_a_full_chat_languages_forgets_only_the_least_recently_used_chat() -> None:
    languages = ChatLanguages(max_size=2)
    languages.set(1, "de")
    languages.set(2, "fr")
    assert languages.get(1) == "de"
    languages.set(3, "uk")
    assert [languages.get(chat_id) for chat_id in (1, 2, 3)] == ["de", None, "uk"]


def test_a_full_related_cache_forgets_only_the_least_recently_used_article() -> None:
    cache = RelatedCache(max_entries=2)
    headline = RelatedHeadline("Trams return", "https://a.example/1", "A", score=0.5)
    cache[1] = cache[2] = (headline,)
    assert cache.get(1) == (headline,)
    cache[3] = ()
    assert [cache.get(article_id) for article_id in (1, 2, 3)] == [(headline,), None, ()]
