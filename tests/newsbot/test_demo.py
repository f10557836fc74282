"""`newsbot demo`: the real bot on the emulator with demo news, driven line by line."""

import io
from pathlib import Path

from emulator import Button, SentMessage
from newsbot.demo import DemoRenderer, run_demo


def bot_message(text: str, entities=(), buttons=(), edited=False) -> SentMessage:
    return SentMessage(
        message_id=7,
        chat_id=1,
        text=text,
        html=text,
        parse_mode="HTML",
        entities=tuple(entities),
        reply_markup=(tuple(Button(label, callback_data=data) for label, data in buttons),),
        message_thread_id=None,
        reply_to_message_id=None,
        disable_web_page_preview=True,
        link_preview_options=None,
        date=0,
        edited=edited,
    )


def test_renderer_shows_link_targets_and_numbers_buttons() -> None:
    renderer = DemoRenderer(color=False)
    message = bot_message(
        "🇺🇦 Peace talks\nsummary",
        entities=[{"type": "text_link", "offset": 5, "length": 11, "url": "https://x.org/a"}],
        buttons=[("Full summary", "s:1"), ("Mute", "m:1")],
    )
    assert renderer.render(message) == (
        "bot> 🇺🇦 Peace talks <https://x.org/a>\n     summary\n     [1] Full summary  [2] Mute"
    )
    assert renderer.choice("2") == (7, "m:1")
    assert renderer.choice("3") is None
    assert renderer.choice("/help") is None


def test_renderer_makes_bold_visible_on_a_terminal() -> None:
    message = bot_message("Hello world", entities=[{"type": "bold", "offset": 0, "length": 5}])
    assert DemoRenderer(color=True).render(message) == "bot> \033[1mHello\033[0m world"


async def test_a_scripted_demo_subscribes_summarises_and_presses_buttons(tmp_path: Path) -> None:
    out = io.StringIO()
    status = await run_demo(
        database=tmp_path / "demo.db",
        stdin=io.StringIO(),
        out=out,
        interactive=False,
        color=False,
        script=["/start", "/subscribe ukraine", "/summary", "/topics", "1"],
    )
    transcript = out.getvalue()
    assert status == 0
    assert "demo news items" in transcript
    assert "you> /subscribe ukraine" in transcript
    assert "Subscribed to ukraine" in transcript
    assert "Ukraine and Russia agree to new round of peace talks in Geneva" in transcript
    assert "[1]" in transcript
    assert "Unsubscribed from ukraine" in transcript


async def test_a_number_after_a_reply_without_buttons_presses_no_older_button(
    tmp_path: Path,
) -> None:
    out = io.StringIO()
    await run_demo(
        database=tmp_path / "demo.db",
        stdin=io.StringIO(),
        out=out,
        interactive=False,
        color=False,
        # /topics shows a keyboard whose first button unsubscribes; /start's reply has none.
        script=["/subscribe ukraine", "/topics", "/start", "1", "/topics"],
    )
    transcript = out.getvalue()
    assert "Unsubscribed" not in transcript
    assert transcript.count("ukraine") >= 3


async def test_the_tour_shows_a_channel_an_inline_query_and_a_picture_card(tmp_path: Path) -> None:
    out = io.StringIO()
    status = await run_demo(
        database=tmp_path / "demo.db",
        stdin=io.StringIO(),
        out=out,
        interactive=False,
        color=False,
        script=["/summary record heat"],
        reach=True,
    )
    transcript = out.getvalue()
    assert status == 0
    assert "bot> [preview: https://news.example.org/images/record-heat-2026.jpg]" in transcript
    assert "@demo_harbour: Posted its digest there" in transcript
    # A channel's post: a heading for a channel, no reader buttons, the bot named at the end.
    assert "@demo_harbour> Today's news · climate" in transcript
    channel_post = transcript.split("@demo_harbour> Today's news", 1)[1].split("\n\n(", 1)[0]
    assert "Full summary" not in channel_post
    assert channel_post.rstrip().endswith("via @newsbot_demo_bot")
    assert "you> @newsbot_demo_bot geneva" in transcript
    # The first inline result, posted as its card: a Geneva story of the demo news.
    shared = [line for line in transcript.splitlines() if line.startswith("you, via @newsbot_demo")]
    assert any("Geneva" in line and "<https://" in line for line in shared)
