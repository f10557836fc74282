"""Hostile text for property tests: what users, feeds and pages can really send us."""

from __future__ import annotations

from hypothesis import strategies as st

# Fragments that mean something to the layers text passes through: FTS5 query syntax, SQL,
# HTML and Telegram entities, Unicode that renders as nothing or reverses the line.
HOSTILE_FRAGMENTS = (
    '"',
    "'",
    "*",
    "^",
    ":",
    "(",
    ")",
    "-",
    "+",
    "AND",
    "OR",
    "NOT",
    "NEAR(a b, 2)",
    "title:",
    "{title text}:",
    '"unterminated',
    "'; DROP TABLE chats; --",
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "<b>",
    "</b>",
    "<a href='x'>",
    "&amp;",
    "&",
    "&#0;",
    "&#x110000;",
    "<",
    ">",
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\ufeff",  # byte order mark / zero-width no-break space
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
    "\u0301",  # a combining accent with nothing to combine with
    "🇺🇦",  # a flag: two astral code points, four UTF-16 units
    "👩‍👩‍👧",  # a ZWJ sequence
    "\x00",
    "\t",
    "\n",
    "\r\n",
    " ",
    "\u00a0",
    "ﬁ",  # a ligature that NFKC unfolds
    "İ",  # lower-cases to two code points
    "ß",
    "1",
    "2024",
    "climate",
)

# Any Unicode scalar value except lone surrogates (Telegram sends valid UTF-16 only).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)


def hostile_text(max_fragments: int = 30) -> st.SearchStrategy[str]:
    """Random mixes of plain Unicode and hostile fragments."""
    piece = st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), any_text)
    return st.lists(piece, max_size=max_fragments).map("".join)


# 10 KB of something hostile, repeated: long inputs find quadratic paths and missing caps.
long_text = st.tuples(hostile_text(8), st.integers(1, 10_000)).map(
    lambda pair: (pair[0] or "x") * (10_240 // max(1, len(pair[0] or "x")))
)

# Mostly short texts, one in four 10 KB long (a card holds several, and each costs parsing).
user_text = st.one_of(hostile_text(), hostile_text(), hostile_text(), long_text)

web_url = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["http", "https", "HTTP", "javascript", "tg", "ftp", "data"]),
    st.sampled_from(["example.com", "xn--80ak6aa92e.com", "[::1]", "a.b", 'ex"ample.com']),
    hostile_text(5),
)
# Tracking links can be kilobytes long.
long_url = long_text.map(lambda path: "https://example.com/" + path)
maybe_url = st.one_of(st.none(), web_url, hostile_text(5), long_url)
