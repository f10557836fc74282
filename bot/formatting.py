"""Telegram HTML for the bot's replies: escaping, summary cards, and splitting under 4096.

Every piece of text that comes from an article or a user goes through :func:`escape` (or
:func:`link`) before it is put next to our own tags, so a title like ``<script>`` or ``AT&T``
can never break a message or inject formatting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.dates import compact_date
from bot.i18n import DEFAULT_LANGUAGE, Translator, month_short, translator
from storage import Headline, RelatedHeadline

__all__ = [
    "MESSAGE_LIMIT",
    "SummaryCard",
    "escape",
    "escape_attribute",
    "format_date",
    "headline_list",
    "link",
    "split_message",
    "summary_card",
    "utf16_length",
    "visible_length",
]

# Telegram counts UTF-16 code units, so an emoji or other astral character counts twice.
MESSAGE_LIMIT = 4096


def escape(text: str) -> str:
    """Escape text for Telegram HTML (only &, < and > are special outside attributes)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    """Escape text for a double-quoted HTML attribute value."""
    return escape(text).replace('"', "&quot;")


def utf16_length(text: str) -> int:
    """Length as Telegram measures it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


_TAG = re.compile(r"<[^<>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}
_ENTITY = re.compile("|".join(_ENTITIES))


def visible_length(html: str) -> int:
    """Length of our Telegram HTML once parsed (what Telegram's 4096 limit counts)."""
    text = _ENTITY.sub(lambda match: _ENTITIES[match.group()], _TAG.sub("", html))
    return utf16_length(text)


# Longer URLs are shown as plain text: a link that long is noise, and it could not be split.
_MAX_URL_CHARS = 2048


def _is_web_url(url: str | None) -> bool:
    if not url or len(url) > _MAX_URL_CHARS:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def link(text: str, url: str | None) -> str:
    """Escaped text, linked when ``url`` is an http(s) URL (other schemes stay plain)."""
    if not _is_web_url(url):
        return escape(text)
    assert url is not None  # narrowed by _is_web_url
    return f'<a href="{escape_attribute(url)}">{escape(text)}</a>'


def format_date(
    moment: datetime | None, time_zone: str = "UTC", t: Translator | None = None
) -> str:
    """A short, unambiguous date such as ``25 Nov 2026`` in the reader's time zone and language."""
    if moment is None:
        return ""
    try:
        zone = ZoneInfo(time_zone)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone) if moment.tzinfo else moment
    t = t or translator(DEFAULT_LANGUAGE)
    # Translators: a date such as "25 Nov 2026"; {month} is the short month name.
    return t.gettext("{day} {month} {year}").format(
        day=local.day, month=month_short(t, local.month), year=local.year
    )


@dataclass(frozen=True, slots=True)
class SummaryCard:
    """What a summary reply shows; all fields are raw text, escaped when rendered."""

    title: str
    sentences: Sequence[str]
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    related: Sequence[RelatedHeadline] = ()
    article_id: int | None = None


def _source_line(
    source: str | None,
    published_at: datetime | None,
    time_zone: str,
    t: Translator,
    now: datetime | None,
) -> str:
    when = compact_date(published_at, now=now or datetime.now(UTC), time_zone=time_zone, t=t)
    parts = [part for part in (source, when) if part]
    return escape(" · ".join(parts))


def summary_card(
    card: SummaryCard,
    *,
    time_zone: str = "UTC",
    t: Translator | None = None,
    now: datetime | None = None,
) -> str:
    """Bold (linked) title, the summary, source and compact date, and related headlines."""
    t = t or translator(DEFAULT_LANGUAGE)
    title = card.title.strip() or t.gettext("Untitled")
    lines = [f"<b>{link(title, card.url)}</b>"]
    summary = " ".join(sentence.strip() for sentence in card.sentences if sentence.strip())
    if summary:
        lines.append(escape(summary))
    meta = _source_line(card.source, card.published_at, time_zone, t, now)
    if card.article_id is not None:
        meta = f"{meta} · #{card.article_id}" if meta else f"#{card.article_id}"
    if meta:
        lines.append(f"<i>{meta}</i>")
    text = "\n\n".join(lines)
    related = list(card.related)[:3]
    if related:
        items = [_related_item(item.title, item.url, item.source) for item in related]
        text += "\n\n" + t.gettext("<b>Related</b>") + "\n" + "\n".join(items)
    return text


def _related_item(title: str, url: str | None, source: str | None) -> str:
    item = f"• {link(title.strip(), url)}"
    return f"{item} — {escape(source)}" if source else item


def headline_list(
    heading: str,
    headlines: Iterable[Headline],
    *,
    time_zone: str = "UTC",
    t: Translator | None = None,
    now: datetime | None = None,
) -> str:
    """A bold heading and one linked headline per line with its source and compact date."""
    t = t or translator(DEFAULT_LANGUAGE)
    lines = [f"<b>{escape(heading)}</b>"]
    for headline in headlines:
        meta = _source_line(headline.source, headline.published_at, time_zone, t, now)
        item = f"• {link(headline.title.strip(), headline.url)}"
        lines.append(f"{item} <i>{meta}</i>" if meta else item)
    return "\n".join(lines)


# --- splitting -------------------------------------------------------------------------------

# A tag, an entity, or one character: the units a message may be cut between.
_ATOM = re.compile(r"<[^<>]*>|&#?\w+;|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][\w-]*)")

# Cut preferences, best first: between paragraphs, between lines, between words, anywhere.
_PARAGRAPH, _LINE, _WORD, _ANYWHERE = 3, 2, 1, 0


def _closing(stack: Sequence[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _opening(stack: Sequence[tuple[str, str]]) -> str:
    return "".join(tag for _, tag in stack)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split Telegram HTML into messages of at most ``limit`` UTF-16 units.

    Cuts fall between paragraphs when possible, then between lines, then between words, and
    never inside a tag or an entity. Tags open at a cut are closed at the end of one part and
    reopened at the start of the next, so every part is valid HTML on its own.
    """
    if utf16_length(text) <= limit:
        return [text] if text.strip() else []
    atoms = _ATOM.findall(text)
    parts: list[str] = []
    start = 0
    stack: list[tuple[str, str]] = []
    while start < len(atoms):
        # Skip whitespace left over from the previous cut.
        while start < len(atoms) and atoms[start].isspace():
            start += 1
        if start >= len(atoms):
            break
        prefix = _opening(stack)
        length = utf16_length(prefix)
        current = list(stack)
        best: dict[int, tuple[int, list[tuple[str, str]]]] = {}
        index = start
        while index < len(atoms):
            atom = atoms[index]
            length += utf16_length(atom)
            _apply_tag(atom, current)
            index += 1
            if length + utf16_length(_closing(current)) > limit:
                break
            following = atoms[index] if index < len(atoms) else ""
            best[_ANYWHERE] = (index, list(current))
            if atom == "\n":
                best[_PARAGRAPH if following == "\n" else _LINE] = (index, list(current))
            elif atom == " ":
                best[_WORD] = (index, list(current))
        else:
            # The rest fits.
            body = "".join(atoms[start:])
            if _visible(body):
                parts.append(prefix + body)
            break
        if not best:
            # Not even one character fits beside the open tags (a link with a huge URL, deep
            # nesting): send the rest as plain text rather than fail. The visible text is kept.
            plain = atoms[:start] + [atom for atom in atoms[start:] if not atom.startswith("<")]
            if len(plain) == len(atoms) and not stack:
                raise ValueError(f"limit {limit} cannot hold a single character")
            atoms, stack = plain, []
            continue
        cut, stack_at_cut = best[max(best)]
        body = "".join(atoms[start:cut]).rstrip()
        if _visible(body):
            parts.append(prefix + body + _closing(stack_at_cut))
        start = cut
        stack = stack_at_cut
    return parts


def _apply_tag(atom: str, stack: list[tuple[str, str]]) -> None:
    """Track which tags are open after ``atom``."""
    if not atom.startswith("<") or len(atom) < 3:
        return
    match = _TAG_NAME.match(atom)
    if match is None:
        return
    name = match.group(1).lower()
    if atom.startswith("</"):
        for position in range(len(stack) - 1, -1, -1):
            if stack[position][0] == name:
                del stack[position:]
                break
    elif not atom.endswith("/>"):
        stack.append((name, atom))


def _visible(html: str) -> bool:
    return bool(re.sub(r"<[^<>]*>", "", html).strip())
