"""One sender cannot slow everyone else: button floods, stored limits, anonymous admins.

The real bot against the Bot API emulator on a real SQLite file (issues #17, #18 and #11).
"""

import asyncio
import json

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.flood_guard import (
    EXPENSIVE_BURST,
    EXPENSIVE_INTERVAL,
    GUARD_GROUP,
    MESSAGE_BURST,
    SLOW_DOWN,
    WORK_SECONDS_PER_TOKEN,
    FairUpdateProcessor,
    FloodGuard,
    GuardedUpdatesRequest,
    UserBudgets,
    Verdict,
)
from bot.page_fetcher import FetchedPage, FetchError
from bot.services import NewsApplication
from emulator.server import BotApiEmulator
from storage import Store
from storage.subscriptions import MAX_TOPICS
from storage.topics import MAX_TOPIC_LENGTH
from tests.bot.conftest import Conversation, FakePages, settle

ANONYMOUS_ADMIN = 1087968824  # the one user id Telegram gives every group's anonymous admins


async def _press_many(
    emu: BotApiEmulator, app: NewsApplication, chat: Conversation, data: str, count: int
) -> tuple[int, int]:
    """Press a button ``count`` times at once: (presses handled, "slow down" answers)."""
    help_message = await chat.ask("/help")
    presses = [emu.press_button(chat.chat_id, help_message.message_id, data) for _ in range(count)]
    await settle(emu, app)
    answers = [emu.callback_answer(query_id) for query_id in presses]
    slow_down = [answer for answer in answers if answer is not None and answer.text == SLOW_DOWN]
    # A dropped press gets no answer at all: answering each would be a flood of our own.
    handled = [answer for answer in answers if answer is not None and answer.text != SLOW_DOWN]
    return len(handled), len(slow_down)


async def test_button_presses_spend_the_same_budget_as_messages(bot_app, emu, chat) -> None:
    # Unsubscribing from a topic nobody follows is a cheap press; /help spent one message.
    handled, slow_down = await _press_many(emu, bot_app, chat, "1u:nothing", MESSAGE_BURST + 5)
    assert MESSAGE_BURST - 1 <= handled <= MESSAGE_BURST
    assert slow_down == 1


async def test_a_digest_now_press_costs_like_digest(bot_app, emu, chat) -> None:
    handled, slow_down = await _press_many(emu, bot_app, chat, "1d:", EXPENSIVE_BURST + 3)
    assert handled == EXPENSIVE_BURST
    assert slow_down == 1


@pytest.fixture
async def full_topics(database_path, new_chat_id) -> int:
    """A chat that already follows the most topics allowed."""
    async with await Store.open(database_path) as store:
        for number in range(MAX_TOPICS):
            await store.subscriptions.subscribe(new_chat_id, f"topic{number}")
    return new_chat_id


async def test_forged_subscribe_presses_cannot_pass_the_topic_cap(
    full_topics, bot_app, emu
) -> None:
    chat = Conversation(emu, full_topics)
    help_message = await chat.ask("/help")
    answer = await chat.press_data(help_message.message_id, "1s:one more topic")
    assert answer.text in (None, "")
    [reply] = await emu.wait_for_messages(chat.chat_id, count=1, timeout=10)
    assert f"at most {MAX_TOPICS} topics" in reply.text
    topics = await chat.ask("/topics")
    assert "one more topic" not in topics.text


async def test_a_topic_over_the_length_limit_is_refused_with_the_limit(bot_app, chat) -> None:
    reply = await chat.ask("/subscribe " + "longword " * 110)
    assert f"keep it to {MAX_TOPIC_LENGTH}" in reply.text
    assert "You follow no topics" in (await chat.ask("/topics")).text


async def test_muting_stop_words_or_a_long_phrase_is_refused_politely(bot_app, chat) -> None:
    reply = await chat.ask("/mute and on he to was by at of")
    assert "too common to mute" in reply.text
    reply = await chat.ask("/mute " + "word " * 30)
    assert f"keep it to {MAX_TOPIC_LENGTH}" in reply.text
    assert "Nothing is muted" in (await chat.ask("/muted")).text


async def test_anonymous_admins_of_different_groups_have_budgets_of_their_own(
    bot_app, emu, new_chat_id
) -> None:
    first = Conversation(emu, -new_chat_id, user_id=ANONYMOUS_ADMIN, chat_type="supergroup")
    second = Conversation(
        emu, -new_chat_id - 500_000, user_id=ANONYMOUS_ADMIN, chat_type="supergroup"
    )
    for _ in range(MESSAGE_BURST + 1):
        first.send_only("/help", anonymous_admin=True)
    # Telegram sends both groups' admins as one user; the second group still has its budget.
    reply = await second.ask("/help", anonymous_admin=True)
    assert "/subscribe" in reply.text


class HeldPages(FakePages):
    """Page fetches that wait until the test lets them go, counting how many wait at once."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.first_started = asyncio.Event()
        self.waiting = 0
        self.most_at_once = 0

    async def fetch(self, url: str) -> FetchedPage:
        self.waiting += 1
        self.most_at_once = max(self.most_at_once, self.waiting)
        self.first_started.set()
        try:
            await self.release.wait()
        finally:
            self.waiting -= 1
        raise FetchError("Sorry, I could not read that page (HTTP 404).")


@pytest.fixture
def pages() -> HeldPages:
    return HeldPages()


async def test_a_chats_expensive_requests_run_one_at_a_time_behind_other_chats(
    bot_app, emu, chat, new_chat_id, pages
) -> None:
    for number in range(EXPENSIVE_BURST):
        chat.send_only(f"https://example.com/story-{number}")
    try:
        await asyncio.wait_for(pages.first_started.wait(), timeout=10)
        # Another reader is answered while the first chat's page hangs...
        reply = await Conversation(emu, new_chat_id).ask("/help")
        assert "/subscribe" in reply.text
        # ...and the first chat's other links wait for their turn, holding nothing meanwhile.
        assert pages.most_at_once == 1
    finally:
        pages.release.set()
    replies = await emu.wait_for_messages(chat.chat_id, count=EXPENSIVE_BURST, timeout=15)
    assert all("could not read that page" in message.text for message in replies)
    assert pages.most_at_once == 1


def _digest_command(update_id: int, chat_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "Reader"},
                "text": "/digest",
                "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
            },
        },
        None,
    )


async def test_an_expensive_update_over_its_time_budget_is_cancelled_and_the_chat_goes_on() -> None:
    processor = FairUpdateProcessor(4, FloodGuard(), budget_seconds=0.05)
    stuck = asyncio.Event()
    await asyncio.wait_for(
        processor.do_process_update(_digest_command(1, 77), stuck.wait()), timeout=5
    )
    finished = asyncio.Event()

    async def next_request() -> None:
        finished.set()

    await asyncio.wait_for(processor.do_process_update(_digest_command(2, 77), next_request()), 5)
    assert finished.is_set()


async def test_presses_over_the_budget_are_dropped_before_any_handler_sees_them(
    bot_app, emu, chat
) -> None:
    reached: list[int] = []

    async def record(update: Update, context: object) -> None:
        if update.callback_query is not None:
            reached.append(update.update_id)

    # Ahead of the guard's own group: whatever PTB decodes and processes, this sees.
    bot_app.add_handler(TypeHandler(Update, record), group=GUARD_GROUP - 1)
    requests_before = emu.stats.requests["answerCallbackQuery"]
    handled, slow_down = await _press_many(emu, bot_app, chat, "1u:nothing", MESSAGE_BURST + 30)
    # The presses in budget and the one that brings the notice; the other 30 cost no handler
    # and no answer (every update was still confirmed, or settling would have timed out).
    assert len(reached) == handled + slow_down
    assert emu.stats.requests["answerCallbackQuery"] - requests_before == handled + slow_down
    reply = await Conversation(emu, chat.chat_id + 1).ask("/help")
    assert "/subscribe" in reply.text


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_chat_waits_in_a_short_line_and_what_finds_it_full_is_dropped_with_the_notice() -> (
    None
):
    guard = FloodGuard()
    processor = FairUpdateProcessor(8, guard, line_length=2)
    release = asyncio.Event()
    running: list[int] = []

    async def digest(update_id: int) -> None:
        running.append(update_id)
        await release.wait()

    lined_up = [
        asyncio.create_task(processor.do_process_update(_digest_command(n, 77), digest(n)))
        for n in (1, 2)
    ]
    await asyncio.sleep(0)
    assert running == [1]  # one at a time; the other waits behind it, holding nothing
    verdicts: list[Verdict] = []

    async def guard_handler() -> None:
        verdicts.append(guard.verdict(full))

    # Within the chat's budget, but its line is full.
    full = _digest_command(3, 77)
    await asyncio.wait_for(processor.do_process_update(full, guard_handler()), timeout=5)
    assert verdicts == [Verdict.NOTICE]  # the guard's handler tells the sender, once
    # Another chat is not in that line.
    other = asyncio.create_task(processor.do_process_update(_digest_command(50, 78), digest(50)))
    await asyncio.sleep(0)
    assert running == [1, 50]
    release.set()
    await asyncio.wait_for(asyncio.gather(*lined_up, other), timeout=5)
    assert running == [1, 50, 2]


async def test_a_chats_long_work_is_charged_and_its_next_request_waits_until_earned_back() -> None:
    clock = Clock()
    guard = FloodGuard(UserBudgets(clock))
    processor = FairUpdateProcessor(8, guard)
    guard.budgets.should_warn(77)  # the sender was told to slow down a moment ago
    ran: list[int] = []

    async def work(number: int, seconds: float) -> None:
        ran.append(number)
        clock.now += seconds

    # The first request works six tokens' worth; the second waits in line meanwhile.
    long = processor.do_process_update(_digest_command(1, 77), work(1, 6 * WORK_SECONDS_PER_TOKEN))
    queued = processor.do_process_update(_digest_command(2, 77), work(2, 0.1))
    await asyncio.wait_for(asyncio.gather(long, queued), timeout=5)
    assert ran == [1]  # the second found its chat owing and was dropped
    clock.now += EXPENSIVE_INTERVAL
    await asyncio.wait_for(processor.do_process_update(_digest_command(3, 77), work(3, 0.1)), 5)
    assert ran == [1]  # still owing
    clock.now += 2 * EXPENSIVE_INTERVAL
    await asyncio.wait_for(processor.do_process_update(_digest_command(4, 77), work(4, 0.1)), 5)
    assert ran == [1, 4]
    # Another chat's budget is its own.
    await asyncio.wait_for(processor.do_process_update(_digest_command(5, 78), work(5, 0.1)), 5)
    assert ran == [1, 4, 5]


def test_getupdates_answers_lose_the_dropped_updates_but_keep_the_last_id_to_confirm() -> None:
    guard = FloodGuard()
    request = GuardedUpdatesRequest(guard)
    presses = [
        {
            "update_id": number,
            "callback_query": {"id": str(number), "from": {"id": 5}, "data": "1u:nothing"},
        }
        for number in range(1, MESSAGE_BURST + 21)
    ]
    answer = request.parse_json_payload(json.dumps({"ok": True, "result": presses}).encode())
    kept = [update["update_id"] for update in answer["result"]]
    # The budget's presses, the one that brings the notice, and the last one's bare id, so
    # the next getUpdates confirms all of them.
    assert kept == [*range(1, MESSAGE_BURST + 2), MESSAGE_BURST + 20]
    assert answer["result"][-1] == {"update_id": MESSAGE_BURST + 20}
    bare = Update.de_json(answer["result"][-1], None)
    assert guard.verdict(bare) is Verdict.DROP
