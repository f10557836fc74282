"""Sending HTML replies and deliveries: split under 4096, buttons on the last part, 403 handled."""

from __future__ import annotations

import logging
from enum import Enum

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot.channels import acting_for
from bot.formatting import escape, split_message
from storage import Store

__all__ = ["Delivery", "deliver", "reply_html"]

_LOGGER = logging.getLogger(__name__)


async def reply_html(
    update: Update,
    html: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    link_preview_options: LinkPreviewOptions | None = None,
) -> Message | None:
    """Answer in the update's chat (and forum thread); return the last message sent.

    ``link_preview_options`` (a story's lead image) goes with the first part, whose link it
    previews; the default (previews off) applies to the rest.
    """
    message = update.effective_message
    if message is None:
        return None
    acting = acting_for()
    if acting is not None and acting.private_chat_id == message.chat_id:
        # Every answer about a managed channel names it: "@harbour: Subscribed to …".
        html = f"<b>{escape(acting.name)}</b>: {html}"
    parts = split_message(html)
    sent: Message | None = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent = await message.reply_html(
            part,
            reply_markup=reply_markup if last else None,
            link_preview_options=_preview(link_preview_options, first=index == 0),
        )
    return sent


# What the application's Defaults say; spelled out because passing None would not mean it.
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _preview(options: LinkPreviewOptions | None, *, first: bool) -> LinkPreviewOptions:
    return options if options is not None and first else _NO_PREVIEW


class Delivery(Enum):
    """How an unprompted message (a digest, a notice) fared."""

    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"


async def deliver(
    bot: ExtBot[int],
    store: Store,
    chat_id: int,
    html: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    message_thread_id: int | None = None,
    link_preview_options: LinkPreviewOptions | None = None,
) -> Delivery:
    """Send ``html`` to a chat that did not just write to us; never raises for Telegram errors.

    429 and network errors were already retried by the rate limiter; what reaches here is final.
    A 403 marks the chat inactive so fan-outs skip it until the person writes again.
    """
    parts = split_message(html)
    try:
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await bot.send_message(
                chat_id,
                part,
                reply_markup=reply_markup if last else None,
                message_thread_id=message_thread_id,
                link_preview_options=_preview(link_preview_options, first=index == 0),
            )
    except Forbidden:
        _LOGGER.info("Chat %s blocked the bot or removed it; marking it inactive", chat_id)
        await store.chats.set_active(chat_id, False)
        return Delivery.BLOCKED
    except BadRequest as error:
        _LOGGER.warning("Telegram refused a message to chat %s: %s", chat_id, error)
        return Delivery.FAILED
    except (RetryAfter, NetworkError) as error:
        _LOGGER.warning("Could not deliver to chat %s: %s", chat_id, error)
        return Delivery.FAILED
    return Delivery.SENT
