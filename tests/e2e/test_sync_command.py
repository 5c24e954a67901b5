"""`python -m bot sync` against the sandbox: global commands replaced, nothing posted, no job run."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from bot.runner import sync_global
from bot.sandbox_mode import sandbox_config
from sandbox import Sandbox, SandboxClient, discord_endpoints


async def test_sync_publishes_global_commands_and_posts_nothing(tmp_path: Path) -> None:
    sandbox = Sandbox(seed=True)
    await sandbox.start(port=0)
    try:
        config = sandbox_config(tmp_path, sandbox.seed.guild_id)
        secrets = config.secrets.model_copy(update={"discord_token": SecretStr(sandbox.bot_token)})
        with discord_endpoints(sandbox):
            status = await sync_global(config.model_copy(update={"secrets": secrets}))
        async with SandboxClient(sandbox.http_base) as client:
            commands = await client.commands()
            requests = await client.requests()
            violations = await client.violations()
    finally:
        await sandbox.stop()
    assert status == 0
    assert {c["name"] for c in commands} >= {"about", "help", "settings", "dropin", "wg", "minutes"}
    assert all(c.get("guild_id") in (None, "") for c in commands)
    assert [r for r in requests if r["method"] in ("POST", "PATCH", "DELETE")] == []
    assert violations == []
