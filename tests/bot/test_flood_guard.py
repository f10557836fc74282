"""One user's flood is cut off politely and does not reach the handlers; others are served."""

from __future__ import annotations

from bot.flood_guard import (
    EXPENSIVE_BURST,
    MESSAGE_BURST,
    SLOW_DOWN,
    UserBudgets,
    is_expensive,
)
from tests.bot.conftest import Conversation, settle


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_user_gets_a_burst_then_one_message_per_interval() -> None:
    clock = Clock()
    budgets = UserBudgets(clock)
    allowed = [budgets.allow(1, expensive=False) for _ in range(MESSAGE_BURST + 5)]
    assert allowed.count(True) == MESSAGE_BURST
    assert budgets.allow(2, expensive=False)  # another user has a budget of their own
    clock.now += 1.5
    assert budgets.allow(1, expensive=False)


def test_expensive_requests_have_a_smaller_budget() -> None:
    budgets = UserBudgets(Clock())
    allowed = [budgets.allow(1, expensive=True) for _ in range(EXPENSIVE_BURST + 2)]
    assert allowed.count(True) == EXPENSIVE_BURST
    assert budgets.allow(1, expensive=False)  # cheap messages still pass


def test_the_slow_down_notice_comes_once_per_interval() -> None:
    clock = Clock()
    budgets = UserBudgets(clock)
    assert budgets.should_warn(1)
    assert not budgets.should_warn(1)
    clock.now += 31
    assert budgets.should_warn(1)


def test_links_long_texts_and_summaries_are_expensive() -> None:
    assert is_expensive("https://example.com/story")
    assert is_expensive("/summary climate")
    assert is_expensive("/digest@newsbot_test_bot")
    assert not is_expensive("/search energy")  # no such command: a cheap unknown one
    assert is_expensive("word " * 300)
    assert not is_expensive("/help")
    assert not is_expensive("")


async def test_a_flooding_user_is_told_to_slow_down_and_others_are_still_answered(
    bot_app, emu, chat, new_chat_id
):
    for _ in range(MESSAGE_BURST + 12):
        chat.send_only("/help")
    other = Conversation(emu, new_chat_id)
    reply = await other.ask("/help")
    assert "/subscribe" in reply.text
    await settle(emu, bot_app)
    # The burst is answered (paced at ~1/s per chat), the rest gets one notice between them.
    replies = await emu.wait_for_messages(chat.chat_id, count=MESSAGE_BURST + 1, timeout=30)
    assert sum(message.text == SLOW_DOWN for message in replies) == 1
