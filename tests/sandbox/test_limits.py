"""sandbox.limits, the limit layer: Discord's documented limits, caught without the OpenAPI spec.

Most cases go through sandbox.validation.LimitLayer, which maps concrete request paths to the checks
(as the server does for every request); the rest call sandbox.limits directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sandbox import limits
from sandbox.errors import FieldError
from sandbox.validation import LimitLayer, Violation
from tests.sandbox.bodies import (
    CALLBACK,
    CHANNEL,
    COMMANDS,
    EVENTS,
    FOLLOWUP,
    ORIGINAL,
    X,
    button,
    command,
    event,
    modal_reply,
    option,
    row,
    select,
    text_input,
)
from tests.sandbox.recorded import REAL, START, DiscordPy, recorded

MESSAGES = "/channels/{channel_id}/messages"
INTERACTION_CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


@pytest.fixture(scope="session")
def layer() -> LimitLayer:
    return LimitLayer()


def found(violations: list[Violation]) -> set[tuple[str, str, str]]:
    return {(v.source, v.field, v.code) for v in violations}


def fields(errors: list[FieldError]) -> set[str]:
    return {e.field for e in errors}


# fmt: off
LIMITS: list[Any] = [  # id, method, path, body, field, code
    ("content 2001 in a channel message", "POST", CHANNEL, {"content": X * 2001}, "content", "BASE_TYPE_MAX_LENGTH"),
    ("content 2001 in a type 4 reply", "POST", CALLBACK, {"type": 4, "data": {"content": X * 2001}},
     "data.content", "BASE_TYPE_MAX_LENGTH"),
    ("content 2001 in a type 7 update", "POST", CALLBACK, {"type": 7, "data": {"content": X * 2001}},
     "data.content", "BASE_TYPE_MAX_LENGTH"),
    ("content 2001 in a followup", "POST", FOLLOWUP, {"content": X * 2001}, "content", "BASE_TYPE_MAX_LENGTH"),
    ("content 2001 editing @original", "PATCH", ORIGINAL, {"content": X * 2001}, "content", "BASE_TYPE_MAX_LENGTH"),
    ("content 2001 editing a followup", "PATCH", FOLLOWUP + "/messages/5", {"content": X * 2001}, "content",
     "BASE_TYPE_MAX_LENGTH"),
    ("content 2001 editing a message", "PATCH", CHANNEL + "/5", {"content": X * 2001}, "content",
     "BASE_TYPE_MAX_LENGTH"),
    ("empty message", "POST", CHANNEL, {"tts": False, "components": [], "embeds": []}, "", "50006"),
    ("blank content", "POST", CHANNEL, {"content": "   "}, "", "50006"),
    ("empty followup", "POST", FOLLOWUP, {"content": ""}, "", "50006"),
    ("empty type 4 reply", "POST", CALLBACK, {"type": 4, "data": {"tts": False}}, "", "50006"),
    ("type 4 reply without data", "POST", CALLBACK, {"type": 4}, "", "50006"),
    ("11 embeds", "POST", CHANNEL, {"embeds": [{"title": "t"}] * 11}, "embeds", "BASE_TYPE_MAX_LENGTH"),
    ("embed title 257", "POST", CHANNEL, {"embeds": [{"title": X * 257}]}, "embeds.0.title", "BASE_TYPE_MAX_LENGTH"),
    ("embed description 4097", "POST", CHANNEL, {"embeds": [{"description": X * 4097}]}, "embeds.0.description",
     "BASE_TYPE_MAX_LENGTH"),
    ("26 embed fields", "POST", CHANNEL, {"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]},
     "embeds.0.fields", "BASE_TYPE_MAX_LENGTH"),
    ("embed field name 257", "POST", CHANNEL, {"embeds": [{"fields": [{"name": X * 257, "value": "v"}]}]},
     "embeds.0.fields.0.name", "BASE_TYPE_MAX_LENGTH"),
    ("embed field value 1025", "POST", CHANNEL, {"embeds": [{"fields": [{"name": "n", "value": X * 1025}]}]},
     "embeds.0.fields.0.value", "BASE_TYPE_MAX_LENGTH"),
    ("embed footer 2049", "POST", CHANNEL, {"embeds": [{"footer": {"text": X * 2049}}]}, "embeds.0.footer.text",
     "BASE_TYPE_MAX_LENGTH"),
    ("embed author 257", "POST", CHANNEL, {"embeds": [{"author": {"name": X * 257}}]}, "embeds.0.author.name",
     "BASE_TYPE_MAX_LENGTH"),
    ("embeds over 6000 in total", "POST", CHANNEL, {"embeds": [{"description": X * 4000}, {"description": X * 2001}]},
     "embeds", "MAX_EMBED_SIZE_EXCEEDED"),
    ("embed total in a reply", "POST", CALLBACK, {"type": 4, "data": {"embeds": [{"description": X * 4000,
     "fields": [{"name": X * 256, "value": X * 1024}] * 2}]}}, "data.embeds", "MAX_EMBED_SIZE_EXCEEDED"),
    ("custom_id 101", "POST", CHANNEL, {"components": [row(button(custom_id=X * 101))]},
     "components.0.components.0.custom_id", "BASE_TYPE_MAX_LENGTH"),
    ("empty custom_id", "POST", CHANNEL, {"components": [row(button(custom_id=""))]},
     "components.0.components.0.custom_id", "BASE_TYPE_MIN_LENGTH"),
    ("button label 81", "POST", CHANNEL, {"components": [row(button(label=X * 81))]},
     "components.0.components.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("6 buttons in a row", "POST", CHANNEL, {"components": [row(*[button(custom_id=str(i)) for i in range(6)])]},
     "components.0.components", "BASE_TYPE_MAX_LENGTH"),
    ("6 action rows", "POST", CHANNEL, {"components": [row(button(custom_id=str(i))) for i in range(6)]},
     "components", "BASE_TYPE_MAX_LENGTH"),
    ("select sharing a row", "POST", CHANNEL, {"components": [row(select(), button())]},
     "components.0.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED"),
    ("select with 26 options", "POST", CHANNEL, {"components": [row(select(options=[
        {"label": str(i), "value": str(i)} for i in range(26)]))]},
     "components.0.components.0.options", "BASE_TYPE_MAX_LENGTH"),
    ("select option label 101", "POST", CHANNEL, {"components": [row(select(options=[
        {"label": X * 101, "value": "a"}]))]}, "components.0.components.0.options.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("select option value 101", "POST", CHANNEL, {"components": [row(select(options=[
        {"label": "a", "value": X * 101}]))]}, "components.0.components.0.options.0.value", "BASE_TYPE_MAX_LENGTH"),
    ("select option description 101", "POST", CHANNEL, {"components": [row(select(options=[
        {"label": "a", "value": "a", "description": X * 101}]))]},
     "components.0.components.0.options.0.description", "BASE_TYPE_MAX_LENGTH"),
    ("select placeholder 151", "POST", CHANNEL, {"components": [row(select(placeholder=X * 151))]},
     "components.0.components.0.placeholder", "BASE_TYPE_MAX_LENGTH"),
    ("button in a type 7 update", "POST", CALLBACK, {"type": 7, "data": {"components": [row(button(label=X * 81))]}},
     "data.components.0.components.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("modal title 46", "POST", CALLBACK, modal_reply(text_input(), title=X * 46), "data.title",
     "BASE_TYPE_MAX_LENGTH"),
    ("modal custom_id 101", "POST", CALLBACK, modal_reply(text_input(), custom_id=X * 101), "data.custom_id",
     "BASE_TYPE_MAX_LENGTH"),
    ("modal with 6 rows", "POST", CALLBACK, modal_reply(*[text_input(custom_id=str(i)) for i in range(6)]),
     "data.components", "BASE_TYPE_MAX_LENGTH"),
    ("modal without rows", "POST", CALLBACK, modal_reply(), "data.components", "BASE_TYPE_MIN_LENGTH"),
    ("text input label 46", "POST", CALLBACK, modal_reply(text_input(label=X * 46)),
     "data.components.0.components.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("text input min_length 4001", "POST", CALLBACK, modal_reply(text_input(min_length=4001)),
     "data.components.0.components.0.min_length", "NUMBER_TYPE_MAX"),
    ("text input max_length 0", "POST", CALLBACK, modal_reply(text_input(max_length=0)),
     "data.components.0.components.0.max_length", "NUMBER_TYPE_MIN"),
    ("text input max_length 4001", "POST", CALLBACK, modal_reply(text_input(max_length=4001)),
     "data.components.0.components.0.max_length", "NUMBER_TYPE_MAX"),
    ("text input value 4001", "POST", CALLBACK, modal_reply(text_input(value=X * 4001)),
     "data.components.0.components.0.value", "BASE_TYPE_MAX_LENGTH"),
    ("text input placeholder 101", "POST", CALLBACK, modal_reply(text_input(placeholder=X * 101)),
     "data.components.0.components.0.placeholder", "BASE_TYPE_MAX_LENGTH"),
    ("label component label 46", "POST", CALLBACK, modal_reply({"type": 18, "label": X * 46, "component": {
        "type": 4, "custom_id": "q", "style": 1}}), "data.components.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("text input inside a label", "POST", CALLBACK, modal_reply({"type": 18, "label": "Q", "component": {
        "type": 4, "custom_id": "q", "style": 1, "max_length": 5000}}),
     "data.components.0.component.max_length", "NUMBER_TYPE_MAX"),
    ("26 autocomplete choices", "POST", CALLBACK, {"type": 8, "data": {"choices": [
        {"name": str(i), "value": str(i)} for i in range(26)]}}, "data.choices", "BASE_TYPE_MAX_LENGTH"),
    ("parse users with a users list", "POST", CHANNEL, {"content": "hi", "allowed_mentions": {
        "parse": ["users"], "users": ["3"]}}, "allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE"),
    ("parse roles with a roles list", "POST", FOLLOWUP, {"content": "hi", "allowed_mentions": {
        "parse": ["roles"], "roles": ["3"]}}, "allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE"),
    ("101 allowed users", "POST", CHANNEL, {"content": "hi", "allowed_mentions": {"users": [str(i) for i in range(101)]}},
     "allowed_mentions.users", "BASE_TYPE_MAX_LENGTH"),
    ("101 allowed roles", "POST", CHANNEL, {"content": "hi", "allowed_mentions": {"roles": [str(i) for i in range(101)]}},
     "allowed_mentions.roles", "BASE_TYPE_MAX_LENGTH"),
    ("nonce 26", "POST", CHANNEL, {"content": "hi", "nonce": X * 26}, "nonce", "BASE_TYPE_MAX_LENGTH"),
    ("event name 101", "POST", EVENTS, event(name=X * 101), "name", "BASE_TYPE_MAX_LENGTH"),
    ("empty event name", "POST", EVENTS, event(name=""), "name", "BASE_TYPE_MIN_LENGTH"),
    ("event without name", "POST", EVENTS, {k: v for k, v in event().items() if k != "name"}, "name",
     "BASE_TYPE_REQUIRED"),
    ("event description 1001", "POST", EVENTS, event(description=X * 1001), "description", "BASE_TYPE_MAX_LENGTH"),
    ("event location 101", "POST", EVENTS, event(entity_metadata={"location": X * 101}), "entity_metadata.location",
     "BASE_TYPE_MAX_LENGTH"),
    ("external event without location", "POST", EVENTS, event(entity_metadata={}), "entity_metadata.location",
     "BASE_TYPE_REQUIRED"),
    ("external event without end", "POST", EVENTS, event(scheduled_end_time=None), "scheduled_end_time",
     "BASE_TYPE_REQUIRED"),
    ("external event in a channel", "POST", EVENTS, event(channel_id="4"), "channel_id", "BASE_TYPE_CHOICES"),
    ("event privacy_level 1", "POST", EVENTS, event(privacy_level=1), "privacy_level", "BASE_TYPE_CHOICES"),
    ("event edit privacy_level 1", "PATCH", EVENTS + "/9", {"privacy_level": 1}, "privacy_level", "BASE_TYPE_CHOICES"),
    ("event edit name 101", "PATCH", EVENTS + "/9", {"name": X * 101}, "name", "BASE_TYPE_MAX_LENGTH"),
    ("uppercase command name", "PUT", COMMANDS, [command(name="Ping")], "0.name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("command name with a space", "PUT", COMMANDS, [command(name="drop in")], "0.name",
     "APPLICATION_COMMAND_INVALID_NAME"),
    ("command name 33", "PUT", COMMANDS, [command(name=X * 33)], "0.name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("empty command name", "PUT", COMMANDS, [command(name="")], "0.name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("french name with a capital", "PUT", COMMANDS, [command(name_localizations={"fr": "Mot"})],
     "0.name_localizations.fr", "APPLICATION_COMMAND_INVALID_NAME"),
    ("french name with a space", "PUT", COMMANDS, [command(name_localizations={"fr": "mot clé"})],
     "0.name_localizations.fr", "APPLICATION_COMMAND_INVALID_NAME"),
    ("unknown locale", "PUT", COMMANDS, [command(name_localizations={"fr-FR": "mot"})],
     "0.name_localizations.fr-FR", "BASE_TYPE_CHOICES"),
    ("empty command description", "PUT", COMMANDS, [command(description="")], "0.description", "BASE_TYPE_MIN_LENGTH"),
    ("command description 101", "PUT", COMMANDS, [command(description=X * 101)], "0.description",
     "BASE_TYPE_MAX_LENGTH"),
    ("french description 101", "PUT", COMMANDS, [command(description_localizations={"fr": X * 101})],
     "0.description_localizations.fr", "BASE_TYPE_MAX_LENGTH"),
    ("empty french description", "PUT", COMMANDS, [command(description_localizations={"fr": ""})],
     "0.description_localizations.fr", "BASE_TYPE_MIN_LENGTH"),
    ("26 options", "PUT", COMMANDS, [command(options=[option(name=f"o{i}") for i in range(26)])], "0.options",
     "BASE_TYPE_MAX_LENGTH"),
    ("invalid option name", "PUT", COMMANDS, [command(options=[option(name="Word")])], "0.options.0.name",
     "APPLICATION_COMMAND_INVALID_NAME"),
    ("option description 101", "PUT", COMMANDS, [command(options=[option(description=X * 101)])],
     "0.options.0.description", "BASE_TYPE_MAX_LENGTH"),
    ("sub-command option name", "PUT", COMMANDS, [command(options=[option(type=1, name="list", options=[
        option(name="Quand")])])], "0.options.0.options.0.name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("26 choices", "PUT", COMMANDS, [command(options=[option(choices=[
        {"name": str(i), "value": str(i)} for i in range(26)])])], "0.options.0.choices", "BASE_TYPE_MAX_LENGTH"),
    ("choice name 101", "PUT", COMMANDS, [command(options=[option(choices=[{"name": X * 101, "value": "a"}])])],
     "0.options.0.choices.0.name", "BASE_TYPE_MAX_LENGTH"),
    ("101 commands", "PUT", COMMANDS, [command(name=f"c{i}") for i in range(101)], "", "BASE_TYPE_MAX_LENGTH"),
    ("duplicate command names", "PUT", COMMANDS, [command(), command()], "1.name",
     "APPLICATION_COMMANDS_DUPLICATE_NAME"),
    ("guild command name", "PUT", "/api/v10/applications/1/guilds/5/commands", [command(name="Ping")], "0.name",
     "APPLICATION_COMMAND_INVALID_NAME"),
    ("single command create", "POST", COMMANDS, command(name="Ping"), "name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("channel name 101", "POST", "/api/v10/guilds/1/channels", {"name": X * 101, "type": 0}, "name",
     "BASE_TYPE_MAX_LENGTH"),
    ("empty channel name", "POST", "/api/v10/guilds/1/channels", {"name": "", "type": 0}, "name",
     "BASE_TYPE_MIN_LENGTH"),
    ("channel rename 101", "PATCH", "/api/v10/channels/2", {"name": X * 101}, "name", "BASE_TYPE_MAX_LENGTH"),
    # merged from the old sandbox/limits.py (the spec cannot express them)
    ("blank embed field name", "POST", CHANNEL, {"embeds": [{"fields": [{"name": " ", "value": "v"}]}]},
     "embeds.0.fields.0.name", "BASE_TYPE_REQUIRED"),
    ("empty embed field value", "POST", CHANNEL, {"embeds": [{"fields": [{"name": "n", "value": ""}]}]},
     "embeds.0.fields.0.value", "BASE_TYPE_REQUIRED"),
    ("button outside an action row", "POST", CHANNEL, {"components": [button()]}, "components.0",
     "UNION_TYPE_CHOICES"),
    ("empty action row", "POST", CHANNEL, {"components": [row()]}, "components.0.components", "BASE_TYPE_MIN_LENGTH"),
    ("button without custom_id", "POST", CHANNEL, {"components": [row({"type": 2, "style": 1, "label": "ok"})]},
     "components.0.components.0.custom_id", "BASE_TYPE_REQUIRED"),
    ("link button without url", "POST", CHANNEL, {"components": [row({"type": 2, "style": 5, "label": "ok"})]},
     "components.0.components.0.url", "BASE_TYPE_REQUIRED"),
    ("duplicate custom_id in a message", "POST", CHANNEL, {"components": [row(button()), row(button())]},
     "components.1.components.0.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED"),
    ("duplicate custom_id in a modal", "POST", CALLBACK, modal_reply(text_input(), text_input()),
     "data.components.1.components.0.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED"),
    ("select without options", "POST", CHANNEL, {"components": [row(select(options=[]))]},
     "components.0.components.0.options", "BASE_TYPE_MIN_LENGTH"),
    ("empty label component label", "POST", CALLBACK, modal_reply({"type": 18, "label": "", "component": {
        "type": 4, "custom_id": "q", "style": 1}}), "data.components.0.label", "BASE_TYPE_MIN_LENGTH"),
    # merged from the handlers (rest_channels, rest_guild, sandbox/commands.py, rest_events)
    ("channel topic 1025", "PATCH", "/api/v10/channels/2", {"topic": X * 1025}, "topic", "BASE_TYPE_MAX_LENGTH"),
    ("new channel topic 1025", "POST", "/api/v10/guilds/1/channels", {"name": "wg", "topic": X * 1025}, "topic",
     "BASE_TYPE_MAX_LENGTH"),
    ("thread name 101", "POST", "/api/v10/channels/2/threads", {"name": X * 101}, "name", "BASE_TYPE_MAX_LENGTH"),
    ("thread without name", "POST", "/api/v10/channels/2/messages/5/threads", {}, "name", "BASE_TYPE_REQUIRED"),
    ("role name 101", "POST", "/api/v10/guilds/1/roles", {"name": X * 101}, "name", "BASE_TYPE_MAX_LENGTH"),
    ("role rename 101", "PATCH", "/api/v10/guilds/1/roles/5", {"name": X * 101}, "name", "BASE_TYPE_MAX_LENGTH"),
    ("duplicate option names", "PUT", COMMANDS, [command(options=[option(), option()])], "0.options.1.name",
     "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS"),
    ("required option after an optional one", "PUT", COMMANDS, [command(options=[option(), option(
        name="n", required=True)])], "0.options.1.required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"),
    ("group inside a group", "PUT", COMMANDS, [command(options=[option(type=2, name="g", options=[option(
        type=2, name="h", options=[option(type=1, name="s")])])])], "0.options.0.options.0.type",
     "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID"),
    ("event without start", "POST", EVENTS, event(scheduled_start_time=None), "scheduled_start_time",
     "BASE_TYPE_REQUIRED"),
]
# fmt: on


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "code"), [pytest.param(*case[1:], id=case[0]) for case in LIMITS]
)
def test_limit_is_caught_without_the_spec(
    layer: LimitLayer, method: str, path: str, body: Any, field: str, code: str
) -> None:
    assert ("limit", field, code) in found(layer.validate(method, path, body))


@pytest.mark.parametrize("name", ["channel_message", "modals", "global_sync", "external_event"])
async def test_what_discord_py_sends_passes_the_limits_alone(layer: LimitLayer, name: str) -> None:
    for method, path, _, body in await recorded(REAL[name]):
        assert layer.validate(method, path, body) == [], (method, path, body)


async def test_scheduled_event_with_entity_type_inferred_from_location_is_rejected(layer: LimitLayer) -> None:
    """facts §0.7: discord.py then drops entity_type and privacy_level, which Discord rejects."""

    async def inferred(d: DiscordPy) -> None:
        await d.guild.create_scheduled_event(
            name="Drop-in",
            start_time=START,
            end_time=START + dt.timedelta(hours=1),
            location="https://zoom.us/j/1",
        )

    [(method, path, _, body)] = await recorded(inferred)
    assert found(layer.validate(method, path, body)) == {
        ("limit", "privacy_level", "BASE_TYPE_REQUIRED"),
        ("limit", "entity_type", "BASE_TYPE_REQUIRED"),
    }


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param("POST", "/api/v10/guilds/1/channels", {"name": "f", "type": 15, "topic": X * 4096},
                     id="forum topic 4096"),
        pytest.param("POST", CHANNEL, {"components": [row({"type": 2, "style": 5, "label": "Guide", "url": "https://e.org"})]},
                     id="link button"),
        pytest.param("POST", CHANNEL, {"components": [row(button(custom_id="a")), row(button(custom_id="b"))]},
                     id="distinct custom_ids"),
        pytest.param("PATCH", EVENTS + "/9", {"channel_id": "4"}, id="event edit judged once merged"),
        pytest.param("POST", "/api/v10/guilds/1/roles", {}, id="role without a name"),
        pytest.param("PUT", COMMANDS, [command(options=[option(type=2, name="g", options=[option(
            type=1, name="s", options=[option(required=True), option(name="n")])])])], id="sub-command in a group"),
        pytest.param("PUT", COMMANDS, [command(), command(type=2, name="Ping")], id="same name, other type"),
    ],
)  # fmt: skip
def test_bodies_within_the_limits_pass(layer: LimitLayer, method: str, path: str, body: Any) -> None:
    assert layer.validate(method, path, body) == []


def test_a_rule_broken_twice_is_reported_once() -> None:
    """A creation's name is both checked for length and required: one report per field and code."""
    assert limits.check("POST", "/guilds/{guild_id}/scheduled-events", event(name=None)) == [
        FieldError("name", "BASE_TYPE_REQUIRED", "This field is required")
    ]


# ---------------------------------------------------------------------------- messages, by template
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "x" * 2001}, "content"),
        ({"embeds": [{"title": "t"}] * 11}, "embeds"),
        ({"embeds": [{"description": "d" * 4097}]}, "embeds.0.description"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embeds"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
        (
            {"components": [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": ""}]}]},
            "components.0.components.0.custom_id",
        ),
        (
            {
                "components": [
                    {
                        "type": 1,
                        "components": [{"type": 2, "style": 1, "custom_id": f"b{i}"} for i in range(6)],
                    }
                ]
            },
            "components.0.components",
        ),
    ],
)
def test_message_limits_are_reported_at_the_right_field(body: dict[str, Any], field: str) -> None:
    assert field in fields(limits.check("POST", MESSAGES, body))


def test_a_message_within_limits_has_no_errors() -> None:
    body = {"content": "x" * 2000, "embeds": [{"title": "t", "fields": [{"name": "a", "value": "b"}]}]}
    assert limits.check("POST", MESSAGES, body) == []


@pytest.mark.parametrize(
    ("modal", "field"),
    [
        ({"custom_id": "m", "title": "t" * 46, "components": [{"type": 1, "components": []}]}, "data.title"),
        ({"custom_id": "m", "title": "t", "components": [{"type": 1, "components": []}] * 6}, "data.components"),
        (
            {"custom_id": "m", "title": "t", "components": [{"type": 1, "components": [
                {"type": 4, "custom_id": "i", "style": 1, "label": "l" * 46}]}]},
            "data.components.0.components.0.label",
        ),
        (
            {"custom_id": "m", "title": "t", "components": [{"type": 1, "components": [
                {"type": 4, "custom_id": "i", "style": 2, "label": "l", "max_length": 4001}]}]},
            "data.components.0.components.0.max_length",
        ),
    ],
)  # fmt: skip
def test_modal_limits(modal: dict[str, Any], field: str) -> None:
    assert field in fields(limits.check("POST", INTERACTION_CALLBACK, {"type": 9, "data": modal}))


def test_allowed_mentions_parse_users_with_a_user_list_is_an_error() -> None:
    def mentions(allowed: dict[str, Any]) -> list[FieldError]:
        return limits.check("POST", MESSAGES, {"content": "hi", "allowed_mentions": allowed})

    assert mentions({"parse": ["users"], "users": ["1"]})
    assert mentions({"parse": [], "users": ["1"]}) == []


def test_uploaded_files_make_a_message_non_empty() -> None:
    assert limits.check("POST", MESSAGES, {}) == [limits.EMPTY_MESSAGE]
    assert limits.check("POST", MESSAGES, None) == [limits.EMPTY_MESSAGE]  # no body at all
    assert limits.check("POST", MESSAGES, {}, uploads=True) == []
    assert limits.check("POST", MESSAGES, {"content": "x" * 2001}, uploads=True) != []


def test_routes_without_a_limit_check_have_none() -> None:
    assert limits.check("GET", MESSAGES, {"content": "x" * 2001}) == []
    assert limits.check("POST", "/nowhere", {"content": "x" * 2001}) == []


def test_event_rules_judge_an_edit_merged_with_the_stored_event() -> None:
    """rest_events applies the creation's required and EXTERNAL rules to the merged event."""
    stored = event()
    errors: list[FieldError] = []
    limits.check_event_rules(errors, {**stored, "channel_id": "4", "scheduled_end_time": None})
    assert {(e.field, e.code) for e in errors} == {
        ("channel_id", "BASE_TYPE_CHOICES"),
        ("scheduled_end_time", "BASE_TYPE_REQUIRED"),
    }
    errors.clear()
    limits.check_event_rules(errors, {**stored, "name": "Drop-in (FR)"})
    assert errors == []
