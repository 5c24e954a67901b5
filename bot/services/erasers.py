"""Each feature's part of forget-me: which person-derived columns it keeps and how it erases them.

Adding a table with a person-derived column means adding it to one eraser's `covers` (and erasing it);
tests/meta/test_forget_coverage.py fails otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.forget import Erased
from bot.domain.questions import Forgotten
from db.repositories.erasure import ErasureRepository

QuestionsForget = Callable[[int], Awaitable[Forgotten]]
MembersForget = Callable[[int], Awaitable[int]]


class QuestionsEraser:
    """Delegates to the questions feature, whose rules decide what forgetting means there (drafts and
    relay records go; a block still holds)."""

    feature = "questions"
    covers = frozenset(
        {
            "question_drafts.owner_tag",
            "questions.pseudonym",
            "questions.relay_sealed",
            "questions.relay_expires_at",
            "question_blocks.pseudonym",
            "question_aliases.pseudonym",
        }
    )

    def __init__(self, forget: QuestionsForget) -> None:
        self._forget = forget

    async def erase(self, user_id: int) -> Erased:
        done = await self._forget(user_id)
        deleted = (
            ("drafts", done.drafts),
            ("relays", done.relays),
            ("questions", done.questions),
            ("review_cards", done.review_cards),
        )
        return Erased(self.feature, deleted=deleted)


class DropinEraser:
    """The drop-in keeps nothing about a person: its notification opt-in is a Discord role, which stays
    the member's to remove, and suggested topics are stored without their author."""

    feature = "dropin"
    covers: frozenset[str] = frozenset()

    async def erase(self, user_id: int) -> Erased:
        return Erased(self.feature)


class GroupsEraser:
    feature = "groups"
    covers = frozenset(
        {
            "group_requests.user_id",
            "group_members.user_id",
            "honoraria_optins.user_id",
            "group_attendance.user_id",
        }
    )

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def erase(self, user_id: int) -> Erased:
        async with self._sessions.begin() as session:
            repo = ErasureRepository(session)
            deleted = (
                ("requests", await repo.delete_group_requests(user_id)),
                ("memberships", await repo.delete_group_memberships(user_id)),
                ("honoraria_optin", await repo.delete_honoraria_optins(user_id)),
                ("attendance", await repo.delete_attendance(user_id)),
            )
        return Erased(self.feature, deleted=deleted)


class MinutesEraser:
    feature = "minutes"
    covers = frozenset({"minutes.author_id", "minutes_revisions.author_id", "minutes_revisions.approved_by"})

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def erase(self, user_id: int) -> Erased:
        async with self._sessions.begin() as session:
            repo = ErasureRepository(session)
            deleted = (
                ("authorship", await repo.unlink_published_minutes(user_id)),
                ("revisions", await repo.unlink_revisions(user_id)),
            )
            kept = (("in_progress", await repo.minutes_in_progress(user_id)),)
        return Erased(self.feature, deleted=deleted, kept=kept)


class MembersEraser:
    feature = "members"
    covers = frozenset({"member_welcomes.member_tag"})

    def __init__(self, forget: MembersForget) -> None:
        self._forget = forget

    async def erase(self, user_id: int) -> Erased:
        return Erased(self.feature, deleted=(("welcome", await self._forget(user_id)),))


def all_erasers(
    sessions: async_sessionmaker[AsyncSession], questions: QuestionsForget, members: MembersForget
) -> tuple[QuestionsEraser, DropinEraser, GroupsEraser, MinutesEraser, MembersEraser]:
    """The registry: every feature that keeps a person-derived value has its eraser here."""
    return (
        QuestionsEraser(questions),
        DropinEraser(),
        GroupsEraser(sessions),
        MinutesEraser(sessions),
        MembersEraser(members),
    )
