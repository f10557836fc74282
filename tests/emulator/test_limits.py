"""Flood limits on a fake clock: 30/s overall, a burst of 3 then 1/s per chat, 20/min per group."""

from emulator import Limits
from emulator.limits import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(**limits) -> tuple[RateLimiter, FakeClock]:
    clock = FakeClock()
    return RateLimiter(Limits(**limits), clock=clock), clock


def test_a_chat_gets_a_burst_of_three_then_one_per_second():
    rate, clock = limiter()
    assert [rate.acquire(1, is_group=False) for _ in range(4)] == [None, None, None, 1]
    clock.now += 1.0
    assert rate.acquire(1, is_group=False) is None
    assert rate.acquire(1, is_group=False) == 1


def test_one_message_per_second_to_a_chat_is_sustainable():
    rate, clock = limiter()
    for _ in range(100):
        assert rate.acquire(1, is_group=False) is None
        clock.now += 1.0


def test_thirty_messages_per_second_overall():
    rate, clock = limiter()
    assert all(rate.acquire(chat, is_group=False) is None for chat in range(30))
    assert rate.acquire(30, is_group=False) == 1
    clock.now += 0.5
    assert rate.acquire(31, is_group=False) == 1
    clock.now += 0.5
    assert rate.acquire(31, is_group=False) is None


def test_a_refused_message_does_not_count():
    rate, clock = limiter(global_per_second=1)
    assert rate.acquire(1, is_group=False) is None
    assert rate.acquire(2, is_group=False) == 1
    clock.now += 1.0
    assert rate.acquire(2, is_group=False) is None


def test_a_group_gets_twenty_messages_a_minute():
    rate, clock = limiter()
    for _ in range(20):
        assert rate.acquire(-100, is_group=True) is None
        clock.now += 1.0
    assert rate.acquire(-100, is_group=True) == 40
    clock.now += 40.0
    assert rate.acquire(-100, is_group=True) is None


def test_limits_can_be_switched_off():
    rate, _ = limiter(enforce=False)
    assert all(rate.acquire(1, is_group=True) is None for _ in range(1000))
