"""Lead images: their URLs come from feeds, pages and JSON Lines and are stored, never fetched."""

import json

from storage.ingest.feeds import parse_feed
from storage.ingest.jsonl import parse_jsonl
from storage.ingest.page import parse_page

BODY = " ".join(["The harbour reopened after repairs to the quay wall."] * 30)
FEED = f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Gazette</title>
<item><title>With media content</title><link>https://g.example.org/1</link>
<description>{BODY}</description>
<media:content url="https://img.example.org/1.jpg" medium="image"/></item>
<item><title>With an enclosure</title><link>https://g.example.org/2</link>
<description>{BODY} Two.</description>
<enclosure url="https://img.example.org/2.png" type="image/png" length="1"/></item>
<item><title>With a podcast</title><link>https://g.example.org/3</link>
<description>{BODY} Three.</description>
<enclosure url="https://audio.example.org/3.mp3" type="audio/mpeg" length="1"/></item>
</channel></rss>"""
PAGE = f"""<html><head><title>Quay wall</title>
<meta property="og:image" content="https://img.example.org/page.jpg"></head>
<body><article><h1>Quay wall</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>"""


def test_feeds_give_media_content_and_image_enclosures_not_audio():
    parsed = parse_feed(FEED.encode(), name="gazette.xml")
    assert [record.image_url for record in parsed.records] == [
        "https://img.example.org/1.jpg",
        "https://img.example.org/2.png",
        None,
    ]


def test_a_page_gives_its_og_image():
    record = parse_page(PAGE, name="page.html", url="https://g.example.org/page")
    assert record.image_url == "https://img.example.org/page.jpg"


async def test_image_urls_are_stored_with_their_articles(store):
    lines = [
        json.dumps({"title": "A", "text": BODY, "image": "https://img.example.org/a.jpg"}),
        json.dumps({"title": "B", "text": BODY + " B.", "image": "javascript:alert(1)"}),
    ]
    await store.articles.ingest(parse_jsonl(lines, name="x.jsonl"))
    hits = await store.articles.search("harbour", limit=5)
    assert len(hits) == 2
    images = await store.pictures.image_urls(hit.article.id for hit in hits)
    # Only an http(s) URL is kept: Telegram is handed nothing else.
    assert list(images.values()) == ["https://img.example.org/a.jpg"]


async def test_previews_are_on_until_a_chat_turns_them_off(store):
    await store.chats.ensure(1001)
    pictures = store.pictures
    assert await pictures.previews_enabled(1001)
    await pictures.set_previews(1001, False)
    assert not await pictures.previews_enabled(1001)
