"""Scheduled digests: due times, story choice, formatting, and sending at Telegram's pace.

``bot.digests.wiring.install(application)`` adds the scheduler's periodic tick to the
application's JobQueue and the digest buttons' handler; ``bot.digests.now.build_digest_now``
serves ``/digest``. Modules are imported directly (this package imports nothing) so the pure
parts stay importable without the handlers.
"""
