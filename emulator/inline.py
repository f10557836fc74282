"""answerInlineQuery's checks: at most 50 results, ids of 1-64 bytes, texts as sendMessage's."""

from __future__ import annotations

from typing import Any

from emulator.errors import ApiError, bad_request
from emulator.markup import parse_reply_markup
from emulator.params import Params
from emulator.state import InlineAnswer
from emulator.telegram_html import MessageTextError, parse_caption, parse_message_text

__all__ = ["MAX_INLINE_RESULTS", "MAX_RESULT_ID_BYTES", "parse_inline_answer"]

MAX_INLINE_RESULTS = 50
MAX_RESULT_ID_BYTES = 64
MAX_NEXT_OFFSET_BYTES = 64
# Telegram caches an answer for 300 seconds unless the bot says otherwise.
DEFAULT_CACHE_TIME = 300


def parse_inline_answer(params: Params) -> InlineAnswer:
    """Validate answerInlineQuery's parameters; raises ApiError with Telegram's description."""
    results = params.json("results")
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        _check_result(result, seen)
    next_offset = params.string("next_offset") or ""
    if len(next_offset.encode("utf-8")) > MAX_NEXT_OFFSET_BYTES:
        raise bad_request("NEXT_OFFSET_INVALID")
    cache_time = params.integer("cache_time")
    if cache_time is not None and cache_time < 0:
        raise bad_request("CACHE_TIME_INVALID")
    return InlineAnswer(
        results=tuple(results),
        cache_time=DEFAULT_CACHE_TIME if cache_time is None else cache_time,
        is_personal=params.boolean("is_personal"),
        next_offset=next_offset,
    )


def _check_result(result: Any, seen: set[str]) -> None:
    if not isinstance(result, dict):
        raise bad_request("can't parse InlineQueryResult JSON object")
    result_id = result.get("id")
    if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= MAX_RESULT_ID_BYTES:
        raise bad_request("RESULT_ID_INVALID")
    if result_id in seen:
        raise bad_request("RESULT_ID_DUPLICATE")
    seen.add(result_id)
    kind = result.get("type")
    if kind == "article":
        if not isinstance(result.get("title"), str) or not result["title"].strip():
            raise bad_request("RESULT_TITLE_EMPTY")
        content = result.get("input_message_content")
        if not isinstance(content, dict) or "message_text" not in content:
            raise bad_request("can't parse InputMessageContent JSON object")
        _check_text(content)
    elif kind == "photo":
        for field in ("photo_url", "thumbnail_url"):
            if not str(result.get(field, "")).startswith(("http://", "https://")):
                raise bad_request("PHOTO_INVALID" if field == "photo_url" else "THUMB_URL_INVALID")
        try:
            parse_caption(result.get("caption"), result.get("parse_mode"))
        except MessageTextError as error:
            raise ApiError(400, error.description) from error
    else:
        # Only the two result types newsbot answers with are emulated.
        raise bad_request("RESULT_TYPE_INVALID")
    if "reply_markup" in result:
        parse_reply_markup(result["reply_markup"])


def _check_text(content: dict[str, Any]) -> None:
    try:
        parse_message_text(
            content.get("message_text"), content.get("parse_mode"), content.get("entities")
        )
    except MessageTextError as error:
        # Inside inline results Telegram words the same checks as its RPC error codes.
        if error.description.endswith("message text is empty"):
            raise bad_request("MESSAGE_EMPTY") from error
        if error.description.endswith("message is too long"):
            raise bad_request("MESSAGE_TOO_LONG") from error
        raise ApiError(400, error.description) from error
