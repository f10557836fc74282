"""The command line's own behaviour."""

import argparse

import pytest

from newsbot import __version__
from newsbot.cli import build_parser, main


def test_version_flag_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"newsbot {__version__}"


def test_no_subcommand_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: newsbot" in capsys.readouterr().err


def every_parser() -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    pending = [("newsbot", build_parser())]
    while pending:
        name, parser = pending.pop()
        found.append((name, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending.extend((f"{name} {sub}", child) for sub, child in action.choices.items())
    return found


@pytest.mark.parametrize(("name", "parser"), every_parser(), ids=str)
def test_every_help_has_a_description_plain_text_and_its_defaults(
    name: str, parser: argparse.ArgumentParser
) -> None:
    assert parser.description, f"{name} has no description"
    assert "``" not in parser.format_help()
    for action in parser._actions:
        if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
            assert "default" in (action.help or ""), f"{name} {action.option_strings}"


def test_evaluate_help_names_the_fields_each_record_needs() -> None:
    [evaluate] = [parser for name, parser in every_parser() if name == "newsbot evaluate"]
    description = evaluate.description or ""
    assert '"text"' in description
    assert '"summary"' in description
