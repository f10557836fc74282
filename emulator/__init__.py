"""A local Telegram Bot API emulator that enforces Telegram's limits, for tests and the demo.

The bot talks to it over real HTTP exactly as to Telegram (``base_url`` replaces
``https://api.telegram.org/bot``); tests and people play the users' side::

    async with BotApiEmulator(token=TOKEN, bot_username="newsbot_demo_bot") as emu:
        app = ApplicationBuilder().token(TOKEN).base_url(emu.base_url).build()
        ...
        emu.send_message(chat_id=1001, text="/start")
        [reply] = await emu.wait_for_messages(chat_id=1001, count=1, timeout=5.0)

Bot API: ``/bot<token>/<method>`` with GET or POST and JSON, form or multipart parameters:
getMe, getUpdates (long polling), setWebhook, deleteWebhook, getWebhookInfo, sendMessage,
sendPhoto, answerInlineQuery, editMessageText, editMessageReplyMarkup, deleteMessage,
answerCallbackQuery, setMyCommands, getMyCommands, deleteMyCommands, getChat, getChatMember,
getChatAdministrators, sendChatAction, logOut, close. Texts are checked with Telegram's HTML
parser and 4096 limit (captions 1,024), keyboards with its 64-byte callback_data limit, inline
answers with its 50-result and 64-byte id limits, and flood limits answer 429 (see ``Limits``).

Control API, JSON in and out (``{"ok": true, "result": ...}``), for other processes:

* ``GET  /_emulator/`` – base_url, the bot, limits, number of chats and pending updates
* ``POST /_emulator/send`` ``{"chat_id", "text", "user_id"?, "chat_type"?, "username"?, ...}``
  – a user writes; returns the Message
* ``POST /_emulator/press`` ``{"chat_id", "message_id", "data", "user_id"?}``
  – a user presses a button; returns ``{"callback_query_id"}``
* ``GET  /_emulator/sent?chat_id=&after=0&timeout=0`` – the bot's sends and edits after
  position ``after``, waiting up to ``timeout`` s for one; returns ``{"messages", "next"}``
* ``GET  /_emulator/messages?chat_id=`` – the bot's messages in the chat as they look now
* ``GET  /_emulator/callback_answer?callback_query_id=&timeout=0`` – the bot's answer or null
* ``GET  /_emulator/stats``, ``GET /_emulator/commands``
* ``POST /_emulator/chats`` ``{"chat_id", "chat_type"?, "title"?, "username"?}``
* ``POST /_emulator/block`` / ``/_emulator/unblock`` ``{"chat_id"}``
* ``POST /_emulator/admins`` ``{"chat_id", "user_ids"}``
* ``POST /_emulator/bot_status`` ``{"chat_id", "status", "by_user_id"?}``
* ``POST /_emulator/inline`` ``{"user_id", "query", "offset"?}`` – returns ``{"inline_query_id"}``;
  ``GET /_emulator/inline_answer?inline_query_id=&timeout=0``;
  ``POST /_emulator/choose`` ``{"inline_query_id", "result_id", "chat_id"}``
* ``POST /_emulator/faults`` ``{"fault": "fail_next" | "drop_next" | "delay_next" |
  "fail_share" | "drop_share" | "delay_share" | "rate_limit_storm" | "forbidden_share" |
  "clear", ...the method's keyword arguments}``

The control API has no authentication: bind the emulator to a loopback address.
"""

from emulator.faults import Faults
from emulator.limits import Limits
from emulator.server import DEFAULT_TOKEN, BotApiEmulator
from emulator.state import Button, CallbackAnswer, InlineAnswer, SentMessage, Stats
from emulator.telegram_html import HtmlParseError, MessageTextError, parse_html, utf16_length

__all__ = [
    "DEFAULT_TOKEN",
    "BotApiEmulator",
    "Button",
    "CallbackAnswer",
    "Faults",
    "HtmlParseError",
    "InlineAnswer",
    "Limits",
    "MessageTextError",
    "SentMessage",
    "Stats",
    "parse_html",
    "utf16_length",
]
