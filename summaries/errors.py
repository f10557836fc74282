"""Errors raised by the summaries package; every one carries a message fit for a user.

SummariesError
├── UnsupportedLanguageError   the language has no sentence model, stemmer or stop words
├── UnknownAlgorithmError      no summariser has that name
└── InvalidLengthError         a sentence count or character budget below one
"""


class SummariesError(Exception):
    """Base class: the text could not be summarised as asked."""


class UnsupportedLanguageError(SummariesError):
    """The language is not one we have sentence models, stemmers and stop words for."""


class UnknownAlgorithmError(SummariesError):
    """No summariser has that name."""


class InvalidLengthError(SummariesError, ValueError):
    """A length limit that no summary could meet: fewer than one sentence or character."""
