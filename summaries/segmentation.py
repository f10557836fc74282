"""Segments of an article: sentences within blocks, with what selection must know about each.

A block (heading, standfirst, paragraph, list item: one line of clean text) is split into
sentences on its own, so a heading is never glued to the paragraph after it. Sentences that
Punkt cut inside a quotation are joined again. Each segment records whether its block lacked
sentence punctuation (a heading or standfirst), whether a quotation is still open at its end,
and whether it leans on the sentence before it ("But he said", "It also", "As the ... was").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[.!?…。]['\"”’»)\]]*$")
# Openers that only make sense after another sentence: conjunctions, pronouns whose referent
# came before, and "As the ..." clauses about something already introduced.
_DEPENDENT_START = re.compile(
    r"^[\"“‘'«]?(?:But|And|Or|Yet|So|Also|However|Still|Nevertheless|Nonetheless|Moreover|"
    r"Furthermore|Instead|Otherwise|Then|Thus|Therefore|Hence|Besides|Likewise|Similarly|"
    r"Meanwhile|In addition|In contrast|By contrast|On the other hand|That is|"
    r"(?:It|This|That|These|Those)\s+(?:also|too|however|then|still|means|meant)|"
    r"(?:He|She|They)\s+(?:also|too|however|added|then)|"
    r"As (?:the|a|this|that|these|those|such)\b[^,]{0,80}\b(?:was|were|is|are|had|has)\b|"
    r"Aber|Doch|Auch|Außerdem|Dennoch|Mais|Pourtant|Cependant|Pero|Sin embargo|Однак|Але|"
    r"Проте|Также|Однако|Но)\b",
)


# A quotation Punkt cut is joined again across at most this many sentences.
_MAX_QUOTE_SENTENCES = 4


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence and the facts about it that selection needs."""

    text: str
    unpunctuated_block: bool = False
    open_quote: bool = False
    dependent: bool = False


def quote_open(text: str) -> bool:
    """True when ``text`` opens a quotation it does not close."""
    depth = 0
    straight = 0
    low_opened = 0
    for char in text:
        if char in "«„":
            depth += 1
            low_opened += char == "„"
        elif char == "»":
            depth = max(0, depth - 1)
        elif char == "“":
            # German quotes open with „ and close with “; English ones open with “.
            if low_opened:
                low_opened -= 1
                depth = max(0, depth - 1)
            else:
                depth += 1
        elif char == "”":
            depth = max(0, depth - 1)
        elif char == '"':
            straight ^= 1
    return depth > 0 or straight == 1


def _whole_quotes(sentences: Sequence[str]) -> list[tuple[str, bool]]:
    """Sentences re-joined where Punkt cut a quotation; each with whether one is left open.

    A quotation closed within the next few sentences is joined into one segment. One that is
    not (news continues a long quotation into the next paragraph) stays split, marked open.
    """
    joined: list[tuple[str, bool]] = []
    position = 0
    while position < len(sentences):
        sentence = sentences[position]
        span = 1
        if quote_open(sentence):
            for extra in range(1, _MAX_QUOTE_SENTENCES):
                if position + extra >= len(sentences):
                    break
                if not quote_open(" ".join(sentences[position : position + extra + 1])):
                    span = extra + 1
                    break
        text = " ".join(sentences[position : position + span])
        joined.append((text, quote_open(text)))
        position += span
    return joined


def is_dependent(sentence: str) -> bool:
    """True for a sentence that leans on the one before it."""
    return bool(_DEPENDENT_START.match(sentence))


def segment(blocks: Iterable[str], split: Callable[[str], tuple[str, ...]]) -> list[Segment]:
    """Segments of the blocks, in order; ``split`` cuts one block into sentences."""
    segments: list[Segment] = []
    for block in blocks:
        unpunctuated = not _SENTENCE_END.search(block.rstrip())
        sentences = _whole_quotes(split(block))
        for text, still_open in sentences:
            segments.append(
                Segment(
                    text=text,
                    unpunctuated_block=unpunctuated and len(sentences) == 1,
                    open_quote=still_open,
                    dependent=bool(segments) and is_dependent(text),
                )
            )
    return segments
