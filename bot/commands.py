"""The bot's command list: registered with Telegram at start (per language) and shown by /help."""

from __future__ import annotations

from dataclasses import dataclass

from bot.formatting import escape
from bot.i18n import N_, Translator

__all__ = ["COMMANDS", "Command", "help_text"]


@dataclass(frozen=True, slots=True)
class Command:
    """One command as Telegram's menu and /help show it; the description is an English msgid.

    ``expensive`` commands search, rank or summarise: the flood guard gives them a smaller
    budget, and each chat runs one at a time.
    """

    name: str
    description: str
    example: str
    expensive: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Begin, or resume after /stop"), "/start"),
    Command("help", N_("What I can do, with examples"), "/help"),
    Command("subscribe", N_("Follow a topic"), "/subscribe ukraine"),
    Command("unsubscribe", N_("Stop following a topic"), "/unsubscribe ukraine"),
    Command("topics", N_("Your topics, with buttons"), "/topics"),
    Command(
        "summary",
        N_("Summarise a search, article number or link"),
        "/summary climate",
        expensive=True,
    ),
    Command("latest", N_("Newest headlines"), "/latest sport", expensive=True),
    Command("digest", N_("Your digest now"), "/digest", expensive=True),
    Command("mute", N_("Hide stories with a word or phrase"), "/mute football"),
    Command("unmute", N_("Show a muted word again"), "/unmute football"),
    Command("muted", N_("Your muted words"), "/muted"),
    Command("sources", N_("The feeds I read: follow or mute one"), "/sources"),
    Command("schedule", N_("Daily digest time"), "/schedule 08:00 Europe/Kyiv"),
    Command(
        "settings", N_("Summary length, digest days and size, time zone, language"), "/settings"
    ),
    Command("delivery", N_("Daily digest, as it happens, or off"), "/delivery ukraine live"),
    Command("quiet", N_("Hours with no posts as they happen"), "/quiet 22:00 07:00"),
    Command("previews", N_("Pictures with single stories: on or off"), "/previews off"),
    Command("channel", N_("Manage a channel you administer"), "/channel @mychannel"),
    Command("stop", N_("Pause everything I send you"), "/stop"),
    Command("forget", N_("Delete everything I store about you"), "/forget"),
)


def help_text(t: Translator) -> str:
    """The /help message (Telegram HTML) in ``t``'s language."""
    lines = [t.gettext("<b>What I can do</b>")]
    lines += [
        f"{escape(command.example)} — {escape(_lower_first(t.gettext(command.description)))}"
        for command in COMMANDS
    ]
    lines.append("")
    lines.append(
        t.gettext(
            "Send me a long text or a link and I will summarise it. "
            "In groups, address me as /command@botname; only admins change a group's topics."
        )
    )
    return "\n".join(lines)


def _lower_first(text: str) -> str:
    # Only the first letter: German nouns keep their capitals ("Tägliche Digest-Zeit").
    return text[:1].lower() + text[1:]
