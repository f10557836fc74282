"""Telegram's HTML parse mode: turn message HTML into plain text plus entities, or say why not.

This follows the parser in TDLib (``td/telegram/MessageEntity.cpp``, ``parse_html``), which is
what the Bot API runs, including its error messages, so that a test asserting "this parses"
fails for the same reasons Telegram would answer "can't parse entities".
Offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

__all__ = [
    "MAX_MESSAGE_LENGTH",
    "HtmlParseError",
    "MessageTextError",
    "ParsedText",
    "parse_html",
    "parse_message_text",
    "utf16_length",
]

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

_ENTITY_TYPE_BY_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED_CHARACTER_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NAMED_REFERENCE = re.compile(r"&([A-Za-z]+);?")
_NUMERIC_REFERENCE = re.compile(r"&#(?:x([0-9a-fA-F]+)|([0-9]+));?")

# TDLib's is_space: the ASCII white space characters only.
_SPACES = frozenset(" \t\r\n\f\v")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; ``reason`` is TDLib's wording."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"can't parse entities: {reason}")
        self.reason = reason


class MessageTextError(ValueError):
    """A message text Telegram would refuse; ``description`` is the Bot API's error text."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class ParsedText(NamedTuple):
    """Plain text as Telegram displays it, and its entities as Bot API dictionaries."""

    text: str
    entities: list[dict[str, Any]]


class _OpenTag(NamedTuple):
    name: str
    argument: str
    utf16_offset: int
    text_index: int


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Bot API offsets and limits."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def parse_html(html: str) -> ParsedText:
    """Parse Telegram HTML into plain text and entities, trimmed as Telegram stores it."""
    return _trim(*_parse(html))


def parse_message_text(
    text: str | None,
    parse_mode: str | None = "HTML",
    entities: list[dict[str, Any]] | None = None,
) -> ParsedText:
    """Check a sendMessage text as Telegram does; raises MessageTextError with its description."""
    if text is None or text == "":
        raise MessageTextError("Bad Request: message text is empty")
    if entities is not None:
        parsed = _trim(text, [dict(entity) for entity in entities])
    elif parse_mode is None or parse_mode == "":
        parsed = _trim(text, [])
    elif parse_mode.lower() == "html":
        try:
            parsed = parse_html(text)
        except HtmlParseError as error:
            raise MessageTextError(f"Bad Request: {error}") from error
    elif parse_mode.lower() in {"markdown", "markdownv2"}:
        # Only HTML is emulated; Markdown text is passed through as plain text.
        parsed = _trim(text, [])
    else:
        raise MessageTextError("Bad Request: unsupported parse_mode")
    if not parsed.text:
        raise MessageTextError("Bad Request: message text is empty")
    if utf16_length(parsed.text) > MAX_MESSAGE_LENGTH:
        raise MessageTextError("Bad Request: message is too long")
    return parsed


def parse_caption(
    caption: str | None,
    parse_mode: str | None = "HTML",
    entities: list[dict[str, Any]] | None = None,
) -> ParsedText:
    """Check a media caption as Telegram does: may be empty, at most 1,024 after parsing."""
    if caption is None or not caption.strip():
        return ParsedText("", [])
    try:
        parsed = parse_message_text(caption, parse_mode, entities)
    except MessageTextError as error:
        if error.description == "Bad Request: message text is empty":
            return ParsedText("", [])
        if error.description != "Bad Request: message is too long":
            raise
        parsed = ParsedText("x" * (MAX_CAPTION_LENGTH + 1), [])
    if utf16_length(parsed.text) > MAX_CAPTION_LENGTH:
        raise MessageTextError("Bad Request: message caption is too long")
    return parsed


def _decode_character_reference(html: str, start: int) -> tuple[str, int] | None:
    """Decode a reference at ``start`` as TDLib does; None leaves the '&' as literal text.

    TDLib knows four names and numeric references, and the closing ';' is optional.
    """
    numeric = _NUMERIC_REFERENCE.match(html, start)
    if numeric is not None:
        hexadecimal, decimal = numeric.groups()
        code_point = int(hexadecimal, 16) if hexadecimal else int(decimal)
        if code_point == 0 or code_point >= 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
            return None
        return chr(code_point), numeric.end()
    named = _NAMED_REFERENCE.match(html, start)
    if named is not None and named.group(1) in _NAMED_CHARACTER_REFERENCES:
        return _NAMED_CHARACTER_REFERENCES[named.group(1)], named.end()
    return None


def _byte_offset(html: str, index: int) -> int:
    return len(html[:index].encode("utf-8"))


def _parse(html: str) -> tuple[str, list[dict[str, Any]]]:
    output: list[str] = []
    utf16_offset = 0
    entities: list[dict[str, Any]] = []
    open_tags: list[_OpenTag] = []
    length = len(html)
    index = 0

    def emit(chunk: str) -> None:
        nonlocal utf16_offset
        output.append(chunk)
        utf16_offset += utf16_length(chunk)

    while index < length:
        char = html[index]
        if char == "&":
            decoded = _decode_character_reference(html, index)
            if decoded is None:
                emit("&")
                index += 1
            else:
                emit(decoded[0])
                index = decoded[1]
            continue
        if char != "<":
            emit(char)
            index += 1
            continue
        begin = index
        index += 1
        if index < length and html[index] == "/":
            if not open_tags:
                raise HtmlParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(html, begin)}"
                )
            end_name, index = _end_tag(html, begin)
            tag = open_tags.pop()
            if end_name and end_name != tag.name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(html, begin)}, "
                    f'expected "</{tag.name}>", found "</{end_name}>"'
                )
            # Tags around nothing make no entity, as in TDLib.
            if utf16_offset > tag.utf16_offset:
                inner_text = "".join(output[tag.text_index :])
                entity = _entity(tag, utf16_offset - tag.utf16_offset, inner_text, entities)
                if entity is not None:
                    entities.append(entity)
        else:
            (name, argument), index = _open_tag(html, begin)
            open_tags.append(_OpenTag(name, argument, utf16_offset, len(output)))
    if open_tags:
        raise HtmlParseError(
            f'Can\'t find end tag corresponding to start tag "{open_tags[-1].name}"'
        )
    # A language only means something on a pre block; a lone code entity drops it.
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(output), entities


def _open_tag(html: str, begin: int) -> tuple[tuple[str, str], int]:
    """Read a start tag from ``<`` at ``begin``; returns (name, argument) and the next index."""
    length = len(html)
    index = begin + 1
    while index < length and html[index] not in _SPACES and html[index] != ">":
        index += 1
    if index >= length:
        raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(html, begin)}")
    name = html[begin + 1 : index].lower()
    if name not in _ENTITY_TYPE_BY_TAG:
        raise HtmlParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(html, begin)}'
        )
    argument = ""
    while True:
        while index < length and html[index] in _SPACES:
            index += 1
        if index >= length:
            raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(html, begin)}")
        if html[index] == ">":
            break
        name_start = index
        while index < length and html[index] not in _SPACES and html[index] not in "=>":
            index += 1
        attribute = html[name_start:index].lower()
        if not attribute:
            raise HtmlParseError(
                f'Empty attribute name in the tag "{name}" at byte offset '
                f"{_byte_offset(html, begin)}"
            )
        while index < length and html[index] in _SPACES:
            index += 1
        if index >= length or html[index] != "=":
            if name == "blockquote" and attribute == "expandable":
                argument = "1"
                continue
            raise HtmlParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                f"at byte offset {_byte_offset(html, begin)}"
            )
        index += 1
        while index < length and html[index] in _SPACES:
            index += 1
        if index >= length:
            raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(html, begin)}")
        value, index = _attribute_value(html, index, begin)
        argument = _tag_argument(name, attribute, value, argument)
    if name == "span" and argument != "spoiler":
        raise HtmlParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(html, begin)}'
        )
    return (name, argument), index + 1


def _attribute_value(html: str, index: int, begin: int) -> tuple[str, int]:
    length = len(html)
    quote = html[index]
    if quote not in "'\"":
        # An unquoted value is an HTML name token: letters, digits, periods and hyphens.
        token_start = index
        while index < length and (
            (html[index].isascii() and html[index].isalnum()) or html[index] in ".-"
        ):
            index += 1
        if index < length and html[index] not in _SPACES and html[index] != ">":
            raise HtmlParseError(
                f"Unexpected end of name token at byte offset {_byte_offset(html, token_start)}"
            )
        return html[token_start:index].lower(), index
    index += 1
    value: list[str] = []
    while index < length and html[index] != quote:
        if html[index] == "&":
            decoded = _decode_character_reference(html, index)
            if decoded is not None:
                value.append(decoded[0])
                index = decoded[1]
                continue
        value.append(html[index])
        index += 1
    if index >= length:
        raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(html, begin)}")
    return "".join(value), index + 1


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    """The one attribute each tag cares about; TDLib ignores every other attribute."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return current


def _end_tag(html: str, begin: int) -> tuple[str, int]:
    """Read an end tag from ``<`` at ``begin``; returns its name and the next index."""
    length = len(html)
    index = begin + 2
    while index < length and html[index] not in _SPACES and html[index] != ">":
        index += 1
    end_name = html[begin + 2 : index].lower()
    while index < length and html[index] in _SPACES:
        index += 1
    if index >= length or html[index] != ">":
        raise HtmlParseError(f"Unclosed end tag at byte offset {_byte_offset(html, begin)}")
    return end_name, index + 1


def _entity(
    tag: _OpenTag, length: int, inner_text: str, entities: list[dict[str, Any]]
) -> dict[str, Any] | None:
    entity_type = _ENTITY_TYPE_BY_TAG[tag.name]
    entity: dict[str, Any] = {"type": entity_type, "offset": tag.utf16_offset, "length": length}
    if entity_type == "text_link":
        url = tag.argument or inner_text
        if url.startswith("tg://user?id="):
            user_id = url.removeprefix("tg://user?id=")
            if not user_id.isdigit():
                return None
            return {**entity, "type": "text_mention", "user": {"id": int(user_id)}}
        entity["url"] = url
    elif entity_type == "blockquote" and tag.argument:
        entity["type"] = "expandable_blockquote"
    elif entity_type == "custom_emoji":
        entity["custom_emoji_id"] = tag.argument
    elif entity_type == "pre":
        # <pre><code class="language-x">…</code></pre> becomes one pre entity with a language.
        for index, inner in enumerate(entities):
            if (
                inner["type"] == "code"
                and inner["offset"] == entity["offset"]
                and inner["length"] == length
            ):
                language = inner.pop("language", "")
                del entities[index]
                if language:
                    entity["language"] = language
                break
    elif entity_type == "code" and tag.argument:
        entity["language"] = tag.argument
    return entity


def _trim(text: str, entities: list[dict[str, Any]]) -> ParsedText:
    """Drop leading and trailing white space and clip entities to what is left, like Telegram."""
    stripped_start = text.lstrip()
    leading = utf16_length(text[: len(text) - len(stripped_start)])
    plain = stripped_start.rstrip()
    end = utf16_length(plain)
    clipped: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - leading, 0)
        stop = min(entity["offset"] + entity["length"] - leading, end)
        if stop > start:
            clipped.append({**entity, "offset": start, "length": stop - start})
    return ParsedText(plain, clipped)
