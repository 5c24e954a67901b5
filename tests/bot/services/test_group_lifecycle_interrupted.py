"""GroupLifecycle.finish_unbuilt: a creation cut short by a crash is completed once at the next start."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.groups import Group
from bot.services.group_lifecycle import GroupLifecycle
from bot.services.groups import WorkingGroups
from db.repositories.groups import GroupRepository
from tests.bot.services import groups_fakes
from tests.bot.services.groups_fakes import GUILD, LEAD, GroupHarness

engine = groups_fakes.engine_from_template
migrated_sqlite = groups_fakes.migrated_sqlite
wg = groups_fakes.wg


class ProcessDied(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause of the service catches it."""


async def die_creating(wg: GroupHarness, step: str) -> Group:
    """`wg create` whose process dies when it reaches `step` of the admin port."""
    real = getattr(wg.admin, step)

    async def dying(*args: object, **kwargs: object) -> object:
        setattr(wg.admin, step, real)
        raise ProcessDied

    setattr(wg.admin, step, dying)
    with pytest.raises(ProcessDied):
        await wg.create("Peer Support")
    async with wg.sessions() as session:
        (group,) = await GroupRepository(session).all(GUILD)
    return group


def restarted(wg: GroupHarness) -> GroupLifecycle:
    wg.clock.advance(timedelta(minutes=1))
    return WorkingGroups(wg.context).lifecycle


@pytest.mark.parametrize("step", ["create_text_channel", "add_role", "pin"])
async def test_an_interrupted_creation_ends_with_one_role_one_channel_one_charter(
    wg: GroupHarness, step: str
) -> None:
    group = await die_creating(wg, step)

    (finished,) = await restarted(wg).finish_unbuilt(GUILD)

    group = await wg.get(group)
    assert finished.id == group.id
    assert list(wg.admin.roles) == [group.role_id]
    assert list(wg.admin.channels) == [group.channel_id]
    assert group.role_id in wg.admin.roles_of(LEAD)
    charters = {m.id for m in wg.desk.posts if m.channel_id == group.channel_id}
    assert charters == {group.charter_message_id}
    assert wg.admin.channels[group.channel_id].pins == [group.charter_message_id]


async def test_a_finished_group_is_left_alone(wg: GroupHarness) -> None:
    await wg.create("Peer Support")
    calls = list(wg.admin.calls)

    assert await restarted(wg).finish_unbuilt(GUILD) == []
    assert wg.admin.calls == calls


async def test_a_creation_begun_by_this_process_is_not_finished_by_it(wg: GroupHarness) -> None:
    await die_creating(wg, "create_text_channel")  # as if still running in this very process

    assert await wg.lifecycle.finish_unbuilt(GUILD) == []
