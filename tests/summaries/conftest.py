"""Shared literal articles for the summaries specifications."""

import pytest

ARTICLE = (
    "LONDON (Reuters) - The city council approved a new cycling plan on Tuesday after a long "
    "debate about traffic in the centre.\n"
    "The plan adds forty kilometres of protected bike lanes across the city by 2027.\n"
    "Council leader Maria Jones said the cycling plan would make streets safer for children.\n"
    "Click here to subscribe to our newsletter.\n"
    "Shop owners in the centre worried that fewer parking spaces would cost them customers.\n"
    "The council will publish the full cycling plan and its costs next month.\n"
    "The weather on Tuesday was mild and dry."
)


@pytest.fixture
def article() -> str:
    return ARTICLE
