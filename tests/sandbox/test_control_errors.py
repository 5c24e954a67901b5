"""Control API errors name the missing or wrong field and what is expected."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from sandbox import Sandbox, SandboxClient

COMMAND = "/_sandbox/interactions/command"
COMPONENT = "/_sandbox/interactions/component"
MODAL = "/_sandbox/interactions/modal"


@pytest.mark.parametrize(
    ("path", "body", "field", "expected"),
    [
        pytest.param(COMMAND, {"command": "about"}, "user", "a user name", id="command-without-user"),
        pytest.param(
            COMMAND, {"user": "alex"}, "command", "the command as typed", id="command-without-command"
        ),
        pytest.param(
            COMMAND,
            {"user": "alex", "command": "about", "options": [1]},
            "options",
            "an object",
            id="options-list",
        ),
        pytest.param(
            COMPONENT, {"user": "alex"}, "message_id", "the id of a message", id="click-without-message"
        ),
        pytest.param(
            COMPONENT,
            {"user": "alex", "message_id": "abc"},
            "message_id",
            "the id of a message",
            id="message-id-text",
        ),
        pytest.param(
            COMPONENT, {"user": "alex", "message_id": "123"}, "message_id", "no message 123", id="no-such"
        ),
        pytest.param(
            MODAL, {"user": "alex"}, "interaction_id", "the interaction that opened", id="modal-without-id"
        ),
        pytest.param(
            "/_sandbox/messages",
            {"user": "alex", "channel": "dm"},
            "content",
            "the message's text",
            id="no-content",
        ),
    ],
)
async def test_an_error_names_the_field_and_what_it_expects(
    client: SandboxClient, path: str, body: dict[str, Any], field: str, expected: str
) -> None:
    status, answer = await client.call("POST", path, body)

    assert status == 400
    assert answer["field"] == field
    assert f"'{field}'" in answer["error"]
    assert expected in answer["error"]


async def test_an_empty_body_asks_for_the_user(client: SandboxClient) -> None:
    status, answer = await client.call("POST", COMMAND, None)

    assert status == 400
    assert answer["field"] == "user"


async def test_a_body_that_is_not_json_says_so(sandbox: Sandbox) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(sandbox.http_base + COMMAND, data=b"{'user': 'alex'}") as response,
    ):
        answer = await response.json()

    assert response.status == 400
    assert "not valid JSON" in answer["error"]


async def test_a_click_on_a_missing_label_lists_the_components(client: SandboxClient) -> None:
    sent = await client.call(
        "POST", "/_sandbox/messages", {"user": "alex", "channel": "general", "content": "x"}
    )

    status, answer = await client.call(
        "POST", COMPONENT, {"user": "alex", "message_id": sent[1]["id"], "label": "Submit"}
    )

    assert status == 400
    assert answer["field"] == "label"
    assert "no components" in answer["error"]


async def test_brief_turns_an_error_into_one_line(client: SandboxClient) -> None:
    status, answer = await client.call("POST", COMPONENT + "?brief=1", {"user": "alex"})

    assert status == 400
    assert answer.startswith("error: missing field 'message_id'")


async def test_a_permissions_query_without_a_user_names_the_parameter(client: SandboxClient) -> None:
    status, answer = await client.call("GET", "/_sandbox/permissions?channel=general")

    assert status == 400
    assert answer["field"] == "user"
    assert "?user=alex" in answer["error"]
