"""Forget-me covers every person-derived column: a new feature cannot forget to register its data.

A column counts as person-derived when its name says so (user_id, member_id, author_id, *_by, *_tag,
pseudonym, sealed blobs…) or when the model marks it with `info={"user_data": True}`. Each such column
must be in some eraser's `covers` (bot/services/erasers.py), and every covered column must exist.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Column, MetaData, String, Table

from bot.services.erasers import all_erasers
from db.models import Base

PERSON_DERIVED = re.compile(
    r"(^|_)(user|member|author|asker|owner|requester|attendee|approver|reviewer|voter)(_id|_ids|_tag)?$"
    r"|_by$|_tag$|^pseudonym|sealed|^(dm|relay)_"
)


async def _unused(_: int) -> Any:
    raise AssertionError("not called")


def covered() -> frozenset[str]:
    erasers = all_erasers(None, _unused, _unused)  # type: ignore[arg-type]
    return frozenset(column for eraser in erasers for column in eraser.covers)


def person_derived(metadata: MetaData) -> set[str]:
    return {
        f"{table.name}.{column.name}"
        for table in metadata.tables.values()
        for column in table.columns
        if PERSON_DERIVED.search(column.name) or column.info.get("user_data")
    }


def uncovered(metadata: MetaData, covers: frozenset[str]) -> set[str]:
    return person_derived(metadata) - covers


def test_every_person_derived_column_is_covered_by_an_eraser() -> None:
    assert uncovered(Base.metadata, covered()) == set()


def test_every_covered_column_exists() -> None:
    columns = {f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns}
    assert covered() - columns == set()


def test_the_known_person_derived_columns_are_found() -> None:
    found = person_derived(Base.metadata)
    for column in (
        "group_requests.user_id",
        "question_drafts.owner_tag",
        "questions.relay_sealed",
        "minutes_revisions.approved_by",
        "member_welcomes.member_tag",
    ):
        assert column in found


@pytest.mark.parametrize(
    "column",
    [
        Column("user_id", String),
        Column("member_tag", String),
        Column("reviewed_by", String),
        Column("relay_target", String),
        Column("notes", String, info={"user_data": True}),
    ],
)
def test_a_new_unregistered_person_derived_column_fails(column: Column[Any]) -> None:
    metadata = MetaData()
    Table("new_feature", metadata, Column("id", String, primary_key=True), column)
    assert uncovered(metadata, covered()) == {f"new_feature.{column.name}"}


@pytest.mark.parametrize("name", ["guild_id", "channel_id", "role_id", "message_id", "created_at", "slug"])
def test_ids_of_discord_objects_are_not_person_derived(name: str) -> None:
    metadata = MetaData()
    Table("t", metadata, Column(name, String, primary_key=True))
    assert person_derived(metadata) == set()
