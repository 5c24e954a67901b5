"""Minutes in a forum channel: each meeting becomes one post (title = date and kind in the guild's
language, tags from the forum's own), its first message shares the post's id, amending edits the
same post in place, and search finds it. /settings channel accepts a forum for minutes only."""

from __future__ import annotations

from typing import Any

from sandbox import SandboxClient
from sandbox.seed import MINUTES_FORUM
from tests.e2e.conftest import Live
from tests.e2e.question_steps import button, last_message, reply_text
from tests.e2e.test_minutes import CATALOG, attachment_text, fill_page, live  # noqa: F401 (fixture)

TITLE = "Drop-in minutes, Thursday, December 3, 2026 · Compte rendu de la rencontre du jeudi 3 décembre 2026"


async def forum_posts(client: SandboxClient) -> list[dict[str, Any]]:
    guild = await client.guild()
    (forum,) = [c for c in guild["channels"] if c["name"] == MINUTES_FORUM]
    return [t for t in guild["threads"] if t["parent_id"] == forum["id"]]


async def publish(client: SandboxClient, author: str, reviewer: str, review_cards: int) -> None:
    await client.command(author, "minutes submit", {"date": "2026-12-03"})
    card = await last_message(client, "minutes-review", review_cards)
    approved = await client.component(reviewer, card["id"], button(card, "min-approve"))
    assert "https://discord.com/channels/" in reply_text(approved), reply_text(approved)


async def test_minutes_are_published_amended_and_found_in_a_forum(live: Live) -> None:  # noqa: F811
    client = live.client
    chosen = await client.command(
        "fiona", "settings channel", {"purpose": "minutes", "channel": MINUTES_FORUM}
    )
    assert MINUTES_FORUM in reply_text(chosen) or "<#" in reply_text(chosen), reply_text(chosen)

    started = await client.command("fiona", "minutes start")
    await fill_page(client, "fiona", started, 1, {"attendance": "17", "facilitators": "Two facilitators"})
    await fill_page(client, "fiona", started, 2, {"topics": "Pharmacy access", "decisions": "Write a guide"})
    await publish(client, "fiona", "farah", 1)

    (post,) = await forum_posts(client)
    assert post["name"] == TITLE
    forum = live.sandbox.hub.world.channel(int(post["parent_id"]))
    names = {tag["id"]: tag["name"] for tag in forum.available_tags}
    assert sorted(names[t] for t in post["applied_tags"]) == ["2026", "Drop-in"]
    messages = await client.channel_messages(post["id"])
    assert messages[0]["id"] == post["id"], "a forum post's first message has the post's id"
    assert messages[0]["content"].startswith("# ")
    assert "Write a guide" in await attachment_text(messages[-1])

    await client.command("farah", "minutes amend", {"date": "2026-12-03"})
    edited = await client.command("farah", "minutes edit", {"section": "decisions", "date": "2026-12-03"})
    await client.modal("farah", edited["interaction_id"], {"decisions": "Write a guide with pharmacists"})
    await publish(client, "farah", "fiona", 2)

    (same,) = await forum_posts(client)
    assert same["id"] == post["id"], "amending edits the same post"
    after = await client.channel_messages(post["id"])
    assert [m["id"] for m in after] == [m["id"] for m in messages]
    assert "with pharmacists" in await attachment_text(after[-1])

    found = reply_text(await client.command("sam", "minutes search", {"words": "pharmacists"}))
    assert f"/{post['id']}/{post['id']}" in found, found
    assert await client.violations() == []


async def test_a_forum_is_refused_for_anything_but_minutes(live: Live) -> None:  # noqa: F811
    english = reply_text(
        await live.client.command(
            "fiona", "settings channel", {"purpose": "dropin", "channel": MINUTES_FORUM}
        )
    )
    french = reply_text(
        await live.client.command(
            "farah", "settings channel", {"purpose": "dropin", "channel": MINUTES_FORUM}
        )
    )

    assert "is a forum: only minutes can go to a forum" in english, english
    assert "est un forum\u00a0: seuls les comptes rendus" in french, french
