"""What the Docker image and a PyPI install rely on, checked without a Docker engine."""

import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "feeds", "summaries", "storage", "emulator", "newsbot")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built the way the Dockerfile builds it (without dependencies)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("newsbot-*.whl")
    return built


def test_the_wheel_carries_every_package_and_its_data_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in PACKAGES:
        assert f"{package}/__init__.py" in names
        assert f"{package}/py.typed" in names
    sources = {str(path.relative_to(ROOT)) for path in ROOT.glob("storage/schema/*.sql")}
    assert sources and sources <= names
    assert "newsbot/demo_data/corpus.jsonl" in names
    assert "newsbot/demo_data/headlines.xml" in names
    # The bot's interface languages run from the compiled catalogues (docs/i18n.md).
    catalogues = {str(path.relative_to(ROOT)) for path in ROOT.glob("bot/locales/*/*/newsbot.mo")}
    assert len(catalogues) >= 4 and catalogues <= names
    assert not any(name.startswith("tests/") for name in names)


def test_the_installed_wheel_runs_doctor_offline(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # The wheel's own code first, the dependencies from this environment after it; run from an
    # empty directory so the source tree cannot stand in for the installed package.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]]),
        "NEWSBOT_DB": str(tmp_path / "data" / "newsbot.db"),
        "NLTK_DATA": str(tmp_path / "no-nltk-data"),
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    # doctor checks the database and never creates one; an empty file is a new SQLite database.
    Path(env["NEWSBOT_DB"]).parent.mkdir()
    Path(env["NEWSBOT_DB"]).touch()
    program = (
        "import sys; sys.path[:0] = sys.argv[1].split(':');"
        "import storage; print(storage.__file__);"
        "from newsbot.cli import main; sys.exit(main(['doctor', '--offline']))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", program, env["PYTHONPATH"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].startswith(str(target))


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", " ", text)
    return [
        (line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1] if " " in line else "")
        for line in joined.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_the_image_runs_as_a_non_root_user_with_data_on_a_volume() -> None:
    instructions = dockerfile_instructions()
    final_stage = instructions[max(i for i, (op, _) in enumerate(instructions) if op == "FROM") :]
    users = [argument for op, argument in final_stage if op == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert any(op == "VOLUME" and "/data" in argument for op, argument in final_stage)
    assert any(op == "ENV" and "NEWSBOT_DB=/data/" in argument for op, argument in final_stage)
    assert ("CMD", '["newsbot", "run"]') in final_stage
    [healthcheck] = [argument for op, argument in final_stage if op == "HEALTHCHECK"]
    assert '"newsbot", "doctor"' in healthcheck


def test_the_image_copies_every_package_and_installs_without_the_network() -> None:
    instructions = dockerfile_instructions()
    copied = {argument.split()[0] for op, argument in instructions if op == "COPY"}
    assert set(PACKAGES) <= copied
    installs = [
        argument for op, argument in instructions if op == "RUN" and "pip install" in argument
    ]
    assert installs and all("--no-index" in command for command in installs)


def test_dockerignore_keeps_secrets_and_databases_out_of_the_build_context() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", "*.db", ".git", ".venv"} <= set(ignored)
