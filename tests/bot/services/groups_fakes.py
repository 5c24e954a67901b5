"""Hand-written fakes of the GuildAdmin and QuestionDesk ports, and a working-groups harness on a real database."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import FixedClock
from bot.domain.groups import CATEGORY_CHANNEL_LIMIT, Group, Membership, Visibility, overwrites, slug_for
from bot.domain.settings import ChannelPurpose, RolePurpose
from bot.i18n import default_catalog
from bot.services.group_access import Actor
from bot.services.group_context import GroupContext
from bot.services.group_lifecycle import INACTIVE_AFTER
from bot.services.group_text import GroupText
from bot.services.groups import WorkingGroups
from bot.services.ports import Card, DeliveryError, GuildFacts, PermissionOverwrite
from bot.services.settings import SettingsService
from db.engine import create_engine
from db.migrate import upgrade
from db.repositories.groups import GroupRepository, JoinRequest

GUILD = 123456789012345678
OTHER_GUILD = 223456789012345678
BOT_USER = 100000000000000001
WG_CHANNEL = 311111111111111111  # #working-groups: the directory lives here
FACILITATORS_CHANNEL = 322222222222222222
OTHER_WG_CHANNEL = 411111111111111111
OTHER_FACILITATORS_CHANNEL = 422222222222222222
CHANNELS = {
    GUILD: (WG_CHANNEL, FACILITATORS_CHANNEL),
    OTHER_GUILD: (OTHER_WG_CHANNEL, OTHER_FACILITATORS_CHANNEL),
}
FACILITATOR_ROLE = 433333333333333333
# People, named like the sandbox's: a lead, plain members and a facilitator.
LEAD = 500000000000000001
ALEX = 500000000000000002
SAM = 500000000000000003
RILEY = 500000000000000004
FIONA = 500000000000000005  # a facilitator
NAMES = {LEAD: "Lee", ALEX: "Alex", SAM: "Sam", RILEY: "Riley", FIONA: "Fiona"}
AS_LEAD = Actor(LEAD, facilitator=False)
AS_FACILITATOR = Actor(FIONA, facilitator=True)
T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # a Tuesday
EVERYTHING = frozenset(
    {
        "manage_roles",
        "manage_channels",
        "view_channel",
        "send_messages",
        "embed_links",
        "read_message_history",
        "pin_messages",
        "manage_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "add_reactions",
        "attach_files",
    }
)  # what the bot is invited with (bot/discord_bot.py), as far as working groups are concerned
DESCRIPTION = "Peers supporting peers: tools and guidance from lived experience."


# --- a migrated database, faster ----------------------------------------------------------------


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head by the app's own migrations, once per test run."""
    path = tmp_path_factory.mktemp("groups-template") / "migrated.db"

    async def migrate() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()  # the last connection closing checkpoints the WAL into the file

    with ThreadPoolExecutor(max_workers=1) as pool:  # its own event loop, never the tests' loop
        pool.submit(asyncio.run, migrate()).result()
    return path


@pytest.fixture(name="engine")
async def engine_from_template(database_url: str, migrated_sqlite: Path) -> AsyncIterator[AsyncEngine]:
    """tests/conftest.py's `engine`, except that on SQLite the migrated file is copied, not re-migrated.

    Test modules opt in by binding both fixtures at module level; PostgreSQL is migrated per test."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        shutil.copyfile(migrated_sqlite, parsed.database)
        engine = create_engine(database_url)
    else:
        engine = create_engine(database_url)
        await upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


def not_found(what: str, code: int) -> DeliveryError:
    return DeliveryError(f"NotFound status=404 code={code} ({what})")


@dataclass
class FakeChannel:
    id: int
    guild_id: int
    name: str
    category_id: int
    overwrites: list[PermissionOverwrite]
    topic: str
    pins: list[int] = field(default_factory=list)
    updates: int = 0


@dataclass(frozen=True)
class FakeCategory:
    id: int
    guild_id: int
    name: str


class FakeGuildAdmin:
    """Roles, members' roles, categories and channels in memory, for any number of guilds.

    `bot_permissions` is what the bot holds guild-wide; `fail[kind] = n` makes the next n calls of
    that kind (create_role, create_text_channel, update_channel, add_role, remove_role, pin) raise
    DeliveryError. `delete_channel`/`delete_role` act as an admin deleting them by hand; `activity`
    holds each channel's last-message time; `names` the members' display names."""

    def __init__(self) -> None:
        self.bot_permissions: frozenset[str] = EVERYTHING
        self.roles: dict[int, tuple[int, str]] = {}  # role id -> (guild id, name)
        self.member_roles: dict[tuple[int, int], set[int]] = {}  # (guild, user) -> role ids
        self.categories: dict[int, FakeCategory] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.activity: dict[int, datetime] = {}
        self.names: dict[int, str] = dict(NAMES)
        self.fail: dict[str, int] = {}
        self.calls: list[tuple[str, int]] = []  # (kind, id acted on), in order
        self._next_id = 800_000_000_000_000_000

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _call(self, kind: str, target: int) -> None:
        if self.fail.get(kind, 0) > 0:
            self.fail[kind] -= 1
            raise DeliveryError(f"Forbidden status=403 code=50013 ({kind})")
        self.calls.append((kind, target))

    # --- the port -------------------------------------------------------------------------------
    def facts(self, guild_id: int) -> GuildFacts:
        return GuildFacts(
            everyone_role_id=guild_id, bot_user_id=BOT_USER, bot_permissions=self.bot_permissions
        )

    async def create_role(self, guild_id: int, name: str) -> int:
        self._call("create_role", guild_id)
        role_id = self._new_id()
        self.roles[role_id] = (guild_id, name)
        return role_id

    async def category_with_room(self, guild_id: int, base_name: str) -> int:
        """Like the Discord adapter: `base`, `base 2`, `base 3`…, the first with fewer than 50 channels."""
        for name in [base_name] + [f"{base_name} {n}" for n in range(2, 20)]:
            category = self.category_named(guild_id, name)
            if category is None:
                return self.add_category(guild_id, name).id
            if self.count_in(category.id) < CATEGORY_CHANNEL_LIMIT:
                return category.id
        raise DeliveryError("no category with room")

    async def create_text_channel(
        self, guild_id: int, name: str, category_id: int, overwrites: list[PermissionOverwrite], topic: str
    ) -> int:
        self._call("create_text_channel", guild_id)
        assert self.categories[category_id].guild_id == guild_id
        channel = FakeChannel(self._new_id(), guild_id, name, category_id, list(overwrites), topic)
        self.channels[channel.id] = channel
        return channel.id

    async def update_channel(
        self,
        channel_id: int,
        *,
        category_id: int | None = None,
        overwrites: list[PermissionOverwrite] | None = None,
        topic: str | None = None,
    ) -> None:
        self._call("update_channel", channel_id)
        channel = self.channels.get(channel_id)
        if channel is None:
            raise not_found("channel", 10003)
        if category_id is not None:
            channel.category_id = category_id
        if overwrites is not None:
            channel.overwrites = list(overwrites)
        if topic is not None:
            channel.topic = topic
        channel.updates += 1

    async def add_role(self, guild_id: int, user_id: int, role_id: int) -> None:
        self._call("add_role", role_id)
        if role_id not in self.roles:
            raise not_found("role", 10011)
        self.member_roles.setdefault((guild_id, user_id), set()).add(role_id)

    async def remove_role(self, guild_id: int, user_id: int, role_id: int) -> None:
        self._call("remove_role", role_id)
        if role_id not in self.roles:
            raise not_found("role", 10011)
        self.member_roles.get((guild_id, user_id), set()).discard(role_id)

    async def pin(self, channel_id: int, message_id: int) -> None:
        self._call("pin", channel_id)
        self.channels[channel_id].pins.append(message_id)

    async def discard_channel(self, channel_id: int) -> None:
        self._call("discard_channel", channel_id)
        if self.channels.pop(channel_id, None) is None:
            raise not_found("channel", 10003)

    async def discard_role(self, guild_id: int, role_id: int) -> None:
        self._call("discard_role", role_id)
        if self.roles.pop(role_id, None) is None:
            raise not_found("role", 10011)
        for held in self.member_roles.values():
            held.discard(role_id)

    def channel_exists(self, guild_id: int, channel_id: int) -> bool:
        channel = self.channels.get(channel_id)
        return channel is not None and channel.guild_id == guild_id

    def role_exists(self, guild_id: int, role_id: int) -> bool:
        return self.roles.get(role_id, (None, ""))[0] == guild_id

    async def last_activity(self, channel_id: int) -> datetime | None:
        return self.activity.get(channel_id)

    def display_name(self, guild_id: int, user_id: int) -> str:
        return self.names.get(user_id, f"user-{user_id}")

    # --- for tests ------------------------------------------------------------------------------
    def add_category(self, guild_id: int, name: str) -> FakeCategory:
        category = FakeCategory(self._new_id(), guild_id, name)
        self.categories[category.id] = category
        return category

    def category_named(self, guild_id: int, name: str) -> FakeCategory | None:
        return next((c for c in self.categories.values() if c.guild_id == guild_id and c.name == name), None)

    def count_in(self, category_id: int) -> int:
        return sum(1 for c in self.channels.values() if c.category_id == category_id)

    def fill(self, guild_id: int, category_name: str, count: int) -> None:
        """Channels made by hand in a category (say, older groups)."""
        category = self.category_named(guild_id, category_name) or self.add_category(guild_id, category_name)
        for n in range(count):
            channel = FakeChannel(self._new_id(), guild_id, f"by-hand-{n}", category.id, [], "")
            self.channels[channel.id] = channel

    def category_name_of(self, channel_id: int) -> str:
        return self.categories[self.channels[channel_id].category_id].name

    def roles_of(self, user_id: int, guild_id: int = GUILD) -> set[int]:
        return set(self.member_roles.get((guild_id, user_id), set()))

    def delete_channel(self, channel_id: int) -> None:
        del self.channels[channel_id]

    def delete_role(self, role_id: int) -> None:
        del self.roles[role_id]
        for held in self.member_roles.values():
            held.discard(role_id)

    def count(self, kind: str) -> int:
        return sum(1 for k, _ in self.calls if k == kind)


@dataclass
class FakeMessage:
    id: int
    channel_id: int
    card: Card
    nonce: str | None
    edits: list[Card] = field(default_factory=list)

    @property
    def current(self) -> Card:
        return self.edits[-1] if self.edits else self.card


@dataclass(frozen=True)
class DM:
    user_id: int
    card: Card
    delivered: bool  # False when the user does not accept DMs or the call raised


class FakeDesk:
    """Messages the bot posted, by id, with their edits; and the DMs it sent.

    Like Discord with `enforce_nonce`, a post repeating a nonce returns the first message.
    `fail[kind] = n` (kind: post, edit, dm) makes the next n calls raise DeliveryError; editing a
    message that `delete` removed raises DeliveryError too; users in `closed_dms` refuse DMs."""

    def __init__(self) -> None:
        self.messages: dict[int, FakeMessage] = {}
        self.posts: list[FakeMessage] = []  # every post call that returned, repeats included
        self.dms: list[DM] = []
        self.fail: dict[str, int] = {}
        self.closed_dms: set[int] = set()
        self._by_nonce: dict[str, int] = {}
        self._next_id = 900_000_000_000_000_000

    def _failing(self, kind: str) -> bool:
        if self.fail.get(kind, 0) > 0:
            self.fail[kind] -= 1
            return True
        return False

    async def find_card(self, channel_id: int, card: Card) -> int | None:
        return None

    async def post_card(self, channel_id: int, card: Card, nonce: str | None = None) -> int:
        if self._failing("post"):
            raise DeliveryError("DiscordServerError status=503 code=0")
        known = self._by_nonce.get(nonce) if nonce else None
        if known is not None:
            self.posts.append(self.messages[known])
            return known
        self._next_id += 1
        message = FakeMessage(self._next_id, channel_id, card, nonce)
        self.messages[message.id] = message
        self.posts.append(message)
        if nonce:
            self._by_nonce[nonce] = message.id
        return message.id

    async def edit_card(self, channel_id: int, message_id: int, card: Card) -> None:
        message = self.messages.get(message_id)
        if self._failing("edit") or message is None or message.channel_id != channel_id:
            raise not_found("message", 10008)
        message.edits.append(card)

    async def start_thread(self, channel_id: int, message_id: int, name: str) -> int:
        raise AssertionError("working groups never start threads")

    async def send_dm(self, user_id: int, card: Card) -> bool:
        if self._failing("dm"):
            self.dms.append(DM(user_id, card, delivered=False))
            raise DeliveryError("Forbidden status=403 code=50007")
        accepted = user_id not in self.closed_dms
        self.dms.append(DM(user_id, card, delivered=accepted))
        return accepted

    # --- for tests ------------------------------------------------------------------------------
    def delete(self, message_id: int) -> None:
        del self.messages[message_id]

    def in_channel(self, channel_id: int) -> list[FakeMessage]:
        """Distinct messages that exist in a channel, oldest first."""
        return [m for m in self.messages.values() if m.channel_id == channel_id]

    def directories(self, channel_id: int = WG_CHANNEL) -> list[FakeMessage]:
        return [m for m in self.in_channel(channel_id) if m.card.menu is not None]

    def edit_count(self) -> int:
        return sum(len(m.edits) for m in self.messages.values())


def text_of(card: Card) -> str:
    """Everything a card says, for assertions."""
    parts = [card.content]
    for embed in card.embeds:
        parts += [embed.title, embed.description]
    parts += [action.label for action in card.actions]
    if card.menu is not None:
        parts += [card.menu.placeholder, *(label for label, _ in card.menu.options)]
    return "\n".join(parts)


def expected_overwrites(
    group: Group, *, lead_ids: frozenset[int], facilitator_role_id: int | None = FACILITATOR_ROLE
) -> list[PermissionOverwrite]:
    """The overwrites bot/domain/groups.py calls for, in the port's type."""
    assert group.role_id is not None
    return [
        PermissionOverwrite(o.target_id, o.is_role, o.allow, o.deny)
        for o in overwrites(
            group.visibility,
            archived=group.archived,
            everyone_role_id=group.guild_id,
            group_role_id=group.role_id,
            facilitator_role_id=facilitator_role_id,
            bot_user_id=BOT_USER,
            lead_ids=lead_ids,
            grantable=EVERYTHING,
        )
    ]


class GroupHarness:
    """The working-groups services on a real database with fake Discord ports and a clock standing still."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], inactive_after: timedelta = INACTIVE_AFTER
    ):
        self.sessions = sessions
        self.clock = FixedClock(T0)
        self.settings = SettingsService(sessions, self.clock, "both")
        self.admin = FakeGuildAdmin()
        self.desk = FakeDesk()
        self.text = GroupText(default_catalog())
        self.context = GroupContext(sessions, self.clock, self.settings, self.admin, self.desk, self.text)
        groups = WorkingGroups(self.context, inactive_after)
        self.access, self.membership, self.leads = groups.access, groups.membership, groups.leads
        self.lifecycle, self.honoraria = groups.lifecycle, groups.honoraria

    async def setup_guild(self, guild_id: int = GUILD, *, directory: bool = True) -> None:
        directory_channel, facilitators_channel = CHANNELS[guild_id]
        channels = {ChannelPurpose.FACILITATORS: facilitators_channel}
        if directory:
            channels[ChannelPurpose.WORKING_GROUPS] = directory_channel
        await self.settings.bootstrap(guild_id, channels, {RolePurpose.FACILITATOR: FACILITATOR_ROLE})

    async def create(
        self,
        name: str = "Peer Support",
        visibility: Visibility = Visibility.OPEN,
        *,
        lead: int = LEAD,
        guild_id: int = GUILD,
        description: str = DESCRIPTION,
    ) -> Group:
        return await self.lifecycle.create(guild_id, name, description, visibility, lead)

    async def get(self, group: Group) -> Group:
        async with self.sessions() as session:
            found = await GroupRepository(session).get(group.id)
        assert found is not None
        return found

    async def enroll(self, group: Group, *user_ids: int) -> None:
        """Make plain members straight in the database (and Discord), a minute apart so they list in order."""
        for user_id in user_ids:
            self.clock.advance(timedelta(minutes=1))
            async with self.sessions.begin() as session:
                await GroupRepository(session).add_member(group.id, user_id, self.clock.now())
            assert group.role_id is not None
            await self.admin.add_role(group.guild_id, user_id, group.role_id)

    async def members(self, group: Group) -> list[Membership]:
        async with self.sessions() as session:
            return await GroupRepository(session).members(group.id)

    async def request(self, request_id: int) -> JoinRequest | None:
        async with self.sessions() as session:
            return await GroupRepository(session).request(request_id)

    def channel(self, group: Group) -> FakeChannel:
        assert group.channel_id is not None
        return self.admin.channels[group.channel_id]

    def member_overwrite(self, group: Group, user_id: int) -> PermissionOverwrite | None:
        return next(
            (o for o in self.channel(group).overwrites if not o.is_role and o.target_id == user_id), None
        )

    def charter(self, group: Group) -> FakeMessage:
        assert group.charter_message_id is not None
        return self.desk.messages[group.charter_message_id]

    def directory_card(self) -> Card:
        (message,) = self.desk.directories()
        return message.current

    def directory_slugs(self) -> list[str]:
        """The groups the directory menu offers (its values are names, as /wg join takes them)."""
        menu = self.directory_card().menu
        assert menu is not None
        return [slug_for(value) for _, value in menu.options]

    def facilitator_reports(self, guild_id: int = GUILD) -> list[FakeMessage]:
        return self.desk.in_channel(CHANNELS[guild_id][1])

    async def request_to_join(self, name: str = "Peer Support", user_id: int = ALEX) -> int:
        """A join request on a group that needs approval; returns the request id from its card."""
        before = len(self.desk.posts)
        assert await self.membership.join(GUILD, name, user_id) == "requested"
        (card,) = [m.card for m in self.desk.posts[before:]]
        return card.actions[0].target_id


@pytest.fixture
async def wg(sessions: async_sessionmaker[AsyncSession]) -> GroupHarness:
    """The harness with one guild set up; a test module binds it at module level, as `engine` above."""
    harness = GroupHarness(sessions)
    await harness.setup_guild()
    return harness
