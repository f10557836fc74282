"""The application factory: settings and services in, a ready PTB Application out."""

from __future__ import annotations

import logging
import os
from concurrent.futures import Executor

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationBuilder, BaseRateLimiter, ContextTypes, Defaults, JobQueue

from bot.admin_reports import start_admin_reports, stop_admin_reports
from bot.api_request import BotApiRequest
from bot.commands import COMMANDS
from bot.digests.wiring import install as install_digests
from bot.feed_polling import start_feed_polling
from bot.flood_guard import FairUpdateProcessor, FloodGuard, GuardedUpdatesRequest
from bot.handlers import register_all
from bot.handlers.admin import ADMIN_COMMANDS
from bot.http_page_fetcher import HttpPageFetcher, make_http_client
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from bot.live import install as install_live_delivery
from bot.page_fetcher import PageFetcher
from bot.ratelimit import NewsRateLimiter
from bot.services import BotData, NewsApplication, NewsContext, Services
from bot.settings import Settings
from bot.summarizer import Summarizer, make_summary_executor
from storage import Store

__all__ = ["ALLOWED_UPDATES", "build_application"]

_LOGGER = logging.getLogger(__name__)

# Enough in-flight updates that slow summaries never make /help wait in line behind them;
# the summary executor, not this number, bounds the CPU work.
_CONCURRENT_UPDATES = 256

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
    Update.INLINE_QUERY,
]


async def _register_commands(application: NewsApplication) -> None:
    """The command menu in English for everyone, and translated for users of each language."""
    for language in LANGUAGES:
        t = translator(language)
        commands = [
            BotCommand(command.name, t.gettext(command.description)) for command in COMMANDS
        ]
        if language == DEFAULT_LANGUAGE:
            await application.bot.set_my_commands(commands)
        else:
            await application.bot.set_my_commands(commands, language_code=language)
        # The admins' private chats get the admin commands too; readers never see them.
        admin_commands = commands + [
            BotCommand(command.name, t.gettext(command.description)) for command in ADMIN_COMMANDS
        ]
        for admin_id in sorted(application.bot_data.services.settings.admin_ids):
            try:
                await application.bot.set_my_commands(
                    admin_commands,
                    scope=BotCommandScopeChat(admin_id),
                    language_code=None if language == DEFAULT_LANGUAGE else language,
                )
            except BadRequest as error:
                # Telegram knows an admin's chat only once they have written to the bot.
                _LOGGER.warning("No admin command menu for %s yet: %s", admin_id, error)


def build_application(
    settings: Settings,
    *,
    summary_executor: Executor | None = None,
    fetcher: PageFetcher | None = None,
    rate_limiter: BaseRateLimiter[int] | None = None,
) -> NewsApplication:
    """Build the bot; services open in post_init and close in post_shutdown.

    ``summary_executor`` and ``fetcher`` are for tests and embedding: an executor passed in is
    shared and left running; one created here is shut down with the application.
    """

    async def post_init(application: NewsApplication) -> None:
        settings.database_path.parent.mkdir(parents=True, exist_ok=True)
        store = await Store.open(settings.database_path)
        executor = summary_executor or make_summary_executor(
            settings.summary_workers, processes=settings.summary_processes
        )
        http = make_http_client(settings.fetch_allow_hosts)
        services = Services(
            settings=settings,
            store=store,
            summarizer=Summarizer(store, executor),
            fetcher=fetcher or HttpPageFetcher(http),
            http=http,
        )
        application.bot_data.attach(services)
        await start_feed_polling(application)
        await start_admin_reports(application)
        await _register_commands(application)
        # The digest timer's first tick is a second from now: added at build time, a start-up
        # over a second (a large database, a slow Bot API) would make APScheduler align it to
        # the next 30 s tick, and the catch-up of digests missed while down would come late.
        install_digests(application)
        _LOGGER.info("Bot @%s ready; database %s", application.bot.username, settings.database_path)

    async def post_shutdown(application: NewsApplication) -> None:
        await stop_admin_reports(application, settings)
        services = application.bot_data.detach()
        if services is None:
            return
        await services.fetcher.close()
        await services.http.close()
        await services.store.close()
        if summary_executor is None:
            services.summarizer.shutdown()

    # PTB 22 warns each time it reads RetryAfter.retry_after as seconds; opting in to the
    # timedelta form (the next major version's only form) keeps 429 handling quiet and
    # future-proof. Nothing of ours reads it as a number.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    context_types = ContextTypes(context=NewsContext, bot_data=BotData)
    # One guard judges each update once: in getUpdates' answer before PTB decodes it, or (a
    # webhook's) before handling; the processor then acts on that verdict.
    guard = FloodGuard()
    application: NewsApplication = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_base_url)
        .context_types(context_types)
        .job_queue(JobQueue[NewsContext]())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(rate_limiter or NewsRateLimiter())
        .request(BotApiRequest())
        .get_updates_request(GuardedUpdatesRequest(guard))
        .concurrent_updates(FairUpdateProcessor(_CONCURRENT_UPDATES, guard))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    install_live_delivery(application)
    register_all(application)
    return application
