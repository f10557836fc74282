"""Why a page or feed could not be fetched, worded in the reader's language.

feeds raises ``FetchError`` with a code and values and an English message for the operator's
log; each code's English text for readers is here (the msgid the catalogues translate), filled
in with the values after translation.
"""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.page_fetcher import FetchError as ReaderFetchError
from feeds import FetchError, FetchErrorCode

__all__ = ["FETCH_ERROR_TEXTS", "fetch_error_text", "megabytes", "reader_fetch_error"]

# Which names exist inside the operator's network is not for readers: a name that does not
# resolve and one that resolves to a private address get the same answer, so a reader cannot
# probe for internal hosts. The operator's log has the cause.
_CANNOT_OPEN = N_("Sorry, I can't open that link. Check the address: I only read public web sites.")

FETCH_ERROR_TEXTS: dict[FetchErrorCode, str] = {
    FetchErrorCode.INVALID_URL: N_(
        "That is not a web address I can open; send a link that starts with https://."
    ),
    FetchErrorCode.UNRESOLVABLE_HOST: _CANNOT_OPEN,
    FetchErrorCode.NON_PUBLIC_ADDRESS: _CANNOT_OPEN,
    FetchErrorCode.CONNECTION_FAILED: N_(
        "I could not connect to that site. Check the link, or try again later."
    ),
    FetchErrorCode.CONNECTION_LOST: N_(
        "The connection to that site broke off. Try again in a minute."
    ),
    FetchErrorCode.TIMEOUT: N_("That site took too long to answer. Try again later."),
    FetchErrorCode.NOT_FOUND: N_(
        "That page does not exist (error {status}). Check the link for typos."
    ),
    FetchErrorCode.ACCESS_DENIED: N_(
        "That page is not public (error {status}). Send a link that anyone can open."
    ),
    FetchErrorCode.HTTP_STATUS: N_(
        "That site answered with error {status}. Check the link, or try again later."
    ),
    FetchErrorCode.TOO_MANY_REDIRECTS: N_(
        "That link redirects more than {limit} times. Send the address of the page itself."
    ),
    FetchErrorCode.TOO_LARGE: N_(
        "That page is larger than {megabytes} MB. Send a link to the article itself."
    ),
    FetchErrorCode.BAD_ENCODING: N_(
        "That site sent a page I could not decode. Try again later, or send another link."
    ),
    FetchErrorCode.NOT_A_PAGE: N_(
        "That link is not a web page but {content_type}. Send a link to an article."
    ),
    FetchErrorCode.NO_ARTICLE_TEXT: N_("I could not find any article text on that page."),
}


def megabytes(size: int) -> float:
    """A size limit in bytes as megabytes (2**20 bytes, as the limits are set) for a reader.

    A float, so ``TranslatableError`` shows it in the reader's digits ("0,1 MB" in German).
    """
    return size / 2**20


def reader_fetch_error(error: FetchError) -> ReaderFetchError:
    """``error`` as the bot's error for readers, to be worded in their language later."""
    values = dict(error.values)
    limit = values.get("limit")
    if error.code is FetchErrorCode.TOO_LARGE and isinstance(limit, int):
        values["megabytes"] = megabytes(limit)
    return ReaderFetchError(FETCH_ERROR_TEXTS[error.code], **values)


def fetch_error_text(error: FetchError, t: Translator) -> str:
    """Why ``error`` happened, in ``t``'s language (plain text, not escaped)."""
    return reader_fetch_error(error).translated(t)
