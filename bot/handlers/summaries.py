"""/summary, and summaries of long pasted texts and links sent in a private chat."""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.callbacks import Action, decode
from bot.cards import article_card
from bot.formatting import SummaryCard, escape, summary_card
from bot.handlers.common import argument_text, chat_id_of, translator_for
from bot.handlers.filters import without_muted_articles
from bot.i18n import Translator
from bot.page_fetcher import FetchError
from bot.parsing import (
    LONG_TEXT_CHARS,
    MIN_TEXT_CHARS,
    ArticleId,
    NewestForMe,
    Query,
    WebPage,
    find_single_url,
    parse_summary_target,
)
from bot.pictures import story_preview
from bot.replies import reply_html
from bot.services import NewsApplication, NewsContext
from bot.summarizer import SUMMARY_LENGTHS
from storage import Article, Chat
from summaries import SummariesError, UnsupportedLanguageError

__all__ = ["register"]


async def _chat(context: NewsContext, chat_id: int) -> Chat | None:
    return await context.services.store.chats.get(chat_id)


def _summaries_error(error: SummariesError, t: Translator) -> str:
    # The summaries package speaks English to developers; readers get a short sentence.
    if isinstance(error, UnsupportedLanguageError):
        return t.gettext(
            "I could not recognise the language of that text, so I cannot summarise it."
        )
    return t.gettext("Sorry, I could not summarise that text.")


async def _text_card(
    context: NewsContext,
    text: str,
    chat: Chat | None,
    t: Translator,
    *,
    title: str | None = None,
    url: str | None = None,
) -> str:
    services = context.services
    length = chat.summary_length if chat else "medium"
    summary = await services.summarizer.summarize_text(
        text, sentences=SUMMARY_LENGTHS.get(length, 3), title=title
    )
    related = await services.store.articles.related_to_text(text, title=title, limit=3)
    card = SummaryCard(
        title=title or t.gettext("Summary"), sentences=summary.sentences, url=url, related=related
    )
    return summary_card(card, time_zone=chat.time_zone if chat else "UTC", t=t)


async def _summarise_pasted(update: Update, context: NewsContext, text: str) -> None:
    t = await translator_for(update, context)
    if len(text) < MIN_TEXT_CHARS:
        await reply_html(
            update, t.gettext("That is too short to summarise; send a longer text or a link.")
        )
        return
    chat = await _chat(context, chat_id_of(update))
    try:
        html = await _text_card(context, text, chat, t)
    except SummariesError as error:
        html = escape(_summaries_error(error, t))
    await reply_html(update, html)


async def _summarise_page(update: Update, context: NewsContext, url: str) -> None:
    t = await translator_for(update, context)
    chat = await _chat(context, chat_id_of(update))
    try:
        page = await context.services.fetcher.fetch(url)
        html = await _text_card(context, page.text, chat, t, title=page.title, url=page.url)
    except FetchError as error:
        html = escape(error.translated(t))
    except SummariesError as error:
        html = escape(_summaries_error(error, t))
    await reply_html(update, html)


async def _find_article(context: NewsContext, chat_id: int, argument: str) -> Article | None:
    store = context.services.store
    target = parse_summary_target(argument)
    if isinstance(target, NewestForMe):
        topics = await store.subscriptions.topics(chat_id)
        newest = await store.articles.latest(topics=topics, limit=20) if topics else []
        # The newest story the chat has not muted.
        visible = await without_muted_articles(context, chat_id, newest)
        return visible[0] if visible else None
    if isinstance(target, ArticleId):
        article = await store.articles.get(target.article_id)
        if article is not None:
            return article
    query = target.text if isinstance(target, Query) else argument
    hits = await store.articles.search(query, limit=1)
    return hits[0].article if hits else None


# A summary card's last line ends with the article's number: "BBC · 25 Nov 2026 · #12".
_CARD_NUMBER = re.compile(r"(?:· |^)#(\d{1,18})$", re.MULTILINE)
_STORY_ACTIONS = (Action.DIGEST_SUMMARY, Action.MORE_LIKE_THIS)


def stories_of(message: Message) -> set[int]:
    """The stored articles one of the bot's own messages is about (digest buttons, card)."""
    ids: set[int] = set()
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup else ():
        for key in row:
            button = decode(key.callback_data if isinstance(key.callback_data, str) else None)
            if button and button.action in _STORY_ACTIONS and button.argument.isdecimal():
                ids.add(int(button.argument))
    if not ids:
        ids.update(int(number) for number in _CARD_NUMBER.findall(message.text or ""))
    return ids


async def _summarise_own_message(update: Update, context: NewsContext, replied: Message) -> None:
    t = await translator_for(update, context)
    stories = stories_of(replied)
    article = (
        await context.services.store.articles.get(stories.pop()) if len(stories) == 1 else None
    )
    if article is None:
        await reply_html(
            update,
            escape(
                t.gettext(
                    "I can only summarise a message of mine about one story. Reply to a "
                    "story's card, or press 📄 Full summary under the story in a digest."
                )
            ),
        )
        return
    chat = await _chat(context, chat_id_of(update))
    await reply_html(update, await article_card(context.services, article, chat, t))


async def summary(update: Update, context: NewsContext) -> None:
    """Summarise a search result, an article by number, a link, or the message replied to."""
    message = update.effective_message
    argument = argument_text(context)
    replied = message.reply_to_message if message else None
    author = replied.from_user if replied is not None else None
    if not argument and replied is not None and author is not None and author.id == context.bot.id:
        # Summarising the bot's own digest would summarise a list of stories: take the story.
        await _summarise_own_message(update, context, replied)
        return
    if not argument and replied is not None and (replied.text or replied.caption):
        await _summarise_pasted(update, context, replied.text or replied.caption or "")
        return
    target = parse_summary_target(argument)
    if isinstance(target, WebPage):
        await _summarise_page(update, context, target.url)
        return
    chat_id = chat_id_of(update)
    t = await translator_for(update, context)
    article = await _find_article(context, chat_id, argument)
    if article is None:
        await reply_html(update, _nothing_found(target, t))
        return
    chat = await _chat(context, chat_id)
    await reply_html(
        update,
        await article_card(context.services, article, chat, t),
        link_preview_options=await story_preview(context.services, article, chat_id),
    )


def _nothing_found(target: ArticleId | Query | NewestForMe, t: Translator) -> str:
    if isinstance(target, NewestForMe):
        return t.gettext(
            "Nothing new for your topics yet. Follow one with /subscribe climate, "
            "or try /summary with a word, e.g. /summary election."
        )
    if isinstance(target, ArticleId):
        return t.gettext("There is no article #{number}. Try /latest for recent ones.").format(
            number=target.article_id
        )
    return t.gettext(
        "I found nothing about “{query}”. Try a broader word, or /latest for what is new."
    ).format(query=escape(target.text[:80]))


async def plain_text(update: Update, context: NewsContext) -> None:
    """Summarise a long pasted or forwarded text, or a single link."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    url = find_single_url(text)
    # A forward (from a channel or another chat) asks for a summary even when it is short;
    # a short text of one's own more likely means the person is chatting.
    forwarded = message is not None and message.forward_origin is not None
    if url is not None:
        await _summarise_page(update, context, url)
    elif len(text) >= LONG_TEXT_CHARS or forwarded:
        await _summarise_pasted(update, context, text)
    else:
        t = await translator_for(update, context)
        await reply_html(
            update,
            t.gettext("Send me a long text or a link to summarise, or /help to see what I can do."),
        )


def register(application: NewsApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("summary", summary))
    # Only in private chats: in a group, summarising every long message would be noise.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND,
            plain_text,
        )
    )
