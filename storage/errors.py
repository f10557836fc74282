"""Errors raised by the storage layer; messages are fit to show an operator.

What a reader may see is an error with a code and values (``InvalidTopicError``), which bot/
words in the reader's language.
"""

from enum import Enum


class StorageError(Exception):
    """Base class for storage failures."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer newsbot than this one."""


class TopicErrorCode(Enum):
    """Why a topic, topic expression or muted word was refused; bot/ words each for readers."""

    NO_WORDS = "no-words"  # a topic without a letter or digit
    MUTED_WORD_NO_WORDS = "muted-word-no-words"
    TOPIC_TOO_LONG = "topic-too-long"  # values: length, limit
    MUTED_WORD_TOO_LONG = "muted-word-too-long"  # values: length, limit
    TOO_MANY_TOPICS = "too-many-topics"  # values: limit
    TOO_MANY_MUTED_WORDS = "too-many-muted-words"  # values: limit
    TOPIC_TOO_BROAD = "topic-too-broad"  # values: topic
    MUTED_WORD_TOO_COMMON = "muted-word-too-common"  # values: word
    # A topic expression (``ukraine -football``) that cannot be read:
    UNCLOSED_QUOTE = "unclosed-quote"
    OR_WITHOUT_TERM = "or-without-term"
    AND_WITHOUT_TERM = "and-without-term"
    OR_BEFORE_EXCLUSION = "or-before-exclusion"
    ONLY_EXCLUSIONS = "only-exclusions"
    TOO_MANY_TERMS = "too-many-terms"  # values: limit, count


class InvalidTopicError(StorageError):
    """A topic, topic expression or muted word cannot be used: ``code`` says why.

    ``values`` are the details a reader's message needs (a limit, a length, the topic). Storage
    holds no reader's words; ``str(error)`` is the code and values, for logs and tests.
    """

    def __init__(self, code: TopicErrorCode, **values: object) -> None:
        details = ", ".join(f"{name}={value!r}" for name, value in values.items())
        super().__init__(f"{code.value} ({details})" if details else code.value)
        self.code = code
        self.values = values


class IngestError(StorageError):
    """A source could not be ingested; the message names the file and line when known."""


class CompressedDataError(IngestError):
    """Compressed data is corrupt, truncated or in an encoding newsbot does not read."""


class DecompressedTooLargeError(CompressedDataError):
    """Compressed data expands past the size limit (a gzip bomb, or simply too much)."""
