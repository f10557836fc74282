"""News clean-up: the parts of an article page that are not the story.

Two passes: ``clean_text`` removes bylines, datelines and boilerplate lines before sentence
splitting; ``clean_sentences`` drops captions, boilerplate, duplicates and fragments after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# Daily Mail pages as scraped for CNN/DailyMail: "By . Name . PUBLISHED: . 12:52 EST, 3 March
# 2013 . | . UPDATED: . 13:03 EST, 3 March 2013 . " and "Last updated at 3:43 PM on 12th ...".
_MAIL_HEADER = re.compile(
    r"""^\s*
    (?:By\s\.\s(?:[^.]{1,80}\s\.\s){1,3})?
    (?:(?:PUBLISHED|UPDATED):\s\.\s[^|]{1,60}?\d{4}\s\.\s(?:\|\s\.\s)?){1,2}
    |^\s*By\s\.\s(?:[^.]{1,80}\s\.\s){1,3}
    |^\s*(?:Last\supdated\sat\s[^.]{1,60}\s\.\s)
    """,
    re.X,
)
# "LONDON (Reuters) -", "Washington (CNN)The", "(CNN) --", "PARIS, March 3 (AFP) —" at a
# paragraph start: a short place and date, a parenthesised agency, then a dash or (CNN style)
# the story glued on; "The Press Association (PA) said" is left alone.
_AGENCIES = (
    r"CNN|CNN Student News|CNNMoney|HLN|Reuters|AP|AFP|dpa|UPI|Bloomberg|BBC|EFE|ANSA|Xinhua|"
    r"AAP|PA|TASS|Interfax|Kyodo|Yonhap|The Hollywood Reporter|Billboard|Rolling Stone|Variety|"
    r"EW\.com|Mashable"
)
_AGENCY_DATELINE = re.compile(
    rf"^\((?:{_AGENCIES})\)\s*(?:--|[-–—:])?\s*"
    rf"|^[A-Z][\w.'’ ,-]{{0,60}}?\s*\((?:{_AGENCIES})\)(?:\s*(?:--|[-–—:])\s*|(?=[A-Z\"“‘']))"
)
# AP style: "WASHINGTON — " or "NEW YORK, March 3 -- " at a paragraph start.
_CAPS_DATELINE = re.compile(r"^[A-Z][A-Z.'’ ]{2,30}(?:,\s[\w .'’]{1,30})?\s(?:--|[–—-])\s+")
# A line that is only a byline: "By Jane Smith", "By JANE SMITH, Associated Press".
_BYLINE_LINE = re.compile(r"^(?:By|BY|Von|Par|Por|Di|Door|Av)\s+[^.!?]{2,80}$")
_BOILERPLATE_LINE = re.compile(
    r"^(?:advertisement|anzeige|publicité|publicidad|реклама|share(?: this)?(?: article| story)?|"
    r"share (?:on )?(?:facebook|twitter|whatsapp|linkedin|email)|tweet|email|print|comments?|"
    r"related(?: articles| stories| content)?:?|more on this story|top stories)\W*$",
    re.I,
)

_BOILERPLATE_START = re.compile(
    r"^\W*(?:click here|read more|read this|read next|related:|see also|watch:|video:|"
    r"scroll down|share this|share on|subscribe|sign up|follow us|follow @|like us on|"
    r"editor'?s note|all rights reserved|copyright|©|download the|get the app|advertisement)",
    re.I,
)
_BOILERPLATE_ANYWHERE = re.compile(
    r"contributed (?:to this )?report|contributed reporting|all rights reserved|"
    r"click here to|for more news|our (?:\w+ )?newsletter|sign up to our|"
    r"follow (?:us|him|her) on twitter|"
    # Paywalls and subscription offers: "As low as $1.88 a week", "Subscribe for 99p".
    r"as low as [$€£]?\d|(?:per|a|/) ?(?:week|month)\b.*\bsubscri|subscribe (?:now|today|for)|"
    r"subscribers? only|for subscribers|already a subscriber|log ?in to (?:read|continue)|"
    r"free trial|unlimited (?:digital )?access|"
    # Cookie notices and share bars.
    r"(?:we|this (?:site|website)) uses? cookies|cookie (?:policy|settings|preferences)|"
    r"accept (?:all )?cookies|share (?:this|on) (?:facebook|twitter|whatsapp|x\b|linkedin)|"
    r"copy link|opens in (?:a )?new window",
    re.I,
)
_CAPTION = re.compile(
    r"^\W*(?:pictured|photo|image|picture|caption|above|below|left|right|top|inset|credit|"
    r"photograph|illustration|video)\s*:|\b(?:credit|photograph|illustration):\s*\S+\s*$"
    r"|\((?:photo|picture|image)\b[^)]*\)|\b(?:getty images|ap photo|afp photo|reuters/|"
    r"image copyright|image caption|photo credit|photograph:)",
    re.I,
)
# A photo credit closing a line: "Photograph: Agency", "Credit...Name/Agency", "(Getty Images)".
_CREDIT_END = re.compile(
    r"(?:^|\s)(?:photograph|photo|picture|image|illustration|credit|foto|bild)s?"
    r"\s*(?::|\.\.\.|…)\s*[^.!?]{2,80}$|\((?:getty images|ap|afp|reuters|epa)[^)]*\)\s*$",
    re.I,
)
_MAX_CAPTION_WORDS = 30
_STRAY_DOTS = re.compile(r"^[\s.|·•]+|(?:\s+[.|])+\s*$")
_WORDLIKE = re.compile(r"[^\W\d_]{2,}")

MIN_WORDS = 4


def _clean_paragraph_start(paragraph: str) -> str:
    paragraph = _MAIL_HEADER.sub("", paragraph, count=1)
    paragraph = _AGENCY_DATELINE.sub("", paragraph, count=1)
    return _CAPS_DATELINE.sub("", paragraph, count=1)


def clean_text(text: str) -> str:
    """Remove bylines, datelines, captions and boilerplate lines; keep paragraphs on their lines."""
    kept: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if _BYLINE_LINE.match(stripped) or _BOILERPLATE_LINE.match(stripped):
            continue
        credit = _CREDIT_END.search(stripped)
        if credit:
            # A credit ends a caption; alone on its line it credits the short line before it.
            if credit.start() == 0 and kept and len(kept[-1].split()) <= _MAX_CAPTION_WORDS:
                kept.pop()
            continue
        kept.append(_clean_paragraph_start(stripped))
    return "\n".join(kept).strip()


def _fingerprint(sentence: str) -> str:
    return " ".join(re.findall(r"\w+", sentence.lower()))


def is_boilerplate(sentence: str) -> bool:
    """True for share/subscribe/read-more lines, credits and editor's notes."""
    return bool(_BOILERPLATE_START.search(sentence) or _BOILERPLATE_ANYWHERE.search(sentence))


def is_caption(sentence: str) -> bool:
    """True for photo captions and picture credits."""
    return bool(_CAPTION.search(sentence))


def is_fragment(sentence: str) -> bool:
    """True for pieces too short to be a sentence of a story."""
    return len(_WORDLIKE.findall(sentence)) < MIN_WORDS


_RULES: tuple[Callable[[str], bool], ...] = (is_boilerplate, is_caption, is_fragment)


def clean_sentences(sentences: Sequence[str]) -> list[int]:
    """Indices of the sentences worth keeping: no boilerplate, captions, fragments or repeats.

    When every sentence would go (a one-line headline, say) the non-empty ones are kept, since a
    short summary is better than none.
    """
    seen: set[str] = set()
    kept: list[int] = []
    non_empty: list[int] = []
    for index, sentence in enumerate(sentences):
        fingerprint = _fingerprint(sentence)
        if not fingerprint or fingerprint in seen:
            continue
        seen.add(fingerprint)
        non_empty.append(index)
        if not any(rule(sentence) for rule in _RULES):
            kept.append(index)
    return kept or non_empty


def tidy(sentence: str) -> str:
    """Strip the stray dots and bars that scraped pages leave around a sentence."""
    return _STRAY_DOTS.sub("", sentence).strip()
