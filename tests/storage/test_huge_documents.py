"""One huge document must not slow search, topics or related headlines for everybody."""

from storage import Store
from storage.articles import SNIPPET_TEXT_LIMIT, plain_snippet
from storage.ingest.records import ArticleRecord
from storage.ingest.writer import MAX_STORED_TEXT_CHARS

COMMON = "the bank said interest rates would rise and the market fell "


async def test_a_huge_text_is_stored_cut_at_a_word_and_marked(store: Store) -> None:
    await store.articles.ingest([ArticleRecord(text=COMMON * 20_000, title="A very long file")])
    [article] = await store.articles.latest()
    assert MAX_STORED_TEXT_CHARS - 1000 < len(article.text) <= MAX_STORED_TEXT_CHARS + 2
    assert article.text.endswith(" …")
    assert article.text.removesuffix(" …").split()[-1] in COMMON.split()


async def test_a_text_under_the_cap_is_stored_whole(store: Store) -> None:
    text = COMMON * (MAX_STORED_TEXT_CHARS // len(COMMON))
    await store.articles.ingest([ArticleRecord(text=text, title="Long but not too long")])
    [article] = await store.articles.latest()
    assert article.text == text.strip()


async def test_search_in_a_long_text_gives_a_short_snippet_around_the_words(store: Store) -> None:
    text = "Opening words of no note here. " * 3 + COMMON * 2_000
    assert len(text) > SNIPPET_TEXT_LIMIT
    await store.articles.ingest([ArticleRecord(text=text, title="Markets")])
    [hit] = await store.articles.search("interest rates")
    assert "interest rates" in hit.snippet
    assert len(hit.snippet.split()) <= 17
    assert hit.snippet.endswith("…")


def test_a_plain_snippet_finds_a_word_by_its_stem_and_marks_what_it_leaves_out() -> None:
    text = "Alpha beta gamma. The central bank raised rates again on Monday, said analysts."
    assert plain_snippet(text, "rate", size=5) == "…bank raised rates again on…"
    assert plain_snippet(text, "nothing", size=3) == "Alpha beta gamma…"
    assert plain_snippet("Short text.", "text", size=16) == "Short text"
