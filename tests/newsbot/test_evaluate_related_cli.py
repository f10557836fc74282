"""`newsbot evaluate-related`: related-headline and same-story figures from labelled pairs."""

import json
from pathlib import Path

import pytest

from newsbot.cli import main
from tests.data import BBC, SHARED, needs_shared_data

from .test_evaluate_cli import write_jsonl

STRIKE = (
    "Dock workers in Felixstowe walked out on Monday over a pay offer the Unite union called an "
    "insult. Talks with the port employers had failed after six weeks, Unite said. Ships are "
    "waiting off Felixstowe and some cargo is being sent to Rotterdam and Antwerp instead."
)
STRIKE_AGAIN = (
    "Unite said dock workers at Felixstowe walked out on Monday after six weeks of failed talks "
    "over a pay offer it called an insult. Ships waited off Felixstowe while port employers "
    "sent some cargo to Rotterdam and Antwerp instead."
)
BAKE_OFF = (
    "The baking contest returned on Tuesday with twelve amateur bakers and a technical "
    "challenge of lemon meringue pies, which the judges called the hardest in years."
)
ARTICLES = [
    {"id": "a", "title": "Felixstowe dock workers strike over pay", "text": STRIKE},
    {"id": "b", "title": "Unite walkout at Felixstowe port", "text": STRIKE_AGAIN},
    {"id": "c", "title": "Bakers face lemon meringue pie test", "text": BAKE_OFF},
]
PAIRS = [
    {"article": "a", "candidate": "b", "label": "same-story"},
    {"article": "a", "candidate": "c", "label": "unrelated"},
]


def test_reports_related_and_same_story_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(tmp_path / "articles.jsonl.gz", [json.dumps(row) for row in ARTICLES])
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [json.dumps(row) for row in PAIRS])
    status = main(
        ["evaluate-related", "--pairs", str(pairs), "--data", str(data), "--format", "json"]
    )
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert report["related precision"] == 1.0
    assert report["related recall"] == 1.0
    assert report["same-story merge precision"] == 1.0
    assert report["same-story merge recall"] == 1.0
    assert 0.0 <= report["own title first"] <= 1.0


def test_candidates_stored_as_headlines_measure_a_headline_only_feed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Among a few stories on other things, as in any store: in one of three articles,
    # "Felixstowe" would be too common a word to tell anything.
    others = [
        {"id": f"other{n}", "title": title, "text": f"{title}. {BAKE_OFF}"}
        for n, title in enumerate(
            ["Orchestra tours Japan", "Mayor opens library", "Floods close motorway"]
        )
    ]
    rows = [json.dumps(row) for row in [*ARTICLES, *others]]
    data = write_jsonl(tmp_path / "articles.jsonl.gz", rows)
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [json.dumps(row) for row in PAIRS])
    arguments = ["evaluate-related", "--pairs", str(pairs), "--data", str(data)]
    status = main([*arguments, "--candidates", "headlines", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    # The bake-off's headline is never offered for the strike, whatever the walkout's does.
    assert report["related precision"] in (0.0, 1.0)
    assert report["related returned"] <= 1
    # A headline has no text to find its own title in, and nothing to merge on.
    assert "own title first" not in report
    assert report["same-story pairs merged"] == 0


def test_a_pair_naming_an_unknown_article_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(tmp_path / "articles.jsonl", [json.dumps(row) for row in ARTICLES])
    pairs = write_jsonl(
        tmp_path / "pairs.jsonl", ['{"article": "a", "candidate": "z", "label": "related"}']
    )
    status = main(["evaluate-related", "--pairs", str(pairs), "--data", str(data)])
    assert status == 2
    assert "not in the data" in capsys.readouterr().err


def test_show_errors_lists_each_wrong_and_missed_headline_with_its_titles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(tmp_path / "articles.jsonl.gz", [json.dumps(row) for row in ARTICLES])
    # The reader calls the reworded report unrelated and the bake-off related: one headline
    # shown is wrong, one positive is missed.
    pairs = write_jsonl(
        tmp_path / "pairs.jsonl",
        [
            '{"article": "a", "candidate": "b", "label": "unrelated"}',
            '{"article": "a", "candidate": "c", "label": "related"}',
        ],
    )
    arguments = ["evaluate-related", "--pairs", str(pairs), "--data", str(data)]
    status = main([*arguments, "--own-title-sample", "0", "--show-errors", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert report["related precision"] == 0.0
    wrong, missed = report["errors"]
    assert wrong.startswith(
        "wrong   a 'Felixstowe dock workers strike over pay' -> 'Unite walkout at Felixstowe port'"
    )
    assert missed == (
        "missed  a 'Felixstowe dock workers strike over pay'"
        " -> 'Bakers face lemon meringue pie test'"
    )


def test_figures_are_also_given_for_each_half_of_the_labelled_stories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_jsonl(tmp_path / "articles.jsonl.gz", [json.dumps(row) for row in ARTICLES])
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [json.dumps(row) for row in PAIRS])
    arguments = ["evaluate-related", "--pairs", str(pairs), "--data", str(data)]
    status = main([*arguments, "--own-title-sample", "0", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    # One story, so one half holds it all and the other has nothing to measure.
    halves = [report[f"related recall, half {part}"] for part in (1, 2)]
    assert sorted(halves) == [0.0, 1.0]
    assert "errors" not in report


@pytest.mark.slow
@needs_shared_data
@pytest.mark.timeout(900)  # a few minutes on a loaded machine: 2,225 articles, 300 questions
def test_on_the_labelled_bbc_pairs_the_measured_figures_hold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pairs = SHARED / "data" / "related-pairs-bbc.jsonl"
    status = main(
        ["evaluate-related", "--pairs", str(pairs), "--data", str(BBC), "--format", "json"]
    )
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    # What is reached, not the targets (precision 0.90 at recall 0.60, own title first 80%):
    # docs/storage.md#related-headlines says why lexical matching stops here on this set.
    assert report["related precision"] >= 0.75
    assert report["related recall"] >= 0.50
    for half in (1, 2):
        assert report[f"related precision, half {half}"] >= 0.65
        assert report[f"related recall, half {half}"] >= 0.50
    assert report["of those, shown headlines"] <= 5
    assert report["own title first"] >= 0.53
    assert report["own title in the first 3"] >= 0.75
