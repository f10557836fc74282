"""The bot's interface languages: one gettext catalogue per language, English as the fallback.

English texts in the code are the message ids; ``bot/locales/<language>/LC_MESSAGES/newsbot.po``
translate them and the compiled ``.mo`` next to it is what runs (docs/i18n.md: adding a
language). Month and weekday names come from Babel's CLDR data, not the catalogues. Only the
bot's own words are translated: summaries, headlines and topics stay in the language they were
written in.

A handler gets its chat's :class:`Translator` (``bot.handlers.common.translator_for``) and calls
``t.gettext("...")``, ``t.ngettext(...)`` for counts and ``t.pgettext(context, ...)`` for short
words that need a context; placeholders are ``{name}`` fields filled with ``str.format`` after
translation. A text defined away from where it is shown is marked with :func:`N_` so extraction
still finds it.
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass
from pathlib import Path

from babel.dates import get_day_names, get_month_names
from babel.numbers import format_decimal

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "TranslatableError",
    "Translator",
    "format_number",
    "interface_language",
    "month_short",
    "resolve_language",
    "translator",
    "weekday_abbreviation",
    "weekday_short",
]

DOMAIN = "newsbot"
LOCALE_DIR = Path(__file__).with_name("locales")
DEFAULT_LANGUAGE = "en"
# Each language under its own name, as the /settings buttons offer it; English first.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "uk": "Українська",
}

# The standard library's catalogue type; English is a NullTranslations (the ids are the texts).
Translator = gettext.NullTranslations


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


class TranslatableError(Exception):
    """An error shown to users: an English msgid (marked with N_) and the values of its fields.

    ``str(error)`` is the English text, for logs and tests; :meth:`translated` is for replies.
    A field that is a ``float`` (a size in megabytes) is shown in the reader's digits.
    """

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(template.format(**fields) if fields else template)
        self.template = template
        self.fields = fields

    def translated(self, t: Translator) -> str:
        """The message in ``t``'s language, its fields filled in (plain text, not escaped)."""
        text = t.gettext(self.template)
        fields = {
            name: format_number(t, value) if isinstance(value, float) else value
            for name, value in self.fields.items()
        }
        return text.format(**fields) if fields else text


def interface_language(code: str | None) -> str | None:
    """The interface language for a tag such as ``de``, ``de-AT`` or ``pt_BR``; else None."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def resolve_language(*candidates: str | None) -> str:
    """The first supported language among ``candidates`` (best first), else English."""
    for candidate in candidates:
        language = interface_language(candidate)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


def translator(language: str) -> Translator:
    """The catalogue for ``language``, loaded once; English for English or an unknown code."""
    return _catalogue(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@functools.cache
def _catalogue(language: str) -> Translator:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)


def weekday_short(t: Translator, day: int) -> str:
    """A short weekday name (0 is Monday), as the digest-day buttons show it: "Mo", "Di"."""
    return _calendar_words(_locale(t)).weekdays_short[day]


def weekday_abbreviation(t: Translator, day: int) -> str:
    """A weekday's usual abbreviation (0 is Monday), as digest headings show it: "Mon"."""
    return _calendar_words(_locale(t)).weekdays[day]


def month_short(t: Translator, month: int) -> str:
    """A short month name (1 is January), as dates in cards and digests show it: "Nov"."""
    return _calendar_words(_locale(t)).months[month - 1]


@dataclass(frozen=True, slots=True)
class _CalendarWords:
    weekdays_short: tuple[str, ...]
    weekdays: tuple[str, ...]
    months: tuple[str, ...]


@functools.cache
def _calendar_words(locale: str) -> _CalendarWords:
    # Looked up once per language: Babel's lookups cost tens of microseconds, and a digest run
    # dates thousands of stories.
    short = get_day_names("short", "stand-alone", locale)
    weekdays = get_day_names("abbreviated", "format", locale)
    months = get_month_names("abbreviated", "format", locale)
    return _CalendarWords(
        # A row of toggles reads best with one look in every language: capitalised, no full
        # stop (CLDR has "Mo." in German, "LU" in Spanish, "lu" in French).
        weekdays_short=tuple(
            short[day][:1].upper() + short[day][1:].lower().rstrip(".") for day in range(7)
        ),
        weekdays=tuple(weekdays[day] for day in range(7)),
        months=tuple(months[month] for month in range(1, 13)),
    )


def _locale(t: Translator) -> str:
    # The catalogue's own header names its language; English has no catalogue file.
    return t.info().get("language", DEFAULT_LANGUAGE)


def format_number(t: Translator, number: float) -> str:
    """``number`` to three significant digits in the digits of ``t``'s language: "0,1" in German."""
    return format_decimal(float(f"{number:.3g}"), locale=_locale(t))
