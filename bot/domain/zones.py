"""Time zones: IANA's rules as the pinned `tzdata` package holds them, never the host's copy.

Python's zoneinfo reads the host's files first, and a host's copy can lag behind IANA. Debian 12's
(2025b) still puts British Columbia, Alberta and Manitoba back on standard time on 2026-11-01, where
IANA's current rules (tzdata 2026f) keep them on UTC-7, -6 and -5 from then on. With the host's
files the across-Canada line told people in Vancouver, Calgary and Winnipeg an hour that their
clocks did not show. Importing this module points zoneinfo at the package alone, for the whole
process, so posts, the calendar, the public page and the tests agree on every host; `iana_zone` is
how the bot names a zone.
"""

from __future__ import annotations

import zoneinfo
from zoneinfo import ZoneInfo

zoneinfo.reset_tzpath(to=())  # no host directories: zoneinfo then loads from the tzdata package
ZoneInfo.clear_cache()  # a zone built before this line came from the host


def iana_zone(key: str) -> ZoneInfo:
    """The IANA zone `key` (e.g. "America/Toronto"). Raises ZoneInfoNotFoundError for a name IANA
    does not have, and ValueError or OSError for something that is not a zone name at all."""
    return ZoneInfo(key)
