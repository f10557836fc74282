"""What a digest says, seen in the chat: short, each story once, related headlines once."""

import gzip
import itertools
import json

from storage.ingest.jsonl import parse_jsonl
from storage.ingest.records import ArticleRecord, HeadlineRecord
from tests.bot.conftest import Conversation, settle
from tests.bot.digests.test_in_the_chat import glacier_reports
from tests.data import SHARED, needs_shared_data

EMIRATES_WIRE_A = (
    "Emirates has ordered 65 Boeing 777-9 jets worth about 24 billion dollars at list prices, "
    "the Dubai airline said at the Dubai Airshow on Monday. Sheikh Ahmed bin Saeed Al Maktoum, "
    "the Emirates chairman, said the widebody jets would arrive from 2027 and replace older "
    "Airbus A380 superjumbos. Boeing shares rose two percent in early trading in New York."
)
EMIRATES_WIRE_B = (
    "Dubai carrier Emirates on Monday placed an order for 65 Boeing 777-9 widebody jets, valued "
    "at roughly 24 billion dollars at list prices, at the Dubai Airshow. Chairman Sheikh Ahmed "
    "bin Saeed Al Maktoum said deliveries of the jets start in 2027, replacing ageing Airbus "
    "A380 superjumbos. Shares in Boeing gained two percent in New York trading."
)
OTHER_FLIGHT_NEWS = [
    (
        "Qantas resumes flights to Paris",
        "Qantas will fly from Perth to Paris again from July, the Australian airline said, "
        "using Boeing 787 Dreamliners on a route it suspended during the pandemic. Tickets go "
        "on sale on Friday, and Qantas expects strong demand from European tourists.",
    ),
    (
        "Heathrow passenger numbers hit a record",
        "Heathrow handled 83 million passengers last year, a record for the London airport, "
        "which said transatlantic flights and Boeing deliveries to its airlines drove the rise. "
        "The airport again asked the government to approve a third runway.",
    ),
]


async def digest_messages(bot_app, chat: Conversation) -> list:
    """Ask for a digest now and return every message it came in."""
    before = len(chat.emu.sent_messages(chat.chat_id))
    chat.send_only("/digest")
    await chat.emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    await settle(chat.emu, bot_app)
    return chat.emu.sent_messages(chat.chat_id)[before:]


async def choose(chat: Conversation, *labels: str) -> None:
    for label in labels:
        panel = await chat.ask("/settings")
        await chat.press(panel, label)
        await chat.emu.wait_for_messages(chat.chat_id, timeout=10)


def wordy_glacier_reports() -> list[str]:
    """The glacier reports with every sentence about 300 characters long."""
    padding = (
        ", as the survey team confirmed against older maps, borehole records and the "
        "photographs kept in the valley archive,"
    )
    lines = []
    for line in glacier_reports():
        report = json.loads(line)
        report["text"] = report["text"].replace(" since the survey", padding + " since the survey")
        report["text"] = report["text"].replace(" and compared", padding + " and compared")
        report["text"] = report["text"].replace(" now need", padding + " now need")
        lines.append(json.dumps(report))
    return lines


async def test_a_default_digest_of_five_stories_is_one_message(bot_app, chat):
    store = bot_app.bot_data.services.store
    await store.articles.ingest(parse_jsonl(wordy_glacier_reports(), name="glaciers.jsonl"))
    await chat.ask("/subscribe glacier")
    [digest] = await digest_messages(bot_app, chat)
    numbered = [line for line in digest.text.splitlines() if line.split(". ", 1)[0].isdigit()]
    assert len(numbered) == 5


async def test_ten_stories_with_long_summaries_take_at_most_two_messages(bot_app, chat):
    store = bot_app.bot_data.services.store
    await store.articles.ingest(parse_jsonl(glacier_reports(), name="glaciers.jsonl"))
    await chat.ask("/subscribe glacier")
    await choose(chat, "10 stories", "Long")
    parts = await digest_messages(bot_app, chat)
    assert 1 <= len(parts) <= 2
    numbered = [
        line for part in parts for line in part.text.splitlines() if " glacier lost " in line
    ]
    assert len(numbered) == 10
    # The longer summary is there, folded so the digest stays short on screen.
    assert any(
        entity["type"] == "expandable_blockquote" for part in parts for entity in part.entities
    )


async def test_a_reworded_report_of_the_same_event_is_one_story_crediting_the_other(bot_app, chat):
    store = bot_app.bot_data.services.store
    await store.articles.ingest(
        [
            ArticleRecord(
                EMIRATES_WIRE_A,
                "Emirates orders 65 Boeing 777-9 jets at Dubai Airshow",
                "https://wire-a.test/emirates",
                "Wire A",
            ),
            ArticleRecord(
                EMIRATES_WIRE_B,
                "Dubai's Emirates places $24bn Boeing widebody order",
                "https://wire-b.test/emirates",
                "Wire B",
            ),
            *(
                ArticleRecord(text, title, f"https://news.test/{n}", "Wire C")
                for n, (title, text) in enumerate(OTHER_FLIGHT_NEWS)
            ),
        ]
    )
    await chat.ask("/subscribe boeing")
    [digest] = await digest_messages(bot_app, chat)
    numbered = [line for line in digest.text.splitlines() if line.split(". ", 1)[0].isdigit()]
    assert len(numbered) == 3
    assert sum("Emirates" in line for line in numbered) == 1
    assert "also: Wire" in digest.text
    assert 'href="https://wire-' in digest.html.split("also:", 1)[1].split("\n", 1)[0]


# Four angles on one speech: the speech, a fact check, the reaction, the opposition's reply.
STATE_OF_THE_UNION = [
    (
        "Biden uses State of the Union address to attack Trump and defend his record",
        "President Joe Biden used his State of the Union address to Congress on Thursday night "
        "to attack Donald Trump, warning that democracy was under threat at home and abroad. "
        "In the speech, Biden called on Congress to pass new aid for Ukraine, pledged to restore "
        "abortion rights and proposed higher taxes on billionaires and large corporations. "
        "Republicans in the chamber heckled the president over immigration and the border, and "
        "Biden answered them directly. The address was Biden's last State of the Union before "
        "the November election, in which he is expected to face Trump again.",
    ),
    (
        "Fact check: Biden's State of the Union claims on jobs, inflation and the border",
        "We checked the main claims President Joe Biden made in his State of the Union address "
        "to Congress on Thursday. Biden said the economy had created 15 million jobs, which is "
        "true but counts jobs that came back after the pandemic. His claim that inflation had "
        "fallen is right, though prices remain higher than when he took office. On the border "
        "and immigration, Biden blamed Republicans in Congress for blocking a bill, which is "
        "largely accurate. His figures on taxes paid by billionaires were misleading.",
    ),
    (
        "Democrats cheer and Republicans heckle: reaction to Biden's State of the Union",
        "Democrats in Congress praised President Joe Biden's State of the Union address on "
        "Thursday as energetic and combative, while Republicans said the speech was a campaign "
        "rally. Several Republicans heckled Biden over immigration and the border during the "
        "address. Donald Trump posted criticism of the speech as it went on. Ukraine's "
        "ambassador welcomed Biden's call for Congress to pass new aid for Ukraine.",
    ),
    (
        "Senator Katie Britt delivers Republican response to State of the Union",
        "Senator Katie Britt of Alabama delivered the Republican response to President Joe "
        "Biden's State of the Union address on Thursday, accusing him of failing on the border "
        "and immigration. Speaking from her kitchen, Britt said Biden was out of touch with "
        "families struggling with inflation and prices. She urged voters to back Republicans in "
        "Congress and Donald Trump in the November election.",
    ),
]


def news_of_the_day(count: int) -> list[ArticleRecord]:
    """Real news beside the story, so that its names are as rare as they are in a real feed."""
    with gzip.open(SHARED / "data" / "bbc-news-summary.jsonl.gz", "rt", encoding="utf-8") as rows:
        return [
            ArticleRecord(row["text"], row["title"], f"https://bbc.test/{row['id']}", "BBC")
            for row in map(json.loads, itertools.islice(rows, count))
        ]


@needs_shared_data
async def test_four_angles_on_one_speech_are_one_story_with_the_others_as_related_lines(
    bot_app, chat
):
    store = bot_app.bot_data.services.store
    await store.articles.ingest(news_of_the_day(600))
    await store.articles.ingest(
        ArticleRecord(text, title, f"https://wire.test/{n}", f"Wire {n}")
        for n, (title, text) in enumerate(STATE_OF_THE_UNION)
    )
    await chat.ask("/subscribe state of the union")
    [digest] = await digest_messages(bot_app, chat)
    numbered = [line for line in digest.text.splitlines() if line.split(". ", 1)[0].isdigit()]
    assert len(numbered) == 1
    related = [line for line in digest.text.splitlines() if line.startswith("↳")]
    titles = {title for title, _ in STATE_OF_THE_UNION}
    assert len(related) == 2
    assert all(line.removeprefix("↳ ").rsplit(" (", 1)[0] in titles for line in related)


INQUIRY_STORIES = [
    (
        "Mueller team questions Trump aides about Russia contacts",
        "Special counsel Robert Mueller's investigators questioned two former Trump campaign "
        "aides this week about their contacts with Russian officials in 2016. The interviews "
        "focused on a meeting at Trump Tower, lawyers for the aides said. Russia has denied "
        "interfering in the election, and Trump called the investigation a witch hunt.",
    ),
    (
        "Senate committee publishes report on Russia and the Trump campaign",
        "The Senate intelligence committee published the fourth volume of its report on Russian "
        "interference, finding that Trump campaign officials shared polling data with a Russian "
        "associate. Senators from both parties signed the report. The Kremlin dismissed it, and "
        "the White House said the investigation had found no collusion.",
    ),
    (
        "Comey tells Congress Trump asked him to drop Russia inquiry",
        "Former FBI director James Comey told Congress that Trump asked him to drop part of the "
        "Russia investigation before firing him. Comey read from notes he wrote after each "
        "meeting in the Oval Office. Republicans questioned why he had not resigned, while "
        "Democrats called for the inquiry into Russia to be protected.",
    ),
]


OTHER_HEADLINES = [
    f"{place} {event}"
    for place in ("Leeds", "Lyon", "Porto", "Gdansk", "Bergen", "Malmo")
    for event in (
        "council approves new cycle lanes",
        "orchestra opens its winter season",
        "bakery wins national bread prize",
        "harbour festival draws record crowds",
    )
]


async def test_a_related_headline_is_shown_under_one_story_at_most(bot_app, chat):
    store = bot_app.bot_data.services.store
    await store.articles.ingest(
        [
            *(
                ArticleRecord(text, title, f"https://inquiry.test/{n}", "Wire")
                for n, (title, text) in enumerate(INQUIRY_STORIES)
            ),
            HeadlineRecord("Trump-Russia investigation: the key questions answered"),
            # Other news, so that names are rarer than in three stories on one inquiry.
            *(HeadlineRecord(title) for title in OTHER_HEADLINES),
        ]
    )
    await chat.ask("/subscribe russia")
    [digest] = await digest_messages(bot_app, chat)
    numbered = [line for line in digest.text.splitlines() if line.split(". ", 1)[0].isdigit()]
    assert len(numbered) == 3
    assert digest.text.count("the key questions answered") == 1


async def test_more_like_this_lists_related_stories_with_whole_titles(bot_app, chat):
    store = bot_app.bot_data.services.store
    long_title = (
        "Comey tells Congress that Trump asked him to drop the Russia inquiry before he was "
        "fired from the FBI"
    )
    stories = [
        (long_title, INQUIRY_STORIES[2][1]),
        (
            "Senators demand Comey's notes on his meetings with Trump",
            "Senators asked the FBI to hand over the notes James Comey wrote after each meeting "
            "with Trump in the Oval Office, saying they showed pressure on the Russia "
            "investigation. The former FBI director had read from the notes to Congress.",
        ),
        (
            "Trump says the Russia inquiry was on his mind when he fired Comey",
            "Trump said the Russia investigation was on his mind when he fired FBI director James "
            "Comey, contradicting the White House account. Comey had told Congress that Trump "
            "asked him to drop part of the inquiry during a meeting in the Oval Office.",
        ),
    ]
    await store.articles.ingest(
        [
            *(
                ArticleRecord(text, title, f"https://inquiry.test/{n}", "Wire")
                for n, (title, text) in enumerate(stories)
            ),
            *(HeadlineRecord(title) for title in OTHER_HEADLINES),
        ]
    )
    await chat.ask("/subscribe comey")
    [digest] = await digest_messages(bot_app, chat)
    await chat.press(digest, "1 More like this")
    [more] = await chat.emu.wait_for_messages(chat.chat_id, timeout=10)
    heading, *items = more.text.splitlines()
    assert heading == f"More like “{long_title}”"
    assert items
    assert all("Russia" in item or "Trump" in item for item in items)
