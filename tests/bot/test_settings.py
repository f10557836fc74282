"""Settings come from the environment, fail fast with a clear message, and hide the token."""

from pathlib import Path

import pytest

from bot.settings import DEFAULT_API_BASE_URL, Settings, SettingsError

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


def test_minimal_environment_uses_defaults():
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.database_path == Path("newsbot.db")
    assert settings.admin_ids == frozenset()
    assert settings.feeds == ()
    assert settings.summary_workers is None


def test_every_variable_is_read():
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/",
            "NEWSBOT_DB": "/data/news.db",
            "NEWSBOT_ADMIN_IDS": "1, 2 3",
            "NEWSBOT_FEEDS": "https://a.test/rss,https://b.test/atom",
            "NEWSBOT_LOG_LEVEL": "info",
            "NEWSBOT_FETCH_ALLOW_HOSTS": "LOCALHOST",
            "NEWSBOT_SUMMARY_WORKERS": "3",
            "NEWSBOT_WEBHOOK_SECRET": "s3cret",
        }
    )
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.database_path == Path("/data/news.db")
    assert settings.admin_ids == {1, 2, 3}
    assert settings.feeds == ("https://a.test/rss", "https://b.test/atom")
    assert settings.log_level == "INFO"
    assert settings.fetch_allow_hosts == {"localhost"}
    assert settings.summary_workers == 3
    assert settings.webhook_secret == "s3cret"


def test_missing_token_says_how_to_get_one():
    with pytest.raises(SettingsError, match=r"TELEGRAM_BOT_TOKEN is not set.*@BotFather"):
        Settings.from_env({})


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"TELEGRAM_BOT_TOKEN": "<your token>"}, "does not look like a bot token"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_ADMIN_IDS": "alice"}, "numeric Telegram user ids"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_LOG_LEVEL": "loud"}, "NEWSBOT_LOG_LEVEL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "ftp://x"}, "http://"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_SUMMARY_WORKERS": "0"}, "at least 1"),
    ],
)
def test_bad_values_are_rejected_clearly(environ, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_token_and_secret_never_appear_in_repr():
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_WEBHOOK_SECRET": "s3cret"})
    assert TOKEN not in repr(settings)
    assert "s3cret" not in repr(settings)
