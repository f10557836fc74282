"""Masking secrets in text: the ones the bot was told, secret_token fields, token shapes."""

from bot.redaction import hide_secret, redact

WEBHOOK_SECRET = "webhook-secret-Zq8xW3"


def test_hidden_secrets_and_secret_token_fields_are_masked() -> None:
    hide_secret(WEBHOOK_SECRET)
    assert redact(f"header {WEBHOOK_SECRET} sent") == "header <secret> sent"
    assert redact("{'secret_token': 'never-registered-value'}") == "{'secret_token': '<secret>'}"
    assert redact("secret_token=abc123 next") == "secret_token=<secret> next"
    hide_secret("short")  # too short to be a secret: masking it would garble ordinary words
    assert redact("a short line") == "a short line"
