"""Minutes through the sandbox: start → modal pages → submit → request changes → edit → approve by a
second facilitator → published (split, with the Markdown attached) → amend → edited in place with
history → found by search and export; in both languages; refusals."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.clock import ShiftedClock
from bot.i18n import default_catalog
from sandbox import SandboxClient
from tests.e2e.conftest import Live, running_bot
from tests.e2e.question_steps import button, catalog_fragment, last_message, reply_text, text_of

CATALOG = default_catalog()
AFTER_DROPIN = datetime.fromisoformat("2026-12-03T18:40:00+00:00")  # the 12:00 ET drop-in has ended
LONG_TOPICS = "\n\n".join(
    f"Topic {i}: " + "safer supply prescribing and pharmacy access " * 12 for i in range(6)
)


@pytest.fixture
async def live(tmp_path: Path) -> Any:
    async with running_bot(tmp_path, ShiftedClock(AFTER_DROPIN)) as started:
        yield started


async def fill_page(
    client: SandboxClient, user: str, start_result: dict[str, Any], page: int, values: dict[str, str]
) -> dict[str, Any]:
    panel = start_result["followups"][0]
    opened = await client.component(user, panel["id"], button(panel, f"min-page{page}"))
    assert opened["response"]["type"] == 9, opened
    return await client.modal(user, opened["interaction_id"], values)


async def minutes_messages(client: SandboxClient) -> list[dict[str, Any]]:
    return [m for m in await client.channel_messages("minutes") if m["author"].get("bot")]


async def attachment_text(message: dict[str, Any]) -> str:
    (attachment,) = message["attachments"]
    async with aiohttp.ClientSession() as http, http.get(attachment["url"]) as response:
        return await response.text()


async def test_the_whole_minutes_workflow(live: Live) -> None:
    client = live.client
    started = await client.command("fiona", "minutes start")
    assert "Thursday, December 3, 2026" in reply_text(started)
    await fill_page(
        client,
        "fiona",
        started,
        1,
        {
            "facilitators": "Two facilitators",
            "note_taker": "A volunteer",
            "attendance": "23",
            "next_meeting": "December 10",
        },
    )
    saved = await fill_page(
        client,
        "fiona",
        started,
        2,
        {
            "topics": LONG_TOPICS,
            "resources": "https://nss-aps.ca",
            "decisions": "Draft a guide",
            "actions": "Facilitators: share the guide",
        },
    )
    assert CATALOG.t("en", "minutes.saved", count=8, total=8) in reply_text(saved)

    submitted = await client.command("fiona", "minutes submit")
    assert CATALOG.t("en", "minutes.submitted") in reply_text(submitted)
    card = await last_message(client, "minutes-review")
    assert card["attachments"] and "Topic 0" in text_of(card)

    own = await client.component("fiona", card["id"], button(card, "min-approve"))
    assert CATALOG.t("en", "minutes.error.own_minutes") in reply_text(own)
    opened = await client.component("farah", card["id"], button(card, "min-changes"))
    await client.modal("farah", opened["interaction_id"], {"topics": "Please add the pharmacy discussion."})
    notice = [m for m in await client.dms("fiona") if m["author"].get("bot")][-1]
    assert "Please add the pharmacy discussion." in text_of(notice)

    edited = await client.command("fiona", "minutes edit", {"section": "decisions"})
    await client.modal(
        "fiona", edited["interaction_id"], {"decisions": "Draft a guide; ask pharmacists to review it"}
    )
    await client.command("fiona", "minutes submit")
    card = await last_message(client, "minutes-review", 2)
    approved = await client.component("farah", card["id"], button(card, "min-approve"))
    assert "https://discord.com/channels/" in reply_text(approved)

    posted = await minutes_messages(client)
    next_dropin = await client.command("sam", "dropin next")
    texts = [e.get("description") or "" for e in next_dropin["response"]["data"]["embeds"]]
    assert any("Minutes of the Thursday, December 3, 2026 drop-in" in text for text in texts), texts
    assert len(posted) >= 2, "long minutes are split into several messages"
    assert all(len(m["content"]) <= 2000 for m in posted)
    assert posted[0]["content"].startswith("# ")
    whole = await attachment_text(posted[-1])
    assert "ask pharmacists to review it" in whole and "Topic 5" in whole
    assert "ET 12:00" in whole and "HE 12 h ·" in whole  # the across-Canada line, both languages

    amended = await client.command("farah", "minutes amend", {"date": "2026-12-03"})
    assert "3 décembre 2026" in reply_text(amended)  # farah reads French
    edited = await client.command("farah", "minutes edit", {"section": "resources", "date": "2026-12-03"})
    await client.modal(
        "farah", edited["interaction_id"], {"resources": "https://nss-aps.ca and the NORS line"}
    )
    await client.command("farah", "minutes submit", {"date": "2026-12-03"})
    card = await last_message(client, "minutes-review", 3)
    await client.component("fiona", card["id"], button(card, "min-approve"))
    after = await minutes_messages(client)
    assert [m["id"] for m in after] == [m["id"] for m in posted], "amended in place"
    assert any(m.get("edited_at") for m in after)
    assert "NORS line" in await attachment_text(after[-1])
    history = await live.app.services.minutes.history(
        (await live.app.services.minutes_archive.published(live.sandbox.seed.guild_id))[0].minutes.id
    )
    assert [r.version for r in history] == [1, 2]
    assert [s.value for s in history[1].sections_changed] == ["resources"]

    found = reply_text(await client.command("sam", "minutes search", {"words": "pharmacists"}))
    assert "December 3, 2026" in found
    exported = await client.command("sam", "minutes export", {"from": "2026-12-01", "to": "2026-12-31"})
    attachments = [a for m in exported["followups"] for a in m.get("attachments") or []]
    assert [a["filename"] for a in attachments] == ["minutes-dropin-2026-12-03.md"]
    assert await client.violations() == []


async def test_french_facilitators_get_french_pages(live: Live) -> None:
    started = await live.client.command("farah", "minutes start")
    assert "jeudi 3 décembre 2026" in reply_text(started)
    panel = started["followups"][0]
    opened = await live.client.component("farah", panel["id"], button(panel, "min-page2"))
    labels = [c["components"][0]["label"] for c in opened["response"]["data"]["components"]]
    assert CATALOG.t("fr", "minutes.section.topics")[:45] in labels


@pytest.mark.parametrize(
    ("user", "command", "options", "key"),
    [
        ("fiona", "minutes submit", {}, "minutes.error.missing"),
        ("fiona", "minutes start", {"date": "2026-12-10"}, "minutes.error.unknown_date"),
        ("fiona", "minutes start", {"date": "2026-12-02"}, "minutes.error.unknown_date"),
        ("fiona", "minutes start", {"date": "someday"}, "dropin.error.bad_date"),
        ("alex", "minutes start", {}, "error.not_facilitator"),
        ("fiona", "minutes show", {"date": "2026-11-26"}, "minutes.error.not_published"),
    ],
)
async def test_bad_input_gets_a_localized_explanation(
    live: Live, user: str, command: str, options: dict[str, str], key: str
) -> None:
    if command == "minutes submit":
        await live.client.command("fiona", "minutes start")
    english = reply_text(await live.client.command(user, command, options))
    french = reply_text(await live.client.command(user, command, options, locale="fr"))
    assert catalog_fragment("en", key) in english, english
    assert catalog_fragment("fr", key) in french, french


async def test_another_groups_lead_cannot_touch_a_groups_minutes(live: Live) -> None:
    client = live.client
    for name, lead in (("Alpha", "sam"), ("Beta", "alex")):
        await client.command(
            "fiona", "wg create", {"name": name, "description": "x", "visibility": "open", "lead": lead}
        )
    await client.command("sam", "minutes start", {"group": "Alpha", "date": "2026-12-01"})
    refused = await client.command("alex", "minutes submit", {"group": "Alpha", "date": "2026-12-01"})
    assert CATALOG.t("en", "minutes.error.other_group", name="Alpha") in reply_text(refused)


async def test_named_people_are_warned_about_before_review(live: Live) -> None:
    client = live.client
    started = await client.command("fiona", "minutes start")
    await fill_page(
        client,
        "fiona",
        started,
        2,
        {"topics": "Riley explained the pharmacy rules", "resources": "", "decisions": "", "actions": ""},
    )
    warned = await client.command("fiona", "minutes submit")
    assert "Riley" in reply_text(warned) and CATALOG.t("en", "minutes.submitted") not in reply_text(warned)
    assert await client.channel_messages("minutes-review") == []
    confirmed = await client.command("fiona", "minutes submit", {"confirm": True})
    assert CATALOG.t("en", "minutes.submitted") in reply_text(confirmed)


async def test_with_one_reviewer_the_author_may_approve(live: Live) -> None:
    client = live.client
    await client.command("fiona", "minutes reviewers", {"state": "off"})
    started = await client.command("fiona", "minutes start")
    await fill_page(
        client,
        "fiona",
        started,
        2,
        {"topics": "Pharmacy access", "resources": "", "decisions": "", "actions": ""},
    )
    await client.command("fiona", "minutes submit")
    card = await last_message(client, "minutes-review")
    approved = await client.component("fiona", card["id"], button(card, "min-approve"))
    assert "https://discord.com/channels/" in reply_text(approved)
    refused = await client.command("alex", "minutes reviewers", {"state": "on"})
    assert reply_text(refused) == CATALOG.t("en", "error.not_facilitator")
