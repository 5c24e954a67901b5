"""Child processes for the benchmark: a sandbox and a bot each, and what /proc says about them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox import SandboxClient

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
START_TIMEOUT = 60.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_environment() -> dict[str, str]:
    """This process's environment, except that children may write bytecode: a deployed bot imports from
    `__pycache__` (pip compiles an installed package), so with PYTHONDONTWRITEBYTECODE set every timed
    start would compile our modules again, a cost only our bot would pay."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


async def _spawn(*args: str, log: Path) -> asyncio.subprocess.Process:
    """Started with the benchmark's Python; stderr (the child's log) goes to `log`."""
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable, *args, stdout=asyncio.subprocess.PIPE, stderr=stderr, env=child_environment()
        )


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


@dataclass
class SandboxProcess:
    process: asyncio.subprocess.Process
    base: str
    token: str
    seed: dict[str, Any]
    client: SandboxClient

    @classmethod
    async def start(cls, members: int, log: Path) -> SandboxProcess:
        process = await _spawn("-m", "bench.sandbox_proc", "--members", str(members), log=log)
        assert process.stdout is not None
        try:
            info = json.loads(await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT))
        except BaseException:
            await _stop(process)
            raise
        return cls(
            process, info["base"], info["token"], info["seed"], SandboxClient(info["base"], timeout=60)
        )

    async def latencies(self) -> dict[str, Any]:
        return dict(await self.client._ok("GET", "/_bench/latencies"))

    async def reset(self) -> None:
        await self.client._ok("DELETE", "/_bench/latencies")

    async def stop(self) -> None:
        await self.client.close()
        await _stop(self.process)


@dataclass(frozen=True)
class Stats:
    cpu_s: float  # the process's CPU time so far, every thread
    db_round_trips: int  # 0 for a bot without a database


@dataclass
class BotProcess:
    name: str
    process: asyncio.subprocess.Process
    ready_s: float
    stats_file: Path
    data_dir: Path | None = None
    _seq: int = field(default=0)

    @classmethod
    async def start(cls, name: str, sandbox: SandboxProcess, work: Path) -> BotProcess:
        started = time.monotonic()
        data_dir = None
        stats_file = work / f"{name}-stats.json"
        stats_file.unlink(missing_ok=True)  # a previous process's figures, and its sequence number
        if name == "ours":
            data_dir = work / "data"
            args = ["-m", "bench.ours", sandbox.base, sandbox.token, json.dumps(sandbox.seed)]
            process = await _spawn(*args, str(data_dir), str(stats_file), log=work / "ours.log")
        else:
            guild = str(sandbox.seed["guild_id"])
            args = ["-m", "bench.baseline", sandbox.base, sandbox.token, guild, str(stats_file)]
            process = await _spawn(*args, log=work / "bare.log")
        try:
            ready_at = await _ready(name, process)
            await sandbox.client.wait_for(_synced(sandbox.client), timeout=START_TIMEOUT, interval=0.05)
        except BaseException:
            await _stop(process)  # never leave a half-started bot behind
            raise
        return cls(name, process, ready_at - started, stats_file, data_dir)

    @property
    def pid(self) -> int:
        return self.process.pid

    async def stats(self) -> Stats:
        """Asks the process (SIGUSR1) for its CPU time and database round trips (bench/stats.py)."""
        self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError):
                stats = json.loads(self.stats_file.read_text())
                if stats["seq"] > self._seq:
                    self._seq = stats["seq"]
                    return Stats(float(stats["cpu_s"]), int(stats.get("db_round_trips", 0)))
            await asyncio.sleep(0.02)
        raise TimeoutError(f"{self.name} did not report its statistics")

    def db_size_mb(self) -> float:
        if self.data_dir is None:
            return 0.0
        return sum(p.stat().st_size for p in self.data_dir.glob("*.db*")) / 2**20

    async def stop(self) -> None:
        await _stop(self.process)


async def _ready(name: str, process: asyncio.subprocess.Process) -> float:
    """The monotonic time the bot printed READY at (the clock is shared by every process)."""
    assert process.stdout is not None
    while True:
        line = (await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT)).decode()
        if not line:
            raise RuntimeError(f"{name} exited before it was ready")
        if line.startswith("READY "):
            return float(line.split()[1])


def _synced(client: SandboxClient) -> Any:
    async def check() -> bool:
        return bool((await client.health()).get("ready"))

    return check
