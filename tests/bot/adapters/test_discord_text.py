"""bot/adapters/discord_text.py: embeds' one look, and posting a wire-form message without reading it back."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord.http import MultipartParameters

from bot.adapters.discord_text import EMBED_COLOUR, embed_of, embed_payload, post_unread
from bot.services.ports import EmbedText

TEXT = EmbedText(title="Your question", description="Is **this** <@123> safe?")


class Recorded:
    def __init__(self) -> None:
        self.sent: list[tuple[int, dict[str, Any]]] = []

    async def send_message(self, channel_id: int, *, params: MultipartParameters) -> None:
        self.sent.append((channel_id, params.payload or {}))


class Client:
    def __init__(self) -> None:
        self.http = Recorded()


@pytest.mark.parametrize(
    "text", [TEXT, EmbedText(title="\u200b", description="Notes"), EmbedText(title="Title", description="")]
)
def test_an_embed_payload_is_what_discord_py_sends_for_the_same_embed(text: EmbedText) -> None:
    expected = discord.Embed(title=text.title, description=text.description, colour=EMBED_COLOUR).to_dict()

    assert (
        embed_payload(text) | {"flags": 0} == expected
    )  # discord.py adds flags 0, which Discord defaults to
    assert embed_of(text).to_dict() == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"content": "Hi <@123>"}, {"content": "Hi <@123>"}),
        ({"embeds": [embed_payload(TEXT)]}, {"embeds": [embed_payload(TEXT)]}),
        ({"components": [{"type": 1, "components": []}]}, {"components": [{"type": 1, "components": []}]}),
    ],
)
async def test_a_post_never_pings_and_sends_only_what_it_was_given(
    fields: dict[str, Any], expected: dict[str, Any]
) -> None:
    client = Client()

    await post_unread(client, 77, **fields)  # type: ignore[arg-type]

    assert client.http.sent == [(77, {"allowed_mentions": {"parse": []}} | expected)]
