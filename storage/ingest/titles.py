"""Clean feed and page titles: no datelines, no site-name suffixes, no "UPDATE 2-" prefixes."""

from __future__ import annotations

import re

# "UPDATE 2-", "UPDATE 1-", "CORRECTED-", "EXCLUSIVE-": wire-service revision markers.
_WIRE_PREFIX = re.compile(
    r"^(?:(?:UPDATE|REFILE|CORRECTED|EXCLUSIVE|RPT|WRAPUP)(?:\s*\d+)?\s*[-:]\s*)+"
)
# "LONDON (Reuters) - ", "WASHINGTON, Nov 3 (AP) — ", "BERLIN (dpa) – ".
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'/-]{1,40}(?:,\s*[A-Za-z]{3,9}\.?\s+\d{1,2})?"
    r"\s*\([A-Za-z .&-]{2,30}\)\s*[-–—]+\s*"
)
# " | Reuters", " - BBC News", " – The Guardian": a short site name after a separator.
_SITE_SUFFIX = re.compile(r"\s+(?:\||[-–—]|::)\s+(?P<site>[^|–—]{2,40})$")
_SITE_WORDS = re.compile(
    r"^(?:[A-Z][\w.'&]*|[a-z]{1,3}|\d+)(?:[ .][A-Z][\w.'&]*|\s(?:News|news))*$"
)


def _is_site_name(name: str, site: str | None) -> bool:
    name = name.strip()
    if site and name.casefold() == site.strip().casefold():
        return True
    words = name.split()
    # A site name is a few capitalised words ("BBC News", "The Guardian", "heise online").
    return (len(words) <= 4 and bool(_SITE_WORDS.match(name))) or name.casefold().endswith(
        (" online", " news", ".com", ".de", ".org", ".co.uk")
    )


def clean_title(title: str, *, site: str | None = None) -> str:
    """``title`` without wire prefixes, datelines and a trailing site name (never empty)."""
    cleaned = _WIRE_PREFIX.sub("", title.strip())
    cleaned = _DATELINE.sub("", cleaned)
    suffix = _SITE_SUFFIX.search(cleaned)
    if suffix and _is_site_name(suffix.group("site"), site):
        remainder = cleaned[: suffix.start()].rstrip()
        # A title that is mostly the site's name keeps it ("Live - BBC News" stays readable).
        if len(remainder.split()) >= 3:
            cleaned = remainder
    return cleaned.strip() or title.strip()
