"""What a person does with anonymous questions in the sandbox, as reusable steps for e2e tests."""

from __future__ import annotations

import re
from typing import Any

from bot.i18n import default_catalog
from bot.i18n.typography import french
from sandbox import SandboxClient

CATALOG = default_catalog()


async def bot_dms(client: SandboxClient, user: str) -> list[dict[str, Any]]:
    return [m for m in await client.dms(user) if m["author"].get("bot")]


async def bot_posts(client: SandboxClient, channel: str | int) -> list[dict[str, Any]]:
    return [m for m in await client.channel_messages(channel) if m["author"].get("bot")]


async def wait_for_bot_posts(
    client: SandboxClient, channel: str | int, within: float = 10.0
) -> list[dict[str, Any]]:
    """The bot's posts in `channel` once it holds one (bounded wait)."""
    return await client.wait_for(lambda: bot_posts(client, channel), timeout=within)


async def dm_and_wait(client: SandboxClient, user: str, text: str, **extra: Any) -> dict[str, Any]:
    """Sends a DM to the bot and returns the bot's reply (bounded wait)."""
    before = len(await bot_dms(client, user))
    await client.send_message(user, "dm", text, **extra)

    async def replied() -> list[dict[str, Any]]:
        found = await bot_dms(client, user)
        return found if len(found) > before else []

    return (await client.wait_for(replied, timeout=10))[-1]


async def dm_containing(client: SandboxClient, user: str, text: str, within: float = 10.0) -> dict[str, Any]:
    """The bot's newest DM to `user` holding `text` (bounded wait: a relay follows the acknowledgement)."""

    async def found() -> list[dict[str, Any]]:
        return [m for m in await bot_dms(client, user) if text in text_of(m)]

    return (await client.wait_for(found, timeout=within))[-1]


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components") or [] for c in row.get("components") or []]


def is_draft_preview(message: dict[str, Any]) -> bool:
    """The DM that shows an asker their draft, with its submit button (not a welcome or an error)."""
    return any(cid.startswith("nss:draft-submit:") for cid in custom_ids(message))


def button(message: dict[str, Any], kind: str) -> str:
    return next(cid for cid in custom_ids(message) if cid.startswith(f"nss:{kind}:"))


async def last_message(
    client: SandboxClient, channel: str | int, at_least: int = 1, within: float = 10.0
) -> dict[str, Any]:
    """The newest message once the channel holds `at_least` (bounded wait: posts follow the answer)."""

    async def enough() -> list[dict[str, Any]]:
        found = await client.channel_messages(channel)
        return found if len(found) >= at_least else []

    return (await client.wait_for(enough, timeout=within))[-1]


def text_of(message: dict[str, Any]) -> str:
    parts = [message.get("content") or ""]
    parts += [
        (e.get("title") or "") + "\n" + (e.get("description") or "") for e in message.get("embeds") or []
    ]
    return "\n".join(parts)


def reply_text(result: dict[str, Any]) -> str:
    data = (result.get("response") or {}).get("data") or {}
    parts = [text_of(data)] + [text_of(f) for f in result.get("followups") or []]
    parts += [text_of(e) for e in result.get("edits") or []]
    return "\n".join(parts)


def catalog_fragment(lang: str, key: str) -> str:
    """The longest fixed part of a catalog message, to recognise it whatever its parameters."""
    template = CATALOG.raw(lang, key)  # type: ignore[arg-type]
    assert template is not None
    template = french(template) if lang == "fr" else template  # as rendered: OQLF spacing
    return max(re.split(r"\{[^}]+\}", template), key=len).strip()[:40]


async def submit_by_dm(
    client: SandboxClient, user: str, text: str, kind: str = "draft-submit"
) -> dict[str, Any]:
    draft = await dm_and_wait(client, user, text)
    return await client.component(user, draft["id"], button(draft, kind))


async def submit_and_review(client: SandboxClient, user: str, text: str) -> dict[str, Any]:
    """Submits by DM and returns the review card it produced."""
    before = len(await client.channel_messages("question-review"))
    await submit_by_dm(client, user, text)
    return await last_message(client, "question-review", before + 1)


async def approve_latest(client: SandboxClient, facilitator: str = "fiona") -> dict[str, Any]:
    card = await last_message(client, "question-review")
    return await client.component(facilitator, card["id"], button(card, "approve"))


async def answer_latest(client: SandboxClient, user: str, text: str, kind: str = "answer") -> dict[str, Any]:
    post = await last_message(client, "questions")
    await _thread_ready(client)
    opened = await client.component(user, post["id"], button(post, kind))
    assert opened["response"]["type"] == 9, opened
    return await client.modal(user, opened["interaction_id"], {"text": text})


async def _thread_ready(client: SandboxClient) -> None:
    async def has_thread() -> bool:
        messages = await client.channel_messages("questions")
        return bool(messages and messages[-1].get("thread_id"))

    await client.wait_for(has_thread, timeout=10)
