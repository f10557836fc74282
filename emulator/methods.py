"""The Bot API methods the emulator answers, with Telegram's checks and error descriptions."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, cast
from urllib.parse import urlsplit

from emulator.errors import ApiError, bad_request
from emulator.faults import Faults
from emulator.inline import parse_inline_answer
from emulator.limits import RateLimiter
from emulator.markup import parse_reply_markup
from emulator.meter import RateMeter
from emulator.params import Params
from emulator.state import (
    INLINE_ANSWER_DEADLINE,
    CallbackAnswer,
    Chat,
    SentMessage,
    World,
    administrator_rights,
)
from emulator.telegram_html import (
    MessageTextError,
    ParsedText,
    parse_caption,
    parse_message_text,
)

__all__ = ["BotApi"]

Handler = Callable[[Params], Awaitable[Any]]

MAX_POLL_TIMEOUT = 50.0
_COMMAND_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


class BotApi:
    """Dispatches Bot API calls by (case-insensitive) method name onto the World."""

    def __init__(self, world: World, limiter: RateLimiter, faults: Faults) -> None:
        self.world = world
        self.limiter = limiter
        self.faults = faults
        self.meter = RateMeter()
        self._poll_generation = 0
        handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "logOut": self.log_out,
            "close": self.log_out,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "sendPhoto": self.send_photo,
            "answerInlineQuery": self.answer_inline_query,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
            "sendChatAction": self.send_chat_action,
        }
        # Telegram matches method names case-insensitively.
        self.handlers = {name.lower(): handler for name, handler in handlers.items()}
        self.names = {name.lower(): name for name in handlers}

    # --- the bot and its updates -----------------------------------------------------------

    async def get_me(self, params: Params) -> Any:
        """getMe: the bot's own User, with the capability flags Telegram adds."""
        return {
            **self.world.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": self.world.supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def log_out(self, params: Params) -> Any:
        """logOut and close: harmless here, there is no other server to move to."""
        return True

    async def get_updates(self, params: Params) -> Any:
        """getUpdates: confirm by offset, then long-poll up to ``timeout`` seconds."""
        world = self.world
        if world.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.integer("offset")
        limit = params.integer("limit") or 100
        limit = min(max(limit, 1), 100)
        timeout = min(max(params.number("timeout") or 0.0, 0.0), MAX_POLL_TIMEOUT)
        allowed = params.json("allowed_updates")
        if isinstance(allowed, list):
            world.allowed_updates = frozenset(str(kind) for kind in allowed) or None
        if offset is not None:
            world.confirm_updates(offset)
        # A newer getUpdates ends an older one, as when two bot instances poll one token.
        self._poll_generation += 1
        generation = self._poll_generation
        world.changed.notify()
        await world.changed.wait_until(
            lambda: bool(world.updates) or generation != self._poll_generation or world.closing,
            timeout,
        )
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return list(world.updates)[:limit]

    async def set_webhook(self, params: Params) -> Any:
        """setWebhook: updates are POSTed to ``url`` from now on (an empty url removes it)."""
        url = params.string("url") or ""
        if not url:
            return await self.delete_webhook(params)
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.string("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad_request("secret token contains unallowed characters")
        if params.boolean("drop_pending_updates"):
            self.world.updates.clear()
        allowed = params.json("allowed_updates")
        if isinstance(allowed, list):
            self.world.allowed_updates = frozenset(str(kind) for kind in allowed) or None
        self.world.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": params.integer("max_connections") or 40,
            "last_error_date": None,
            "last_error_message": None,
        }
        self._poll_generation += 1
        self.world.changed.notify()
        return True

    async def delete_webhook(self, params: Params) -> Any:
        """deleteWebhook: back to getUpdates."""
        if params.boolean("drop_pending_updates"):
            self.world.updates.clear()
        self.world.webhook = None
        self.world.changed.notify()
        return True

    async def get_webhook_info(self, params: Params) -> Any:
        """getWebhookInfo: url, pending update count and the last delivery error."""
        webhook = self.world.webhook
        info: dict[str, Any] = {
            "url": webhook["url"] if webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.updates),
        }
        if webhook:
            info["max_connections"] = webhook["max_connections"]
            if webhook["last_error_date"] is not None:
                info["last_error_date"] = webhook["last_error_date"]
                info["last_error_message"] = webhook["last_error_message"]
            if self.world.allowed_updates is not None:
                info["allowed_updates"] = sorted(self.world.allowed_updates)
        return info

    # --- messages ------------------------------------------------------------------------

    def _chat(self, params: Params) -> Chat:
        chat_id = params.chat_id()
        if isinstance(chat_id, str):
            # Only public groups and channels are addressed by @username.
            for chat in self.world.chats.values():
                if (
                    chat.is_group
                    and chat.username
                    and f"@{chat.username}".lower() == chat_id.lower()
                ):
                    return chat
            raise bad_request("chat not found")
        known = self.world.chats.get(chat_id)
        if known is None:
            raise bad_request("chat not found")
        return known

    def _writable_chat(self, params: Params) -> Chat:
        chat = self._chat(params)
        if (
            chat.blocked
            or chat.bot_status in {"left", "kicked"}
            or self.faults.is_forbidden(chat.id)
        ):
            raise ApiError(403, _forbidden_description(chat))
        if chat.type == "channel" and chat.bot_status != "administrator":
            # A bot demoted to a plain subscriber may read the channel but not post to it.
            raise bad_request("need administrator rights in the channel chat")
        return chat

    def _take_message_slot(self, chat: Chat, method: str) -> None:
        retry_after = self.faults.storm_retry_after(method)
        if retry_after is None:
            retry_after = self.limiter.acquire(chat.id, chat.is_group)
        if retry_after is not None:
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        self.meter.observe(chat.id)
        stats = self.world.stats
        stats.peak_messages_per_second = self.meter.peak_per_second
        stats.peak_chat_messages_per_second = self.meter.peak_chat_per_second

    async def send_message(self, params: Params) -> Any:
        """sendMessage: validate text, entities and keyboard, apply flood limits, deliver."""
        chat = self._writable_chat(params)
        if params.integer("message_thread_id") in chat.deleted_threads:
            raise bad_request("message thread not found")
        html = params.string("text")
        parse_mode = params.string("parse_mode")
        parsed = _parse_text(html, parse_mode, params.json("entities"))
        markup_json, keyboard = parse_reply_markup(params.json("reply_markup"))
        reply_to = self._reply_target(chat, params)
        link_preview = _link_preview(params)
        self._take_message_slot(chat, "sendmessage")
        message_id = chat.next_message_id()
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self.world.bot_user(),
            "chat": chat.as_json(),
            "date": self.world.now(),
            "text": parsed.text,
        }
        if parsed.entities:
            message["entities"] = parsed.entities
        if markup_json is not None:
            message["reply_markup"] = markup_json
        thread_id = params.integer("message_thread_id")
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            if chat.type == "supergroup":
                # As Telegram marks it: PTB's reply_* answer in the thread of such a message.
                message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = _quoted(chat.messages[reply_to])
        if link_preview is not None:
            message["link_preview_options"] = link_preview
        sent = SentMessage(
            message_id=message_id,
            chat_id=chat.id,
            text=parsed.text,
            html=html or "",
            parse_mode=parse_mode,
            entities=tuple(parsed.entities),
            reply_markup=keyboard,
            message_thread_id=thread_id,
            reply_to_message_id=reply_to,
            disable_web_page_preview=_previews_disabled(params, link_preview),
            link_preview_options=link_preview,
            date=message["date"],
        )
        self.world.stats.messages_delivered += 1
        self.world.record_sent(sent, message)
        return message

    async def send_photo(self, params: Params) -> Any:
        """sendPhoto by URL or file_id: the caption is checked like a text, up to 1,024."""
        chat = self._writable_chat(params)
        photo = self._photo(params)
        html = params.string("caption")
        parse_mode = params.string("parse_mode")
        caption_entities = params.json("caption_entities")
        if caption_entities is not None and not isinstance(caption_entities, list):
            raise bad_request("can't parse entities JSON object")
        try:
            parsed = parse_caption(html, parse_mode, caption_entities)
        except MessageTextError as error:
            raise ApiError(400, error.description) from error
        markup_json, keyboard = parse_reply_markup(params.json("reply_markup"))
        reply_to = self._reply_target(chat, params)
        self._take_message_slot(chat, "sendphoto")
        message_id = chat.next_message_id()
        file_id = f"AgAC{chat.id & 0xFFFFFF:06x}{message_id:06d}"
        self.world.photo_files[file_id] = photo
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self.world.bot_user(),
            "chat": chat.as_json(),
            "date": self.world.now(),
            "photo": [
                {"file_id": file_id, "file_unique_id": file_id[-8:], "width": 1280, "height": 720}
            ],
        }
        if parsed.text:
            message["caption"] = parsed.text
        if parsed.entities:
            message["caption_entities"] = parsed.entities
        if markup_json is not None:
            message["reply_markup"] = markup_json
        if reply_to is not None:
            message["reply_to_message"] = _quoted(chat.messages[reply_to])
        sent = SentMessage(
            message_id=message_id,
            chat_id=chat.id,
            text=parsed.text,
            html=html or "",
            parse_mode=parse_mode,
            entities=tuple(parsed.entities),
            reply_markup=keyboard,
            message_thread_id=params.integer("message_thread_id"),
            reply_to_message_id=reply_to,
            disable_web_page_preview=None,
            link_preview_options=None,
            date=message["date"],
            photo=photo,
        )
        self.world.stats.messages_delivered += 1
        self.world.record_sent(sent, message)
        return message

    def _photo(self, params: Params) -> str:
        """A photo URL for Telegram to fetch, or the file_id of a photo sent before."""
        value = params.values.get("photo")
        if value is None or value == "":
            raise bad_request("there is no photo in the request")
        if not isinstance(value, str):
            # An upload: newsbot never sends one (Telegram fetches images), but it is valid.
            return "upload"
        if value.startswith(("http://", "https://")):
            if "." not in (urlsplit(value).hostname or ""):
                raise bad_request("wrong HTTP URL specified")
            return value
        if value in self.world.photo_files:
            return self.world.photo_files[value]
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _reply_target(self, chat: Chat, params: Params) -> int | None:
        reply_parameters = params.json("reply_parameters")
        allow_missing = params.boolean("allow_sending_without_reply")
        message_id = params.integer("reply_to_message_id")
        if isinstance(reply_parameters, dict):
            message_id = reply_parameters.get("message_id")
            allow_missing = bool(reply_parameters.get("allow_sending_without_reply"))
        if message_id is None:
            return None
        if message_id in chat.messages:
            return int(message_id)
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")

    def _bot_message(self, chat: Chat, params: Params, action: str) -> SentMessage:
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by the emulator")
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        sent = chat.bot_messages.get(message_id)
        if sent is None:
            if message_id in chat.messages:
                raise bad_request("message can't be edited")
            raise bad_request(f"message to {action} not found")
        return sent

    async def edit_message_text(self, params: Params) -> Any:
        """editMessageText: like sendMessage, on an existing message of the bot."""
        chat = self._writable_chat(params)
        current = self._bot_message(chat, params, "edit")
        if current.photo is not None:
            raise bad_request("there is no text in the message to edit")
        html = params.string("text")
        parse_mode = params.string("parse_mode")
        parsed = _parse_text(html, parse_mode, params.json("entities"))
        # Omitting reply_markup in an edit removes the keyboard, as on Telegram.
        markup_json, keyboard = parse_reply_markup(params.json("reply_markup"))
        if (
            parsed.text == current.text
            and list(parsed.entities) == [dict(entity) for entity in current.entities]
            and keyboard == current.reply_markup
        ):
            raise bad_request(_NOT_MODIFIED)
        self._take_message_slot(chat, "editmessagetext")
        link_preview = _link_preview(params)
        edited = SentMessage(
            message_id=current.message_id,
            chat_id=chat.id,
            text=parsed.text,
            html=html or "",
            parse_mode=parse_mode,
            entities=tuple(parsed.entities),
            reply_markup=keyboard,
            message_thread_id=current.message_thread_id,
            reply_to_message_id=current.reply_to_message_id,
            disable_web_page_preview=_previews_disabled(params, link_preview),
            link_preview_options=link_preview,
            date=current.date,
            edited=True,
        )
        message = dict(chat.messages[current.message_id])
        message["text"] = parsed.text
        message["edit_date"] = self.world.now()
        _set_or_drop(message, "entities", parsed.entities or None)
        _set_or_drop(message, "reply_markup", markup_json)
        _set_or_drop(message, "link_preview_options", link_preview)
        self.world.stats.messages_edited += 1
        self.world.record_sent(edited, message)
        return message

    async def edit_message_reply_markup(self, params: Params) -> Any:
        """editMessageReplyMarkup: replace or remove a message's inline keyboard."""
        chat = self._writable_chat(params)
        current = self._bot_message(chat, params, "edit")
        markup_json, keyboard = parse_reply_markup(params.json("reply_markup"))
        if keyboard == current.reply_markup:
            raise bad_request(_NOT_MODIFIED)
        edited = SentMessage(
            **{
                **{name: getattr(current, name) for name in current.__dataclass_fields__},
                "reply_markup": keyboard,
                "edited": True,
            }
        )
        message = dict(chat.messages[current.message_id])
        message["edit_date"] = self.world.now()
        _set_or_drop(message, "reply_markup", markup_json)
        self.world.stats.messages_edited += 1
        self.world.record_sent(edited, message)
        return message

    async def delete_message(self, params: Params) -> Any:
        """deleteMessage: remove a message from the chat."""
        chat = self._writable_chat(params)
        message_id = params.integer("message_id")
        if message_id is None or message_id not in chat.messages:
            raise bad_request("message to delete not found")
        del chat.messages[message_id]
        chat.bot_messages.pop(message_id, None)
        self.world.changed.notify()
        return True

    async def answer_callback_query(self, params: Params) -> Any:
        """answerCallbackQuery: each query is answered at most once."""
        query_id = params.string("callback_query_id")
        if not query_id or query_id not in self.world.callback_queries:
            raise bad_request(_QUERY_INVALID)
        if query_id in self.world.callback_answers:
            raise bad_request(_QUERY_INVALID)
        text = params.string("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self.world.callback_answers[query_id] = CallbackAnswer(
            text=text or None,
            show_alert=params.boolean("show_alert"),
            url=params.string("url"),
            cache_time=params.integer("cache_time") or 0,
        )
        self.world.changed.notify()
        return True

    async def answer_inline_query(self, params: Params) -> Any:
        """answerInlineQuery: once per query, within Telegram's time limit, results checked."""
        query_id = params.string("inline_query_id")
        query = self.world.inline_queries.get(query_id or "")
        if (
            query_id is None
            or query is None
            or query_id in self.world.inline_answers
            or self.world.clock() - query["date"] > INLINE_ANSWER_DEADLINE
        ):
            raise bad_request(_QUERY_INVALID)
        answer = parse_inline_answer(params)
        self.world.record_inline_answer(query_id, answer)
        return True

    # --- commands ------------------------------------------------------------------------

    def _command_key(self, params: Params) -> tuple[str, str]:
        scope = params.json("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        scope_key = ",".join(f"{key}={scope[key]}" for key in sorted(scope))
        return scope_key, params.string("language_code") or ""

    async def set_my_commands(self, params: Params) -> Any:
        """setMyCommands: store the command list for a scope and language."""
        commands = params.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        cleaned: list[dict[str, str]] = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name = str(command.get("command", "")).lower()
            description = str(command.get("description", ""))
            if not _COMMAND_PATTERN.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("command description must be non-empty")
            cleaned.append({"command": name, "description": description})
        self.world.commands[self._command_key(params)] = cleaned
        return True

    async def get_my_commands(self, params: Params) -> Any:
        """getMyCommands: the list for a scope and language, empty if none."""
        return self.world.commands.get(self._command_key(params), [])

    async def delete_my_commands(self, params: Params) -> Any:
        """deleteMyCommands: forget the list for a scope and language."""
        self.world.commands.pop(self._command_key(params), None)
        return True

    # --- chats ---------------------------------------------------------------------------

    async def get_chat(self, params: Params) -> Any:
        """getChat: a ChatFullInfo with the fields python-telegram-bot requires."""
        chat = self._chat(params)
        return {
            **chat.as_json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def get_chat_member(self, params: Params) -> Any:
        """getChatMember: administrator if set_chat_admins says so, else member or left."""
        chat = self._chat(params)
        user_id = params.integer("user_id")
        if user_id is None:
            raise bad_request("user not found")
        if user_id == self.world.bot_id:
            return self.world.bot_member(chat)
        user = self.world.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        if user_id in chat.admin_ids:
            return self._administrator(chat, user_id)
        if chat.type == "private" and user_id == chat.id:
            return {"status": "member", "user": dict(user)}
        if user_id in chat.member_ids:
            return {"status": "member", "user": dict(user)}
        return {"status": "left", "user": dict(user)}

    async def get_chat_administrators(self, params: Params) -> Any:
        """getChatAdministrators: the admins given to set_chat_admins, creator first."""
        chat = self._chat(params)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        return [self._administrator(chat, user_id) for user_id in chat.admin_ids]

    def _administrator(self, chat: Chat, user_id: int) -> dict[str, Any]:
        user = self.world.users.get(user_id) or self.world.add_user(user_id)
        if chat.admin_ids and chat.admin_ids[0] == user_id:
            return {"status": "creator", "user": dict(user), "is_anonymous": False}
        return {
            "status": "administrator",
            "user": dict(user),
            **administrator_rights(channel=chat.type == "channel"),
        }

    async def send_chat_action(self, params: Params) -> Any:
        """sendChatAction: checked and forgotten."""
        self._writable_chat(params)
        if params.string("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True


def _forbidden_description(chat: Chat) -> str:
    if chat.type == "private":
        return "Forbidden: bot was blocked by the user"
    if chat.type == "channel":
        return "Forbidden: bot is not a member of the channel chat"
    return f"Forbidden: bot was kicked from the {chat.type} chat"


def _parse_text(html: str | None, parse_mode: str | None, entities: Any) -> ParsedText:
    if entities is not None and not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    try:
        return parse_message_text(html, parse_mode, entities)
    except MessageTextError as error:
        raise ApiError(400, error.description) from error


def _link_preview(params: Params) -> dict[str, Any] | None:
    options = params.json("link_preview_options")
    if options is not None and not _valid_link_preview(options):
        raise bad_request("can't parse link preview options JSON object")
    if options is None and "disable_web_page_preview" in params:
        return {"is_disabled": params.boolean("disable_web_page_preview")}
    return cast(dict[str, Any] | None, options)


_PREVIEW_FLAGS = ("is_disabled", "prefer_small_media", "prefer_large_media", "show_above_text")


def _valid_link_preview(options: Any) -> bool:
    """LinkPreviewOptions: boolean flags and an optional url string, as Telegram parses it."""
    if not isinstance(options, dict):
        return False
    if any(not isinstance(options.get(flag, False), bool) for flag in _PREVIEW_FLAGS):
        return False
    return isinstance(options.get("url", ""), str)


def _previews_disabled(params: Params, link_preview: dict[str, Any] | None) -> bool | None:
    if link_preview is not None and "is_disabled" in link_preview:
        return bool(link_preview["is_disabled"])
    if "disable_web_page_preview" in params:
        return params.boolean("disable_web_page_preview")
    return None


def _set_or_drop(message: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        message.pop(key, None)
    else:
        message[key] = value


def _quoted(message: dict[str, Any]) -> dict[str, Any]:
    """A message as Telegram nests it in a reply: without its own reply_to_message."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}
