"""Why a feed or document could not be read (storage's ``IngestError``), in the reader's language.

storage.ingest raises ``IngestError`` with an ``IngestErrorCode``, values and an English message
for the operator's log and ``newsbot ingest``; each code's English text for readers is here (the
msgid the catalogues translate), filled in with the values after translation. The texts follow
"That address did not give me an RSS or Atom feed", so they speak of "it".
"""

from __future__ import annotations

from bot.fetch_errors import megabytes
from bot.i18n import N_, TranslatableError, Translator
from storage.errors import IngestError, IngestErrorCode

__all__ = ["INGEST_ERROR_TEXTS", "ingest_error_text"]

INGEST_ERROR_TEXTS: dict[IngestErrorCode, str] = {
    IngestErrorCode.EMPTY: N_("It is empty: there is nothing in it to read."),
    IngestErrorCode.BINARY: N_(
        "It is binary data (an image, an archive…), not text. Check the address."
    ),
    IngestErrorCode.UNKNOWN_FORMAT: N_(
        "I cannot tell what kind of document it is. Send an RSS or Atom feed, JSON Lines, a web "
        "page or plain text."
    ),
    IngestErrorCode.UNREADABLE: N_("I could not read it. Check that it exists, then try again."),
    IngestErrorCode.TOO_LARGE: N_(
        "It is larger than {megabytes} MB, the most I read at once. Split it into smaller parts."
    ),
    IngestErrorCode.DECOMPRESSED_TOO_LARGE: N_(
        "Unpacked, it is larger than {megabytes} MB, the most I read at once."
    ),
    IngestErrorCode.CORRUPT_COMPRESSED: N_(
        "Its compressed data is damaged or cut short. Try again later."
    ),
    IngestErrorCode.UNSUPPORTED_ENCODING: N_(
        "It is compressed in a way I cannot read ({encoding})."
    ),
    IngestErrorCode.NOT_A_FEED: N_(
        "What it sent is neither RSS nor Atom. Check that the address is the feed's own."
    ),
    IngestErrorCode.WEB_PAGE_NOT_A_FEED: N_(
        "It is a web page, not a feed. Look on that page for a link to its RSS or Atom feed "
        "and send me that address."
    ),
    IngestErrorCode.NO_ARTICLE_TEXT: N_("I could not find any article text on that page."),
    IngestErrorCode.MALFORMED_JSON: N_("Line {line} is not valid JSON (column {column})."),
    IngestErrorCode.NOT_UTF8: N_("Line {line} is not UTF-8 text (byte {byte})."),
    IngestErrorCode.LINE_TOO_LONG: N_(
        "Line {line} is longer than {megabytes} MB, the most I read in one line."
    ),
    IngestErrorCode.NOT_AN_OBJECT: N_("Line {line} is not a JSON object."),
    IngestErrorCode.FIELD_NOT_TEXT: N_("Line {line}: “{field}” must be text."),
    IngestErrorCode.NO_TEXT_OR_TITLE: N_("Line {line} has neither a “text” nor a “title”."),
}


def ingest_error_text(error: IngestError, t: Translator) -> str:
    """Why ``error`` happened, in ``t``'s language (plain text, not escaped)."""
    values = dict(error.values)
    max_bytes = values.pop("max_bytes", None)
    if isinstance(max_bytes, int):
        values["megabytes"] = megabytes(max_bytes)
    return TranslatableError(INGEST_ERROR_TEXTS[error.code], **values).translated(t)
