"""Text in, summary out: offline extractive summarisation of news.

No Telegram, no database, no network. Pure, synchronous and deterministic.
"""

from summaries.api import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    SUPPORTED_LANGUAGES,
    Summary,
    detect_language,
    summarize,
)
from summaries.errors import (
    InvalidLengthError,
    SummariesError,
    UnknownAlgorithmError,
    UnsupportedLanguageError,
)

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "SUPPORTED_LANGUAGES",
    "InvalidLengthError",
    "SummariesError",
    "Summary",
    "UnknownAlgorithmError",
    "UnsupportedLanguageError",
    "detect_language",
    "summarize",
]
