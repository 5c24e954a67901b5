"""GroupDirectory: the one directory message in the working-groups channel, kept current."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.groups import Visibility
from tests.bot.services import groups_fakes
from tests.bot.services.groups_fakes import WG_CHANNEL, GroupHarness, text_of

# On SQLite, copy one migrated file per test instead of migrating each time (PostgreSQL as before).
engine = groups_fakes.engine_from_template
migrated_sqlite = groups_fakes.migrated_sqlite
wg = groups_fakes.wg


async def test_the_directory_is_posted_once_then_edited_never_duplicated(wg: GroupHarness) -> None:
    for name in ("Peer Support", "Drug Checking", "Policy"):
        await wg.create(name)

    (directory,) = wg.desk.directories(WG_CHANNEL)
    assert [m.id for m in wg.desk.posts if m.channel_id == WG_CHANNEL] == [directory.id]
    assert len(directory.edits) == 2
    assert wg.directory_slugs() == ["wg-drug-checking", "wg-peer-support", "wg-policy"]


async def test_the_directory_lists_open_and_request_groups_but_never_private_ones(wg: GroupHarness) -> None:
    await wg.create("Open Group", Visibility.OPEN)
    await wg.create("Ask First", Visibility.REQUEST)
    await wg.create("Secret Circle", Visibility.PRIVATE)

    assert wg.directory_slugs() == ["wg-ask-first", "wg-open-group"]
    assert "Secret Circle" not in text_of(wg.directory_card())


async def test_the_directory_links_open_channels_only(wg: GroupHarness) -> None:
    open_group = await wg.create("Open Group", Visibility.OPEN)
    ask_first = await wg.create("Ask First", Visibility.REQUEST)

    said = text_of(wg.directory_card())
    assert f"<#{open_group.channel_id}>" in said
    assert f"<#{ask_first.channel_id}>" not in said


async def test_the_directory_is_posted_again_when_its_message_was_deleted(wg: GroupHarness) -> None:
    await wg.create("Peer Support")
    (gone,) = wg.desk.directories()
    wg.desk.delete(gone.id)

    await wg.create("Drug Checking")
    await wg.create("Policy")

    (directory,) = wg.desk.directories()
    assert directory.id != gone.id
    assert len(directory.edits) == 1  # the third create edited the re-posted message


async def test_no_directory_without_a_working_groups_channel(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    wg = GroupHarness(sessions)
    await wg.setup_guild(directory=False)

    group = await wg.create()

    assert [m.id for m in wg.desk.messages.values()] == [group.charter_message_id]
