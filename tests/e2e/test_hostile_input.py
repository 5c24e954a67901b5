"""Hostile input through the sandbox (Hypothesis): every slash command, with any values Discord would
deliver for its options, in both locales, then any text in the modal it may open, and any DM. The bot
must acknowledge every interaction (no 10062), answer every DM, and cause no sandbox violation (such
as a reply over 2,000 characters, 50035).

Examples are few and derandomized so the run stays short and repeatable; the strategies put the
hostile cases (long, empty, control and zero-width characters, mentions, markdown, right-to-left
overrides, extreme numbers) first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox import SandboxClient, SandboxClientError
from tests.e2e.conftest import Live

pytestmark = pytest.mark.asyncio(loop_scope="module")

SUBCOMMAND, GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11
HOSTILE_SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE_TEXTS = [
    "",
    " ",
    "@everyone @here <@&1> <@1> <#1>",
    "**bold** __under__ ~~strike~~ `code` ```block``` > quote [link](https://example.com) ||spoiler||",
    "\u202eevil\u202c \u2066isolate\u2069",
    "zero\u200bwidth\u200d\ufeff",
    "\x00\x07\x1b[31mcontrol\r\n\t",
    "😀" * 50,
    "é" * 4000,
    "a" * 6000,
    "9" * 3000,
    "-1",
    "2026-02-30",
    "25:61",
    "Not/A_Zone",
    "javascript:alert(1)",
]
EXAMPLES_PER_COMMAND = 4
EXTREME_NUMBERS = [0, -1, 1, -(2**53), 2**53]
USERS = ["fiona", "alex", "riley"]
ROLES = ["Member", "Facilitator"]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300),
)


def _fit_length(text: str, low: int, high: int) -> str:
    text = text[:high]
    return text + "x" * (low - len(text)) if len(text) < low else text


def leaf_commands(commands: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(full name, options) of every chat-input command a member can run."""
    leaves: list[tuple[str, list[dict[str, Any]]]] = []

    def walk(prefix: str, options: list[dict[str, Any]]) -> None:
        subs = [o for o in options if o.get("type") in (SUBCOMMAND, GROUP)]
        if not subs:
            leaves.append((prefix, options))
        for sub in subs:
            walk(f"{prefix} {sub['name']}", sub.get("options") or [])

    for command in commands:
        if int(command.get("type", 1)) == 1:
            walk(command["name"], command.get("options") or [])
    return sorted(leaves)


def option_value(option: dict[str, Any], channels: dict[int, list[str]]) -> st.SearchStrategy[Any]:
    """Any value Discord would deliver for this option (choices, lengths and ranges as declared)."""
    kind = option["type"]
    if option.get("choices"):
        return st.sampled_from([c["value"] for c in option["choices"]])
    if kind == STRING:
        low, high = option.get("min_length", 0), option.get("max_length", 6000)
        return hostile_text.map(lambda t: _fit_length(t, max(low, 1), high))
    if kind in (INTEGER, NUMBER):
        low, high = option.get("min_value", -(2**53)), option.get("max_value", 2**53)
        edges = [n for n in EXTREME_NUMBERS if low <= n <= high] + [low, high]
        numbers = st.integers(int(low), int(high))
        return st.one_of(st.sampled_from(edges), numbers)
    if kind == BOOLEAN:
        return st.booleans()
    if kind == USER:
        return st.sampled_from(USERS)
    if kind in (ROLE, MENTIONABLE):
        return st.sampled_from(ROLES)
    if kind == CHANNEL:
        types = option.get("channel_types") or [0]
        names = sorted({name for t in types for name in channels.get(t, [])})
        return st.sampled_from(names or channels[0])
    if kind == ATTACHMENT:
        return st.just({"filename": "notes.txt", "content_type": "text/plain", "data": "hello"})
    raise AssertionError(f"unknown option type {kind}")


@st.composite
def invocations(
    draw: st.DrawFn, options: list[dict[str, Any]], channels: dict[int, list[str]]
) -> tuple[dict[str, Any], str]:
    values: dict[str, Any] = {}
    for option in options:
        if option.get("required") or draw(st.booleans()):
            values[option["name"]] = draw(option_value(option, channels))
    return values, draw(st.sampled_from(["en-US", "fr"]))


_LOOP: list[asyncio.AbstractEventLoop] = []


def on_the_bots_loop(step: Coroutine[Any, Any, None]) -> None:
    """Hypothesis drives examples synchronously (in a worker thread): each runs on the bot's loop."""
    asyncio.run_coroutine_threadsafe(step, _LOOP[0]).result(timeout=60)


async def in_a_thread(test: Callable[[], None]) -> None:
    _LOOP[:] = [asyncio.get_running_loop()]
    await asyncio.to_thread(test)


async def _channels(client: SandboxClient) -> dict[int, list[str]]:
    by_type: dict[int, list[str]] = {}
    for channel in (await client.guild())["channels"]:
        by_type.setdefault(int(channel["type"]), []).append(channel["name"])
    return by_type


async def _fill_modal(client: SandboxClient, opened: dict[str, Any], text: str) -> None:
    modal = (opened.get("response") or {}).get("data") or {}
    values: dict[str, str] = {}
    for top in modal.get("components") or []:
        inputs = top.get("components") or (
            [top["component"]] if isinstance(top.get("component"), dict) else []
        )
        for item in inputs:
            if item.get("type") == 4:
                low, high = item.get("min_length", 0) or 0, item.get("max_length", 4000) or 4000
                values[item["custom_id"]] = _fit_length(text, max(low, 1), high)
    await client.modal("fiona", opened["interaction_id"], values)


async def _run(
    client: SandboxClient, name: str, values: dict[str, Any], locale: str, modal_text: str
) -> None:
    try:
        outcome = await client.command("fiona", name, values, channel="general", locale=locale)
        if (outcome.get("response") or {}).get("type") == 9:
            await _fill_modal(client, outcome, modal_text)
    except SandboxClientError as error:
        assert error.status != 504, f"/{name} was never acknowledged"
        assert error.status == 400, f"/{name}: {error}"  # only what Discord itself refuses to send
    violations = await client.violations()
    await client.clear_violations()
    assert violations == [], f"/{name}: {violations}"


async def test_no_slash_command_or_modal_input_goes_unanswered(live: Live) -> None:
    client = live.client
    leaves = leaf_commands(await client.commands())
    channels = await _channels(client)
    await client.clear_violations()
    assert len(leaves) > 20

    for name, options in leaves:  # every command, a few examples each
        await in_a_thread(_command_check(client, name, options, channels))


def _command_check(
    client: SandboxClient, name: str, options: list[dict[str, Any]], channels: dict[int, list[str]]
) -> Callable[[], None]:
    @settings(HOSTILE_SETTINGS, max_examples=EXAMPLES_PER_COMMAND)
    @given(invocations(options, channels), hostile_text)
    def check(invocation: tuple[dict[str, Any], str], modal_text: str) -> None:
        on_the_bots_loop(_run(client, name, *invocation, modal_text))

    return check


async def test_no_dm_goes_unanswered(live: Live) -> None:
    client = live.client
    await client.add_member("hostile.dm", roles=["Member"])
    await client.clear_violations()

    async def one_dm(text: str) -> None:
        before = len([m for m in await client.dms("hostile.dm") if m["author"].get("bot")])
        await client.send_message("hostile.dm", "dm", text)

        async def answered() -> bool:
            return len([m for m in await client.dms("hostile.dm") if m["author"].get("bot")]) > before

        await client.wait_for(answered, timeout=10)
        violations = await client.violations()
        await client.clear_violations()
        assert violations == []

    @settings(HOSTILE_SETTINGS, max_examples=25)
    @given(hostile_text.map(lambda t: _fit_length(t, 1, 2000)))
    def check(text: str) -> None:
        on_the_bots_loop(one_dm(text))

    await in_a_thread(check)
