"""sandbox.validation: what discord.py 2.7.1 really sends passes; the spec's types and (through the limit
layer, tested on its own in test_limits) Discord's limits are caught; path matching; form errors.

The "real" bodies come from tests.sandbox.recorded: discord.py itself with only the network replaced.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from sandbox import limits
from sandbox.validation import DEFAULT_SPEC_PATH, LimitLayer, RequestValidator, Violation, form_errors, merge
from tests.sandbox.bodies import (
    CALLBACK,
    CHANNEL,
    COMMANDS,
    EVENTS,
    ORIGINAL,
    X,
    command,
    event,
    modal_reply,
    option,
    row,
)
from tests.sandbox.recorded import REAL, Request, recorded
from tests.sandbox.test_limits import LIMITS


@pytest.fixture(scope="session")
def validator() -> RequestValidator:
    """The full validator (spec layer when ../shared/discord-api-spec exists); loaded once, it is slow-ish."""
    return RequestValidator(DEFAULT_SPEC_PATH)


@pytest.fixture(scope="session")
def spec_validator(validator: RequestValidator) -> RequestValidator:
    if not validator.has_spec:
        pytest.skip("spec layer off: ../shared/discord-api-spec/openapi.json (or openapi-core) absent")
    return validator


@pytest.fixture(scope="session")
def without_spec() -> RequestValidator:
    return RequestValidator(None)


def found(violations: list[Violation]) -> set[tuple[str, str, str]]:
    return {(v.source, v.field, v.code) for v in violations}


# ------------------------------------------------------------------------------ discord.py, recorded


@pytest.mark.parametrize("name", sorted(REAL))
async def test_what_discord_py_sends_passes(validator: RequestValidator, name: str) -> None:
    for request in await recorded(REAL[name]):
        assert validator.validate(*request) == [], request


async def test_facts_verified_bodies_pass(validator: RequestValidator) -> None:
    bodies: list[Request] = [
        (
            "PUT",
            COMMANDS,
            {},
            [
                {
                    "name": "ping",
                    "description": "ping",
                    "type": 1,
                    "options": [{"type": 3, "name": "word", "description": "a word", "required": True}],
                    "nsfw": False,
                    "dm_permission": True,
                    "default_member_permissions": None,
                    "contexts": None,
                    "integration_types": None,
                }
            ],
        ),
        ("POST", "/api/v10/users/@me/channels", {}, {"recipient_id": 123}),
        ("PUT", "/api/v10/channels/2/permissions/5", {}, {"allow": "1024", "deny": "0", "type": 0}),
        (
            "POST",
            CHANNEL,
            {},
            {"content": "hello in DM", "components": [], "nonce": "1", "enforce_nonce": True, "tts": False},
        ),
        ("POST", CALLBACK, {"with_response": "1"}, {"type": 5, "data": {"flags": 64}}),
    ]
    for request in bodies:
        assert validator.validate(*request) == [], request


# ------------------------------------------------------------------------- limits with the spec
@pytest.mark.parametrize(
    ("method", "path", "body", "field", "code"), [pytest.param(*case[1:], id=case[0]) for case in LIMITS[::4]]
)
def test_limit_is_caught_with_the_spec(
    validator: RequestValidator, method: str, path: str, body: Any, field: str, code: str
) -> None:
    assert ("limit", field, code) in found(validator.validate(method, path, {}, body))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param("PATCH", CHANNEL + "/5", {"embeds": []}, id="edit removing embeds"),
        pytest.param("PATCH", ORIGINAL, {"components": []}, id="edit removing components"),
        pytest.param(
            "POST", CALLBACK, {"type": 7, "data": {"components": []}}, id="type 7 with components only"
        ),
        pytest.param("POST", CALLBACK, {"type": 6}, id="type 6 without data"),
        pytest.param("POST", CHANNEL, {"embeds": [{"title": "t"}]}, id="embed only"),
        pytest.param("POST", CHANNEL, {"sticker_ids": ["8"]}, id="sticker only"),
        pytest.param("POST", CHANNEL, {"attachments": [{"id": 0, "filename": "a.txt"}]}, id="file only"),
        pytest.param("POST", CHANNEL, {"content": X * 2000, "nonce": X * 25}, id="content 2000 and nonce 25"),
        pytest.param(
            "POST",
            CHANNEL,
            {"embeds": [{"description": X * 4096}, {"description": X * 1900 + " " * 50}]},
            id="embed total 5996 after trimming",
        ),
        pytest.param(
            "PATCH",
            EVENTS + "/9",
            {"entity_type": 3, "name": "x"},
            id="event edit relying on stored location",
        ),
        pytest.param("PATCH", EVENTS + "/9", {"status": 2}, id="event start"),
        pytest.param(
            "PUT", COMMANDS, [{"name": "Report message", "type": 3}], id="context menu name with capitals"
        ),
    ],
)
def test_partial_or_boundary_bodies_pass(
    validator: RequestValidator, method: str, path: str, body: Any
) -> None:
    assert validator.validate(method, path, {}, body) == []


@pytest.mark.parametrize(
    "name", ["créer", "liste_des-permanences", "l'agenda", "डेटा", "ภาษา", "日程", "x" * 32, "ß"]
)
def test_unicode_command_names_pass(validator: RequestValidator, name: str) -> None:
    assert (
        validator.validate("PUT", COMMANDS, {}, [command(name=name, name_localizations={"fr": name})]) == []
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v10/channels/2/messages",
        "/api/v9/channels/2/messages",
        "/channels/2/messages",
        "/api/v10/channels/2/messages?x=1",
    ],
)
def test_request_path_spellings_are_matched(without_spec: RequestValidator, path: str) -> None:
    assert found(without_spec.validate("POST", path, {}, {"content": X * 2001})) == {
        ("limit", "content", "BASE_TYPE_MAX_LENGTH")
    }


@pytest.mark.skipif(DEFAULT_SPEC_PATH is None, reason="spec absent")
def test_every_limit_check_names_an_operation_of_the_spec() -> None:
    assert DEFAULT_SPEC_PATH is not None
    paths = json.loads(DEFAULT_SPEC_PATH.read_text(encoding="utf-8"))["paths"]
    assert [key for key in limits.CHECKS if key[1] not in paths or key[0].lower() not in paths[key[1]]] == []


def test_limit_routing_agrees_with_the_spec_routing(spec_validator: RequestValidator) -> None:
    """The limit layer matches paths among its own templates only: no spec operation with a limit check
    may be shadowed there by a template the spec would match more specifically (e.g. a literal)."""
    assert spec_validator.spec is not None and DEFAULT_SPEC_PATH is not None
    spec_router, limit_router = spec_validator.spec._router, LimitLayer()._router
    paths = json.loads(DEFAULT_SPEC_PATH.read_text(encoding="utf-8"))["paths"]
    checked = 0
    for template, operations in paths.items():
        path = "/api/v10" + "/".join("1" if s.startswith("{") else s for s in template.split("/"))
        limit_template = limit_router.match(path)
        for method in set(operations) - {"parameters"}:
            if (method.upper(), limit_template) in limits.CHECKS:
                checked += 1
                assert spec_router.match(path) == limit_template, (method, path)
    assert checked >= len(limits.CHECKS)


def test_merge_keeps_the_first_report_per_field_and_code() -> None:
    limit = Violation("limit", "content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    spec = Violation("spec", "content", "BASE_TYPE_MAX_LENGTH", "Must be 4000 or fewer in length.")
    other = Violation("spec", "tts", "SPEC_INVALID", "'yes' is not of type 'boolean', 'null'")
    assert merge([limit], [spec, other, other]) == [limit, other]


def test_the_documented_limit_wins_over_the_spec(validator: RequestValidator) -> None:
    """The spec allows 4000 characters of content; Discord 2000. One violation, with Discord's number."""
    assert validator.validate("POST", CHANNEL, {}, {"content": X * 3000}) == [
        Violation("limit", "content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    ]


# --------------------------------------------------------------------------------------------- spec
# fmt: off
SPEC_ERRORS: list[Any] = [  # id, method, path, query, body, field, code
    ("content of the wrong type", "POST", CHANNEL, {}, {"content": 5}, "content", "SPEC_INVALID"),
    ("embeds not a list", "POST", CHANNEL, {}, {"content": "hi", "embeds": "x"}, "embeds", "LIST_TYPE_CONVERT"),
    ("embed not an object", "POST", CHANNEL, {}, {"embeds": [5]}, "embeds.0", "MODEL_TYPE_CONVERT"),
    ("embed field without value", "POST", CHANNEL, {}, {"embeds": [{"fields": [{"name": "n"}]}]},
     "embeds.0.fields.0.value", "BASE_TYPE_REQUIRED"),
    ("embed colour too big", "POST", CHANNEL, {}, {"embeds": [{"color": 2**24}]}, "embeds.0.color", "NUMBER_TYPE_MAX"),
    ("bad snowflake", "POST", CHANNEL, {}, {"content": "hi", "message_reference": {"message_id": "abc"}},
     "message_reference.message_id", "NUMBER_TYPE_COERCE"),
    ("unknown message_reference type", "POST", CHANNEL, {}, {"content": "hi", "message_reference": {
        "message_id": "5", "type": 7}}, "message_reference.type", "BASE_TYPE_CHOICES"),
    ("tts not a boolean", "POST", CHANNEL, {}, {"content": "hi", "tts": "yes"}, "tts", "SPEC_INVALID"),
    ("button without style", "POST", CHANNEL, {}, {"components": [row({"type": 2, "custom_id": "b"})]},
     "components.0.components.0.style", "BASE_TYPE_REQUIRED"),
    ("reply content of the wrong type", "POST", CALLBACK, {}, {"type": 4, "data": {"content": 5}}, "data.content",
     "SPEC_INVALID"),
    ("unknown callback type", "POST", CALLBACK, {}, {"type": 99}, "type", "BASE_TYPE_CHOICES"),
    ("modal text input without custom_id", "POST", CALLBACK, {},
     modal_reply(row({"type": 4, "style": 1, "label": "Q"})),
     "data.components.0.components.0.custom_id", "BASE_TYPE_REQUIRED"),
    ("with_response not a boolean", "POST", CALLBACK, {"with_response": "yes"}, {"type": 6}, "with_response",
     "SPEC_INVALID"),
    ("message page too big", "GET", CHANNEL, {"limit": "500"}, None, "limit", "NUMBER_TYPE_MAX"),
    ("message page not a number", "GET", CHANNEL, {"limit": "ten"}, None, "limit", "NUMBER_TYPE_COERCE"),
    ("event start not a date", "POST", EVENTS, {}, event(scheduled_start_time="tomorrow"), "scheduled_start_time",
     "SPEC_INVALID"),
    ("command option of unknown type", "PUT", COMMANDS, {}, [command(options=[option(type=99)])],
     "0.options.0.type", "BASE_TYPE_CHOICES"),
    ("recipient not a snowflake", "POST", "/api/v10/users/@me/channels", {}, {"recipient_id": "alice"},
     "recipient_id", "NUMBER_TYPE_COERCE"),
    ("permission bits not digits", "PUT", "/api/v10/channels/2/permissions/5", {}, {"allow": "all", "type": 0},
     "allow", "STRING_TYPE_REGEX"),
    ("role colour too big", "POST", "/api/v10/guilds/1/roles", {}, {"name": "WG", "color": 2**24}, "color",
     "NUMBER_TYPE_MAX"),
]
# fmt: on


@pytest.mark.parametrize(
    ("method", "path", "query", "body", "field", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in SPEC_ERRORS],
)
def test_spec_error_is_caught(
    spec_validator: RequestValidator,
    method: str,
    path: str,
    query: dict[str, str],
    body: Any,
    field: str,
    code: str,
) -> None:
    assert ("spec", field, code) in found(spec_validator.validate(method, path, query, body))


def test_spec_type_error_is_reported_once(spec_validator: RequestValidator) -> None:
    assert spec_validator.validate("POST", CHANNEL, {}, {"content": 5}) == [
        Violation("spec", "content", "SPEC_INVALID", "5 is not of type 'string', 'null'")
    ]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param("GET", "/api/v10/nowhere/1", None, id="unknown path"),
        pytest.param("POST", "/api/v10/nowhere/1", {"content": 5}, id="unknown path with a body"),
        pytest.param("GET", "/api/v10/users/@me", None, id="route without a body"),
        pytest.param("DELETE", CHANNEL + "/5", {"junk": True}, id="body on a route that takes none"),
        pytest.param("PUT", "/api/v10/guilds/1/bans/3", None, id="optional body left out"),
    ],
)
def test_nothing_to_validate_yields_no_violation(
    validator: RequestValidator, method: str, path: str, body: Any
) -> None:
    assert validator.validate(method, path, {}, body) == []


# Allowlist: each entry exists because the spec is stricter than Discord where discord.py relies on it.
@pytest.mark.parametrize(
    ("path", "body"),
    [
        pytest.param(
            "/api/v10/users/@me/channels", {"recipient_id": 123}, id="snowflake as an int (create_dm)"
        ),
        pytest.param(
            CHANNEL,
            {"content": "hi", "allowed_mentions": {"parse": [], "users": [3], "roles": [4]}},
            id="snowflakes as ints (AllowedMentions.to_dict)",
        ),
        pytest.param(
            "/api/v10/guilds/1/roles", {"name": "WG", "permissions": "1024"}, id="permissions as a string"
        ),
    ],
)
def test_allowlisted_shapes_pass(spec_validator: RequestValidator, path: str, body: Any) -> None:
    assert spec_validator.validate("POST", path, {}, body) == []


def test_overwrite_bits_as_strings_pass(spec_validator: RequestValidator) -> None:
    body = {"allow": "1024", "deny": "0", "type": 0}
    assert spec_validator.validate("PUT", "/api/v10/channels/2/permissions/5", {}, body) == []


@pytest.mark.skipif(DEFAULT_SPEC_PATH is None, reason="spec absent")
@pytest.mark.parametrize(
    ("schema", "prop", "spec_type"),
    [
        ("SnowflakeType", None, "string"),
        ("ChannelPermissionOverwriteRequest", "allow", ["integer", "null"]),
        ("CreateRoleRequest", "permissions", ["integer", "null"]),
    ],
)
def test_allowlist_entry_is_still_needed(schema: str, prop: str | None, spec_type: Any) -> None:
    """Fails once the upstream spec accepts what Discord accepts: then drop the allowlist entry."""
    assert DEFAULT_SPEC_PATH is not None
    schemas = json.loads(DEFAULT_SPEC_PATH.read_text(encoding="utf-8"))["components"]["schemas"]
    node = schemas[schema] if prop is None else schemas[schema]["properties"][prop]
    assert node["type"] == spec_type


# ------------------------------------------------------------------------------------- form errors
def test_form_errors_nests_by_field() -> None:
    violations = [
        Violation("limit", "content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."),
        Violation("limit", "embeds.0.title", "BASE_TYPE_MAX_LENGTH", "Must be 256 or fewer in length."),
        Violation("spec", "embeds.0.fields.1.value", "BASE_TYPE_REQUIRED", "This field is required"),
    ]
    assert form_errors(violations) == {
        "content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]},
        "embeds": {"0": {
            "title": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 256 or fewer in length."}]},
            "fields": {"1": {"value": {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]}}},
        }},
    }  # fmt: skip


def test_form_errors_puts_whole_body_errors_at_the_top() -> None:
    violation = Violation("limit", "", "50006", "Cannot send an empty message")
    assert form_errors([violation]) == {
        "_errors": [{"code": "50006", "message": "Cannot send an empty message"}]
    }


def test_form_errors_keeps_every_error_of_a_field() -> None:
    violations = [Violation("limit", "0.name", "A", "a"), Violation("limit", "0.name", "B", "b")]
    assert form_errors(violations) == {
        "0": {"name": {"_errors": [{"code": "A", "message": "a"}, {"code": "B", "message": "b"}]}}
    }


def test_form_errors_of_a_real_rejection(without_spec: RequestValidator) -> None:
    violations = without_spec.validate(
        "POST", CALLBACK, {}, {"type": 4, "data": {"embeds": [{"title": X * 257}]}}
    )
    assert form_errors(violations) == {
        "data": {
            "embeds": {
                "0": {
                    "title": {
                        "_errors": [
                            {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 256 or fewer in length."}
                        ]
                    }
                }
            }
        }
    }


# -------------------------------------------------------------------------------- loading and speed
def test_default_spec_path_is_the_shared_spec_next_to_the_project() -> None:
    expected = Path(__file__).resolve().parents[2].parent / "shared" / "discord-api-spec" / "openapi.json"
    assert (expected if expected.is_file() else None) == DEFAULT_SPEC_PATH


def test_without_a_spec_only_limits_are_checked(without_spec: RequestValidator) -> None:
    assert not without_spec.has_spec
    assert without_spec.validate("POST", CHANNEL, {}, {"content": 5}) == []


async def test_validator_can_be_built_in_a_background_thread() -> None:
    built = await asyncio.to_thread(RequestValidator, DEFAULT_SPEC_PATH)
    assert built.has_spec == (DEFAULT_SPEC_PATH is not None)
    assert found(built.validate("POST", CHANNEL, {}, {"content": X * 2001})) == {
        ("limit", "content", "BASE_TYPE_MAX_LENGTH")
    }
