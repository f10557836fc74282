"""The Telegram side of newsbot: the only package that imports telegram.

Where things are:

- ``settings``: the frozen configuration read from the environment at start.
- ``app``: ``build_application()``, the one factory; services open in post_init.
- ``runner``: ``run_bot()`` for ``newsbot run`` and ``serving()`` for tests and the demo.
- ``services``: the typed ``bot_data`` and the ``NewsContext`` every handler receives.
- ``handlers``: one module per command group, plus the error handler.
- ``access``, ``flood_guard``, ``channels``: who may use the bot, per-sender limits, and which
  chat a command acts on (/channel).
- ``commands``, ``i18n``, ``dates``, ``pictures``, ``cards``: the command table, the interface
  languages, dates in the reader's zone, a story's preview image, a stored story's summary card.
- ``live``, ``admin_reports``, ``health``, ``redaction``: delivery as it happens, reports to the
  operators' chat, the token check, secrets kept out of text.
- ``formatting``, ``callbacks``, ``parsing``: pure helpers with their own tests.
- ``replies``, ``ratelimit``: sending within Telegram's limits, 403/429/network handling.
- ``api_request``: the Bot API's HTTP requests; an answer that is not its JSON is one short error.
- ``summarizer``: summaries off the loop; ``page_fetcher`` (the interface ``/summary URL`` uses)
  and ``http_page_fetcher`` (it, over feeds' HTTP client); ``fetch_errors``: feeds' refusals
  worded for readers; ``feed_polling``: the polling job.
- ``digests``: scheduled digests (``digests.now`` builds the one /digest and /channel send).
"""
