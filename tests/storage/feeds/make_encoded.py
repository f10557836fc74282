"""Write the legacy-encoding feed fixtures from readable text: python make_encoded.py."""

from pathlib import Path

HERE = Path(__file__).parent

FEED = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0"><channel><title>{channel}</title>
<item><title>{title}</title><link>{link}</link>
<pubDate>Mon, 30 Nov 2026 08:00:00 +0000</pubDate>
<description>{description}</description></item>
</channel></rss>
"""

FEEDS = {
    "latin1.rss": (
        "ISO-8859-1",
        "Café Économie",
        "Zürich: Bäckerei öffnet wieder, Grüße aus Köln",
        "http://encodings.test/de/baeckerei",
        "Die Bäckerei am Münsterplatz öffnet nach dem Umbau wieder; Kunden können ab Montag "
        "frische Brötchen kaufen.",
    ),
    "cp1251.rss": (
        "windows-1251",
        "Новости Юга",
        "В Одессе открыли новый морской вокзал",
        "http://encodings.test/ru/vokzal",
        "Новый морской вокзал в Одессе принял первых пассажиров в понедельник, сообщили в "
        "городском совете.",
    ),
    "koi8r.rss": (
        "KOI8-R",
        "Вести Севера",
        "Ледокол вышел в первый рейс по Северному морскому пути",
        "http://encodings.test/ru/ledokol",
        "Новый атомный ледокол вышел в первый рейс в пятницу, сообщила судоходная компания.",
    ),
}

for name, (encoding, channel, title, link, description) in FEEDS.items():
    text = FEED.format(
        encoding=encoding, channel=channel, title=title, link=link, description=description
    )
    (HERE / name).write_bytes(text.encode(encoding))

urdu = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<rss version="2.0"><channel><title>اردو خبریں</title>\n'
    "<item><title>امریکی صدر کا دورہ</title><link>http://encodings.test/ur/1</link>"
    "<pubDate>Mon, 30 Nov 2026 08:00:00 +0000</pubDate></item>\n"
    "<item><title>کرکٹ ٹیم کی جیت</title><link>http://encodings.test/ur/2</link></item>\n"
    "<item><title>موسم کی خبر"
).encode()
# Cut in the middle of a two-byte character, as an interrupted download leaves it.
(HERE / "truncated-utf8.rss").write_bytes(urdu[:-1])
