"""Digest messages: short HTML cards grouped by topic, split at story boundaries.

Pure functions on dataclasses; turning ``DigestButton`` rows into Telegram keyboards happens in
the sender, so this module has no Telegram types and is cheap to test and to benchmark.
Escaping, links and lengths come from :mod:`bot.formatting`, like every other reply's.

Every story card fits STORY_BUDGET visible characters, so five stories always fit one message
and ten never take more than two, whatever the reader's summary length: the expandable part
gives way first, then related headlines, then the summary is cut shorter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

from bot.callbacks import Action
from bot.dates import compact_date
from bot.digests.ranking import RankedStory, group_by_topic
from bot.formatting import MESSAGE_LIMIT, escape, format_date, link, visible_length
from bot.i18n import DEFAULT_LANGUAGE, month_short, translator, weekday_abbreviation
from storage.digests import DigestArticle
from storage.models import RelatedHeadline

__all__ = [
    "STORY_BUDGET",
    "DigestButton",
    "DigestItem",
    "DigestMessage",
    "format_digest",
    "format_nothing_new",
    "via_line",
]

MAX_TITLE_CHARS = 160
MAX_RELATED_CHARS = 110
MAX_RELATED = 2
MAX_SOURCE_CHARS = 40
MAX_ALSO_SOURCES = 3
MAX_TOPIC_CHARS = 40
MAX_HEADER_TOPICS_CHARS = 120
TOPIC_BUTTONS_PER_ROW = 2
# A digest's summary: one or two sentences, about a tweet long.
LEAD_CHARS = 280
LEAD_SENTENCES = 2
# What medium and long add, folded in an expandable quote so the digest stays short on screen.
EXTRA_CHARS = {"short": 0, "medium": 300, "long": 600}
# Room for a message's header and up to five topic headings; the rest is shared by five cards.
HEADER_ALLOWANCE = 400
STORIES_PER_MESSAGE = 5
STORY_BUDGET = (MESSAGE_LIMIT - HEADER_ALLOWANCE) // STORIES_PER_MESSAGE
# Below this, a summary says too little to be worth its line: related headlines go first.
MIN_LEAD_CHARS = 120


@dataclass(frozen=True, slots=True)
class DigestItem:
    """A chosen story with its summary sentences (maybe none) and related headlines."""

    story: RankedStory
    summary: tuple[str, ...]
    related: tuple[RelatedHeadline, ...] = ()


@dataclass(frozen=True, slots=True)
class DigestButton:
    """An inline button: what it does and its argument (an article id or a topic)."""

    label: str
    action: Action
    value: str


@dataclass(frozen=True, slots=True)
class DigestMessage:
    """One Telegram message of a digest and the articles its send puts in the delivery log."""

    text: str
    buttons: tuple[tuple[DigestButton, ...], ...]
    article_ids: tuple[int, ...]
    story_ids: tuple[int, ...]


_Block = tuple[str, DigestItem, int, str, int]


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)].rsplit(" ", 1)[0]
    return f"{cut}…"


def _lead_and_rest(sentences: Sequence[str], chars: int) -> tuple[str, str]:
    """The first one or two sentences within ``chars`` (the first cut if longer), the rest."""
    clean = [" ".join(sentence.split()) for sentence in sentences if sentence.strip()]
    if not clean:
        return "", ""
    lead = [clean[0]]
    for sentence in clean[1:LEAD_SENTENCES]:
        if len(" ".join([*lead, sentence])) > chars:
            break
        lead.append(sentence)
    return _clip(" ".join(lead), chars), " ".join(clean[len(lead) :])


def _story_block(
    number: int,
    item: DigestItem,
    length: str,
    language: str,
    time_zone: str,
    *,
    now: datetime | None,
) -> tuple[str, int]:
    """The numbered card and its visible length."""
    article = item.story.article
    related = item.related[:MAX_RELATED]
    also = tuple(zip(item.story.also_sources, item.story.also_urls or _nones(item), strict=False))
    # Built-in values only: hashing and comparing them is C, where a dataclass's is Python.
    key = (
        article.id,
        article.title,
        article.url,
        article.source,
        article.published_at,
        article.fetched_at,
        also,
        item.summary,
        tuple((headline.title, headline.url, headline.source) for headline in related),
        length,
        language,
        time_zone,
        now,
    )
    cached = _CARDS.get(key)
    if cached is None:
        card = _story_card(
            article,
            also=also,
            summary_sentences=item.summary,
            related_headlines=related,
            length=length,
            language=language,
            time_zone=time_zone,
            now=now,
        )
        if len(_CARDS) >= _CARDS_LIMIT:
            for old in list(_CARDS)[: _CARDS_LIMIT // 10]:
                del _CARDS[old]
        cached = _CARDS[key] = (card, visible_length(card))
    prefix = f"{number}. "
    return prefix + cached[0], len(prefix) + cached[1]


def _nones(item: DigestItem) -> tuple[None, ...]:
    return (None,) * len(item.story.also_sources)


def _size(html: str) -> int:
    return visible_length(html) + 1  # and its line break


# Many chats get the same story: render its card once per length and time zone, number it
# per digest (the budget keeps room for a number of up to two digits).
_CARDS: dict[tuple[object, ...], tuple[str, int]] = {}
_CARDS_LIMIT = 8192


def _story_card(
    article: DigestArticle,
    *,
    also: tuple[tuple[str, str | None], ...],
    summary_sentences: tuple[str, ...],
    related_headlines: tuple[RelatedHeadline, ...],
    length: str,
    language: str,
    time_zone: str,
    now: datetime | None,
) -> str:
    t = translator(language)
    title = _clip(article.title or t.gettext("(untitled)"), MAX_TITLE_CHARS)
    heading = f"<b>{link(title, article.url)}</b>"
    credits = [escape(_clip(article.source, MAX_SOURCE_CHARS))] if article.source else []
    published = article.published_at or article.fetched_at
    # Relative to the run's now ("14:05", "yesterday", "Mon 3 Nov"), as on /summary's cards.
    day = (
        compact_date(published, now=now, time_zone=time_zone, t=t)
        if now is not None
        else format_date(published, time_zone, t)
    )
    if day:
        credits.append(escape(day))
    if also:
        names = ", ".join(
            link(_clip(source, MAX_SOURCE_CHARS), url) for source, url in also[:MAX_ALSO_SOURCES]
        )
        credits.append(t.gettext("also: {sources}").format(sources=names))
    meta = f"<i>{' · '.join(credits)}</i>" if credits else ""
    related = [
        f"↳ {link(_clip(headline.title, MAX_RELATED_CHARS), headline.url)}"
        + (f" ({escape(_clip(headline.source, MAX_SOURCE_CHARS))})" if headline.source else "")
        for headline in related_headlines
    ]
    room = STORY_BUDGET - len("10. ") - _size(heading) - (_size(meta) if meta else 0)
    room -= sum(_size(line) for line in related)
    while related and room < MIN_LEAD_CHARS:
        room += _size(related.pop())
    lead, rest = _lead_and_rest(summary_sentences, max(1, min(LEAD_CHARS, room - 1)))
    lines = [heading]
    if lead:
        lines.append(escape(lead))
        room -= len(lead) + 1
    extra = min(EXTRA_CHARS.get(length, 0), room - 1)
    # An expandable quote of a few words would only be clutter.
    if rest and extra >= MIN_LEAD_CHARS // 2:
        lines.append(f"<blockquote expandable>{escape(_clip(rest, extra))}</blockquote>")
    if meta:
        lines.append(meta)
    lines.extend(related)
    return "\n".join(lines)


# Chats of one zone, language and topics share their headers.
@lru_cache(maxsize=4096)
def _header_line(
    local_day: date | None, topics: tuple[str, ...], part: int, language: str, channel: bool
) -> tuple[str, int]:
    header = _header(local_day, topics, part, language, channel=channel) + "\n"
    return header, visible_length(header)


@lru_cache(maxsize=4096)
def _heading(topic: str) -> tuple[str, int]:
    # The topic as the reader wrote it: re-casing "EU-UK" or "iPhone" would change it.
    heading = f"\n<b>{escape(_clip(topic, MAX_TOPIC_CHARS))}</b>\n"
    return heading, visible_length(heading)


def _header(
    local_day: date | None,
    topics: tuple[str, ...],
    part: int,
    language: str,
    *,
    channel: bool = False,
) -> str:
    t = translator(language)
    # A channel's followers did not choose its topics: "your" would speak to the wrong person.
    title = t.gettext("<b>Today's news</b>") if channel else t.gettext("<b>Your digest</b>")
    parts = [title]
    if topics:
        parts.append(escape(_clip(", ".join(topics), MAX_HEADER_TOPICS_CHARS)))
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
    length: str = "short",
    time_zone: str = "UTC",
    now: datetime | None = None,
    channel: bool = False,
    via: str | None = None,
) -> list[DigestMessage]:
    """Render the digest as one message, or several split between stories when it is long.

    ``language`` is the interface language of the headings and buttons; stories keep theirs.
    ``length`` is the chat's summary length: short, medium or long. With ``now``, dates are
    relative to it ("14:05", "yesterday"); without, absolute ("25 Nov 2026"). A ``channel``
    digest is headed for a channel and has no buttons: its followers are not its readers of
    record, and a button pressed there would change the channel for everyone. ``via``
    ("@newsbot") closes the last message with "via @newsbot" when it fits.
    """
    if not items:
        return []
    by_story = {item.story.story_id: item for item in items}
    sections = group_by_topic([item.story for item in items])
    # Blocks in display order: (topic, item, story number, rendered story, its visible length).
    blocks: list[_Block] = []
    for topic, stories in sections:
        for story in stories:
            number = len(blocks) + 1
            item = by_story[story.story_id]
            body, body_length = _story_block(number, item, length, language, time_zone, now=now)
            blocks.append((topic, item, number, body, body_length))

    messages: list[DigestMessage] = []
    current: list[_Block] = []
    parts: list[str] = []
    used = 0

    def flush() -> None:
        nonlocal current, parts, used
        if current:
            messages.append(_message("".join(parts), current, language, buttons=not channel))
        current, parts, used = [], [], 0

    for block in blocks:
        topic, _, _, body, body_length = block
        for attempt in range(2):
            header, header_length = (
                ("", 0)
                if current
                else _header_line(local_day, tuple(topics), len(messages) + 1, language, channel)
            )
            new_section = not current or current[-1][0] != topic
            heading, heading_length = _heading(topic) if new_section else ("\n", 1)
            addition = f"{header}{heading}{body}\n"
            # Telegram's limit counts the text after parsing; lengths add up, so only the new
            # part is measured (each piece's length is known from its cache).
            added = header_length + heading_length + body_length + 1
            if used + added <= limit or (attempt == 1 and not current):
                current.append(block)
                parts.append(addition)
                used += added
                break
            flush()
    flush()
    if via and messages:
        messages[-1] = _with_via(messages[-1], via, language, limit)
    return messages


def via_line(via: str, language: str) -> str:
    """The closing line of a channel post: which bot posted it, for followers to find it."""
    return escape(translator(language).gettext("via {bot}").format(bot=via))


def _with_via(message: DigestMessage, via: str, language: str, limit: int) -> DigestMessage:
    text = f"{message.text}\n\n{via_line(via, language)}"
    if visible_length(text) > limit:
        return message
    return replace(message, text=text)


def _message(
    text: str, blocks: Sequence[_Block], language: str, *, buttons: bool = True
) -> DigestMessage:
    rows: list[tuple[DigestButton, ...]] = []
    topics: list[str] = []
    article_ids: list[int] = []
    for topic, item, number, _, _ in blocks:
        rows.append(_story_buttons(number, item.story.article.id, language))
        if topic not in topics:
            topics.append(topic)
        article_ids.extend(item.story.article_ids)
    unfollow = [_unfollow_button(topic, language) for topic in topics]
    for start in range(0, len(unfollow), TOPIC_BUTTONS_PER_ROW):
        rows.append(tuple(unfollow[start : start + TOPIC_BUTTONS_PER_ROW]))
    return DigestMessage(
        text=text.rstrip("\n"),
        buttons=tuple(rows) if buttons else (),
        article_ids=tuple(article_ids),
        story_ids=tuple(item.story.story_id for _, item, _, _, _ in blocks),
    )


# Buttons are immutable and shared by every digest that shows the same story at that number.
@lru_cache(maxsize=65536)
def _story_buttons(number: int, article_id: int, language: str) -> tuple[DigestButton, ...]:
    t = translator(language)
    value = str(article_id)
    return (
        DigestButton(
            "📄 " + t.gettext("{number} Full summary").format(number=number),
            Action.DIGEST_SUMMARY,
            value,
        ),
        DigestButton(
            "➕ " + t.gettext("{number} More like this").format(number=number),
            Action.MORE_LIKE_THIS,
            value,
        ),
    )


@lru_cache(maxsize=4096)
def _unfollow_button(topic: str, language: str) -> DigestButton:
    # Not "mute": /mute hides words, and this button stops following a topic.
    label = translator(language).gettext("Unfollow {topic}").format(topic=topic)
    return DigestButton(f"🔕 {label}", Action.UNFOLLOW, topic)


def format_nothing_new(
    local_day: date | None = None,
    topics: Sequence[str] = (),
    language: str = DEFAULT_LANGUAGE,
    *,
    channel: bool = False,
) -> str:
    """The notice for chats that asked to hear when there is no new matching news."""
    notice = translator(language).gettext("Nothing new on your topics since the last digest.")
    return _header(local_day, tuple(topics), 1, language, channel=channel) + "\n" + notice
