"""Everything newsbot fetches over the network: pages, feeds, and the rules for fetching them.

Storage keeps storing and knows nothing of the network; this package downloads and hands what it
got to storage's parsers and writer. Each module has one job:

- fetch.py: ``Fetcher``, the one HTTP client (time, size and redirect limits; decompression
  within a cap); addresses.py: which hosts may be contacted (``AddressPolicy``); pinning.py:
  connecting only to the addresses the policy checked (no DNS rebinding).
- article.py: ``fetch_article``, one web page's article (``/summary URL``, ``newsbot ingest``).
- downloads.py: ``open_url``, a URL as an ingest source (``newsbot ingest URL``).
- headline_pages.py: ``ArticlePages``, the pages of headline-only feed items, fetched politely.
- polling.py: ``poll_due_feeds``, polling due feeds with conditional requests and back-off.
- errors.py: ``FetchError``, its kinds, and ``FetchErrorCode`` (why, for readers' messages).
"""

from feeds.addresses import AddressPolicy
from feeds.errors import FetchError, FetchErrorCode, ResponseTooLargeError, UnsafeAddressError
from feeds.fetch import FetchedResponse, Fetcher

__all__ = [
    "AddressPolicy",
    "FetchError",
    "FetchErrorCode",
    "FetchedResponse",
    "Fetcher",
    "ResponseTooLargeError",
    "UnsafeAddressError",
]
