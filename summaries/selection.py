"""Length controls: take from the top of a ranking until the sentence or character limit."""

from __future__ import annotations

from collections.abc import Sequence

ELLIPSIS = "…"


def _cut_at_word(sentence: str, max_chars: int) -> str:
    room = max_chars - len(ELLIPSIS)
    if room <= 0:
        return ELLIPSIS[:max_chars]
    cut = sentence.rfind(" ", 0, room + 1)
    head = sentence[: cut if cut > 0 else room].rstrip(" ,;:-–—")
    return head + ELLIPSIS


def _without_orphans(ranking: Sequence[int], dependent: Sequence[bool]) -> Sequence[int]:
    """The ranking led by a sentence that stands on its own (when there is one)."""
    for position, index in enumerate(ranking):
        if index >= len(dependent) or not dependent[index]:
            return [index, *ranking[:position], *ranking[position + 1 :]]
    return ranking


def select(
    sentences: Sequence[str],
    ranking: Sequence[int],
    *,
    count: int | None,
    max_chars: int | None,
    dependent: Sequence[bool] = (),
) -> tuple[str, ...]:
    """The best-ranked sentences within both limits, in article order.

    Under a character budget the best sentence always leads, cut at a word with "…" if it alone
    is too long; after it, a sentence that does not fit is skipped for a shorter one further
    down. Sentences are joined by one space, which the budget counts. A ``dependent``
    sentence (one that leans on the sentence before it) is taken only after that sentence.
    """
    if not ranking or count == 0:
        return ()
    ranking = _without_orphans(ranking, dependent)
    best = sentences[ranking[0]]
    if max_chars is not None and len(best) > max_chars:
        return (_cut_at_word(best, max_chars),)
    chosen = [ranking[0]]
    used = len(best)
    for index in ranking[1:]:
        if count is not None and len(chosen) >= count:
            break
        if index < len(dependent) and dependent[index] and index - 1 not in chosen:
            # "But he said ..." without the sentence it answers reads as a non sequitur.
            continue
        cost = len(sentences[index]) + 1
        if max_chars is not None and used + cost > max_chars:
            continue
        chosen.append(index)
        used += cost
    return tuple(sentences[index] for index in sorted(chosen))
