"""Finding working groups, and who may see or lead one: a private group stays unknown to outsiders.

Permission rules live in bot/domain/groups.py; this module reads the database only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.groups import Group, Visibility, slug_for
from bot.errors import UserError
from db.repositories.groups import GroupRepository


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the cog knows them: their id and whether they are a facilitator."""

    user_id: int
    facilitator: bool


class GroupAccess:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def find(self, guild_id: int, name: str) -> Group:
        async with self._sessions() as session:
            group = await GroupRepository(session).by_slug(guild_id, slug_for(name))
        if group is None:
            raise UserError("groups.error.unknown", name=name)
        return group

    async def get(self, group_id: int) -> Group | None:
        async with self._sessions() as session:
            return await GroupRepository(session).get(group_id)

    async def fetch(self, group_id: int) -> Group:
        """The group as saved now; one deleted meanwhile is unknown."""
        group = await self.get(group_id)
        if group is None:
            raise UserError("groups.error.unknown", name=str(group_id))
        return group

    async def visible_to(self, guild_id: int, actor: Actor) -> list[Group]:
        async with self._sessions() as session:
            repo = GroupRepository(session)
            groups = await repo.all(guild_id)
            return [g for g in groups if await self._may_see(repo, g, actor)]

    async def _may_see(self, repo: GroupRepository, group: Group, actor: Actor) -> bool:
        if group.visibility is not Visibility.PRIVATE or actor.facilitator:
            return True
        return await repo.membership(group.id, actor.user_id) is not None

    async def find_visible(self, guild_id: int, name: str, actor: Actor) -> Group:
        group = await self.find(guild_id, name)
        async with self._sessions() as session:
            if not await self._may_see(GroupRepository(session), group, actor):
                raise UserError("groups.error.unknown", name=name)
        return group

    async def find_as(self, guild_id: int, name: str, user_id: int, *, facilitator: bool = False) -> Group:
        """The group, unless it is private and `user_id` is not in it: then it is unknown to them."""
        group = await self.find(guild_id, name)
        if group.visibility is Visibility.PRIVATE and not facilitator:
            async with self._sessions() as session:
                if await GroupRepository(session).membership(group.id, user_id) is None:
                    raise UserError("groups.error.unknown", name=name)
        return group

    async def find_led(self, guild_id: int, name: str, actor: Actor) -> Group:
        """The group, if `actor` leads it or is a facilitator (see `find_as` and `require_lead`)."""
        group = await self.find_as(guild_id, name, actor.user_id, facilitator=actor.facilitator)
        await self.require_lead(group, actor)
        return group

    async def require_lead(self, group: Group, actor: Actor) -> None:
        """Leads of the group and facilitators pass; anyone else is refused (a private group stays unknown)."""
        if actor.facilitator:
            return
        async with self._sessions() as session:
            membership = await GroupRepository(session).membership(group.id, actor.user_id)
        if membership is None and group.visibility is Visibility.PRIVATE:
            raise UserError("groups.error.unknown", name=group.name)  # never confirm a private group
        if membership is None or not membership.lead:
            raise UserError("groups.error.lead_only", name=group.name)
