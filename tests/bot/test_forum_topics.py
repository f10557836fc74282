"""Forum groups: replies, scheduled digests and button answers stay in the command's thread."""

from datetime import UTC, datetime, timedelta

from tests.bot.conftest import Conversation

THREAD = 7


async def _forum(emu, chat_id: int) -> Conversation:
    group = Conversation(emu, -chat_id, user_id=601, chat_type="supergroup")
    await group.ask("/help")
    emu.set_chat_admins(group.chat_id, [601])
    return group


async def test_commands_in_a_thread_are_answered_there(bot_app, emu, new_chat_id, news):
    group = await _forum(emu, new_chat_id)
    for command in ("/subscribe ukraine", "/latest", "/digest", "/mute football", "/sources"):
        reply = await group.ask(command, message_thread_id=THREAD)
        assert reply.message_thread_id == THREAD, command


async def test_the_scheduled_digest_and_its_buttons_go_to_the_schedules_thread(
    bot_app, emu, new_chat_id, news
):
    group = await _forum(emu, new_chat_id)
    await group.ask("/subscribe ukraine", message_thread_id=THREAD)
    due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    await group.ask(f"/schedule {due:%H:%M} UTC", message_thread_id=THREAD)
    store = bot_app.bot_data.services.store
    await store.digests.set_next_digest_times([(group.chat_id, due)])
    [job] = bot_app.job_queue.get_jobs_by_name("digests")
    await job.run(bot_app)

    [digest] = await emu.wait_for_messages(group.chat_id, count=1, timeout=15)
    assert digest.text.startswith("Your digest · ukraine")
    assert digest.message_thread_id == THREAD
    await group.press(digest, "1 Full summary")
    [card] = await emu.wait_for_messages(group.chat_id, count=1, timeout=10)
    assert card.message_thread_id == THREAD


async def test_a_schedule_set_outside_any_thread_goes_to_the_main_chat(bot_app, emu, new_chat_id):
    group = await _forum(emu, new_chat_id)
    await group.ask("/schedule 08:00", message_thread_id=THREAD)
    await group.ask("/schedule 09:00")
    stored = await bot_app.bot_data.services.store.chats.get(group.chat_id)
    assert stored.message_thread_id is None


async def test_a_digest_for_a_deleted_thread_goes_to_the_main_chat(bot_app, emu, new_chat_id, news):
    group = await _forum(emu, new_chat_id)
    await group.ask("/subscribe ukraine", message_thread_id=THREAD)
    due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    await group.ask(f"/schedule {due:%H:%M} UTC", message_thread_id=THREAD)
    store = bot_app.bot_data.services.store
    await store.digests.set_next_digest_times([(group.chat_id, due)])
    emu.world.chats[group.chat_id].deleted_threads.add(THREAD)
    [job] = bot_app.job_queue.get_jobs_by_name("digests")
    await job.run(bot_app)

    [digest] = await emu.wait_for_messages(group.chat_id, count=1, timeout=15)
    assert digest.text.startswith("Your digest · ukraine")
    assert digest.message_thread_id is None
    assert (await store.chats.get(group.chat_id)).message_thread_id is None
