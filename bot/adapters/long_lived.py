"""Long-lived objects kept out of the cyclic garbage collector's full collections.

The guilds' member lists (5,000 members: tens of thousands of objects) and all that start-up built live
as long as the process, yet each full collection re-scanned them: about 150 ms, once per thousand
commands or so (`python -m bench`). Once the bot is ready they are frozen (`gc.freeze`).

A new gateway session (not a resume) rebuilds discord.py's caches, and the old ones are cycles
(a member refers to its guild, which holds its members) that a frozen generation would keep forever.
So at every later ready the previous freeze is undone and collected once before freezing again: one
pause of that size per new session, which Discord asks for rarely.
"""

from __future__ import annotations

import gc


class LongLivedObjects:
    def __init__(self) -> None:
        self._frozen = False

    def freeze(self) -> None:
        """Call when the bot is ready (discord.py's on_ready: after every new session)."""
        if self._frozen:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        self._frozen = True
