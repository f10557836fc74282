"""`newsbot doctor`: check configuration, database, summariser and Telegram, one line each."""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbot.options import add_database_option, database_path

__all__ = ["register", "run"]

# A placeholder that passes the token's shape check, so the rest of the configuration can be
# validated on a machine that has no token yet.
_PLACEHOLDER_TOKEN = "1:doctor-placeholder"

_SAMPLE_ARTICLE = (
    "The city council approved a new budget on Monday after months of debate. "
    "The plan raises spending on schools and public transport by ten percent. "
    "Opposition members said the increase would force higher local taxes next year. "
    "The mayor said savings elsewhere would cover the cost without new taxes. "
    "The budget takes effect in January."
)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check."""

    name: str
    passed: bool
    detail: str


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the `doctor` subcommand."""
    parser = subparsers.add_parser(
        "doctor",
        help="check configuration, database, summariser and the Telegram token",
        description="Print a PASS/FAIL line per check; exit 1 when any check fails.",
    )
    parser.add_argument("--quiet", action="store_true", help="print failures only")
    parser.add_argument(
        "--offline", action="store_true", help="skip the Telegram checks (health probes)"
    )
    add_database_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run every check and report."""
    from bot.redaction import redact

    environ = dict(os.environ)
    if args.db is not None:
        environ["NEWSBOT_DB"] = str(database_path(args))
    results = asyncio.run(run_checks(environ, offline=args.offline))
    for result in results:
        if result.passed and args.quiet:
            continue
        verdict = "PASS" if result.passed else "FAIL"
        # A Bot API error page may echo the request path, token included.
        print(redact(f"{verdict} {result.name}: {result.detail}"))
    return 0 if all(result.passed for result in results) else 1


async def run_checks(env: Mapping[str, str], *, offline: bool) -> list[CheckResult]:
    """Run the checks against the configuration in ``env``; never raises."""
    from bot.settings import Settings, SettingsError

    environ = dict(env)
    has_token = bool(environ.get("TELEGRAM_BOT_TOKEN", "").strip())
    if not has_token:
        environ["TELEGRAM_BOT_TOKEN"] = _PLACEHOLDER_TOKEN
    try:
        settings = Settings.from_env(environ)
    except SettingsError as error:
        return [CheckResult("config", False, str(error))]
    config_detail = f"database {settings.database_path}, API {settings.api_base_url}"
    if not has_token:
        config_detail += " (TELEGRAM_BOT_TOKEN not set: newsbot run needs it)"
    results = [CheckResult("config", True, config_detail)]
    results.append(await _guarded("database", lambda: _check_database(settings.database_path)))
    results.append(await _guarded("summariser", _check_summariser))
    if offline:
        return results
    if has_token:
        results.append(await _guarded("telegram", lambda: _check_telegram(settings)))
    else:
        results.append(
            CheckResult(
                "telegram",
                False,
                "TELEGRAM_BOT_TOKEN is not set: newsbot run needs it (create a bot with "
                "@BotFather); --offline skips this check",
            )
        )
    return results


async def _guarded(name: str, check: Callable[[], Awaitable[str]]) -> CheckResult:
    # A doctor reports every failure as a line instead of dying on the first one.
    try:
        return CheckResult(name, True, await check())
    except Exception as error:
        return CheckResult(name, False, str(error) or type(error).__name__)


async def _check_database(path: Path) -> str:
    from storage import Store
    from storage.migrations import LATEST_VERSION

    # Never create it: a mistyped NEWSBOT_DB must fail here, not pass as an empty database.
    async with await Store.open(path, create=False) as store:
        problems = await store.integrity_problems()
        if problems:
            raise RuntimeError(f"integrity check failed: {'; '.join(problems[:3])}")
        await store.check_writable()
    return f"{path} opens, schema version {LATEST_VERSION}, integrity ok, writable"


async def _check_summariser() -> str:
    from summaries import summarize

    summary = await asyncio.to_thread(summarize, _SAMPLE_ARTICLE, sentences=2)
    if len(summary.sentences) != 2:
        raise RuntimeError(f"expected 2 sentences, got {len(summary.sentences)}")
    return f"offline summary ok ({summary.algorithm}, {summary.language})"


async def _check_telegram(settings: Any) -> str:
    from bot.health import check_bot_identity, describe_inline_mode

    username = await check_bot_identity(settings)
    return f"getMe answered as {username}; {await describe_inline_mode(settings)}"
