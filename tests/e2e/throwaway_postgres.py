"""A PostgreSQL server of the test's own, so a test may stop and start it (the shared CI server must
stay up). Binaries from /usr/lib/postgresql/15/bin (else the newest installed); as root it runs as
the `postgres` user, like .ci/run does. Absent binaries skip the test, or fail it under
NSSCOP_TEST_REQUIRE_POSTGRES=1."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

PREFERRED_BIN = Path("/usr/lib/postgresql/15/bin")
REQUIRE_POSTGRES_ENV = "NSSCOP_TEST_REQUIRE_POSTGRES"
COMMAND_TIMEOUT = 60.0


def postgres_bin() -> Path | None:
    candidates = [PREFERRED_BIN, *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]
    return next((c for c in candidates if (c / "postgres").is_file() and (c / "pg_ctl").is_file()), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThrowawayPostgres:
    def __init__(self, bin_dir: Path, data_dir: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.data_dir = data_dir
        self.port = port
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    async def _run(self, tool: str, *args: str) -> None:
        process = await asyncio.create_subprocess_exec(
            *self._as_postgres,
            str(self.bin_dir / tool),
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise
        if process.returncode != 0:
            raise RuntimeError(
                f"{tool} failed ({process.returncode}): {output.decode(errors='replace')[-2000:]}"
            )

    async def init(self) -> None:
        await self._run("initdb", "-D", str(self.data_dir / "db"), "-A", "trust", "-U", "postgres")

    async def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.data_dir / "server.log")
        await self._run("pg_ctl", "-D", str(self.data_dir / "db"), "-l", log, "-w", "-o", options, "start")

    async def stop(self) -> None:
        """Fast shutdown: open connections are terminated, as in a failover or a restart for upgrade."""
        await self._run("pg_ctl", "-D", str(self.data_dir / "db"), "-m", "fast", "-w", "stop")


@asynccontextmanager
async def throwaway_postgres() -> AsyncIterator[ThrowawayPostgres]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{REQUIRE_POSTGRES_ENV}=1 but no PostgreSQL binaries under /usr/lib/postgresql")
        pytest.skip("PostgreSQL binaries are not installed")
    data_dir = Path(tempfile.mkdtemp(prefix="nsscop-pg-"))  # not under pytest's 0700 tmp: postgres reads it
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
    server = ThrowawayPostgres(bin_dir, data_dir, _free_port())
    try:
        await server.init()
        await server.start()
        try:
            yield server
        finally:
            with contextlib.suppress(RuntimeError):  # already stopped by the test
                await server.stop()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
