"""Interface languages end to end: the user's Telegram language, /settings, the fallback."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.commands import COMMANDS
from bot.flood_guard import MESSAGE_BURST, SLOW_DOWN
from bot.i18n import translator
from storage import Store
from storage.ingest.records import HeadlineRecord
from tests.bot.conftest import Conversation


async def test_a_german_user_gets_german_replies(bot_app, chat):
    welcome = await chat.ask("/start", language_code="de")
    assert welcome.text.startswith("Hallo! Ich lese die Nachrichten für dich.")
    help_reply = await chat.ask("/help", language_code="de")
    assert help_reply.text.startswith("Was ich kann")
    assert "/subscribe ukraine — einem Thema folgen" in help_reply.text
    stored = await bot_app.bot_data.services.store.chats.get(chat.chat_id)
    assert stored.language == "de"


async def test_a_regional_variant_gets_its_language(bot_app, chat):
    reply = await chat.ask("/stop", language_code="fr-CA")
    assert reply.text.startswith("En pause : je n'enverrai rien")


async def test_an_unsupported_language_falls_back_to_english(bot_app, chat):
    reply = await chat.ask("/start", language_code="pt-br")
    assert reply.text.startswith("Hello! I read the news for you.")


async def test_a_user_without_a_language_gets_english(bot_app, chat):
    reply = await chat.ask("/help", language_code=None)
    assert reply.text.startswith("What I can do")


async def test_errors_in_arguments_are_explained_in_the_users_language(bot_app, chat):
    reply = await chat.ask("/schedule 25:00", language_code="uk")
    assert reply.text.startswith("«25:00» — це не час доби.")
    reply = await chat.ask("/schedule 08:00 Mars/Olympus", language_code="uk")
    assert reply.text.startswith("Я не знаю часового поясу «Mars/Olympus».")


async def test_settings_switch_the_language(bot_app, chat):
    panel = await chat.ask("/settings")
    assert "Language: English" in panel.text
    assert (await chat.press(panel, "Language")).text is None
    [picker] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert picker.edited and "Which language should I speak here?" in picker.text
    assert [label for label, _ in picker.buttons] == [
        "✓ English",
        "Deutsch",
        "Español",
        "Français",
        "Українська",
    ]

    assert (await chat.press(picker, "Українська")).text == "Збережено"
    [panel] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert panel.text.startswith("Налаштування")
    assert "Мова: Українська" in panel.text
    assert "✓ Середній" in [label for label, _ in panel.buttons]

    reply = await chat.ask("/stop")
    assert reply.text.startswith("Призупинено")
    stored = await bot_app.bot_data.services.store.chats.get(chat.chat_id)
    assert stored.language == "uk"


async def test_a_chosen_language_beats_the_telegram_language(bot_app, chat):
    await chat.ask("/start", language_code="de")
    panel = await chat.ask("/settings", language_code="de")
    await chat.press(panel, "Sprache")
    [picker] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert (await chat.press(picker, "English")).text == "Saved"
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    reply = await chat.ask("/help", language_code="de")
    assert reply.text.startswith("What I can do")


async def test_the_chosen_language_survives_a_restart(bot_app, chat):
    await chat.ask("/start", language_code="en")
    await bot_app.bot_data.services.store.chats.update(chat.chat_id, language="es")
    bot_app.bot_data.services.languages.forget(chat.chat_id)  # as after a restart
    reply = await chat.ask("/help", language_code="en")
    assert reply.text.startswith("Qué sé hacer")


async def test_forget_in_another_language_starts_again_in_the_users_language(bot_app, chat):
    await chat.ask("/start", language_code="en")
    panel = await chat.ask("/settings", language_code="en")
    await chat.press(panel, "Language")
    [picker] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    await chat.press(picker, "Français")
    await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    question = await chat.ask("/forget")
    await chat.press(question, "Tout effacer")
    [done] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    assert done.text.startswith("C'est fait")
    reply = await chat.ask("/help", language_code="en")
    assert reply.text.startswith("What I can do")


async def test_the_command_menu_is_registered_in_every_language(bot_app, emu):
    assert [entry["description"] for entry in emu.commands] == [c.description for c in COMMANDS]
    for language in ("de", "es", "fr", "uk"):
        menu = emu.commands_for(language_code=language)
        assert [entry["command"] for entry in menu] == [c.name for c in COMMANDS]
        t = translator(language)
        assert [entry["description"] for entry in menu] == [
            t.gettext(c.description) for c in COMMANDS
        ]
    german = {
        entry["command"]: entry["description"] for entry in emu.commands_for(language_code="de")
    }
    assert german["subscribe"] == "Einem Thema folgen"


async def test_summaries_stay_in_the_articles_language_around_translated_words(bot_app, news, chat):
    english = await chat.ask("/summary climate", language_code="en")
    german = await Conversation(chat.emu, chat.chat_id + 10_000).ask(
        "/summary climate", language_code="de"
    )
    # The article's own words are the same; only the bot's words around them are German.
    assert german.text.split("\n\n")[:2] == english.text.split("\n\n")[:2]
    assert re.search(r"\nDemo Science · (\d\d:\d\d|gestern) · #3(\n|$)", german.text)
    # A headline truly related to the Geneva story, so its card has a "Related" section.
    await bot_app.bot_data.services.store.articles.ingest(
        [HeadlineRecord("Ukraine and Russia name their negotiators for the Geneva peace talks")]
    )
    talks = await Conversation(chat.emu, chat.chat_id + 10_000).ask(
        "/summary geneva", language_code="de"
    )
    assert "\n\nÄhnliche Meldungen\n" in talks.text


async def test_not_found_replies_are_translated(bot_app, news, chat):
    reply = await chat.ask("/summary 987654", language_code="es")
    assert reply.text == "No existe el artículo #987654. Prueba /latest para ver los recientes."
    reply = await chat.ask("/latest zzyzx", language_code="es")
    assert reply.text.startswith("Todavía no hay titulares sobre «zzyzx».")


async def test_topics_and_their_buttons_are_translated(bot_app, chat):
    reply = await chat.ask("/subscribe ukraine", language_code="fr")
    assert reply.text.startswith("Abonné à ukraine.")
    listing = await chat.ask("/topics", language_code="fr")
    assert listing.text == "Vos sujets\n• ukraine"
    assert [label for label, _ in listing.buttons] == ["✖ ukraine", "📰 Sélection maintenant"]
    answer = await chat.press(listing, "✖ ukraine")
    assert answer.text == "Vous ne suivez plus ukraine"


@pytest.fixture
async def due_ukrainian_reader(news, database_path: Path, chat: Conversation) -> Conversation:
    """A reader who chose Ukrainian, follows "ukraine" and whose digest fell due a minute ago."""
    due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    store = await Store.open(database_path)
    try:
        await store.chats.ensure(chat.chat_id, language="uk")
        await store.subscriptions.subscribe(chat.chat_id, "ukraine")
        await store.chats.update(chat.chat_id, digest_time=due.time(), time_zone="UTC")
        await store.digests.set_next_digest_times([(chat.chat_id, due)])
    finally:
        await store.close()
    chat.emu.add_chat(chat.chat_id)
    return chat


async def test_a_scheduled_digest_comes_in_the_chats_language(due_ukrainian_reader, bot_app, emu):
    reader = due_ukrainian_reader
    [digest] = await emu.wait_for_messages(reader.chat_id, count=1, timeout=15)
    assert digest.text.startswith("Ваш дайджест · ukraine · ")
    labels = [label for label, _ in digest.buttons]
    assert "📄 1 Повний підсумок" in labels
    assert "🔕 Не стежити за ukraine" in labels
    await reader.press(digest, "Не стежити за ukraine")
    [notice] = await emu.wait_for_messages(reader.chat_id, count=1, timeout=10)
    assert notice.text == "Ви більше не стежите за темою ukraine."
    assert [label for label, _ in notice.buttons] == ["↩️ Скасувати"]


async def test_digest_now_in_german(bot_app, news, chat):
    await chat.ask("/subscribe ukraine", language_code="de")
    reply = await chat.ask("/digest", language_code="de")
    assert reply.text.startswith("Dein Digest · ukraine · ")
    again = await chat.ask("/digest", language_code="de")
    assert again.text.startswith("Seit deinem letzten Digest gibt es nichts Neues")


async def test_topic_errors_from_storage_are_translated(bot_app, chat):
    reply = await chat.ask("/subscribe ukraine OR", language_code="es")
    assert reply.text == "Pon una palabra o frase a cada lado de OR."
    reply = await chat.ask("/subscribe " + " OR ".join("abcdefghi"), language_code="es")
    assert reply.text == "Usa como máximo 8 palabras o frases en un tema (este tiene 9)."


async def test_the_apology_for_an_unexpected_error_is_translated(bot_app, settings, chat):
    await chat.ask("/start", language_code="de")
    services = bot_app.bot_data.services
    await services.store.close()  # the database goes away under the bot
    try:
        reply = await chat.ask("/topics", language_code="de")
    finally:
        services.store = await Store.open(settings.database_path)
    assert reply.text == (
        "Entschuldigung, bei mir ist etwas schiefgelaufen. Bitte versuch es gleich noch einmal."
    )


async def test_a_new_group_speaks_the_language_of_the_first_person_who_writes(
    bot_app, emu, new_chat_id
):
    group = Conversation(emu, -new_chat_id, user_id=701, chat_type="group")
    emu.add_chat(group.chat_id, "group", title="Redaktion")
    # Added to the group before anyone wrote: the chat is stored without a language.
    await bot_app.bot_data.services.store.chats.ensure(group.chat_id, kind="group")
    assert (await group.ask("/help", language_code="de")).text.startswith("Was ich kann")
    english_member = Conversation(emu, group.chat_id, user_id=702, chat_type="group")
    assert (await english_member.ask("/help", language_code="en")).text.startswith("Was ich kann")
    stored = await bot_app.bot_data.services.store.chats.get(group.chat_id)
    assert stored.language == "de"


async def test_counts_take_the_plural_form_of_the_language(bot_app, chat):
    panel = await chat.ask("/settings", language_code="uk")
    labels = [label for label, _ in panel.buttons]
    # Ukrainian has three forms: 3 новини, 5 новин; (21 новина would take the first).
    assert {"3 новини", "✓ 5 новин", "10 новин"} <= set(labels)
    assert translator("uk").ngettext("{count} story", "{count} stories", 21) == "{count} новина"


async def test_mute_words_are_confirmed_in_the_chats_language(bot_app, chat):
    reply = await chat.ask("/mute fußball", language_code="de")
    assert reply.text.startswith("fußball stummgeschaltet: Meldungen, die es erwähnen")
    listing = await chat.ask("/muted", language_code="de")
    assert listing.text == "In diesem Chat stummgeschaltet\n• fußball"
    answer = await chat.press(listing, "fußball")
    assert answer.text == "fußball wird wieder gezeigt"


async def test_sources_and_feed_replies_are_translated(bot_app, chat):
    assert (await chat.ask("/sources", language_code="fr")).text == "Je ne lis encore aucun flux."
    reply = await chat.ask("/feed add https://example.org/rss.xml", language_code="fr")
    assert reply.text.startswith("Désolé, seuls les opérateurs du bot peuvent ajouter")


async def test_each_language_gets_its_own_words_not_another_languages(bot_app, chat):
    reply = await chat.ask("/mute fútbol", language_code="es")
    assert reply.text.startswith("fútbol silenciado: las noticias que lo mencionen")


async def test_the_slow_down_notice_is_translated(bot_app, emu, chat):
    for _ in range(MESSAGE_BURST + 2):
        chat.send_only("/help", language_code="uk")
    replies = await emu.wait_for_messages(chat.chat_id, count=MESSAGE_BURST + 1, timeout=30)
    notices = [message.text for message in replies if not message.text.startswith("Що я вмію")]
    assert notices == [translator("uk").gettext(SLOW_DOWN)]
    assert notices[0].startswith("Ви надсилаєте повідомлення швидше")
