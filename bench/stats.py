"""What a benchmarked bot reports on SIGUSR1, written to its STATS_FILE as JSON.

`seq` numbers the reports; `cpu_s` is the process's own CPU time (CLOCK_PROCESS_CPUTIME_ID: every
thread, running or ended, to the nanosecond). /proc's utime and stime count 10 ms ticks, about ±6%
of the bare bot's CPU over one quick repetition, as much as a target's margin. Our bot adds its
database round trips.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path


def report_on_signal(path: Path, extra: Callable[[], dict[str, int]] = dict) -> None:
    """Call from the bot's running event loop."""
    seq = [0]

    def write() -> None:
        seq[0] += 1
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"seq": seq[0], "cpu_s": time.process_time(), **extra()}))
        os.replace(temporary, path)

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, write)
