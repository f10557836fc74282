"""Errors raised by the storage layer; messages are fit to show an operator.

What a reader may see is an error with a code and values (``InvalidTopicError``,
``IngestError``), which bot/ words in the reader's language.
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


class IngestErrorCode(Enum):
    """Why a source, or one record in it, could not be ingested; bot/ words each for readers."""

    EMPTY = "empty"  # nothing but blank space
    BINARY = "binary"  # an image, an archive...: not news text
    UNKNOWN_FORMAT = "unknown-format"  # neither its name nor its first bytes say which
    UNREADABLE = "unreadable"  # the file or stream could not be read (a missing file...)
    TOO_LARGE = "too-large"  # values: max_bytes
    DECOMPRESSED_TOO_LARGE = "decompressed-too-large"  # a gzip bomb; values: max_bytes
    CORRUPT_COMPRESSED = "corrupt-compressed"  # truncated or corrupt gzip or deflate data
    UNSUPPORTED_ENCODING = "unsupported-encoding"  # a Content-Encoding; values: encoding
    NOT_A_FEED = "not-a-feed"  # XML or text that is no RSS or Atom feed
    WEB_PAGE_NOT_A_FEED = "web-page-not-a-feed"  # an HTML page where a feed was wanted
    NO_ARTICLE_TEXT = "no-article-text"  # an HTML page without readable text
    # One record (a line of JSON Lines) that cannot be read; values: line, and as noted:
    MALFORMED_JSON = "malformed-json"  # values: column
    NOT_UTF8 = "not-utf8"  # values: byte
    LINE_TOO_LONG = "line-too-long"  # values: max_bytes
    NOT_AN_OBJECT = "not-an-object"  # a JSON array, string or number instead of {...}
    FIELD_NOT_TEXT = "field-not-text"  # values: field
    NO_TEXT_OR_TITLE = "no-text-or-title"


class IngestError(StorageError):
    """A source could not be ingested: ``code`` says why, the message is for logs and the CLI.

    The message names the file and line when known; ``values`` hold the details a reader's
    message needs (a limit, a line number), which bot/ words in the reader's language.
    """

    def __init__(self, code: IngestErrorCode, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


class CompressedDataError(IngestError):
    """Compressed data is corrupt, truncated or in an encoding newsbot does not read."""


class DecompressedTooLargeError(CompressedDataError):
    """Compressed data expands past the size limit (a gzip bomb, or simply too much)."""

    def __init__(self, message: str, *, max_bytes: int) -> None:
        super().__init__(IngestErrorCode.DECOMPRESSED_TOO_LARGE, message, max_bytes=max_bytes)
