"""What the emulated Telegram knows: chats, messages, pending updates, callback queries.

Everything here is synchronous and lives on the emulator's event loop; waiting for a change
goes through ``World.changed``, which every mutation notifies.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from emulator.entities import find_entities
from emulator.telegram_html import MAX_MESSAGE_LENGTH, parse_message_text, utf16_length

__all__ = [
    "BOT_STATUSES",
    "Button",
    "CallbackAnswer",
    "Chat",
    "InlineAnswer",
    "SentMessage",
    "Stats",
    "UserText",
    "World",
]

GROUP_TYPES = frozenset({"group", "supergroup", "channel"})
# What the bot can be in a chat, as ChatMember.status says it.
BOT_STATUSES = frozenset({"administrator", "member", "left", "kicked"})
# Telegram forgets an inline query it was not answered within about ten seconds.
INLINE_ANSWER_DEADLINE = 10.0
# Bot API default when allowed_updates was never given: everything except these three.
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# Telegram sends every anonymous group admin as this one bot user, with sender_chat = the group.
ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


@dataclass(frozen=True, slots=True)
class UserText:
    """What a user writes in a chat, and as whom: the fields of ``send_message``."""

    chat_id: int
    text: str
    user_id: int | None = None
    chat_type: str = "private"
    language_code: str | None = "en"
    reply_to_message_id: int | None = None
    # A channel's id, or a whole chat object (a group posting as itself).
    forward_from_chat: Mapping[str, Any] | int | None = None
    message_thread_id: int | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    chat_title: str | None = None
    # A group admin posting as the group, whom Telegram sends as the GroupAnonymousBot user
    # with ``sender_chat`` set to the group.
    anonymous_admin: bool = False


@dataclass(frozen=True)
class Button:
    """One inline keyboard button as the bot sent it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent (or an edit of one), as the user's client would show it."""

    message_id: int
    chat_id: int
    text: str
    html: str
    parse_mode: str | None
    entities: tuple[Mapping[str, Any], ...]
    reply_markup: tuple[tuple[Button, ...], ...]
    message_thread_id: int | None
    reply_to_message_id: int | None
    disable_web_page_preview: bool | None
    link_preview_options: Mapping[str, Any] | None
    date: int
    edited: bool = False
    # The photo's URL or file_id for sendPhoto (``text`` is then the caption).
    photo: str | None = None
    # Posted by a user choosing one of the bot's inline results ("via @bot"), not by the bot.
    via_bot: bool = False

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Every button, row by row, as (text, callback_data or url)."""
        return [
            (button.text, button.callback_data if button.callback_data is not None else button.url)
            for row in self.reply_markup
            for button in row
        ]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary, as the control API returns it."""
        data = asdict(self)
        data["entities"] = [dict(entity) for entity in self.entities]
        data["reply_markup"] = [[asdict(button) for button in row] for row in self.reply_markup]
        return data


@dataclass(frozen=True)
class CallbackAnswer:
    """How the bot answered a button press (answerCallbackQuery)."""

    text: str | None
    show_alert: bool
    url: str | None = None
    cache_time: int = 0


@dataclass(frozen=True)
class InlineAnswer:
    """How the bot answered an inline query (answerInlineQuery), or Telegram's cached answer."""

    results: tuple[Mapping[str, Any], ...]
    cache_time: int
    is_personal: bool
    next_offset: str
    cached: bool = False


@dataclass
class Stats:
    """Counters over the emulator's life, for tests, benchmarks and fault runs."""

    requests: Counter[str] = field(default_factory=Counter)
    messages_delivered: int = 0
    messages_edited: int = 0
    peak_messages_per_second: int = 0
    peak_chat_messages_per_second: int = 0
    updates_queued: int = 0
    updates_delivered: int = 0
    bad_requests: int = 0
    rate_limited: int = 0
    forbidden: int = 0
    server_errors_injected: int = 0
    connections_dropped: int = 0
    requests_delayed: int = 0
    webhook_failures: int = 0

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        data = asdict(self)
        data["requests"] = dict(self.requests)
        return data


@dataclass
class Chat:
    """One chat as Telegram stores it, plus what the bot sent there."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    blocked: bool = False
    admin_ids: list[int] = field(default_factory=list)
    member_ids: set[int] = field(default_factory=set)
    # Forum topics deleted by the group: sending into one is a 400, as in Telegram.
    deleted_threads: set[int] = field(default_factory=set)
    last_user_id: int | None = None
    # The bot's own membership; a bot joins a channel only as an administrator.
    bot_status: str = "member"
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    bot_messages: dict[int, SentMessage] = field(default_factory=dict)
    events: list[SentMessage] = field(default_factory=list)
    cursor: int = 0
    _message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def is_group(self) -> bool:
        """Groups, supergroups and channels: the 20 messages/minute limit applies."""
        return self.type in GROUP_TYPES

    def next_message_id(self) -> int:
        """Message ids are per chat and shared by both sides, as in private chats."""
        return next(self._message_ids)

    def as_json(self) -> dict[str, Any]:
        """The Chat object embedded in messages."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


class Signal:
    """Wakes every waiter on the next change; waiters re-check their own condition."""

    def __init__(self) -> None:
        self._future: asyncio.Future[None] | None = None

    def notify(self) -> None:
        """Wake everyone waiting now."""
        if self._future is not None and not self._future.done():
            self._future.set_result(None)
        self._future = None

    # The timeout is a parameter on purpose: callers need a bool, not a cancelled scope.
    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        """Wait until ``condition()`` holds; False if ``timeout`` seconds pass first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            if self._future is None or self._future.done():
                self._future = loop.create_future()
            try:
                await asyncio.wait_for(asyncio.shield(self._future), remaining)
            except TimeoutError:
                return condition()
        return True


@dataclass
class World:
    """The emulated Telegram: chats, users, updates and the bot's registrations."""

    bot_id: int
    bot_username: str
    bot_first_name: str = "Newsbot"
    chats: dict[int, Chat] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    updates: deque[dict[str, Any]] = field(default_factory=deque)
    allowed_updates: frozenset[str] | None = None
    callback_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    callback_answers: dict[str, CallbackAnswer] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    webhook: dict[str, Any] | None = None
    # BotFather's /setinline: without it Telegram sends the bot no inline queries.
    supports_inline_queries: bool = True
    inline_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    inline_answers: dict[str, InlineAnswer] = field(default_factory=dict)
    # file_id -> the URL Telegram fetched it from, so a photo can be sent again by its id.
    photo_files: dict[str, str] = field(default_factory=dict)
    # (query text, offset, user id or None) -> (answer, expiry): Telegram's server-side cache.
    inline_cache: dict[tuple[str, str, int | None], tuple[InlineAnswer, float]] = field(
        default_factory=dict
    )
    stats: Stats = field(default_factory=Stats)
    changed: Signal = field(default_factory=Signal)
    clock: Callable[[], float] = time.time
    closing: bool = False
    _update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(100_000_001))
    _callback_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _inline_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def bot_user(self) -> dict[str, Any]:
        """The bot as a User object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def now(self) -> int:
        """Unix time in whole seconds, as message dates are."""
        return int(self.clock())

    def add_chat(
        self,
        chat_id: int,
        chat_type: str = "private",
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> Chat:
        """Register a chat (or return the known one) so the bot may send to it."""
        chat = self.chats.get(chat_id)
        if chat is not None:
            return chat
        if chat_type == "private":
            if chat_id <= 0:
                raise ValueError("a private chat's id is its user's id, a positive number")
            first_name = first_name or "User"
        elif chat_type in GROUP_TYPES:
            if chat_id >= 0:
                raise ValueError("group and channel ids are negative")
            title = title or f"Chat {chat_id}"
        else:
            raise ValueError(f"unknown chat type {chat_type!r}")
        chat = Chat(chat_id, chat_type, title, username, first_name, last_name)
        if chat_type == "channel":
            chat.bot_status = "administrator"
        self.chats[chat_id] = chat
        return chat

    def add_user(
        self,
        user_id: int,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        last_name: str | None = None,
    ) -> dict[str, Any]:
        """Register or update a user and return the User object."""
        user = self.users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": first_name or "User"}
        )
        for key, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        return user

    def enqueue(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update for the bot; returns its id, or None if allowed_updates filters it."""
        allowed = self.allowed_updates
        if (allowed is None and kind in _NOT_DELIVERED_BY_DEFAULT) or (
            allowed is not None and kind not in allowed
        ):
            return None
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, kind: payload})
        self.stats.updates_queued += 1
        self.changed.notify()
        return update_id

    def confirm_updates(self, offset: int) -> None:
        """Forget updates before ``offset``; a negative offset keeps only the last -offset."""
        before = len(self.updates)
        if offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()
        else:
            while self.updates and self.updates[0]["update_id"] < offset:
                self.updates.popleft()
        if len(self.updates) < before:
            self.stats.updates_delivered += before - len(self.updates)
            self.changed.notify()

    def user_message(self, sent: UserText) -> dict[str, Any]:
        """A user writes in a chat: store the message and queue its update."""
        if not sent.text:
            raise ValueError("Telegram clients do not send empty messages")
        if utf16_length(sent.text) > MAX_MESSAGE_LENGTH:
            raise ValueError("Telegram clients split texts over 4096 characters; send parts")
        user, chat = self._writer(sent)
        message: dict[str, Any] = {
            "message_id": chat.next_message_id(),
            "from": dict(user),
            "chat": chat.as_json(),
            "date": self.now(),
            "text": sent.text,
        }
        entities = find_entities(sent.text)
        if entities:
            message["entities"] = entities
        if sent.anonymous_admin:
            if chat.type not in ("group", "supergroup"):
                raise ValueError("only group admins can post anonymously")
            message["from"] = dict(ANONYMOUS_ADMIN)
            message["sender_chat"] = chat.as_json()
        if sent.message_thread_id is not None:
            message["message_thread_id"] = sent.message_thread_id
            if chat.type == "supergroup":
                message["is_topic_message"] = True
        if sent.reply_to_message_id is not None:
            replied = chat.messages.get(sent.reply_to_message_id)
            if replied is None:
                raise ValueError(f"no message {sent.reply_to_message_id} in chat {chat.id}")
            message["reply_to_message"] = {
                key: value for key, value in replied.items() if key != "reply_to_message"
            }
        if sent.forward_from_chat is not None:
            message["forward_origin"] = self._forward_origin(sent.forward_from_chat)
        chat.messages[message["message_id"]] = message
        self.enqueue("message", message)
        return message

    def _writer(self, sent: UserText) -> tuple[dict[str, Any], Chat]:
        """The user who writes and the chat they write in, both made known and up to date."""
        user_id = sent.user_id
        if user_id is None:
            if sent.chat_type != "private" and sent.chat_id < 0:
                raise ValueError("user_id is required for a message in a group")
            user_id = sent.chat_id
        user = self.add_user(
            user_id, sent.first_name, sent.username, sent.language_code, sent.last_name
        )
        private = sent.chat_type == "private"
        chat = self.add_chat(
            sent.chat_id,
            sent.chat_type,
            title=sent.chat_title,
            username=sent.username if private else None,
            first_name=user["first_name"] if private else None,
        )
        if chat.type == "private":
            # A private chat shows the user's current profile.
            chat.first_name = user["first_name"]
            chat.username = user.get("username")
            chat.last_name = user.get("last_name")
            if chat.blocked:
                # A user cannot write to a bot they blocked, so writing means they unblocked it.
                self.set_blocked(chat.id, blocked=False)
        chat.member_ids.add(user_id)
        chat.last_user_id = user_id
        return user, chat

    def _forward_origin(self, origin: Mapping[str, Any] | int) -> dict[str, Any]:
        """Where a forwarded message came from: a channel (by id or as given) or a group."""
        origin_chat = (
            {"id": origin, "type": "channel", "title": f"Channel {origin}"}
            if isinstance(origin, int)
            else dict(origin)
        )
        if origin_chat.get("type", "channel") == "channel":
            return {"type": "channel", "chat": origin_chat, "message_id": 1, "date": self.now()}
        # A message a group posted as itself: Telegram's MessageOriginChat.
        return {"type": "chat", "sender_chat": origin_chat, "date": self.now()}

    def press_button(
        self, chat_id: int, message_id: int, data: str, user_id: int | None = None
    ) -> str:
        """A user presses an inline button: queue the callback query and return its id."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}")
        if user_id is None:
            user_id = chat.id if chat.type == "private" else chat.last_user_id
        if user_id is None:
            raise ValueError("user_id is required for a button press in a group")
        user = self.add_user(user_id)
        chat.member_ids.add(user_id)
        query_id = f"{self.bot_id}{next(self._callback_ids):08d}"
        message = chat.messages.get(message_id)
        query: dict[str, Any] = {
            "id": query_id,
            "from": dict(user),
            # Telegram sends a stub with date 0 when the message is gone or too old.
            "message": dict(message)
            if message is not None
            else {"chat": chat.as_json(), "message_id": message_id, "date": 0},
            "chat_instance": str(abs(hash((self.bot_id, chat_id)))),
            "data": data,
        }
        self.callback_queries[query_id] = query
        self.enqueue("callback_query", query)
        return query_id

    def set_blocked(self, chat_id: int, blocked: bool) -> None:
        """The user blocks (or unblocks) the bot; Telegram tells the bot with my_chat_member."""
        chat = self.chats[chat_id]
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        member_status = "member"
        gone_status = "kicked"
        old, new = (member_status, gone_status) if blocked else (gone_status, member_status)
        user = self.users.get(chat.id if chat.type == "private" else chat.last_user_id or 0)
        self.enqueue(
            "my_chat_member",
            {
                "chat": chat.as_json(),
                "from": dict(user) if user else {"id": 0, "is_bot": False, "first_name": "User"},
                "date": self.now(),
                "old_chat_member": self._member(old),
                "new_chat_member": self._member(new),
            },
        )

    def set_bot_status(self, chat_id: int, status: str, by_user_id: int | None = None) -> None:
        """An admin promotes, demotes or removes the bot; the bot gets my_chat_member."""
        if status not in BOT_STATUSES:
            raise ValueError(f"the bot's status must be one of {sorted(BOT_STATUSES)}")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}")
        if chat.type == "private":
            raise ValueError("in a private chat the user blocks the bot: use block_bot")
        if chat.bot_status == status:
            return
        old, chat.bot_status = chat.bot_status, status
        if by_user_id is None:
            by_user_id = chat.admin_ids[0] if chat.admin_ids else chat.last_user_id
        user = self.users.get(by_user_id or 0)
        self.enqueue(
            "my_chat_member",
            {
                "chat": chat.as_json(),
                "from": dict(user) if user else {"id": 0, "is_bot": False, "first_name": "User"},
                "date": self.now(),
                "old_chat_member": self._member(old, chat),
                "new_chat_member": self._member(status, chat),
            },
        )

    def bot_member(self, chat: Chat) -> dict[str, Any]:
        """The bot's ChatMember in a chat, for getChatMember."""
        if chat.type == "private":
            return self._member("kicked" if chat.blocked else "member", chat)
        return self._member(chat.bot_status, chat)

    def _member(self, status: str, chat: Chat | None = None) -> dict[str, Any]:
        member: dict[str, Any] = {"status": status, "user": self.bot_user()}
        if status == "kicked":
            member["until_date"] = 0
        if status == "administrator":
            channel = chat is not None and chat.type == "channel"
            member.update(administrator_rights(channel=channel))
        return member

    def inline_query(
        self, user_id: int, query: str, *, offset: str = "", chat_type: str = "private"
    ) -> str:
        """A user types ``@bot query``: queue the inline query (or serve Telegram's cache)."""
        if not self.supports_inline_queries:
            raise ValueError("inline mode is off for this bot: turn it on with BotFather")
        if len(query) > 256:
            raise ValueError("an inline query is at most 256 characters")
        user = self.add_user(user_id)
        query_id = f"{self.bot_id}{next(self._inline_ids):010d}"
        self.inline_queries[query_id] = {"user_id": user_id, "query": query, "offset": offset}
        for key in ((query, offset, user_id), (query, offset, None)):
            cached = self.inline_cache.get(key)
            if cached is not None and cached[1] > self.clock():
                answer = cached[0]
                self.inline_answers[query_id] = InlineAnswer(
                    answer.results, answer.cache_time, answer.is_personal, answer.next_offset, True
                )
                self.changed.notify()
                return query_id
        self.inline_queries[query_id]["date"] = self.clock()
        self.enqueue(
            "inline_query",
            {
                "id": query_id,
                "from": dict(user),
                "query": query,
                "offset": offset,
                "chat_type": chat_type,
            },
        )
        return query_id

    def record_inline_answer(self, query_id: str, answer: InlineAnswer) -> None:
        """Keep the bot's answer, and cache it for ``cache_time`` seconds as Telegram does."""
        query = self.inline_queries[query_id]
        self.inline_answers[query_id] = answer
        if answer.cache_time > 0:
            user = query["user_id"] if answer.is_personal else None
            self.inline_cache[(query["query"], query["offset"], user)] = (
                answer,
                self.clock() + answer.cache_time,
            )
        self.changed.notify()

    def choose_inline_result(self, query_id: str, result_id: str, chat_id: int) -> SentMessage:
        """The user picks one of the answered results: it is posted in ``chat_id`` via the bot."""
        answer = self.inline_answers.get(query_id)
        if answer is None:
            raise ValueError(f"inline query {query_id} has no answer to choose from")
        result = next((r for r in answer.results if r.get("id") == result_id), None)
        if result is None:
            raise ValueError(f"no result {result_id!r} in the answer to {query_id}")
        user = self.users[self.inline_queries[query_id]["user_id"]]
        chat = self.add_chat(chat_id, "private" if chat_id > 0 else "supergroup")
        content = result.get("input_message_content") or {}
        photo = None if "message_text" in content else result.get("photo_url")
        html = content.get("message_text") if photo is None else result.get("caption") or ""
        parse_mode = content.get("parse_mode") if photo is None else result.get("parse_mode")
        parsed = parse_message_text(html, parse_mode) if html else None
        message: dict[str, Any] = {
            "message_id": chat.next_message_id(),
            "from": dict(user),
            "chat": chat.as_json(),
            "date": self.now(),
            "via_bot": self.bot_user(),
        }
        text = parsed.text if parsed else ""
        entities = parsed.entities if parsed else []
        if photo is None:
            message["text"], message["entities"] = text, entities
        else:
            message["photo"], message["caption"] = [{"file_id": photo}], text
        sent = SentMessage(
            message_id=message["message_id"],
            chat_id=chat.id,
            text=text,
            html=html or "",
            parse_mode=parse_mode,
            entities=tuple(entities),
            reply_markup=(),
            message_thread_id=None,
            reply_to_message_id=None,
            disable_web_page_preview=None,
            link_preview_options=content.get("link_preview_options"),
            date=message["date"],
            photo=photo,
            via_bot=True,
        )
        # The user's message, not the bot's: it shows in the chat's events, but the bot cannot
        # edit it by chat and message id (only by inline_message_id, which is not emulated).
        chat.messages[sent.message_id] = message
        chat.events.append(sent)
        self.changed.notify()
        return sent

    def record_sent(self, sent: SentMessage, message: dict[str, Any]) -> None:
        """Store a message the bot sent or edited, and wake whoever waits for it."""
        chat = self.chats[sent.chat_id]
        chat.messages[sent.message_id] = message
        chat.bot_messages[sent.message_id] = sent
        chat.events.append(sent)
        self.changed.notify()


_CHANNEL_ADMIN_RIGHTS = ("can_post_messages", "can_edit_messages")
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def administrator_rights(*, channel: bool) -> dict[str, Any]:
    """An administrator's ChatMember fields with every right; channels add posting rights."""
    rights = _ADMIN_RIGHTS + (_CHANNEL_ADMIN_RIGHTS if channel else ())
    return {"can_be_edited": False, "is_anonymous": False, **dict.fromkeys(rights, True)}
