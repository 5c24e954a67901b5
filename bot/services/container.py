"""What the composition root hands to cogs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.i18n import Catalog
from bot.services.community import CommunityService
from bot.services.dropin import DropinService
from bot.services.dropin_text import DropinText
from bot.services.forget import ForgetMe
from bot.services.groups import WorkingGroups
from bot.services.members import MembersService
from bot.services.minutes import MinutesService
from bot.services.minutes_archive import MinutesArchive
from bot.services.questions import Questions
from bot.services.settings import SettingsService
from bot.services.web import WebService
from bot.services.zoom import ZoomService
from bot.services.zoom_text import ZoomText

if TYPE_CHECKING:
    from bot.web.metrics import Metrics


@dataclass(frozen=True)
class Services:
    catalog: Catalog
    clock: Clock
    settings: SettingsService
    community: CommunityService
    dropin: DropinService
    dropin_text: DropinText
    questions: Questions
    groups: WorkingGroups
    minutes: MinutesService
    minutes_archive: MinutesArchive
    members: MembersService
    forget: ForgetMe
    web: WebService | None = None
    zoom: ZoomService | None = None  # None without NSSCOP_ZOOM_WEBHOOK_SECRET
    zoom_text: ZoomText | None = None
    metrics: Metrics | None = None
    web_base_url: Callable[[], str] = lambda: ""  # where members reach the web server
