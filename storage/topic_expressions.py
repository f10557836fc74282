"""Topic expressions: words and phrases joined by AND (a space), OR and exclusion (``-word``).

``ukraine -football`` follows Ukraine but not football; ``"climate change" OR emissions``
follows either. The parser is ours and small: the result is an FTS5 query in which every word
is quoted by us, so user text never becomes FTS syntax, and no user text becomes a regular
expression. OR binds tighter than AND (``ukraine war OR conflict`` is ukraine AND (war OR
conflict)), as in web search engines.

A text is read as an expression only when it uses the syntax: a double quote, a word starting
with ``-``, or the word ``OR`` or ``AND`` in capitals. Anything else is a plain topic, matched
as one phrase exactly as before expressions existed.

Expressions are stored as typed, lower-cased except the capitalised operators (see
``storage.topics.canonical_topic``), so the stored text still reads as the same expression.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.errors import InvalidTopicError, TopicErrorCode
from storage.text import words

__all__ = [
    "MAX_TERMS",
    "TopicExpression",
    "is_expression",
    "parse_expression",
]

MAX_TERMS = 8

_OPERATORS = frozenset({"or", "and"})


@dataclass(frozen=True, slots=True)
class TopicExpression:
    """All ``clauses`` (each: any of its terms), none of ``excluded``; a term is a word list."""

    clauses: tuple[tuple[tuple[str, ...], ...], ...]
    excluded: tuple[tuple[str, ...], ...] = ()

    @property
    def term_count(self) -> int:
        """How many words and phrases the expression names."""
        return sum(len(clause) for clause in self.clauses) + len(self.excluded)

    def fts_query(self) -> str:
        """The FTS5 query: every term a quoted phrase, the operators ours."""
        included = " AND ".join(
            "(" + " OR ".join(_quoted(term) for term in clause) + ")" for clause in self.clauses
        )
        if not self.excluded:
            return included
        excluded = " OR ".join(_quoted(term) for term in self.excluded)
        return f"({included}) NOT ({excluded})"


def _quoted(term: tuple[str, ...]) -> str:
    return '"' + " ".join(term) + '"'


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: "phrase", "word", "minus" (an exclusion mark) or "or"/"and"."""
    tokens: list[tuple[str, str]] = []
    position = 0
    length = len(text)
    while position < length:
        character = text[position]
        if character.isspace():
            position += 1
        elif character == '"':
            end = text.find('"', position + 1)
            if end < 0:
                raise InvalidTopicError(TopicErrorCode.UNCLOSED_QUOTE)
            tokens.append(("phrase", text[position + 1 : end]))
            position = end + 1
        elif character == "-" and position + 1 < length and not text[position + 1].isspace():
            tokens.append(("minus", "-"))
            position += 1
        else:
            end = position
            while end < length and not text[end].isspace() and text[end] != '"':
                end += 1
            word = text[position:end]
            lowered = word.lower()
            tokens.append((lowered, word) if lowered in _OPERATORS else ("word", word))
            position = end
    return tokens


def is_expression(text: str) -> bool:
    """Whether ``text`` uses expression syntax (a quote, ``-word``, or OR/AND in capitals)."""
    if '"' in text:
        return True
    return any(
        token in {"OR", "AND"} or (token.startswith("-") and len(token) > 1)
        for token in text.split()
    )


def parse_expression(text: str) -> TopicExpression:
    """Parse an expression; raises InvalidTopicError with a code saying what to fix."""
    clauses: list[list[tuple[str, ...]]] = []
    excluded: list[tuple[str, ...]] = []
    joining = False  # the previous token was OR
    negate = False
    for kind, value in _tokens(text):
        if kind == "or":
            if not clauses or joining or negate:
                raise InvalidTopicError(TopicErrorCode.OR_WITHOUT_TERM)
            joining = True
            continue
        if kind == "and":
            if joining or negate:
                raise InvalidTopicError(TopicErrorCode.AND_WITHOUT_TERM)
            continue
        if kind == "minus":
            if joining:
                raise InvalidTopicError(TopicErrorCode.OR_BEFORE_EXCLUSION)
            negate = True
            continue
        term = tuple(words(value))
        if not term:
            # Punctuation on its own (an emoji, a stray *) has nothing to match; skip it.
            if joining:
                raise InvalidTopicError(TopicErrorCode.OR_WITHOUT_TERM)
            negate = False
            continue
        if negate:
            excluded.append(term)
            negate = False
        elif joining:
            clauses[-1].append(term)
            joining = False
        else:
            clauses.append([term])
    if joining:
        raise InvalidTopicError(TopicErrorCode.OR_WITHOUT_TERM)
    if not clauses:
        raise InvalidTopicError(TopicErrorCode.ONLY_EXCLUSIONS)
    expression = TopicExpression(
        clauses=tuple(
            tuple(dict.fromkeys(clause)) for clause in dict.fromkeys(map(tuple, clauses))
        ),
        excluded=tuple(dict.fromkeys(excluded)),
    )
    if expression.term_count > MAX_TERMS:
        raise InvalidTopicError(
            TopicErrorCode.TOO_MANY_TERMS,
            limit=MAX_TERMS,
            count=expression.term_count,
        )
    return expression
