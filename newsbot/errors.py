"""How a command fails: one line on stderr that says what to fix, and an exit status.

Every command's errors pass through ``describe_failure`` (called once, by ``newsbot.cli.main``),
so no command needs its own try/except to keep tracebacks off the operator's screen.
"""

from __future__ import annotations

import logging

__all__ = ["EXIT_FAILURE", "EXIT_USAGE", "CommandError", "describe_failure"]

EXIT_FAILURE = 1
EXIT_USAGE = 2

_LOGGER = logging.getLogger(__name__)


class CommandError(Exception):
    """A command cannot go on; the message says what to fix, ``status`` is the exit status."""

    def __init__(self, message: str, *, status: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.status = status


def describe_failure(error: Exception) -> tuple[str, int]:
    """The one-line message and exit status for an error that ended a command."""
    # Imported here: the error path may pay for them, `newsbot --help` should not.
    from bot.i18n import DEFAULT_LANGUAGE, translator  # noqa: PLC0415
    from bot.settings import SettingsError  # noqa: PLC0415
    from bot.topic_errors import topic_error_text  # noqa: PLC0415
    from feeds.errors import FetchError  # noqa: PLC0415
    from storage.errors import (  # noqa: PLC0415
        IngestError,
        InvalidTopicError,
        StorageError,
    )
    from summaries import SummariesError  # noqa: PLC0415

    status = EXIT_FAILURE
    if isinstance(error, CommandError):
        message, status = str(error), error.status
    elif isinstance(error, InvalidTopicError):
        # Storage gives a code; the operator reads the words a reader would, in English.
        message, status = topic_error_text(error, translator(DEFAULT_LANGUAGE)), EXIT_USAGE
    elif isinstance(error, (SettingsError, SummariesError, IngestError, FetchError)):
        message, status = str(error), EXIT_USAGE
    elif isinstance(error, StorageError):
        message = str(error)
    elif isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        message = f"{where}{error.strerror}"
    else:
        # A bug, not bad input: still one line on screen; the traceback goes to the log at
        # DEBUG, where whoever reports it can find it.
        _LOGGER.debug("Unexpected error", exc_info=error)
        message = (
            f"unexpected {type(error).__name__}: {error} (a bug; please report it, "
            "with the details NEWSBOT_LOG_LEVEL=DEBUG prints)"
        )
    return " ".join(message.split()), status
