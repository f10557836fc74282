"""Languages: what we support, how we name them, and detecting them offline."""

import punkt
import pytest
from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

from summaries import SUPPORTED_LANGUAGES, UnsupportedLanguageError, detect_language, summarize
from summaries.languages import language_name

SAMPLES = {
    "czech": "Vláda ve středu schválila nový zákon o daních. Podle ministra to pomůže rodinám, "
    "které mají děti a nízké příjmy.",
    "english": "The government approved a new tax law on Wednesday. The minister said it would "
    "help families with children and low incomes.",
    "french": "Le gouvernement a approuvé mercredi une nouvelle loi fiscale. Selon le ministre, "
    "elle aidera les familles avec des enfants et des revenus modestes.",
    "german": "Die Regierung hat am Mittwoch ein neues Steuergesetz beschlossen. Nach Angaben des "
    "Ministers wird es Familien mit Kindern und geringem Einkommen helfen.",
    "greek": "Η κυβέρνηση ενέκρινε την Τετάρτη έναν νέο φορολογικό νόμο. Σύμφωνα με τον "
    "υπουργό, θα βοηθήσει τις οικογένειες με παιδιά και χαμηλά εισοδήματα.",
    "italian": "Il governo ha approvato mercoledì una nuova legge fiscale. Secondo il ministro, "
    "aiuterà le famiglie con figli e con redditi bassi.",
    "polish": "Rząd w środę przyjął nową ustawę podatkową. Według ministra pomoże ona rodzinom, "
    "które mają dzieci i niskie dochody.",
    "portuguese": "O governo aprovou na quarta-feira uma nova lei fiscal. Segundo o ministro, "
    "ela vai ajudar as famílias com filhos e com rendimentos baixos.",
    "spanish": "El gobierno aprobó el miércoles una nueva ley fiscal. Según el ministro, "
    "ayudará a las familias con hijos y con ingresos bajos.",
    "swedish": "Regeringen godkände på onsdagen en ny skattelag. Enligt ministern kommer den att "
    "hjälpa familjer med barn och med låga inkomster.",
    "russian": "Правительство в среду одобрило новый налоговый закон. По словам министра, он "
    "поможет семьям с детьми и низкими доходами.",
    "ukrainian": "Уряд у середу схвалив новий податковий закон. За словами міністра, він "
    "допоможе родинам із дітьми та низькими доходами.",
}

# Written for these tests: ordinary news openings, about 200 characters each.
NEWS_200 = {
    "russian": [
        "Как сообщил мэр города, ремонт моста через Днепр завершится в конце следующего года, "
        "а движение транспорта будет частично ограничено.",
        "Сборная страны по футболу проиграла в решающем матче отборочного турнира и не "
        "сможет принять участие в чемпионате Европы.",
        "Цены на бензин выросли на пять процентов за месяц, что эксперты объясняют слабым "
        "рублем и ростом стоимости нефти на мировых рынках.",
    ],
    "ukrainian": [
        "Як повідомив мер міста, ремонт мосту через Дніпро завершиться наприкінці наступного "
        "року, а рух транспорту буде частково обмежено.",
        "Збірна України з футболу програла у вирішальному матчі відбіркового турніру і не "
        "зможе взяти участь у чемпіонаті Європи.",
        "Ціни на пальне зросли на п'ять відсотків за місяць, що експерти пояснюють слабкою "
        "гривнею та зростанням вартості нафти на світових ринках.",
    ],
}


def test_supported_languages_are_exactly_those_with_punkt_stemmer_and_stop_words() -> None:
    def sumy_has(language: str) -> bool:
        try:
            get_stop_words(language)
        except LookupError:
            return False
        # Greek and Polish have Sumy stemmers behind optional packages; we lower-case instead.
        return language in {"greek", "polish"} or bool(Stemmer(language))

    # Russian brings its own stop words; Ukrainian borrows the Russian Punkt model.
    extra = {"russian", "ukrainian"}
    found = {lang for lang in punkt.available_languages() if sumy_has(lang)}
    assert tuple(sorted(found | extra)) == SUPPORTED_LANGUAGES


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_each_supported_language_is_detected(language: str) -> None:
    assert detect_language(SAMPLES[language]) == language


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_each_supported_language_is_summarised(language: str) -> None:
    summary = summarize(SAMPLES[language], sentences=1)
    assert summary.language == language
    assert len(summary.sentences) == 1


def test_every_supported_language_has_a_sample() -> None:
    assert sorted(SAMPLES) == list(SUPPORTED_LANGUAGES)


def test_markup_does_not_count_towards_the_language() -> None:
    script = "qz = fn(kk); zz.vv = ww[qq]; " * 200
    page = f"<html><script>{script}</script><p>{SAMPLES['german']}</p></html>"
    assert detect_language(page) == "german"


def test_text_too_short_to_judge_is_taken_for_english() -> None:
    assert detect_language("Bakhmut") == "english"
    assert detect_language("") == "english"


def test_a_long_text_in_an_unsupported_language_is_an_error() -> None:
    turkish = (
        "Hükümet çarşamba günü yeni bir vergi yasasını onayladı. Bakana göre yasa, çocuklu ve "
        "düşük gelirli ailelere, ayrıca ücretlerin yıllardır düşük kaldığı bölgelerdeki küçük "
        "işletmelere yardımcı olacak."
    )
    with pytest.raises(UnsupportedLanguageError, match="supported: czech, english"):
        detect_language(turkish)


@pytest.mark.parametrize("language", sorted(NEWS_200))
def test_russian_and_ukrainian_are_told_apart_from_200_characters(language: str) -> None:
    for text in NEWS_200[language]:
        assert detect_language(text[:200]) == language


def test_ukrainian_sentences_keep_initials_and_abbreviations_together() -> None:
    text = (
        "Як повідомив В. Зеленський, переговори відбудуться у Женеві. Делегацію очолить "
        "проф. Іваненко, а витрати складуть 2 млн грн. Наступна зустріч запланована на весну."
    )
    summary = summarize(text, sentences=3, language="uk")
    assert summary.sentences == (
        "Як повідомив В. Зеленський, переговори відбудуться у Женеві.",
        "Делегацію очолить проф. Іваненко, а витрати складуть 2 млн грн.",
        "Наступна зустріч запланована на весну.",
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("de", "german"),
        ("DE-at", "german"),
        ("German", "german"),
        ("pt_BR", "portuguese"),
        ("ell", "greek"),
        (" english ", "english"),
    ],
)
def test_language_names_and_codes_are_normalised(given: str, expected: str) -> None:
    assert language_name(given) == expected


def test_an_unknown_language_name_lists_the_supported_ones() -> None:
    with pytest.raises(UnsupportedLanguageError) as error:
        language_name("turkish")
    assert str(error.value) == (
        "unsupported language 'turkish'; supported: " + ", ".join(SUPPORTED_LANGUAGES)
    )


def test_ukrainian_abbreviations_do_not_change_russian_sentences() -> None:
    summarize("Як повідомив В. Зеленський, витрати складуть 2 млн грн. Це багато.", language="uk")
    text = "Расходы составят 2 млн грн. Это много, сказал министр."
    assert len(summarize(text, sentences=2, language="ru").sentences) == 1
