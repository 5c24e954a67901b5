"""GroupAccess: which groups a member may see; a private group is listed only for its members."""

from __future__ import annotations

from bot.domain.groups import Group, Visibility
from bot.services.group_access import Actor
from tests.bot.services import groups_fakes
from tests.bot.services.groups_fakes import ALEX, FIONA, GUILD, RILEY, SAM, GroupHarness

# On SQLite, copy one migrated file per test instead of migrating each time (PostgreSQL as before).
engine = groups_fakes.engine_from_template
migrated_sqlite = groups_fakes.migrated_sqlite
wg = groups_fakes.wg


async def test_a_private_group_is_listed_only_for_members_and_facilitators(wg: GroupHarness) -> None:
    await wg.create("Open Group")
    await wg.enroll(await wg.create(visibility=Visibility.PRIVATE), ALEX, SAM)  # Lee leads

    def names(groups: list[Group]) -> list[str]:
        return [g.name for g in groups]

    assert names(await wg.access.visible_to(GUILD, Actor(RILEY, facilitator=False))) == ["Open Group"]
    assert names(await wg.access.visible_to(GUILD, Actor(ALEX, facilitator=False))) == [
        "Open Group",
        "Peer Support",
    ]
    assert names(await wg.access.visible_to(GUILD, Actor(FIONA, facilitator=True))) == [
        "Open Group",
        "Peer Support",
    ]
