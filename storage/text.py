"""Text keys shared by ingestion and queries: normalised text, hashes, titles, FTS phrases."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# FTS5's unicode61 tokenizer splits on everything that is not a letter or a digit.
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_SPACES = re.compile(r"\s+")

MAX_DERIVED_TITLE = 120

# English function words: they carry no topic, so scores and searches ignore them.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same says said she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t amid new via"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def words(text: str) -> list[str]:
    """Lower-cased words, split the way the full-text index splits them."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def normalize_text(text: str) -> str:
    """Text reduced to its words, so spacing, case and punctuation do not make it 'new'."""
    return " ".join(words(text))


def content_hash(text: str) -> str:
    """A stable hash of the normalised text."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:32]


def title_key(title: str) -> str:
    """The key under which two titles count as the same headline."""
    return normalize_text(title)[:200]


def collapse_spaces(text: str) -> str:
    """Trim and collapse runs of whitespace to one space."""
    return _SPACES.sub(" ", text).strip()


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to the first sentence-ending punctuation)."""
    paragraph = collapse_spaces(text.strip().split("\n", 1)[0])
    parts = _SENTENCE_END.split(paragraph, maxsplit=1)
    return parts[0] if parts else paragraph


def derive_title(text: str) -> str:
    """A title for an article that came without one: its first sentence, shortened.

    A first line that is short and has no closing full stop is taken as it is (it is a title
    already); otherwise the first sentence is used, cut at a word boundary to at most
    ``MAX_DERIVED_TITLE`` characters with an ellipsis.
    """
    first_line = collapse_spaces(text.strip().split("\n", 1)[0])
    if first_line and len(first_line) <= MAX_DERIVED_TITLE and not first_line.endswith("."):
        return first_line
    sentence = first_sentence(text).rstrip(".")
    if len(sentence) <= MAX_DERIVED_TITLE:
        return sentence
    cut = sentence[: MAX_DERIVED_TITLE - 1].rsplit(" ", 1)[0].rstrip(",;:—- ")
    return cut + "…"


def fts_phrase(text: str) -> str | None:
    """``text`` as one quoted FTS5 phrase, or None when it has no words.

    Only letters and digits survive, so quotes, operators and column filters in user text are
    never read as query syntax.
    """
    tokens = words(text)
    return '"' + " ".join(tokens) + '"' if tokens else None


def _search_words(text: str) -> list[str]:
    """The words of a query without stop words, unless it has nothing else."""
    tokens = list(dict.fromkeys(words(text)))
    return [token for token in tokens if token not in STOPWORDS] or tokens


def fts_any_word(text: str) -> str | None:
    """Every (non-stop) word of ``text`` as its own quoted term, joined with OR."""
    tokens = _search_words(text)
    return " OR ".join(f'"{token}"' for token in tokens) or None


def fts_all_words(text: str) -> str | None:
    """Every (non-stop) word of ``text`` as its own quoted term; all must match."""
    tokens = _search_words(text)
    return " AND ".join(f'"{token}"' for token in tokens) or None
