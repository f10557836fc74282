"""Digest messages: HTML cards grouped by topic, split at story boundaries under Telegram's limit.

Pure functions on dataclasses; turning ``DigestButton`` rows into Telegram keyboards happens in
the sender, so this module has no Telegram types and is cheap to test and to benchmark.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.digests.ranking import RankedStory, group_by_topic
from bot.i18n import DEFAULT_LANGUAGE, month_short, translator, weekday_abbreviation
from storage.digests import DigestArticle
from storage.models import RelatedHeadline

__all__ = [
    "MESSAGE_LIMIT",
    "DigestButton",
    "DigestItem",
    "DigestMessage",
    "format_digest",
    "format_nothing_new",
    "telegram_length",
]

# Telegram allows 4096 characters after entity parsing; counting the HTML source in UTF-16 code
# units (as Telegram counts) is stricter, so a message that passes here always passes there.
MESSAGE_LIMIT = 4096
MAX_TITLE_CHARS = 300
MAX_SUMMARY_CHARS = 700
MAX_RELATED_CHARS = 200
MAX_RELATED = 3
MUTE_BUTTONS_PER_ROW = 2
MAX_HEADER_TOPICS_CHARS = 120
# A story's block must fit one message: a longer (tracking) URL is left unlinked, and feed-given
# source names are clipped like titles.
MAX_URL_CHARS = 2048
MAX_SOURCE_CHARS = 100


@dataclass(frozen=True, slots=True)
class DigestItem:
    """A chosen story with its cached summary sentences and related headlines."""

    story: RankedStory
    summary: tuple[str, ...]
    related: tuple[RelatedHeadline, ...] = ()


@dataclass(frozen=True, slots=True)
class DigestButton:
    """An inline button: ``action`` is one of "summary", "more", "mute"; ``value`` its target."""

    label: str
    action: str
    value: str


@dataclass(frozen=True, slots=True)
class DigestMessage:
    """One Telegram message of a digest and the articles its send puts in the delivery log."""

    text: str
    buttons: tuple[tuple[DigestButton, ...], ...]
    article_ids: tuple[int, ...]
    story_ids: tuple[int, ...]


def telegram_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's message limits."""
    return len(text.encode("utf-16-le")) // 2


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _story_block(number: int, item: DigestItem, language: str) -> str:
    return f"{number}. " + _story_body(
        article=item.story.article,
        also_sources=item.story.also_sources,
        summary_sentences=item.summary,
        related_headlines=item.related[:MAX_RELATED],
        language=language,
    )


# Many chats get the same story: render its card once and only number it per digest.
@lru_cache(maxsize=8192)
def _story_body(
    article: DigestArticle,
    also_sources: tuple[str, ...],
    summary_sentences: tuple[str, ...],
    related_headlines: tuple[RelatedHeadline, ...],
    language: str,
) -> str:
    t = translator(language)
    title = _escape(_clip(article.title or t.gettext("(untitled)"), MAX_TITLE_CHARS))
    if article.url and len(article.url) <= MAX_URL_CHARS:
        heading = f'<b><a href="{html.escape(article.url, quote=True)}">{title}</a></b>'
    else:
        heading = f"<b>{title}</b>"
    lines = [heading]
    summary = _clip(" ".join(summary_sentences), MAX_SUMMARY_CHARS)
    if summary:
        lines.append(_escape(summary))
    credits = [_clip(article.source, MAX_SOURCE_CHARS)] if article.source else []
    if also_sources:
        also = t.gettext("also: {sources}").format(sources=", ".join(also_sources))
        credits.append(_clip(also, MAX_SOURCE_CHARS))
    if credits:
        lines.append(f"<i>{_escape(' · '.join(credits))}</i>")
    for related in related_headlines:
        text = _escape(_clip(related.title, MAX_RELATED_CHARS))
        if related.url and len(related.url) <= MAX_URL_CHARS:
            text = f'<a href="{html.escape(related.url, quote=True)}">{text}</a>'
        source = _clip(related.source, MAX_SOURCE_CHARS) if related.source else ""
        suffix = f" ({_escape(source)})" if source else ""
        lines.append(f"↳ {text}{suffix}")
    return "\n".join(lines)


def _header(local_day: date | None, topics: Sequence[str], part: int, language: str) -> str:
    t = translator(language)
    parts = [t.gettext("<b>Your digest</b>")]
    if topics:
        parts.append(_escape(_clip(", ".join(topics), MAX_HEADER_TOPICS_CHARS)))
    if local_day:
        # Translators: a digest's day, such as "Thu 15 Jan".
        day = t.gettext("{weekday} {day} {month}").format(
            weekday=weekday_abbreviation(t, local_day.weekday()),
            day=f"{local_day:%d}",
            month=month_short(t, local_day.month),
        )
        parts.append(day)
    header = " · ".join(parts)
    return f"{header} ({part})" if part > 1 else header


def format_digest(
    items: Sequence[DigestItem],
    *,
    local_day: date | None = None,
    topics: Sequence[str] = (),
    limit: int = MESSAGE_LIMIT,
    language: str = DEFAULT_LANGUAGE,
) -> list[DigestMessage]:
    """Render the digest as one message, or several split between stories when it is long.

    ``language`` is the interface language of the headings and buttons; stories keep theirs.
    """
    if not items:
        return []
    numbered: dict[int, int] = {}
    by_story = {item.story.story_id: item for item in items}
    sections = group_by_topic([item.story for item in items])
    # Blocks in display order: (topic, topic header or "", story number, rendered story).
    blocks: list[tuple[str, DigestItem, int, str]] = []
    for topic, stories in sections:
        for story in stories:
            number = len(numbered) + 1
            numbered[story.story_id] = number
            item = by_story[story.story_id]
            blocks.append((topic, item, number, _story_block(number, item, language)))

    messages: list[DigestMessage] = []
    current: list[tuple[str, DigestItem, int, str]] = []
    parts: list[str] = []
    length = 0

    def flush() -> None:
        nonlocal current, parts, length
        if current:
            messages.append(_message("".join(parts), current, language))
        current, parts, length = [], [], 0

    for block in blocks:
        topic, _, _, body = block
        for attempt in range(2):
            header = (
                "" if current else _header(local_day, topics, len(messages) + 1, language) + "\n"
            )
            new_section = not current or current[-1][0] != topic
            section = f"\n<b>{_escape(topic.title())}</b>\n" if new_section else "\n"
            addition = f"{header}{section}{body}\n"
            # Lengths add up, so only the new part is measured, never the whole message again.
            added = telegram_length(addition)
            if length + added <= limit or (attempt == 1 and not current):
                current.append(block)
                parts.append(addition)
                length += added
                break
            flush()
    flush()
    return messages


def _message(
    text: str, blocks: Sequence[tuple[str, DigestItem, int, str]], language: str
) -> DigestMessage:
    rows: list[tuple[DigestButton, ...]] = []
    topics: list[str] = []
    article_ids: list[int] = []
    for topic, item, number, _ in blocks:
        rows.append(_story_buttons(number, item.story.article.id, language))
        if topic not in topics:
            topics.append(topic)
        article_ids.extend(item.story.article_ids)
    mutes = [_mute_button(topic, language) for topic in topics]
    for start in range(0, len(mutes), MUTE_BUTTONS_PER_ROW):
        rows.append(tuple(mutes[start : start + MUTE_BUTTONS_PER_ROW]))
    return DigestMessage(
        text=text.rstrip("\n"),
        buttons=tuple(rows),
        article_ids=tuple(article_ids),
        story_ids=tuple(item.story.story_id for _, item, _, _ in blocks),
    )


# Buttons are immutable and shared by every digest that shows the same story at that number.
@lru_cache(maxsize=65536)
def _story_buttons(number: int, article_id: int, language: str) -> tuple[DigestButton, ...]:
    t = translator(language)
    value = str(article_id)
    return (
        DigestButton(
            "📄 " + t.gettext("{number} Full summary").format(number=number), "summary", value
        ),
        DigestButton(
            "➕ " + t.gettext("{number} More like this").format(number=number), "more", value
        ),
    )


@lru_cache(maxsize=4096)
def _mute_button(topic: str, language: str) -> DigestButton:
    label = translator(language).gettext("Mute {topic}").format(topic=topic)
    return DigestButton(f"🔇 {label}", "mute", topic)


def format_nothing_new(
    local_day: date | None = None,
    topics: Sequence[str] = (),
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The notice for chats that asked to hear when there is no new matching news."""
    notice = translator(language).gettext("Nothing new on your topics since the last digest.")
    return _header(local_day, topics, 1, language) + "\n" + notice
