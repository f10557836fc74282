"""Length controls on a ranking: sentence counts, character budgets, article order."""

from summaries.selection import select

SENTENCES = ("Alpha is first.", "Beta is the second one.", "Gamma.", "Delta is fourth here.")


def test_count_takes_the_best_ranked_and_restores_article_order() -> None:
    assert select(SENTENCES, [3, 0, 1, 2], count=2, max_chars=None) == (
        "Alpha is first.",
        "Delta is fourth here.",
    )


def test_budget_skips_a_sentence_that_does_not_fit_for_a_shorter_one() -> None:
    # 15 + 1 + 23 > 30, so Beta is skipped; Gamma (6) fits: 15 + 1 + 6 = 22.
    assert select(SENTENCES, [0, 1, 2, 3], count=None, max_chars=30) == (
        "Alpha is first.",
        "Gamma.",
    )


def test_budget_counts_the_joining_spaces() -> None:
    assert select(SENTENCES, [0, 2], count=None, max_chars=21) == ("Alpha is first.",)
    assert select(SENTENCES, [0, 2], count=None, max_chars=22) == ("Alpha is first.", "Gamma.")


def test_a_best_sentence_longer_than_the_budget_is_cut_at_a_word() -> None:
    assert select(SENTENCES, [1, 0], count=None, max_chars=12) == ("Beta is the…",)


def test_a_single_word_longer_than_the_budget_is_cut_inside_it() -> None:
    assert select(("Supercalifragilistic.",), [0], count=None, max_chars=6) == ("Super…",)


def test_nothing_to_rank_gives_nothing() -> None:
    assert select((), [], count=3, max_chars=100) == ()
