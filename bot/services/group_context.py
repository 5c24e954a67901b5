"""What every working-group service works with: the database, the clock, guild settings, Discord, the text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.services.group_text import GroupText
from bot.services.ports import GuildAdmin, QuestionDesk
from bot.services.settings import SettingsService


@dataclass(frozen=True)
class GroupContext:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    settings: SettingsService
    admin: GuildAdmin
    desk: QuestionDesk
    text: GroupText
