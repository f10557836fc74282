"""A one-shot check that the token works against the configured Bot API server."""

from __future__ import annotations

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.settings import Settings


class TelegramCheckError(Exception):
    """The Bot API server could not be reached or refused the token; the message says which."""


async def check_bot_identity(settings: Settings) -> str:
    """Call getMe and return the bot's @username."""
    bot = Bot(settings.token, base_url=settings.api_base_url)
    try:
        async with bot:
            me = await bot.get_me()
    except InvalidToken:
        raise TelegramCheckError(
            "Telegram rejected TELEGRAM_BOT_TOKEN; copy it again from @BotFather"
        ) from None
    except TelegramError as error:
        raise TelegramCheckError(f"could not reach the Bot API: {error}") from None
    return f"@{me.username}"


async def describe_inline_mode(settings: Settings) -> str:
    """Whether BotFather's inline mode is on (getMe's supports_inline_queries), as one phrase."""
    bot = Bot(settings.token, base_url=settings.api_base_url)
    try:
        async with bot:
            me = await bot.get_me()
    except TelegramError as error:
        raise TelegramCheckError(f"could not reach the Bot API: {error}") from None
    if me.supports_inline_queries:
        return "inline mode on"
    return "inline mode off (@BotFather: /setinline, then choose the bot)"
