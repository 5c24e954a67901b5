"""Members through the sandbox: several community roles, the welcome DM, the report, /privacy, and one
forget-me proven against the database's bytes."""

from __future__ import annotations

import csv
import io
import struct
import zlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.domain.groups import Visibility
from bot.i18n import default_catalog
from bot.i18n.privacy import notice
from db.engine import create_session_factory
from db.models import MinutesRow
from db.repositories.groups import GroupRepository
from db.repositories.minutes import MinutesRepository
from sandbox import SandboxClient
from tests.e2e.conftest import Live
from tests.e2e.question_steps import bot_dms, dm_and_wait, text_of

pytestmark = pytest.mark.asyncio(loop_scope="module")
CATALOG = default_catalog()


async def member_roles(client: SandboxClient, username: str) -> set[str]:
    guild = await client.guild()
    names = {str(r["id"]): r["name"] for r in guild["roles"]}
    member = next(m for m in guild["members"] if m["user"]["username"] == username)
    return {names[str(r)] for r in member["roles"]}


def picker_of(result: dict[str, Any]) -> tuple[str, str]:
    """(message id, custom id) of the roles select in an ephemeral answer."""
    for message in result["followups"]:
        for row in message.get("components") or []:
            for component in row.get("components") or []:
                if component.get("custom_id", "").startswith("nss:roles-set:"):
                    return message["id"], component["custom_id"]
    raise AssertionError("no roles select in the answer")


async def choose(client: SandboxClient, user: str, keys: list[str]) -> dict[str, Any]:
    opened = await client.command(user, "roles")
    message_id, custom_id = picker_of(opened)
    return await client.component(user, message_id, custom_id, keys)


async def test_choosing_several_roles_assigns_all_and_removing_one_removes_it(live: Live) -> None:
    client = live.client
    await choose(client, "alex", ["nurse", "pharmacist", "lived-experience"])
    held = await member_roles(client, "alex")
    assert {"Nurse / Personnel infirmier", "Pharmacist / Pharmacien ou pharmacienne"} <= held
    await choose(client, "alex", ["nurse", "lived-experience"])
    held = await member_roles(client, "alex")
    assert "Nurse / Personnel infirmier" in held
    assert "Pharmacist / Pharmacien ou pharmacienne" not in held
    assert "Member" in held  # a role the bot does not manage is left alone
    assert await client.violations() == []


async def test_the_picker_shows_the_roles_already_held(live: Live) -> None:
    client = live.client
    await choose(client, "sam", ["researcher"])
    opened = await client.command("sam", "roles")
    (select,) = [c for m in opened["followups"] for row in m["components"] for c in row["components"]]
    assert [o["value"] for o in select["options"] if o.get("default")] == ["researcher"]
    assert select["min_values"] == 0


async def test_the_welcome_channel_picker_opens_the_same_choice(live: Live) -> None:
    client = live.client
    await client.command("fiona", "community picker")
    (post,) = await client.channel_messages("welcome")
    button = post["components"][0]["components"][0]["custom_id"]
    opened = await client.component("riley", post["id"], button)
    message_id, custom_id = picker_of(opened)
    await client.component("riley", message_id, custom_id, ["other"])
    assert "Other / Autre" in await member_roles(client, "riley")


async def welcome_of(client: SandboxClient, user: str) -> dict[str, Any]:
    async def arrived() -> list[dict[str, Any]]:
        return await bot_dms(client, user)

    return (await client.wait_for(arrived, timeout=10))[0]


async def test_a_join_is_welcomed_in_both_languages_when_the_guild_uses_both(live: Live) -> None:
    await live.client.add_member("joiner")
    text = text_of(await welcome_of(live.client, "joiner"))
    assert CATALOG.t("en", "members.welcome.title") in text
    assert CATALOG.t("fr", "members.welcome.title") in text
    assert "PT 10:00" in text and "/privacy" in text


async def test_a_join_is_welcomed_in_french_when_the_guild_posts_in_french(live: Live) -> None:
    client = live.client
    await client.command("fiona", "settings language", {"language": "fr"})
    try:
        await client.add_member("nouvelle")
        text = text_of(await welcome_of(client, "nouvelle"))
    finally:
        await client.command("fiona", "settings language", {"language": "both"})
    assert CATALOG.t("fr", "members.welcome.title") in text
    assert CATALOG.t("en", "members.welcome.title") not in text


async def test_a_rejoin_within_a_day_is_not_welcomed_twice(live: Live) -> None:
    client = live.client
    await client.add_member("comeback")
    await welcome_of(client, "comeback")
    await client.remove_member("comeback")
    await client.add_member("comeback")
    await client.add_member(
        "marker1"
    )  # events are handled in order: once marker1 is welcomed, so was comeback
    await welcome_of(client, "marker1")
    assert len(await bot_dms(client, "comeback")) == 1


async def test_closed_dms_mean_one_silent_attempt(live: Live) -> None:
    client = live.client
    await client.remove_member("riley")
    await client.set_dms_open("riley", False)
    await client.add_member("riley")
    await client.add_member("marker2")

    async def refused() -> list[dict[str, Any]]:
        return [
            r
            for r in await client.requests()
            if r["method"] == "POST" and r["path"].endswith("/messages") and r.get("status") == 403
        ]

    # Each join is its own task in discord.py: marker2's welcome may land before riley's attempt.
    await client.wait_for(refused, timeout=10)
    await welcome_of(client, "marker2")
    assert len(await refused()) == 1
    assert await client.violations() == []


async def test_welcome_off_sends_nothing(live: Live) -> None:
    client = live.client
    await client.command("fiona", "settings welcome", {"state": "off"})
    try:
        await client.add_member("unwelcomed")
        await client.add_member("marker3")
    finally:
        await client.command("fiona", "settings welcome", {"state": "on"})
    await client.add_member("marker4")
    await welcome_of(client, "marker4")
    assert await bot_dms(client, "unwelcomed") == []
    assert await bot_dms(client, "marker3") == []


async def test_a_role_moved_above_the_bot_is_refused_with_a_clear_message(live: Live) -> None:
    client = live.client
    await choose(client, "farah", ["policy"])
    sandbox = live.sandbox.hub.world
    policy = next(r for r in sandbox.guild.roles.values() if r.name.startswith("Policy or government"))
    bot_top = max(r.position for r in sandbox.guild.roles.values() if r.managed)
    policy.position = bot_top + 1  # as a server admin dragging it above the bot
    try:
        result = await choose(client, "farah", [])
    finally:
        policy.position = 1
    assert CATALOG.t("fr", "members.error.cannot_assign") in text_of(result["followups"][-1])  # farah: fr
    assert "Policy or government / Politiques publiques ou gouvernement" in await member_roles(
        client, "farah"
    )


async def test_only_facilitators_get_the_report(live: Live) -> None:
    result = await live.client.command("alex", "community report")
    assert not any(m.get("attachments") for m in result["followups"])
    assert CATALOG.t("en", "error.not_facilitator") in text_of(result["response"]["data"])


@pytest.mark.parametrize("locale", ["en-US", "fr"])
async def test_privacy_is_the_whole_notice_in_the_callers_language(live: Live, locale: str) -> None:
    result = await live.client.command("alex", "privacy", locale=locale)
    data = result["response"]["data"]
    shown = "\n\n".join(e["description"] for e in data["embeds"])
    lang = "fr" if locale == "fr" else "en"
    assert shown == notice(lang)
    assert data["flags"] & 64  # ephemeral


async def test_forget_me_removes_the_callers_records_from_every_feature(live: Live, tmp_path: Path) -> None:
    client, app = live.client, live.app
    seed = live.sandbox.seed
    user_id = seed.users["sam"]
    sessions = create_session_factory(app.engine)
    now = datetime.now(UTC)
    async with sessions.begin() as session:
        repo = GroupRepository(session)
        group = await repo.add(seed.guild_id, "Forget Test", "forget-test", "", Visibility.REQUEST, now)
        await repo.add_request(group.id, user_id, now)
        await repo.add_member(group.id, user_id, now)
        await repo.opt_in(seed.guild_id, user_id, now)
        await repo.record_attendance(group.id, now.date(), user_id, now)
        minutes = await MinutesRepository(session).add(
            seed.guild_id, "dropin", date(2026, 11, 26), user_id, now
        )
    async with sessions.begin() as session:
        row = await session.get(MinutesRow, minutes.id)
        assert row is not None
        row.status = "published"  # the community's record stays, without its author's id
    await dm_and_wait(client, "sam", "A draft that must disappear")
    result = await client.command("sam", "forget-me")
    reply = text_of(result["followups"][-1]) if result["followups"] else ""
    reply += "".join(text_of(e) for e in result["edits"])
    assert CATALOG.t("en", "members.forget.item.requests", count=1) in reply
    assert CATALOG.t("en", "members.forget.item.drafts", count=1) in reply
    assert CATALOG.t("en", "members.forget.item.authorship", count=1) in reply
    files = sorted(app.config.bot.data_dir.glob("nsscop.db*"))
    assert files
    data = b"".join(f.read_bytes() for f in files)
    assert (struct.pack(">q", user_id) in data) is False, "the caller's id survives in the database files"
    assert (str(user_id).encode() in data) is False, "the caller's id survives as text"
    assert (b"A draft that must disappear" in data) is False, "the draft's text survives"


# A DM carries no locale (issue 13, bot.i18n.dm_langs): forget-me by DM answers in the person's language
# when an interaction told it, else in the guild's languages (this guild: both).
async def test_forget_me_by_dm_answers_per_feature_in_the_language_the_person_last_used(live: Live) -> None:
    await live.client.command("alex", "privacy", locale="fr")
    reply = await dm_and_wait(live.client, "alex", "oublie-moi")
    assert CATALOG.t("fr", "members.forget.title") in reply["content"]
    assert CATALOG.t("fr", "members.forget.feature.groups") in reply["content"]
    assert CATALOG.t("en", "members.forget.title") not in reply["content"]


async def test_forget_me_by_dm_from_someone_never_heard_answers_in_the_guilds_languages(live: Live) -> None:
    await live.client.add_member("stranger")
    await welcome_of(live.client, "stranger")
    reply = await dm_and_wait(live.client, "stranger", "forget me")
    for lang in ("en", "fr"):
        assert CATALOG.t(lang, "members.forget.title") in reply["content"]
        assert CATALOG.t(lang, "members.forget.feature.groups") in reply["content"]


def png_text(png: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG (where the chart keeps its title and description)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, offset = {}, 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        body = png[offset + 8 : offset + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            found[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            flag, _method, rest = rest[0], rest[1], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _tkey, _, value = rest.partition(b"\0")
            found[key.decode("latin-1")] = (zlib.decompress(value) if flag else value).decode("utf-8")
        offset += 12 + length
    return found


async def download(url: str) -> bytes:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return await response.read()


async def attachment_of(result: dict[str, Any]) -> tuple[str, bytes]:
    (attachment,) = [a for m in result["followups"] for a in m.get("attachments") or []]
    return attachment["filename"], await download(attachment["url"])


async def test_small_counts_are_suppressed_in_table_csv_and_chart(live: Live) -> None:
    client = live.client
    await choose(client, "fiona", ["nurse"])  # one nurse at least: a count under 5
    table = await client.command("fiona", "community report", locale="fr")
    text = text_of(table["followups"][0])
    assert "<5" in text and "Personnel infirmier" in text
    name, png = await attachment_of(table)
    assert name == "membership.png"
    description = png_text(png)["Description"]
    assert "Personnel infirmier\u00a0: <5" in description  # French labels, suppressed count
    exported = await client.command("fiona", "community report", {"format": "csv"})
    name, raw = await attachment_of(exported)
    rows = list(csv.reader(io.StringIO(raw.decode())))
    nurse = next(r for r in rows if r[1] == "Nurse")
    assert nurse[2] == "<5"
    assert all(not (r[2].isdigit() and 0 < int(r[2]) < 5) for r in rows[1:])
