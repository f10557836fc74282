"""Properties of summarize() on arbitrary text: it never crashes and always obeys its limits."""

from hypothesis import given
from hypothesis import strategies as st

from summaries import ALGORITHMS, summarize

# Words, punctuation, markup and control characters, in any mix: what scraped pages contain.
pieces = st.one_of(
    st.sampled_from(["The", "council", "said", "on", "Monday", "bridge", "(CNN)", "--", "By ."]),
    st.sampled_from([".", "!", "?", "\n", "\n\n", " ", "<p>", "</p>", "**", "[a](b)", "\x00"]),
    st.text(max_size=12),
)
texts = st.lists(pieces, max_size=80).map(" ".join)


@given(text=texts, algorithm=st.sampled_from(ALGORITHMS), count=st.integers(1, 5))
def test_never_more_sentences_than_asked(text: str, algorithm: str, count: int) -> None:
    summary = summarize(text, algorithm=algorithm, sentences=count, language="english")
    assert len(summary.sentences) <= count
    assert all(sentence.strip() == sentence and sentence for sentence in summary.sentences)


@given(text=texts, algorithm=st.sampled_from(ALGORITHMS), budget=st.integers(1, 300))
def test_never_longer_than_the_budget(text: str, algorithm: str, budget: int) -> None:
    summary = summarize(
        text, algorithm=algorithm, sentences=None, max_chars=budget, language="english"
    )
    assert len(summary.text) <= budget


@given(text=texts)
def test_the_same_text_gives_the_same_summary(text: str) -> None:
    assert summarize(text, language="english") == summarize(text, language="english")
