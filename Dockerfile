# newsbot: a slim, non-root image. Everything it needs is installed at build time from the
# package registry; nothing is downloaded when the container runs.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY feeds ./feeds
COPY summaries ./summaries
COPY storage ./storage
COPY emulator ./emulator
COPY newsbot ./newsbot
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    NEWSBOT_DB=/data/newsbot.db
RUN useradd --create-home --uid 10001 newsbot \
    && mkdir /data && chown newsbot:newsbot /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels newsbot && rm -rf /wheels
USER newsbot
WORKDIR /home/newsbot
VOLUME ["/data"]
# doctor opens and checks the database and makes one real summary; --offline skips the Telegram
# round trip so a health probe every half minute never costs an API call.
HEALTHCHECK --interval=60s --timeout=20s --start-period=30s --retries=3 \
    CMD ["newsbot", "doctor", "--quiet", "--offline"]
CMD ["newsbot", "run"]
