"""Validation of reply_markup as Telegram does it, with its error descriptions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from emulator.errors import ApiError, bad_request
from emulator.state import Button

__all__ = ["parse_reply_markup"]

MAX_BUTTONS = 100
MAX_CALLBACK_DATA_BYTES = 64
_ACTION_FIELDS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def parse_reply_markup(
    markup: Any,
) -> tuple[dict[str, Any] | None, tuple[tuple[Button, ...], ...]]:
    """Validate reply_markup; returns what the sent message carries and the inline buttons."""
    if markup is None:
        return None, ()
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        # Reply keyboards, ForceReply and ReplyKeyboardRemove are accepted but, as on
        # Telegram, not part of the returned Message.
        if not any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return None, ()
    keyboard = markup["inline_keyboard"]
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    if sum(len(row) for row in keyboard) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    rows = tuple(tuple(_button(button) for button in row) for row in keyboard)
    return {"inline_keyboard": keyboard}, rows


def _button(button: Any) -> Button:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton should be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise _button_error('Field "text" must be of type String')
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [field for field in _ACTION_FIELDS if field in button]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    callback_data = button.get("callback_data")
    if "callback_data" in button:
        if not isinstance(callback_data, str):
            raise _button_error('Field "callback_data" must be of type String')
        if not 1 <= len(callback_data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if "url" in button and not (isinstance(url, str) and _is_button_url(url)):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    return Button(text=text, callback_data=callback_data, url=url)


def _is_button_url(url: str) -> bool:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme in {"tg"}:
        return True
    return parts.scheme in {"http", "https"} and "." in (parts.hostname or "")


def _button_error(reason: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {reason}")
