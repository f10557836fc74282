"""Scheduled digests: due times, story choice, formatting, and sending at Telegram's pace."""
