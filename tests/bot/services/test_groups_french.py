"""Issue 13: in a French guild, what the bot creates for working groups is named in French and
its DMs are in French only (and bilingual guilds keep their English-first names)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.groups import Visibility, channel_name
from tests.bot.services import groups_fakes
from tests.bot.services.groups_fakes import ALEX, AS_LEAD, GUILD, GroupHarness, text_of

engine = groups_fakes.engine_from_template
migrated_sqlite = groups_fakes.migrated_sqlite


@pytest.fixture
async def wg(sessions: async_sessionmaker[AsyncSession]) -> GroupHarness:
    harness = GroupHarness(sessions)
    await harness.setup_guild()
    await harness.settings.set_language(GUILD, "fr")
    return harness


async def test_a_french_guild_gets_a_french_channel_keeping_accents(wg: GroupHarness) -> None:
    group = await wg.create("Santé des pairs")

    assert wg.channel(group).name == "gt-santé-des-pairs"


async def test_a_french_guild_gets_the_french_category(wg: GroupHarness) -> None:
    group = await wg.create("Santé des pairs")

    assert wg.admin.category_name_of(wg.channel(group).id) == "Groupes de travail"


async def test_archiving_in_a_french_guild_moves_to_the_french_archive(wg: GroupHarness) -> None:
    group = await wg.create("Santé des pairs")

    await wg.lifecycle.set_archived(GUILD, group.name, True)

    assert wg.admin.category_name_of(wg.channel(group).id) == "Groupes de travail archivés"


async def test_the_group_role_is_named_in_french(wg: GroupHarness) -> None:
    group = await wg.create("Santé des pairs")

    assert wg.text.role_name(group, "fr") == "GT · Santé des pairs"


async def test_the_join_outcome_dm_is_french_only(wg: GroupHarness) -> None:
    await wg.create(visibility=Visibility.REQUEST)
    request_id = await wg.request_to_join(user_id=ALEX)

    await wg.membership.decide(request_id, AS_LEAD, approve=True)

    (dm,) = wg.desk.dms
    said = text_of(dm.card)
    assert "Vous faites maintenant partie du groupe de travail" in said
    assert "You joined" not in said


async def test_the_csv_export_has_french_headers_and_name(wg: GroupHarness) -> None:
    exported = await wg.honoraria.export(GUILD, date(2026, 11, 1), date(2026, 11, 30))

    assert next(csv.reader(io.StringIO(exported))) == [
        "date",
        "groupe_de_travail",
        "membre",
        "id_utilisateur_discord",
    ]
    assert await wg.honoraria.export_filename(GUILD, date(2026, 11, 1), date(2026, 11, 30)) == (
        "honoraires-2026-11-01-2026-11-30.csv"
    )


@pytest.mark.parametrize(
    ("name", "prefix", "expected"),
    [
        ("Peer Support", "wg", "wg-peer-support"),
        ("Santé mentale", "gt", "gt-santé-mentale"),
        ("L'équipe de nuit", "gt", "gt-l-équipe-de-nuit"),
        ("Drug checking & tests", "gt", "gt-drug-checking-tests"),
    ],
)
def test_channel_name_lowercases_joins_with_dashes_and_keeps_accents(
    name: str, prefix: str, expected: str
) -> None:
    assert channel_name(name, prefix) == expected
