"""The members service on a real database, with a fake Discord for roles and DMs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.members import DEFAULT_ROLES
from bot.domain.settings import ChannelPurpose
from bot.i18n import default_catalog
from bot.services.community import CommunityService
from bot.services.members import MembersService
from bot.services.members_text import MembersText
from bot.services.ports import Card, DeliveryError
from bot.services.settings import SettingsService
from tests.bot.services.dropin_fakes import GUILD, Harness

WELCOME_CHANNEL = 355555555555555555
USER = 455555555555555555


@dataclass
class FakeRoles:
    roles: dict[int, str] = field(default_factory=dict)
    held: dict[int, set[int]] = field(default_factory=dict)  # user id -> role ids
    calls: list[tuple[str, int]] = field(default_factory=list)
    next_id: int = 600_000_000_000_000_000

    def role_exists(self, guild_id: int, role_id: int) -> bool:
        return role_id in self.roles

    async def create_role(self, guild_id: int, name: str) -> int:
        self.next_id += 1
        self.roles[self.next_id] = name
        self.calls.append(("create", self.next_id))
        return self.next_id

    def role_name(self, guild_id: int, role_id: int) -> str | None:
        return self.roles.get(role_id)

    async def rename_role(self, guild_id: int, role_id: int, name: str) -> None:
        self.calls.append(("rename", role_id))
        self.roles[role_id] = name

    async def add_role(self, guild_id: int, user_id: int, role_id: int) -> None:
        self.calls.append(("add", role_id))
        self.held.setdefault(user_id, set()).add(role_id)

    async def remove_role(self, guild_id: int, user_id: int, role_id: int) -> None:
        self.calls.append(("remove", role_id))
        self.held.setdefault(user_id, set()).discard(role_id)


@dataclass
class FakeDesk:
    dms: list[tuple[int, Card]] = field(default_factory=list)
    posts: list[tuple[int, Card]] = field(default_factory=list)
    closed: set[int] = field(default_factory=set)

    async def post_card(self, channel_id: int, card: Card, nonce: str | None = None) -> int:
        self.posts.append((channel_id, card))
        return 900 + len(self.posts)

    async def edit_card(self, channel_id: int, message_id: int, card: Card) -> None:
        if message_id not in range(901, 901 + len(self.posts)):
            raise DeliveryError("gone", status=404)

    async def start_thread(self, channel_id: int, message_id: int, name: str) -> int:
        raise AssertionError("not used")

    async def send_dm(self, user_id: int, card: Card) -> bool:
        if user_id in self.closed:
            return False
        self.dms.append((user_id, card))
        return True


class MembersHarness:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.dropin = Harness(sessions)
        self.clock = self.dropin.clock
        self.settings = SettingsService(sessions, self.clock, "both")
        self.roles = FakeRoles()
        self.desk = FakeDesk()
        self.text = MembersText(default_catalog())
        self.service = MembersService(
            sessions,
            self.clock,
            self.settings,
            CommunityService(self.clock, self.dropin.service),
            self.roles,
            self.desk,
            self.text,
            tag_key=b"k" * 32,
            roles=DEFAULT_ROLES,
        )

    async def with_welcome_channel(self) -> None:
        await self.settings.bootstrap(GUILD, channels={ChannelPurpose.WELCOME: WELCOME_CHANNEL}, roles={})
