"""Our tokenizer: Punkt sentences, Treebank words, and Sumy accepts it."""

from sumy.parsers.plaintext import PlaintextParser

from summaries.tokenizing import NewsTokenizer


def test_sentences_respect_abbreviations() -> None:
    tokenizer = NewsTokenizer("english")
    assert tokenizer.to_sentences("Dr. Smith met Mr. Jones at 10 a.m. on Monday. They talked.") == (
        "Dr. Smith met Mr. Jones at 10 a.m. on Monday.",
        "They talked.",
    )


def test_titles_before_names_do_not_end_a_sentence() -> None:
    tokenizer = NewsTokenizer("english")
    assert tokenizer.to_sentences("The group supported Gov. Mike Pence in May. He won.") == (
        "The group supported Gov. Mike Pence in May.",
        "He won.",
    )


def test_german_sentences_use_the_german_model() -> None:
    tokenizer = NewsTokenizer("german")
    assert tokenizer.to_sentences("Das ist z.B. ein Satz. Und noch einer.") == (
        "Das ist z.B. ein Satz.",
        "Und noch einer.",
    )


def test_words_drop_punctuation_and_numbers() -> None:
    tokenizer = NewsTokenizer("english")
    assert tokenizer.to_words('The U.N. said 25 people didn\'t "leave" well-lit areas.') == (
        "The",
        "said",
        "people",
        "did",
        "n't",
        "leave",
        "well-lit",
        "areas",
    )


def test_sumy_plaintext_parser_accepts_the_tokenizer() -> None:
    parser = PlaintextParser.from_string(
        "One sentence here. Another one there.", NewsTokenizer("english")
    )
    assert [str(sentence) for sentence in parser.document.sentences] == [
        "One sentence here.",
        "Another one there.",
    ]
    assert parser.document.sentences[0].words == ("One", "sentence", "here")
