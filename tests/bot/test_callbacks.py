"""callback_data stays within 64 bytes, round-trips, and unknown data decodes to None."""

import pytest

from bot.callbacks import (
    MAX_CALLBACK_BYTES,
    Action,
    Button,
    decode,
    encode,
    encoded_size,
    resolve_topic,
    topic_argument,
)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("argument", ["", "ukraine", "climate change", "Europe/Kyiv", "énergie"])
def test_encode_decode_round_trip(action, argument):
    data = encode(Button(action, argument))
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert decode(data) == Button(action, argument)


def test_encoding_is_compact():
    assert encode(Button(Action.UNSUBSCRIBE, "ukraine")) == "1u:ukraine"


@pytest.mark.parametrize("argument", ["", "ukraine", "énergie", "Київ"])
def test_encoded_size_counts_the_bytes_encode_will_send(argument):
    data = encode(Button(Action.SUBSCRIBE, argument))
    assert encoded_size(Action.SUBSCRIBE, argument) == len(data.encode())


def test_encode_refuses_data_over_64_bytes():
    with pytest.raises(ValueError, match="64 bytes"):
        encode(Button(Action.SUBSCRIBE, "x" * 62))


@pytest.mark.parametrize(
    "data", [None, "", "garbage", "1", "1u", "1?:x", "0u:ukraine", "9u:ukraine", "1u;x", "é" * 40]
)
def test_unknown_or_old_data_decodes_to_none(data):
    assert decode(data) is None


def test_long_topic_travels_as_digest_and_resolves_against_candidates():
    topic = "a very long topic name with many words " * 3
    argument = topic_argument(Action.UNSUBSCRIBE, topic)
    assert argument.startswith("#")
    assert len(encode(Button(Action.UNSUBSCRIBE, argument)).encode()) <= MAX_CALLBACK_BYTES
    assert resolve_topic(argument, ["other", topic]) == topic
    assert resolve_topic(argument, ["other"]) is None


def test_multibyte_topic_near_the_limit_uses_a_digest():
    topic = "україна" * 5  # 70 bytes in UTF-8
    assert topic_argument(Action.SUBSCRIBE, topic).startswith("#")
    assert topic_argument(Action.SUBSCRIBE, "україна") == "україна"
