"""Scheduled digests: due times, story choice, formatting, and sending at Telegram's pace.

``bot.digests.wiring.install(application)`` adds the scheduler's periodic tick to the
application's JobQueue; ``bot.digests.now.build_digest_now`` builds what ``/digest`` sends, and
``bot.handlers.digests`` answers ``/digest`` and the digest's buttons (nothing here imports
``bot.handlers``). Modules are imported directly (this package imports nothing) so the pure
parts stay importable without the handlers.
"""
