"""The bot's command list: registered with Telegram at start and shown by /help."""

from __future__ import annotations

from dataclasses import dataclass

from bot.formatting import escape

__all__ = ["COMMANDS", "Command", "help_text"]


@dataclass(frozen=True, slots=True)
class Command:
    """One command as Telegram's menu and /help show it."""

    name: str
    description: str
    example: str


COMMANDS: tuple[Command, ...] = (
    Command("start", "Begin, or resume after /stop", "/start"),
    Command("help", "What I can do, with examples", "/help"),
    Command("subscribe", "Follow a topic", "/subscribe ukraine"),
    Command("unsubscribe", "Stop following a topic", "/unsubscribe ukraine"),
    Command("topics", "Your topics, with buttons", "/topics"),
    Command("summary", "Summarise a search, article number or link", "/summary climate"),
    Command("latest", "Newest headlines", "/latest sport"),
    Command("digest", "Your digest now", "/digest"),
    Command("schedule", "Daily digest time", "/schedule 08:00 Europe/Kyiv"),
    Command("settings", "Summary length, digest days, time zone", "/settings"),
    Command("stop", "Pause everything I send you", "/stop"),
    Command("forget", "Delete everything I store about you", "/forget"),
)


def help_text() -> str:
    """The /help message (Telegram HTML)."""
    lines = ["<b>What I can do</b>"]
    lines += [
        f"{escape(command.example)} — {escape(command.description.lower())}" for command in COMMANDS
    ]
    lines.append("")
    lines.append(
        "Send me a long text or a link and I will summarise it. "
        "In groups, address me as /command@botname; only admins change a group's topics."
    )
    return "\n".join(lines)
