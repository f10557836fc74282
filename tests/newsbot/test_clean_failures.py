"""Every command fails cleanly: one line that says what to fix, a non-zero exit, no traceback."""

import asyncio
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbot.cli import main
from storage import Store
from tests.conftest import EMULATOR_TOKEN


def fails_in_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    """Run the CLI; return its status and its one line on stderr, checking there is no more."""
    status = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert status != 0
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return status, lines[0]


def create_database(path: Path) -> Path:
    async def create() -> None:
        async with await Store.open(path):
            pass

    asyncio.run(create())
    return path


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "NEWSBOT_FEEDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSBOT_DB", str(tmp_path / "unset.db"))


@pytest.fixture(params=["directory", "text file"])
def unusable_database(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "bad.db"
    if request.param == "directory":
        path.mkdir()
    else:
        path.write_text("not a database\n" * 100, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["stats"],
        ["digest", "--chat", "1", "--dry-run"],
        ["search", "news"],
        ["related", "1"],
        ["feeds", "list"],
        ["ingest", "-"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_database_that_cannot_be_opened_is_one_line(
    argv: list[str], unusable_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, line = fails_in_one_line(capsys, [*argv, "--db", str(unusable_database)])
    assert line.startswith(f"newsbot {argv[0]}: ")
    assert str(unusable_database) in line


def test_run_and_demo_on_a_database_that_cannot_be_opened_are_one_line(
    unusable_database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", EMULATOR_TOKEN)
    # An address nothing listens on: the database must be refused before any request.
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9")
    _, line = fails_in_one_line(capsys, ["run", "--db", str(unusable_database)])
    assert str(unusable_database) in line
    _, line = fails_in_one_line(capsys, ["demo", "--db", str(unusable_database), "--tour"])
    assert str(unusable_database) in line


def test_backup_to_a_place_sqlite_cannot_write_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(tmp_path / "news.db")
    _, line = fails_in_one_line(capsys, ["backup", "/proc/x.db", "--db", str(database)])
    assert "/proc/x.db" in line
    _, line = fails_in_one_line(capsys, ["backup", str(tmp_path / "copy.db"), "--db", "/proc"])
    assert "/proc" in line


@pytest.mark.parametrize(
    "argv",
    [
        ["stats"],
        ["search", "news"],
        ["related", "1"],
        ["digest", "--chat", "1", "--dry-run"],
        ["backup", "copy.db"],
        ["feeds", "list"],
    ],
    ids=lambda argv: argv[0],
)
def test_read_only_commands_say_there_is_no_database_and_create_none(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mistyped = tmp_path / "nwesbot.db"
    status, line = fails_in_one_line(capsys, [*argv, "--db", str(mistyped)])
    assert status == 1
    assert f"no database at {mistyped}" in line
    assert not mistyped.exists()


def test_doctor_says_there_is_no_database_and_creates_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mistyped = tmp_path / "nwesbot.db"
    assert main(["doctor", "--offline", "--db", str(mistyped)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL database: no database at {mistyped}" in out
    assert not mistyped.exists()


@pytest.mark.parametrize("command", ["ingest", "backup"])
def test_a_database_in_a_missing_directory_is_refused_and_no_directory_made(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = create_database(tmp_path / "news.db")
    target = tmp_path / "nonexistent" / "dir" / "x.db"
    argv = (
        ["ingest", "-", "--db", str(target)]
        if command == "ingest"
        else ["backup", str(target), "--db", str(source)]
    )
    _, line = fails_in_one_line(capsys, argv)
    assert "no directory" in line
    assert not (tmp_path / "nonexistent").exists()


@pytest.fixture
def read_only_database(tmp_path: Path) -> Iterator[Path]:
    """A database file the process cannot write (root ignores permissions: make it immutable)."""
    path = create_database(tmp_path / "read-only.db")
    # Without its WAL files the next open starts clean from the main file alone.
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield path
        path.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], check=False).returncode:
        pytest.skip("running as root without chattr +i: no way to make a file read-only")
    try:
        yield path
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_doctor_fails_on_a_read_only_database(
    read_only_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor", "--offline", "--db", str(read_only_database)]) == 1
    [database_line] = [
        line for line in capsys.readouterr().out.splitlines() if "database" in line.split(":")[0]
    ]
    assert database_line.startswith("FAIL database:")
    assert "cannot be written (attempt to write a readonly database)" in database_line


def test_run_refuses_a_read_only_database_before_contacting_telegram(
    read_only_database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", EMULATOR_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9")
    _, line = fails_in_one_line(capsys, ["run", "--db", str(read_only_database)])
    assert "cannot be written" in line


def test_digest_without_a_token_says_so_before_printing_any_digest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(tmp_path / "news.db")
    _, line = fails_in_one_line(capsys, ["digest", "--chat", "1", "--db", str(database)])
    assert "TELEGRAM_BOT_TOKEN is not set" in line
    assert "--dry-run" in line


def test_digest_with_an_unreachable_bot_api_says_so_in_one_line_and_prints_no_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(tmp_path / "news.db")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", EMULATOR_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9")
    status = main(["digest", "--chat", "1", "--db", str(database)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    [line] = captured.err.strip().splitlines()
    assert "could not reach the Bot API" in line
    assert "nothing was sent" in line


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("NEWSBOT_LOG_FORMAT", "xml", "NEWSBOT_LOG_FORMAT must be text or json"),
        ("NEWSBOT_SUMMARY_PROCESSES", "maybe", "NEWSBOT_SUMMARY_PROCESSES must be 1 or 0"),
        ("NEWSBOT_FEEDS", "https://a.example/rss,example.org", "NEWSBOT_FEEDS must list"),
    ],
)
def test_doctor_checks_every_variable(
    variable: str,
    value: str,
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(variable, value)
    assert main(["doctor", "--offline"]) == 1
    assert capsys.readouterr().out.startswith(f"FAIL config: {expected}")


def test_doctor_says_when_there_is_no_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(tmp_path / "news.db")
    assert main(["doctor", "--db", str(database)]) == 1
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("FAIL telegram: TELEGRAM_BOT_TOKEN is not set")


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--webhook", "https://bot.example/tg", "--port", "99999"],
        ["run", "--webhook", "https://bot.example/tg", "--port", "0"],
        ["run", "--webhook", "https://bot.example/tg", "--port", "http"],
        ["emulator", "--port", "99999"],
    ],
)
def test_an_impossible_port_is_refused_before_any_network_call(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", EMULATOR_TOKEN)
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --port:" in err
    assert "Traceback" not in err


def test_feeds_import_of_a_file_that_is_not_opml_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(tmp_path / "news.db")
    notes = tmp_path / "notes.txt"
    notes.write_text("not xml at all\n", encoding="utf-8")
    status, line = fails_in_one_line(capsys, ["feeds", "import", str(notes), "--db", str(database)])
    assert status == 2
    assert "not valid OPML" in line


def test_a_feed_topic_without_words_is_refused_in_words_not_a_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = create_database(tmp_path / "news.db")
    argv = ["feeds", "add", "https://example.com/rss.xml", "--topic", "  ", "--no-check"]
    status, line = fails_in_one_line(capsys, [*argv, "--db", str(database)])
    assert status == 2
    assert line == "newsbot feeds: a topic needs at least one letter or digit"


@pytest.mark.parametrize(
    "argv",
    [["stats"], ["doctor", "--offline"], ["backup", "copy.db"], ["feeds", "list"]],
    ids=lambda argv: argv[0],
)
def test_db_is_accepted_by_every_command_that_opens_the_database(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    database = create_database(tmp_path / "chosen.db")
    assert main([*argv, "--db", str(database)]) == 0


def test_feeds_take_db_before_or_after_the_action(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = create_database(tmp_path / "a.db"), create_database(tmp_path / "b.db")
    add = ["add", "https://a.example/rss", "--no-check"]
    assert main(["feeds", "--db", str(first), *add]) == 0
    assert main(["feeds", *add, "--db", str(second)]) == 0
    assert main(["feeds", "list", "--db", str(first)]) == 0
    assert "https://a.example/rss" in capsys.readouterr().out
    # The value after the action wins over the one before it, as it would for any option.
    assert main(["feeds", "--db", str(second), "remove", "1", "--db", str(first)]) == 0
    capsys.readouterr()
    assert main(["feeds", "list", "--db", str(first)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["feeds", "list", "--db", str(second)]) == 0
    assert "https://a.example/rss" in capsys.readouterr().out
