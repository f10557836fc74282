"""Interface catalogues: every text in the code translated everywhere, placeholders intact."""

from __future__ import annotations

import functools
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    interface_language,
    month_short,
    resolve_language,
    translator,
    weekday_abbreviation,
    weekday_short,
)
from emulator.telegram_html import parse_html

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE})

# Message key as gettext sees it: (context, msgid) with the plural msgid for plural messages.
Key = tuple[str | None, str]


@functools.cache
def code_messages() -> dict[Key, str | tuple[str, ...]]:
    """Every text the bot's code marks for translation, as `make translations` extracts it."""
    found: dict[Key, str | tuple[str, ...]] = {}
    for _, _, message, _, context in extract_from_dir(ROOT / "bot", keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        found[(context, msgid)] = message
    return found


@functools.cache
def catalogue(language: str) -> Catalog:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as source:
        return read_po(source, locale=language)


def entries(language: str) -> list[Message]:
    return [message for message in catalogue(language) if message.id]


def key_of(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    context = message.context
    # Babel's .mo reader returns contexts as bytes.
    return (context.decode() if isinstance(context, bytes) else context, msgid)


def placeholders(text: str) -> list[str]:
    """{field} names, %(name)s / %s conversions and HTML tags, sorted (order may change)."""
    fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    printf = re.findall(r"%(?:\([^)]*\))?[sdif]", text)
    tags = re.findall(r"</?[a-zA-Z][^<>]*>", text)
    return sorted(fields + printf + tags)


def forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def test_every_supported_language_has_a_catalogue_and_no_other_does():
    directories = {path.name for path in LOCALE_DIR.iterdir() if path.is_dir()}
    assert directories == set(TRANSLATED)


def test_the_code_marks_texts_for_translation():
    # Guards the extraction itself: if it found nothing, the tests below would prove nothing.
    assert (None, "<b>What I can do</b>") in code_messages()
    assert ("summary length", "Short") in code_messages()
    assert (None, "Put a word or phrase on each side of OR.") in code_messages()


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_in_the_code_is_translated(language):
    translated = {key_of(message): message for message in entries(language)}
    missing = [key for key in code_messages() if key not in translated]
    assert missing == [], f"run `make translations` and translate these in {language}"
    unfinished = [
        key
        for key, message in translated.items()
        if message.fuzzy or not all(form.strip() for form in forms(message))
    ]
    assert unfinished == [], f"untranslated or fuzzy in {language}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_english_placeholders_and_tags(language):
    for message in entries(language):
        english = message.id[-1] if isinstance(message.id, tuple | list) else message.id
        for form in forms(message):
            assert placeholders(form) == placeholders(english), (language, message.id, form)


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_translations_have_every_form_the_language_needs(language):
    # Ukrainian needs three forms (1 новина, 2 новини, 5 новин); German, Spanish, French two.
    assert catalogue(language).num_plurals == get_plural(language).num_plurals
    for message in entries(language):
        if message.pluralizable:
            assert len(forms(message)) == catalogue(language).num_plurals, message.id


def test_no_catalogue_holds_another_languages_translation():
    # A merge slip once put the German texts into the Spanish, French and Ukrainian files.
    seen: dict[tuple[Key, tuple[str, ...]], str] = {}
    for language in TRANSLATED:
        for message in entries(language):
            english = message.id if isinstance(message.id, tuple | list) else (message.id,)
            text = tuple(forms(message))
            if len(" ".join(text)) <= 4 or text[0] in english:
                continue  # abbreviations and words the languages share with English
            other = seen.setdefault((key_of(message), text), language)
            assert other == language, (language, other, message.id)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_are_valid_telegram_html_once_filled_in(language):
    # Same tags in a different order would pass the test above and still break a message.
    for message in entries(language):
        for form in forms(message):
            fields = {name: "x" for _, name, _, _ in string.Formatter().parse(form) if name}
            parse_html(form.format(**fields) if fields else form)


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_is_up_to_date_with_its_source(language):
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as compiled:
        shipped = read_mo(compiled)
    source = {key_of(message): forms(message) for message in entries(language)}
    assert {key_of(message): forms(message) for message in shipped if message.id} == source


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("UK", "uk"),
        ("fr_CA", "fr"),
        ("es-419", "es"),
        ("en-GB", "en"),
        ("pt-br", None),
        ("", None),
        (None, None),
    ],
)
def test_telegram_language_codes_map_to_supported_languages(code, language):
    assert interface_language(code) == language


def test_the_first_supported_candidate_wins_and_english_is_the_fallback():
    assert resolve_language(None, "de") == "de"
    assert resolve_language("fr", "de") == "fr"
    assert resolve_language("pt", "it") == "en"
    assert resolve_language() == "en"


def test_english_and_unknown_languages_show_the_source_texts():
    assert translator("en").gettext("<b>What I can do</b>") == "<b>What I can do</b>"
    assert translator("xx").gettext("<b>What I can do</b>") == "<b>What I can do</b>"


def test_translators_are_loaded_once():
    assert translator("de") is translator("de")


def test_calendar_words_are_translated():
    assert [weekday_short(translator("de"), day) for day in (0, 6)] == ["Mo", "So"]
    assert month_short(translator("fr"), 2) == "févr."
    assert month_short(translator("en"), 11) == "Nov"


def test_calendar_words_are_cldrs_in_every_language():
    # CLDR's short Spanish Saturday is "SA": unaccented, as the hand-made table did not have it.
    assert [weekday_short(translator("es"), day) for day in (0, 5)] == ["Lu", "Sa"]
    assert weekday_abbreviation(translator("uk"), 6) == "нд"
    assert [month_short(translator("de"), month) for month in (3, 9)] == ["März", "Sept."]
    assert month_short(translator("es"), 9) == "sept"


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("es", 1, "1 noticia"),
        ("es", 5, "5 noticias"),
        ("es", 1_000_000, "1000000 de noticias"),
        ("fr", 0, "0 article"),
        ("fr", 5, "5 articles"),
        ("fr", 2_000_000, "2000000 d’articles"),
        ("uk", 3, "3 новини"),
    ],
)
def test_counts_take_the_plural_form_cldr_gives_the_number(language, count, expected):
    text = translator(language).ngettext("{count} story", "{count} stories", count)
    assert text.format(count=count) == expected
