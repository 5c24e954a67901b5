"""Every modal the bot opens, built as the cogs build it in both languages, fits Discord's text limits
(https://discord.com/developers/docs/components/reference#text-input): title ≤ 45, at most 5
components, a label 1-45, a placeholder ≤ 100, a custom_id ≤ 100, max_length ≤ 4000, a prefilled
value ≤ max_length. The cogs do not truncate: a text too long in either language fails here."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import discord
import pytest

import cogs
import cogs.minutes._views as minutes_views
import cogs.questions._views as question_views
from bot.domain.minutes import PAGES, SECTION_LIMIT, Section
from bot.i18n import LANGS, default_catalog

CATALOG = default_catalog()
BIG_NUMBER = 99_999  # "Answer question #{number}" with a long number
QUESTION_MODALS = (  # (title key, label key, placeholder key): as cogs/questions (/ask, the buttons) opens them
    ("questions.modal.ask_title", "questions.modal.ask_label", "questions.modal.ask_placeholder"),
    ("questions.modal.answer_title", "questions.modal.answer_label", None),
    ("questions.modal.follow_up_title", "questions.modal.follow_up_label", None),
    ("questions.modal.reject_title", "questions.modal.reject_label", None),
)


async def _noop(*_: Any) -> None:
    return None


def _question_modals(lang: str) -> Iterator[discord.ui.Modal]:
    t = CATALOG.t
    for title, label, placeholder in QUESTION_MODALS:
        yield question_views.TextModal(
            t(lang, title, number=BIG_NUMBER),
            t(lang, label),
            _noop,
            placeholder=t(lang, placeholder) if placeholder else None,
        )


def _minutes_modals(lang: str) -> Iterator[discord.ui.Modal]:
    t = CATALOG.t
    full = {section: "x" * SECTION_LIMIT for section in Section}
    for number, sections in enumerate(PAGES, start=1):
        yield minutes_views.SectionsModal(
            t(lang, f"minutes.page{number}"),
            {s: t(lang, f"minutes_fields.label.{s.value}") for s in sections},
            full,
            {s: t(lang, f"minutes_fields.placeholder.{s.value}") for s in sections},
            _noop,
        )
    yield minutes_views.SectionsModal(
        t(lang, "minutes.modal.changes_title"),
        {Section.TOPICS: t(lang, "minutes.modal.changes_label")},
        {},
        {Section.TOPICS: t(lang, "minutes_fields.placeholder.changes")},
        _noop,
    )


def _problems(modal: dict[str, Any]) -> list[str]:
    problems = []
    if not 1 <= len(modal["title"]) <= 45:
        problems.append(f"title {modal['title']!r} has {len(modal['title'])} characters (1-45)")
    if len(modal["components"]) > 5:
        problems.append(f"{len(modal['components'])} components (at most 5)")
    for row in modal["components"]:
        for item in row.get("components") or [row.get("component")]:
            label = item.get("label") or row.get("label") or ""
            where = f"{modal['title']!r} / {label!r}"
            if not 1 <= len(label) <= 45:
                problems.append(f"{where}: label has {len(label)} characters (1-45)")
            if len(item.get("placeholder") or "") > 100:
                problems.append(f"{where}: placeholder has {len(item['placeholder'])} characters (100)")
            if len(item.get("custom_id") or "") > 100:
                problems.append(f"{where}: custom_id longer than 100")
            high = item.get("max_length", 4000)
            if high > 4000:
                problems.append(f"{where}: max_length {high} (4000)")
            if len(item.get("value") or "") > high:
                problems.append(f"{where}: prefilled value longer than max_length {high}")
    return problems


@pytest.mark.parametrize("lang", LANGS)
async def test_every_modal_fits_discords_limits(lang: str) -> None:
    built = [*_question_modals(lang), *_minutes_modals(lang)]

    problems = [p for modal in built for p in _problems(modal.to_dict())]  # type: ignore[attr-defined]

    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
async def test_each_minutes_field_has_its_own_placeholder(lang: str) -> None:
    hints = [CATALOG.t(lang, f"minutes_fields.placeholder.{s.value}") for s in Section]

    assert len(set(hints)) == len(hints)


def test_the_walk_covers_every_modal_class_in_the_cogs() -> None:
    for module in pkgutil.walk_packages(cogs.__path__, "cogs."):
        importlib.import_module(module.name)

    found = {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in discord.ui.Modal.__subclasses__()
        if cls.__module__.startswith("cogs.")
    }

    assert found == {"cogs.minutes._views.SectionsModal", "cogs.questions._views.TextModal"}
