"""Issue 13: a Thursday in French. The guild's language is French and French members (riley, farah)
go through reminders, an anonymous question, a working group and minutes, typing French command
names as Discord lets them. Nothing a French member receives, and nothing the bot creates on the
server or in files, may contain English."""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.clock import ShiftedClock
from bot.i18n import LOCALES_DIR
from sandbox import SandboxClient
from tests.e2e.conftest import Live, running_bot
from tests.e2e.question_steps import bot_dms, button, dm_and_wait, last_message, reply_text, text_of

DEC_3_NOON = datetime.fromisoformat("2026-12-03T17:00:00+00:00")
REMINDER_15 = DEC_3_NOON - timedelta(minutes=15)
FRENCH_USERS = ("riley", "farah")


PLURAL = re.compile(r"\{\w+:plural:([^}]*)\}")


def _words(text: str) -> set[str]:
    """The words of a text or a catalog template: a plural's forms are words of their language
    (« # information de réponse retirée »); other placeholders are not."""
    text = PLURAL.sub(lambda m: " ".join(f.partition("=")[2] for f in m.group(1).split("|")), text)
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ']{4,}", re.sub(r"\{[^}]*\}", " ", text))}


def _values(lang: str) -> list[str]:
    def walk(table: dict[str, Any]) -> list[str]:
        return [v for value in table.values() for v in (walk(value) if isinstance(value, dict) else [value])]

    return walk(tomllib.loads((LOCALES_DIR / f"{lang}.toml").read_text("utf-8")))


# English markers: every word of the English catalog that the French catalog never uses, except
# the few that are French words too (the support line's « Service national »).
ALSO_FRENCH = {"national"}
ENGLISH = (
    {w for v in _values("en") for w in _words(v)}
    - {w for v in _values("fr") for w in _words(v)}
    - ALSO_FRENCH
)


def english_in(text: str) -> list[str]:
    return sorted(_words(text) & ENGLISH)


def components_text(message: dict[str, Any]) -> str:
    labels = []
    for row in message.get("components") or []:
        for item in row.get("components") or []:
            labels.append(item.get("label") or "")
            labels.append(item.get("placeholder") or "")
            labels += [o.get("label") or "" for o in item.get("options") or []]
    return "\n".join(labels)


async def files_of(message: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    async with aiohttp.ClientSession() as http:
        for attachment in message.get("attachments") or []:
            async with http.get(attachment["url"]) as response:
                found.append((attachment["filename"], await response.text()))
    return found


async def seeded_ids(client: SandboxClient) -> set[str]:
    guild = await client.guild()
    return {c["id"] for c in guild["channels"]} | {r["id"] for r in guild["roles"]}


async def everything_french_users_and_the_server_see(
    client: SandboxClient, seeded: set[str]
) -> dict[str, str]:
    """DMs to the French members; the bot's messages, components and files; what it created."""
    seen: dict[str, str] = {}
    for user in FRENCH_USERS:
        for message in await bot_dms(client, user):
            seen[f"DM to {user} {message['id']}"] = text_of(message) + "\n" + components_text(message)
    guild = await client.guild()
    for channel in guild["channels"]:
        if channel["id"] not in seeded:
            seen[f"channel name {channel['id']}"] = channel["name"] + " " + (channel.get("topic") or "")
        if channel.get("type") == 4:
            continue
        for message in await client.channel_messages(channel["id"]):
            if not message["author"].get("bot"):
                continue
            seen[f"#{channel['name']} {message['id']}"] = text_of(message) + "\n" + components_text(message)
            for name, content in await files_of(message):
                seen[f"file {name}"] = name + "\n" + content
    for role in guild["roles"]:
        if role["id"] not in seeded:
            seen[f"role {role['id']}"] = role["name"]
    for event in guild.get("scheduled_events") or []:
        seen[f"event {event['id']}"] = f"{event['name']}\n{event.get('description') or ''}"
    return seen


async def test_a_thursday_in_french_shows_no_english(tmp_path: Path) -> None:
    async with running_bot(tmp_path, ShiftedClock(REMINDER_15 - timedelta(seconds=6)), language="fr") as live:
        seeded = await seeded_ids(live.client)
        replies = await _a_french_thursday(live)
        seen = await everything_french_users_and_the_server_see(live.client, seeded)
        assert await live.client.violations() == []
    seen |= {f"reply {i}": text for i, text in enumerate(replies)}
    leaks = {where: english_in(text) for where, text in seen.items() if english_in(text)}
    assert leaks == {}
    assert any(where.startswith("file compte-rendu-rencontre-") for where in seen), sorted(seen)
    assert any("gt-santé-des-pairs" in text for text in seen.values())
    assert any("\u00a0:" in text for text in seen.values())
    markdown = [text.partition("\n")[2] for where, text in seen.items() if where.endswith(".md")]
    assert markdown and not [m for m in markdown if "<t:" in m or re.search(r"\d{4}-\d{2}-\d{2}", m)]
    assert not [text for text in seen.values() if re.search(r"\d h 00|n°", text)]


async def _a_french_thursday(live: Live) -> list[str]:
    client = live.client
    replies = [reply_text(await client.command("farah", "paramètres langue", {"langue": "fr"}, locale="fr"))]

    # The reminder arrives in French only.
    reminder = await last_message(client, "drop-in", within=20)
    assert "Rencontre hebdomadaire" in text_of(reminder)
    replies.append(reply_text(await client.command("riley", "rencontre prochaine", locale="fr")))

    # An anonymous question by DM, approved, answered, relayed.
    draft = await dm_and_wait(client, "riley", "Où trouver de la naloxone le soir?")
    submitted = await client.component("riley", draft["id"], button(draft, "draft-submit"))
    replies.append(reply_text(submitted))
    card = await last_message(client, "question-review")
    replies.append(reply_text(await client.component("farah", card["id"], button(card, "approve"))))
    post = await last_message(client, "questions")

    async def thread_ready() -> bool:
        return bool((await client.channel_messages("questions"))[-1].get("thread_id"))

    await client.wait_for(thread_ready, timeout=10)
    opened = await client.component("farah", post["id"], button(post, "answer-facilitator"))
    answered = await client.modal("farah", opened["interaction_id"], {"text": "À la pharmacie du coin."})
    replies.append(reply_text(answered))

    async def relayed() -> list[dict[str, Any]]:
        return [m for m in await bot_dms(client, "riley") if "pharmacie du coin" in text_of(m)]

    await client.wait_for(relayed, timeout=10)
    forgotten = await dm_and_wait(client, "riley", "oubliez-moi")
    assert "C'est fait" in text_of(forgotten)

    # A working group, joined on request.
    created = await client.command(
        "farah",
        "gt créer",
        {
            "nom": "Santé des pairs",
            "description": "Soutien entre pairs",
            "visibilité": "request",
            "responsable": "farah",
        },
        locale="fr",
    )
    replies.append(reply_text(created))
    replies.append(
        reply_text(await client.command("riley", "gt rejoindre", {"groupe": "Santé des pairs"}, locale="fr"))
    )
    request = await last_message(client, "gt-santé-des-pairs", 2)
    decided = await client.component("farah", request["id"], button(request, "wg-approve"))
    replies.append(reply_text(decided))

    # Minutes of last week's drop-in: written by farah, changes requested, then approved and exported.
    started = await client.command("farah", "comptes-rendus commencer", {"date": "2026-11-26"}, locale="fr")
    replies.append(reply_text(started))
    panel = started["followups"][0]
    for page, values in (
        (
            1,
            {
                "facilitators": "Deux personnes",
                "note_taker": "Une bénévole",
                "attendance": "18",
                "next_meeting": "Le 3 décembre",
            },
        ),
        (
            2,
            {
                "topics": "Accès en pharmacie",
                "resources": "https://nss-aps.ca",
                "decisions": "Un guide",
                "actions": "Animation : partager le guide",
            },
        ),
    ):
        opened = await client.component("farah", panel["id"], button(panel, f"min-page{page}"))
        replies.append(reply_text(await client.modal("farah", opened["interaction_id"], values)))
    replies.append(
        reply_text(
            await client.command("farah", "comptes-rendus soumettre", {"date": "2026-11-26"}, locale="fr")
        )
    )
    card = await last_message(client, "minutes-review")
    opened = await client.component("fiona", card["id"], button(card, "min-changes"))
    await client.modal(
        "fiona", opened["interaction_id"], {"topics": "Ajouter la discussion sur la pharmacie."}
    )
    replies.append(
        reply_text(
            await client.command("farah", "comptes-rendus soumettre", {"date": "2026-11-26"}, locale="fr")
        )
    )
    card = await last_message(client, "minutes-review", 2)
    await client.component("fiona", card["id"], button(card, "min-approve"))
    await last_message(client, "minutes")
    exported = await client.command(
        "riley", "comptes-rendus exporter", {"du": "2026-11-01", "au": "2026-11-30"}, locale="fr"
    )
    replies.append(reply_text(exported))
    honoraria = await client.command(
        "farah", "honoraires exporter", {"du": "2026-11-01", "au": "2026-12-31"}, locale="fr"
    )
    replies.append(reply_text(honoraria))
    for followup in [*(exported.get("followups") or []), *(honoraria.get("followups") or [])]:
        replies += [f"{name}\n{content}" for name, content in await files_of(followup)]
    assert any(r.startswith("honoraires-2026-11-01-2026-12-31.csv\ndate,groupe_de_travail") for r in replies)
    return replies
