"""The language each person last used with the bot, read from their interactions' locale.

A DM carries no locale, so this is how a DM reaches someone in their own language (DESIGN §6).
Kept in memory only, bounded, never stored or logged: after a restart the bot falls back to the
language of the person's server until they interact again.
"""

from __future__ import annotations

from collections import OrderedDict

from bot.i18n import Lang

CAPACITY = 10_000


class LanguageMemory:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._langs: OrderedDict[int, Lang] = OrderedDict()

    def remember(self, user_id: int, lang: Lang) -> None:
        self._langs[user_id] = lang
        self._langs.move_to_end(user_id)
        while len(self._langs) > self._capacity:
            self._langs.popitem(last=False)

    def recall(self, user_id: int) -> Lang | None:
        return self._langs.get(user_id)
