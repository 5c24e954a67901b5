"""Working groups: create, join, lead, announce, archive, reconcile; participation for honoraria.

Permission rules live in bot/domain/groups.py. Each part of the feature is a service of its own
(group_access, group_membership, group_leads, group_lifecycle, group_honoraria), sharing what keeps
Discord in step with the database (group_sync, group_directory); this bundle wires them once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.domain.shards import every_guild
from bot.services.group_access import GroupAccess
from bot.services.group_context import GroupContext
from bot.services.group_directory import GroupDirectory
from bot.services.group_honoraria import GroupHonoraria
from bot.services.group_leads import GroupLeads
from bot.services.group_lifecycle import INACTIVE_AFTER, GroupLifecycle
from bot.services.group_membership import GroupMembership
from bot.services.group_sync import GroupSync


class WorkingGroups:
    """The working-groups services on one database and one Discord, as the cogs and timers use them."""

    def __init__(
        self,
        context: GroupContext,
        inactive_after: timedelta = INACTIVE_AFTER,
        owns: Callable[[int], bool] = every_guild,  # this process's guilds (bot/domain/shards.py)
    ) -> None:
        self.text = context.text  # what the working-groups cogs reply with
        self.access = GroupAccess(context.sessions)
        sync = GroupSync(context, self.access)
        directory = GroupDirectory(context)
        self.membership = GroupMembership(context, self.access, sync)
        self.leads = GroupLeads(context, self.access, sync, directory)
        self.lifecycle = GroupLifecycle(context, self.access, sync, directory, inactive_after, owns)
        self.honoraria = GroupHonoraria(context, self.access)
