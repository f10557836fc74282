"""Errors raised by the storage layer; messages are fit to show a user or operator."""


class StorageError(Exception):
    """Base class for storage failures."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer newsbot than this one."""


class InvalidTopicError(StorageError):
    """A topic (or muted word) is empty or otherwise unusable; the message is for the reader.

    The message is an English template with ``{name}`` fields given as keywords: ``str(error)``
    is the filled-in text, and ``template`` and ``fields`` let the bot show it in the reader's
    language (the bot's catalogues translate every template raised here; docs/i18n.md).
    """

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(template.format(**fields) if fields else template)
        self.template = template
        self.fields = fields


class TopicExpressionError(InvalidTopicError):
    """A topic expression (``ukraine -football``) cannot be read; the message says what to fix."""


class IngestError(StorageError):
    """A source could not be ingested; the message names the file and line when known."""


class CompressedDataError(IngestError):
    """Compressed data is corrupt, truncated or in an encoding newsbot does not read."""


class DecompressedTooLargeError(CompressedDataError):
    """Compressed data expands past the size limit (a gzip bomb, or simply too much)."""
