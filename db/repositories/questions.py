"""Anonymous questions, drafts and blocks. No column here ever holds a Discord user id in the clear."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.questions import Draft, Question, QuestionStatus
from db.group_commit import GroupCommit
from db.models import (
    GuildSettingsRow,
    QuestionAliasRow,
    QuestionBlockRow,
    QuestionCounterRow,
    QuestionDraftRow,
    QuestionRow,
)
from db.one_trip_insert import OneTripInsert
from db.repositories._insert import insert_ignoring_conflicts


def _question(row: QuestionRow, follows_number: int | None = None) -> Question:
    return Question(
        id=row.id,
        guild_id=row.guild_id,
        number=row.number,
        text=row.text,
        pseudonym=row.pseudonym,
        status=QuestionStatus(row.status),
        urgent=row.urgent,
        hold=row.hold,
        relay=row.relay_sealed is not None,
        lang=row.asker_lang,
        created_at=row.created_at,
        review_message_id=row.review_message_id,
        published_message_id=row.published_message_id,
        thread_id=row.thread_id,
        follows_number=follows_number,
        follows_id=row.follows_id,
        deliver_after=row.deliver_after,
    )


_DRAFT_COLUMNS = ("owner_tag", "text", "guild_id", "relay", "created_at")


class DraftInserts:
    """A DM's only write, committed before the asker hears back. Drafts of DMs that arrive together
    are committed together (db/group_commit.py), each group in one trip to the database
    (db/one_trip_insert.py): the ORM's unit of work and session bookkeeping added nothing here but
    CPU on every DM."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        drafts = cast(Table, QuestionDraftRow.__table__)
        self._commit = GroupCommit(OneTripInsert(sessions, drafts, _DRAFT_COLUMNS))

    async def add(self, owner_tag: str, text: str, guild_id: int | None, now: datetime) -> Draft:
        values: dict[str, object] = {
            "owner_tag": owner_tag,
            "text": text,
            "guild_id": guild_id,
            "relay": True,
            "created_at": now,
        }
        return Draft(await self._commit(values), text, guild_id, True)


class QuestionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # drafts ---------------------------------------------------------------------------------
    async def draft(self, draft_id: int, owns: Callable[[str], bool]) -> Draft | None:
        """The draft, if `owns` accepts its owner tag (the caller checks the salted HMAC)."""
        row = await self._session.get(QuestionDraftRow, draft_id)
        if row is None or not owns(row.owner_tag):
            return None
        return Draft(row.id, row.text, row.guild_id, row.relay)

    async def update_draft(
        self, draft_id: int, *, guild_id: int | None = None, relay: bool | None = None
    ) -> None:
        values: dict[str, object] = {}
        if guild_id is not None:
            values["guild_id"] = guild_id
        if relay is not None:
            values["relay"] = relay
        if values:
            await self._session.execute(
                update(QuestionDraftRow).where(QuestionDraftRow.id == draft_id).values(**values)
            )

    async def delete_draft(self, draft_id: int) -> bool:
        """True when this call deleted it: a second, concurrent submit of the same draft gets False."""
        result = await self._session.execute(delete(QuestionDraftRow).where(QuestionDraftRow.id == draft_id))
        return bool(getattr(result, "rowcount", 0))

    async def delete_drafts_of(self, owns: Callable[[str], bool]) -> int:
        """Deletes every draft whose tag `owns` accepts (tags are salted: each is checked in turn)."""
        rows = await self._session.execute(select(QuestionDraftRow.id, QuestionDraftRow.owner_tag))
        ids = [draft_id for draft_id, tag in rows if owns(tag)]
        if ids:
            await self._session.execute(delete(QuestionDraftRow).where(QuestionDraftRow.id.in_(ids)))
        return len(ids)

    async def delete_drafts_before(self, cutoff: datetime) -> None:
        await self._session.execute(delete(QuestionDraftRow).where(QuestionDraftRow.created_at < cutoff))

    # questions ------------------------------------------------------------------------------
    async def next_number(self, guild_id: int) -> int:
        """Per-guild numbering, safe under concurrent submissions (the row update serializes them)."""
        await self._session.execute(
            insert_ignoring_conflicts(self._session, QuestionCounterRow, guild_id=guild_id, last_number=0)
        )
        result = await self._session.execute(
            update(QuestionCounterRow)
            .where(QuestionCounterRow.guild_id == guild_id)
            .values(last_number=QuestionCounterRow.last_number + 1)
            .returning(QuestionCounterRow.last_number)
        )
        return int(result.scalar_one())

    async def add(
        self,
        guild_id: int,
        number: int,
        text: str,
        pseudonym: str,
        *,
        urgent: bool,
        hold: bool,
        lang: str,
        now: datetime,
        deliver_after: datetime | None = None,
        follows_id: int | None = None,
    ) -> int:
        row = QuestionRow(
            follows_id=follows_id,
            deliver_after=deliver_after,
            guild_id=guild_id,
            number=number,
            text=text,
            pseudonym=pseudonym,
            status=QuestionStatus.PENDING.value,
            urgent=urgent,
            hold=hold,
            asker_lang=lang,
            answers=0,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def set_relay(self, question_id: int, sealed: bytes, expires_at: datetime) -> None:
        await self._session.execute(
            update(QuestionRow)
            .where(QuestionRow.id == question_id)
            .values(relay_sealed=sealed, relay_expires_at=expires_at)
        )

    async def get(self, question_id: int) -> Question | None:
        row = await self._session.get(QuestionRow, question_id)
        return (await self._questions([row]))[0] if row else None

    async def _questions(self, rows: Sequence[QuestionRow]) -> list[Question]:
        """Rows as questions; a follow-up also carries the number of the question it follows."""
        found = []
        for row in rows:
            parent = await self._session.get(QuestionRow, row.follows_id) if row.follows_id else None
            found.append(_question(row, parent.number if parent else None))
        return found

    async def sealed_relay(self, question_id: int, now: datetime) -> bytes | None:
        row = await self._session.get(QuestionRow, question_id)
        if row is None or row.relay_sealed is None or (row.relay_expires_at and row.relay_expires_at <= now):
            return None
        return row.relay_sealed

    async def decide(self, question_id: int, status: QuestionStatus, now: datetime) -> bool:
        """Moves a pending question to `status`; False when someone else decided first."""
        result = await self._session.execute(
            update(QuestionRow)
            .where(QuestionRow.id == question_id, QuestionRow.status == QuestionStatus.PENDING.value)
            .values(status=status.value, decided_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def update(self, question_id: int, **values: object) -> None:
        await self._session.execute(update(QuestionRow).where(QuestionRow.id == question_id).values(**values))

    async def count_answer(self, question_id: int) -> None:
        await self._session.execute(
            update(QuestionRow).where(QuestionRow.id == question_id).values(answers=QuestionRow.answers + 1)
        )

    async def count_since(self, guild_id: int, pseudonym: str, since: datetime) -> int:
        result = await self._session.execute(
            select(func.count())
            .select_from(QuestionRow)
            .where(
                QuestionRow.guild_id == guild_id,
                QuestionRow.pseudonym == pseudonym,
                QuestionRow.created_at >= since,
            )
        )
        return int(result.scalar_one())

    async def with_status(self, guild_id: int, statuses: tuple[QuestionStatus, ...]) -> list[Question]:
        rows = await self._session.scalars(
            select(QuestionRow)
            .where(QuestionRow.guild_id == guild_id, QuestionRow.status.in_([s.value for s in statuses]))
            .order_by(QuestionRow.number)
        )
        return await self._questions(list(rows))

    async def needing_delivery(self) -> list[Question]:
        """Pending without a review card, or published without its thread: a crash interrupted them."""
        rows = await self._session.scalars(
            select(QuestionRow).where(
                (
                    (QuestionRow.status == QuestionStatus.PENDING.value)
                    & QuestionRow.review_message_id.is_(None)
                )
                | ((QuestionRow.status == QuestionStatus.PUBLISHED.value) & QuestionRow.thread_id.is_(None))
            )
        )
        return await self._questions(list(rows))

    async def status_counts(self, guild_id: int) -> tuple[Counter[str], int, int]:
        rows = await self._session.execute(
            select(QuestionRow.status, func.count(), func.coalesce(func.sum(QuestionRow.answers), 0))
            .where(QuestionRow.guild_id == guild_id)
            .group_by(QuestionRow.status)
        )
        counts: Counter[str] = Counter()
        answers = 0
        for status, count, answered in rows:
            counts[status] = int(count)
            answers += int(answered)
        blocked = await self._session.execute(
            select(func.count()).select_from(QuestionBlockRow).where(QuestionBlockRow.guild_id == guild_id)
        )
        return counts, answers, int(blocked.scalar_one())

    async def forget_alias(
        self, guild_id: int, alias: str, replacement: Callable[[], str]
    ) -> tuple[list[int], int]:
        """Every question under `alias` gets its own `replacement()` alias and loses its sealed relay
        target: (question ids, relay records deleted)."""
        rows = await self._session.execute(
            select(QuestionRow.id, QuestionRow.relay_sealed).where(
                QuestionRow.guild_id == guild_id, QuestionRow.pseudonym == alias
            )
        )
        found = list(rows)
        for question_id, _ in found:
            await self._session.execute(
                update(QuestionRow)
                .where(QuestionRow.id == question_id)
                .values(pseudonym=replacement(), relay_sealed=None, relay_expires_at=None)
            )
        return [question_id for question_id, _ in found], sum(1 for _, sealed in found if sealed)

    async def scrub_files(self) -> None:
        """SQLite: copy the write-ahead log into the database (whose deleted bytes `secure_delete`
        zeroed) and truncate it, so bytes deleted or replaced are gone from disk too."""
        if self._session.get_bind().dialect.name == "sqlite":
            await self._session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    async def purge_relays(self, now: datetime) -> int:
        result = await self._session.execute(
            update(QuestionRow)
            .where(QuestionRow.relay_expires_at <= now)
            .values(relay_sealed=None, relay_expires_at=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def guilds(self) -> list[int]:
        return list(await self._session.scalars(select(GuildSettingsRow.guild_id)))

    # aliases --------------------------------------------------------------------------------
    async def alias(self, guild_id: int, pseudonym: str) -> str | None:
        row = await self._session.get(QuestionAliasRow, (guild_id, pseudonym))
        return row.alias if row else None

    async def add_alias(self, guild_id: int, pseudonym: str, alias: str) -> None:
        self._session.add(QuestionAliasRow(guild_id=guild_id, pseudonym=pseudonym, alias=alias))
        await self._session.flush()

    async def pseudonym_of(self, guild_id: int, alias: str) -> str | None:
        """Whose alias this is, as the stable pseudonym a block needs; None once forgotten."""
        return await self._session.scalar(
            select(QuestionAliasRow.pseudonym).where(
                QuestionAliasRow.guild_id == guild_id, QuestionAliasRow.alias == alias
            )
        )

    async def delete_alias(self, guild_id: int, pseudonym: str) -> None:
        await self._session.execute(
            delete(QuestionAliasRow).where(
                QuestionAliasRow.guild_id == guild_id, QuestionAliasRow.pseudonym == pseudonym
            )
        )

    # blocks ---------------------------------------------------------------------------------
    async def is_blocked(self, guild_id: int, pseudonym: str) -> bool:
        return await self._session.get(QuestionBlockRow, (guild_id, pseudonym)) is not None

    async def block(self, guild_id: int, pseudonym: str, code: str, now: datetime) -> None:
        await self._session.execute(
            insert_ignoring_conflicts(
                self._session,
                QuestionBlockRow,
                guild_id=guild_id,
                pseudonym=pseudonym,
                code=code,
                created_at=now,
            )
        )

    async def unblock(self, guild_id: int, code: str) -> int:
        """Removes blocks placed under `code` (normalized, 8 hex); returns how many."""
        result = await self._session.execute(
            delete(QuestionBlockRow).where(
                QuestionBlockRow.guild_id == guild_id, QuestionBlockRow.code == code
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    # settings -------------------------------------------------------------------------------
    async def review_required(self, guild_id: int) -> bool:
        row = await self._session.get(GuildSettingsRow, guild_id)
        return True if row is None else row.questions_review

    async def set_review_required(self, guild_id: int, required: bool) -> None:
        await self._session.execute(
            update(GuildSettingsRow)
            .where(GuildSettingsRow.guild_id == guild_id)
            .values(questions_review=required)
        )
