"""Errors raised by the summaries package; every one carries a message fit for a user."""


class SummariesError(Exception):
    """Base class: the text could not be summarised as asked."""


class UnsupportedLanguageError(SummariesError):
    """The language is not one we have sentence models, stemmers and stop words for."""


class UnknownAlgorithmError(SummariesError):
    """No summariser has that name."""
