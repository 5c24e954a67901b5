"""PostgreSQL restarted under load: while askers DM the bot, the database goes away and comes back.
Every DM gets exactly one answer (a preview, or a localized "try again" while the database is down),
and afterwards the same bot process serves everyone again, without a restart: its pool recovers."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg

from bot.i18n import default_catalog
from sandbox import Sandbox, SandboxClient
from tests.e2e.bot_subprocess import BotProcess
from tests.e2e.question_steps import is_draft_preview, text_of
from tests.e2e.resilience_steps import sandbox_and_client
from tests.e2e.throwaway_postgres import ThrowawayPostgres, throwaway_postgres

ASKERS = [f"pg{n:02d}" for n in range(20)]
GENERIC_ERROR = default_catalog().t("en", "error.generic")


async def answers_to_last_dm(client: SandboxClient, user: str) -> list[str]:
    """What the bot said after the user's last DM: "preview" or "error" per message (welcomes skipped)."""
    messages = await client.dms(user)
    own = [i for i, m in enumerate(messages) if not m["author"].get("bot")]
    later = messages[own[-1] + 1 :] if own else []
    kinds = []
    for message in later:
        if is_draft_preview(message):
            kinds.append("preview")
        elif GENERIC_ERROR in text_of(message):
            kinds.append("error")
    return kinds


async def everyone_answered(client: SandboxClient) -> dict[str, list[str]]:
    async def answered() -> dict[str, list[str]] | None:
        found = {user: await answers_to_last_dm(client, user) for user in ASKERS}
        return found if all(found.values()) else None

    return await client.wait_for(answered, timeout=60, interval=0.2)


async def drafts_stored(server: ThrowawayPostgres) -> int:
    connection = await asyncpg.connect(
        host="127.0.0.1", port=server.port, user="postgres", database="postgres"
    )
    try:
        return int(await connection.fetchval("SELECT count(*) FROM question_drafts"))
    finally:
        await connection.close()


async def burst_across_a_restart(client: SandboxClient, server: ThrowawayPostgres) -> None:
    """All askers DM at once; once the bot has answered some, PostgreSQL stops (fast: connections
    are cut) while the rest are being handled, then it starts again."""

    async def some_answered() -> bool:
        return any([await answers_to_last_dm(client, user) for user in ASKERS[:3]])

    sending = asyncio.gather(
        *(client.send_message(user, "dm", f"A question from {user} about harm reduction") for user in ASKERS)
    )
    await client.wait_for(some_answered, timeout=30, interval=0.01)
    await server.stop()
    await sending
    await server.start()


async def test_postgres_restarted_under_load_the_bot_recovers_without_a_restart(tmp_path: Path) -> None:
    async with throwaway_postgres() as server:
        sandbox = Sandbox(seed=True)
        async with sandbox_and_client(sandbox) as client:
            bot = BotProcess(sandbox, tmp_path, database_url=server.url)
            try:
                await bot.start(bootstrap=True)
                for user in ASKERS:
                    await client.add_member(user)

                await burst_across_a_restart(client, server)
                during = await everyone_answered(client)
                assert all(len(kinds) == 1 for kinds in during.values()), during  # none silent, none doubled

                for user in ASKERS:  # the same process, the database back: everyone is served again
                    await client.send_message(user, "dm", f"Asking again, {user}")
                after = await everyone_answered(client)
                assert after == {user: ["preview"] for user in ASKERS}
                assert bot.process is not None and bot.process.returncode is None and bot.starts == 1

                previews = sum(k == ["preview"] for k in during.values()) + len(ASKERS)
                assert await drafts_stored(server) == previews
                assert await client.violations() == []
            finally:
                await bot.close()
