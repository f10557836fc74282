"""Operator commands: doctor, backup and stats."""

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from newsbot.cli import main
from newsbot.commands.doctor import run_checks
from storage import Store
from tests.conftest import EMULATOR_TOKEN


@pytest.fixture
def database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "newsbot.db"
    monkeypatch.setenv("NEWSBOT_DB", str(path))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return path


def create_database(path: Path) -> None:
    async def create() -> None:
        async with await Store.open(path):
            pass

    asyncio.run(create())


def test_doctor_passes_offline_on_a_fresh_database(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_database(database_env)
    assert main(["doctor", "--offline"]) == 0
    out = capsys.readouterr().out
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "PASS config",
        "PASS database",
        "PASS summariser",
    ]
    assert "TELEGRAM_BOT_TOKEN not set" in out


def test_doctor_quiet_prints_nothing_when_healthy(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_database(database_env)
    assert main(["doctor", "--quiet", "--offline"]) == 0
    assert capsys.readouterr().out == ""


def test_doctor_fails_on_a_file_that_is_not_a_database(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database_env.write_bytes(b"this is not sqlite" * 100)
    assert main(["doctor", "--quiet", "--offline"]) == 1
    assert capsys.readouterr().out.startswith("FAIL database:")


def test_doctor_reports_bad_configuration_in_one_line(
    database_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBOT_LOG_LEVEL", "LOUD")
    assert main(["doctor"]) == 1
    assert capsys.readouterr().out.strip().startswith("FAIL config: NEWSBOT_LOG_LEVEL must be")


async def test_doctor_calls_get_me_when_a_token_is_set(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": EMULATOR_TOKEN,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "NEWSBOT_DB": str(tmp_path / "db.sqlite"),
    }
    await (await Store.open(env["NEWSBOT_DB"])).close()
    results = await run_checks(env, offline=False)
    assert [result.name for result in results if not result.passed] == []
    assert results[-1].name == "telegram"
    assert results[-1].passed
    assert "@newsbot_demo_bot" in results[-1].detail
    assert "inline mode on" in results[-1].detail


async def test_doctor_says_how_to_turn_inline_mode_on(tmp_path: Path) -> None:
    async with BotApiEmulator(token=EMULATOR_TOKEN, inline_queries=False) as emulator:
        env = {
            "TELEGRAM_BOT_TOKEN": EMULATOR_TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "NEWSBOT_DB": str(tmp_path / "db.sqlite"),
        }
        [*_, telegram] = await run_checks(env, offline=False)
    assert telegram.passed
    assert "inline mode off (@BotFather: /setinline" in telegram.detail


async def test_doctor_explains_a_rejected_token(emulator: BotApiEmulator, tmp_path: Path) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": "999:wrong-token",
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "NEWSBOT_DB": str(tmp_path / "db.sqlite"),
    }
    telegram = (await run_checks(env, offline=False))[-1]
    assert not telegram.passed
    assert "rejected TELEGRAM_BOT_TOKEN" in telegram.detail
    assert "999:wrong-token" not in telegram.detail


def test_backup_writes_a_consistent_copy_and_refuses_to_overwrite(
    database_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_database(database_env)
    copy = tmp_path / "backups" / "copy.db"
    copy.parent.mkdir()
    assert main(["backup", str(copy)]) == 0
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM chats").fetchone() == (0,)
    assert main(["backup", str(copy)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_backup_of_a_missing_database_is_a_clear_error(
    database_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path / "copy.db")]) == 1
    assert "no database at" in capsys.readouterr().err


def test_stats_counts_chats_and_subscriptions(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def add_a_reader() -> None:
        async with await Store.open(database_env) as store:
            await store.chats.ensure(1)
            await store.subscriptions.subscribe(1, "ukraine")
            await store.subscriptions.subscribe(1, "climate change")

    asyncio.run(add_a_reader())
    assert main(["stats", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["chats"] == 1
    assert counts["active_chats"] == 1
    assert counts["subscriptions"] == 2
    assert counts["articles"] == 0
