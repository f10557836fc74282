"""Storage's refusals of a topic or muted word, worded in the reader's language.

Storage raises ``InvalidTopicError`` with a code and values and holds no reader's words; each
code's English text is here (the msgid the catalogues translate), filled in with the values
after translation.
"""

from __future__ import annotations

from bot.i18n import N_, Translator
from storage.errors import InvalidTopicError, TopicErrorCode

__all__ = ["TOPIC_ERROR_TEXTS", "topic_error_text"]

TOPIC_ERROR_TEXTS: dict[TopicErrorCode, str] = {
    TopicErrorCode.NO_WORDS: N_("a topic needs at least one letter or digit"),
    TopicErrorCode.MUTED_WORD_NO_WORDS: N_("a muted word needs at least one letter or digit"),
    TopicErrorCode.TOPIC_TOO_LONG: N_(
        "That topic is {length} characters long; keep it to {limit}."
    ),
    TopicErrorCode.MUTED_WORD_TOO_LONG: N_(
        "That word or phrase is {length} characters long; keep it to {limit}."
    ),
    TopicErrorCode.TOO_MANY_TOPICS: N_(
        "You can follow at most {limit} topics; /unsubscribe one you no longer need."
    ),
    TopicErrorCode.TOO_MANY_MUTED_WORDS: N_(
        "You can mute at most {limit} words; /unmute one you no longer need."
    ),
    TopicErrorCode.TOPIC_TOO_BROAD: N_(
        "“{topic}” is too broad: it would match more than half of all stories. "
        "Follow something more specific, e.g. /subscribe climate."
    ),
    TopicErrorCode.MUTED_WORD_TOO_COMMON: N_(
        "“{word}” is too common to mute: it is in more than half of all stories. "
        "Mute something more specific, e.g. /mute football."
    ),
    TopicErrorCode.UNCLOSED_QUOTE: N_(
        'Close the quote: every " needs a closing one, as in "climate change".'
    ),
    TopicErrorCode.OR_WITHOUT_TERM: N_("Put a word or phrase on each side of OR."),
    TopicErrorCode.AND_WITHOUT_TERM: N_("Put a word or phrase on each side of AND."),
    TopicErrorCode.OR_BEFORE_EXCLUSION: N_(
        "OR cannot join an excluded word: write -football -cricket to exclude both."
    ),
    TopicErrorCode.ONLY_EXCLUSIONS: N_(
        "Add at least one word or phrase to look for: -word only excludes, e.g. ukraine -football."
    ),
    TopicErrorCode.TOO_MANY_TERMS: N_(
        "Use at most {limit} words or phrases in one topic (this one has {count})."
    ),
}


def topic_error_text(error: InvalidTopicError, t: Translator) -> str:
    """Why the topic or muted word was refused, in ``t``'s language (plain text, not escaped)."""
    text = t.gettext(TOPIC_ERROR_TEXTS[error.code])
    return text.format(**error.values) if error.values else text
