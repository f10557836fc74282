"""The Telegram side of newsbot: the only package that imports telegram.

Where things are:

- ``settings``: the frozen configuration read from the environment at start.
- ``app``: ``build_application()``, the one factory; services open in post_init.
- ``runner``: ``run_bot()`` for ``newsbot run`` and ``serving()`` for tests and the demo.
- ``services``: the typed ``bot_data`` and the ``NewsContext`` every handler receives.
- ``handlers``: one module per command group, plus the error handler.
- ``formatting``, ``callbacks``, ``parsing``: pure helpers with their own tests.
- ``replies``, ``ratelimit``: sending within Telegram's limits, 403/429/network handling.
- ``summarizer``: summaries off the loop; ``page_fetcher`` (the interface ``/summary URL`` uses)
  and ``http_page_fetcher`` (it, over feeds' HTTP client); ``feed_polling``: the polling job.
- ``digests``: scheduled digests (``digest_now`` is the seam /digest calls).
"""
