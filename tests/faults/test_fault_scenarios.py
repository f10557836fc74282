"""Each fault of `newsbot bench faults`, small: the bot keeps serving, loses no digest story and
no subscription, and repeats a message only when a dropped connection left it unknowable."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbot.benchmarks.faults import SCENARIOS, Scenario, run_scenario

# These take about 10 s each (retries and timeouts waited out); make test-slow runs them.
SLOW = frozenset({"5xx", "slow"})


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param(
            scenario, id=scenario.name, marks=pytest.mark.slow if scenario.name in SLOW else ()
        )
        for scenario in SCENARIOS
    ],
)
async def test_digests_and_replies_survive_the_fault(scenario: Scenario, tmp_path: Path) -> None:
    result = await run_scenario(scenario, chats=4, workdir=tmp_path)

    assert result.failures == []
    assert result.lost == 0
    assert result.subscriptions_lost == 0
    assert result.stories_expected > 0
    assert result.help_asked > 0 and result.help_answered == result.help_asked
    if not scenario.ambiguous:
        assert result.duplicated == 0
    if scenario.name == "403-share":
        assert result.blocked_chats > 0
