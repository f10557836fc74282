"""summarize(): the contract the bot and the CLI are built on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from summaries import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    SUPPORTED_LANGUAGES,
    InvalidLengthError,
    Summary,
    UnknownAlgorithmError,
    UnsupportedLanguageError,
    summarize,
)


def test_default_is_news_and_picks_three_sentences_in_article_order(article: str) -> None:
    summary = summarize(article)
    assert summary.algorithm == DEFAULT_ALGORITHM == "news"
    assert summary.language == "english"
    assert len(summary.sentences) == 3
    positions = [article.index(sentence) for sentence in summary.sentences]
    assert positions == sorted(positions)


def test_default_summary_of_a_small_story(article: str) -> None:
    assert summarize(article).sentences == (
        "The city council approved a new cycling plan on Tuesday after a long debate about "
        "traffic in the centre.",
        "Council leader Maria Jones said the cycling plan would make streets safer for children.",
        "The council will publish the full cycling plan and its costs next month.",
    )


def test_lead_takes_the_first_sentences_after_clean_up(article: str) -> None:
    assert summarize(article, algorithm="lead", sentences=2).sentences == (
        "The city council approved a new cycling plan on Tuesday after a long debate about "
        "traffic in the centre.",
        "The plan adds forty kilometres of protected bike lanes across the city by 2027.",
    )


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_returns_article_sentences_without_boilerplate(
    algorithm: str, article: str
) -> None:
    summary = summarize(article, algorithm=algorithm, sentences=2)
    assert summary.algorithm == algorithm
    assert len(summary.sentences) == 2
    assert all(sentence in article for sentence in summary.sentences)
    assert not any("subscribe" in sentence for sentence in summary.sentences)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_is_deterministic(algorithm: str, article: str) -> None:
    assert summarize(article, algorithm=algorithm) == summarize(article, algorithm=algorithm)


def test_summary_text_joins_sentences_with_spaces() -> None:
    assert Summary(("One.", "Two."), "english", "lead").text == "One. Two."


def test_character_budget_keeps_whole_sentences_within_it(article: str) -> None:
    summary = summarize(article, sentences=None, max_chars=200)
    assert 0 < len(summary.text) <= 200
    assert all(sentence in article for sentence in summary.sentences)


def test_character_budget_cuts_a_too_long_first_sentence_at_a_word(article: str) -> None:
    summary = summarize(article, algorithm="lead", sentences=None, max_chars=30)
    assert summary.sentences == ("The city council approved a…",)


def test_more_sentences_than_the_article_has_gives_them_all() -> None:
    text = "The first sentence is here. The second sentence follows it."
    assert summarize(text, sentences=10).sentences == (
        "The first sentence is here.",
        "The second sentence follows it.",
    )


def test_unknown_algorithm_is_an_error_naming_the_choices(article: str) -> None:
    with pytest.raises(UnknownAlgorithmError, match="text-rank"):
        summarize(article, algorithm="magic")


def test_unsupported_language_is_an_error_listing_the_supported_ones(article: str) -> None:
    with pytest.raises(UnsupportedLanguageError, match="english, french"):
        summarize(article, language="klingon")


def test_language_may_be_given_as_an_iso_code(article: str) -> None:
    assert summarize(article, language="en").language == "english"


@pytest.mark.parametrize(("sentences", "max_chars"), [(0, None), (None, 0), (-1, 100)])
def test_limits_below_one_are_errors(sentences: int | None, max_chars: int | None) -> None:
    with pytest.raises(InvalidLengthError):
        summarize("Some text here.", sentences=sentences, max_chars=max_chars)


def test_supported_languages_are_lower_case_english_names() -> None:
    assert "english" in SUPPORTED_LANGUAGES
    assert "german" in SUPPORTED_LANGUAGES
    assert all(name.isalpha() and name.islower() for name in SUPPORTED_LANGUAGES)


def test_a_title_pulls_in_the_sentence_about_it() -> None:
    text = (
        "The city opened a new museum on Monday. "
        "The museum shows Roman coins found near the river. "
        "The museum also shows old maps of the river. "
        "Visitors queued outside the museum all day."
    )
    untitled = summarize(text, algorithm="gist", sentences=1)
    titled = summarize(text, algorithm="gist", sentences=1, title="Roman coins go on show")
    assert untitled.sentences == ("The museum also shows old maps of the river.",)
    assert titled.sentences == ("The museum shows Roman coins found near the river.",)


BUDGET = (
    "Parliament met on Tuesday to debate the budget. "
    "The budget raises taxes on fuel and tobacco. "
    "The budget also funds new trains for the north. "
    "Opposition members said the budget was unfair."
)


def test_news_prefers_the_opening_of_the_story() -> None:
    summary = summarize(BUDGET, algorithm="news", sentences=1)
    assert summary.sentences == ("Parliament met on Tuesday to debate the budget.",)


def test_gist_has_no_position_prior() -> None:
    summary = summarize(BUDGET, algorithm="gist", sentences=1)
    assert summary.sentences == ("The budget also funds new trains for the north.",)


def test_summarising_needs_no_nltk_data(tmp_path: Path, article: str) -> None:
    script = (
        "import sys, summaries\n"
        "for name in summaries.ALGORITHMS:\n"
        "    summaries.summarize(sys.stdin.read() or 'x', algorithm=name)\n"
        "print(summaries.summarize(" + repr(article) + ").text)\n"
    )
    env = {**os.environ, "NLTK_DATA": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        input="",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "cycling plan" in done.stdout
