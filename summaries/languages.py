"""The languages we can summarise: Punkt sentence models plus Sumy stemmers and stop words."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from sumy.nlp.stemmers import Stemmer, null_stemmer
from sumy.utils import get_stop_words

from summaries.errors import UnsupportedLanguageError
from summaries.stopwords import RUSSIAN_STOP_WORDS, UKRAINIAN_STOP_WORDS

# The intersection of punkt.available_languages(), Sumy's stop-word files and Sumy's stemmers,
# plus Russian (our own stop words, summaries/stopwords.py) and Ukrainian (Sumy's stop words and
# stemmer; sentences by the Russian Punkt model with Ukrainian abbreviations, see tokenizing).
# Kept literal so importing the package stays cheap; a test recomputes it from the libraries.
SUPPORTED_LANGUAGES: tuple[str, ...] = (
    "czech",
    "english",
    "french",
    "german",
    "greek",
    "italian",
    "polish",
    "portuguese",
    "russian",
    "spanish",
    "swedish",
    "ukrainian",
)

# ISO 639-1 and 639-2 codes people type on a command line or find in a feed's xml:lang.
_CODES = {
    "cs": "czech",
    "ces": "czech",
    "cze": "czech",
    "en": "english",
    "eng": "english",
    "fr": "french",
    "fra": "french",
    "fre": "french",
    "de": "german",
    "deu": "german",
    "ger": "german",
    "el": "greek",
    "ell": "greek",
    "gre": "greek",
    "it": "italian",
    "ita": "italian",
    "pl": "polish",
    "pol": "polish",
    "pt": "portuguese",
    "por": "portuguese",
    "es": "spanish",
    "spa": "spanish",
    "sv": "swedish",
    "swe": "swedish",
    "ru": "russian",
    "rus": "russian",
    "uk": "ukrainian",
    "ukr": "ukrainian",
}


def language_name(language: str) -> str:
    """Map a language name or ISO code (``"de"``, ``"de-AT"``, ``"German"``) to a supported name."""
    key = language.strip().lower().replace("_", "-")
    name = _CODES.get(key) or _CODES.get(key.split("-")[0]) or key
    if name not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(
            f"unsupported language {language!r}; supported: {', '.join(SUPPORTED_LANGUAGES)}"
        )
    return name


@cache
def stop_words(language: str) -> frozenset[str]:
    """Sumy's stop words for a supported language (ours for Russian), lower-cased."""
    if language == "russian":
        return RUSSIAN_STOP_WORDS
    words = frozenset(word.lower() for word in get_stop_words(language))
    if language == "ukrainian":
        # Sumy's Ukrainian list lacks the commonest words ("і", "на", "що", "не").
        return words | UKRAINIAN_STOP_WORDS
    return words


# Sumy's Polish and Greek stemmers need extra packages that cost more than they bring here:
# pystempel loads an 11 MB table for seconds and prints a progress bar, greek-stemmer-pos pulls
# pytest in at run time. Sumy's null stemmer (lower-casing) keeps both languages working, and
# centrality barely needs stems.
_UNSTEMMED = frozenset({"greek", "polish"})


@cache
def stemmer(language: str) -> Callable[[str], str]:
    """Sumy's stemmer for a supported language (lower-casing only for Greek and Polish)."""
    stem: Callable[[str], str] = null_stemmer if language in _UNSTEMMED else Stemmer(language)
    return stem
