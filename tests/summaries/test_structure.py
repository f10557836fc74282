"""Structure kept, junk dropped: headings, standfirsts, quotes, captions and leaning sentences."""

import re

from storage.ingest.records import ArticleRecord
from storage.ingest.sources import open_file
from summaries import summarize
from summaries.segmentation import quote_open
from summaries.selection import select
from tests.storage.news_site import FIXTURES

STANDFIRST = next(iter(open_file(FIXTURES / "standfirst.atom").records))
assert isinstance(STANDFIRST, ArticleRecord)

RUN_ON = (
    "Half of US military sites at risk from rising seas\n"
    "Findings run counter to White House views on climate\n"
    "Nearly half of the country's military sites are at risk from rising seas and storms, a "
    "report by the defence department has found, in findings that run counter to the views of "
    "the White House.\n"
    "The report looked at 3,500 sites around the world and found that 1,700 faced flooding, "
    "drought or wildfires made worse by climate change.\n"
    "Officials said the bases on the Atlantic coast were the most exposed."
)


def test_a_heading_and_standfirst_that_repeat_the_title_are_not_summary_sentences() -> None:
    summary = summarize(STANDFIRST.text, title=STANDFIRST.title, sentences=5)
    assert summary.sentences
    assert not any("Sweden drops investigation into activist" in s for s in summary.sentences)
    assert all(s.rstrip("\"”’')").endswith((".", "!", "?")) for s in summary.sentences)


def test_a_block_without_a_full_stop_is_never_glued_to_the_next() -> None:
    title = "Half of US military sites at risk from rising seas"
    for count in (1, 2, 3, 4):
        text = " ".join(summarize(RUN_ON, title=title, sentences=count).sentences)
        assert "climate Nearly" not in text
        assert "seas Findings" not in text


def test_a_sentence_leaning_on_the_one_before_is_only_taken_with_it() -> None:
    for count in (1, 2, 3, 4, 5, 6):
        chosen = summarize(STANDFIRST.text, title=STANDFIRST.title, sentences=count).sentences
        for leaning, before in (
            ("It also emerged", "The activist's lawyer welcomed"),
            ("As the decision was published", "It also emerged"),
        ):
            picked = [s for s in chosen if s.startswith(leaning)]
            if picked:
                assert any(s.startswith(before) for s in chosen), chosen


def test_selection_skips_a_dependent_sentence_without_its_predecessor() -> None:
    sentences = ["Alpha said yes.", "But he said no.", "Gamma agreed.", "Delta left."]
    dependent = [False, True, False, False]
    assert select(sentences, [1, 2, 3, 0], count=2, max_chars=None, dependent=dependent) == (
        "Gamma agreed.",
        "Delta left.",
    )
    assert select(sentences, [0, 1, 2], count=2, max_chars=None, dependent=dependent) == (
        "Alpha said yes.",
        "But he said no.",
    )


def test_no_summary_sentence_ends_inside_an_open_quotation() -> None:
    text = (
        'The minister spoke at length. "We will not give up. We will keep going until the '
        'last village has power again. Nobody will be left behind," she said on Tuesday.\n'
        "Engineers restored power to most districts by the evening, the operator said.\n"
        "The operator warned that further outages were likely during the cold spell."
    )
    for count in (1, 2, 3):
        for sentence in summarize(text, sentences=count).sentences:
            assert not quote_open(sentence), sentence


def test_german_quotes_close_with_a_high_mark() -> None:
    assert not quote_open("„Wir machen weiter“, sagte sie.")
    assert quote_open("„Wir machen weiter. ")


def test_captions_credits_ads_paywalls_share_bars_and_cookie_notices_are_dropped() -> None:
    text = (
        "United Nations peacekeepers at a refugee camp in Sudan. Photograph: Agency Photo\n"
        "Advertisement\n"
        "Share on Facebook Share on Twitter Copy link\n"
        "We use cookies to improve your experience on our site.\n"
        "As low as $1.88 a week. Subscribe now for unlimited digital access.\n"
        "Fighting between the army and a paramilitary group has forced thousands of families "
        "to flee across the border in the past week, aid agencies said on Monday.\n"
        "The agencies said they needed more money to feed the refugees through the winter."
    )
    joined = " ".join(summarize(text, sentences=5).sentences)
    for junk in ("Photograph", "Advertisement", "Share on", "cookies", "$1.88"):
        assert junk not in joined
    assert re.search(r"^Fighting between", joined)
