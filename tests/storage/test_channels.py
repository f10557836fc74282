"""Managed channels: sessions per private chat, the setter, and the lost-rights notice flag."""


async def test_a_session_lasts_until_closed_and_the_first_manager_is_the_setter(store):
    await store.chats.ensure(-100777, kind="channel")
    for private in (5100, 5200):
        await store.chats.ensure(private)
    sessions = store.channels
    await sessions.open(5100, -100777, "@harbour", user_id=5100)
    await sessions.open(5200, -100777, "@harbour", user_id=5200)
    assert (await sessions.session(5100)).chat_id == -100777
    assert (await sessions.managed(-100777)).set_by == 5100
    closed = await sessions.close(5100)
    assert closed.name == "@harbour"
    assert await sessions.session(5100) is None
    assert await sessions.session(5200) is not None
    await store.chats.forget(5200)  # /forget: the session goes with the chat
    assert await sessions.session(5200) is None


async def test_the_lost_rights_flag_changes_once_each_way(store):
    sessions = store.channels
    await sessions.remember(-100777, "@harbour", user_id=5100)
    assert await sessions.mark_lost_rights(-100777, lost=True)
    assert not await sessions.mark_lost_rights(-100777, lost=True)
    assert await sessions.mark_lost_rights(-100777, lost=False)
