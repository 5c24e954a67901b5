"""sandbox/say.py and sandbox/brief.py: commands typed as in Discord, answers printed as text."""

from __future__ import annotations

import pytest

from sandbox.brief import render_messages, render_outcome
from sandbox.say import SayError, parse_command, parse_fields


@pytest.mark.parametrize(
    ("typed", "command", "options"),
    [
        ("/about", "about", {}),
        (
            "/dropin skip date:2026-12-24 reason:Holiday",
            "dropin skip",
            {"date": "2026-12-24", "reason": "Holiday"},
        ),
        (
            "/dropin skip date:2026-12-24 reason:Happy holidays all",
            "dropin skip",
            {"date": "2026-12-24", "reason": "Happy holidays all"},
        ),
        (
            "/dropin setup link:https://zoom.us/j/1 time:12:00",
            "dropin setup",
            {"link": "https://zoom.us/j/1", "time": "12:00"},
        ),
        ("/dropin note note:see https://x.org", "dropin note", {"note": "see https://x.org"}),
    ],
)
def test_a_command_is_read_as_discord_shows_it(typed: str, command: str, options: dict[str, str]) -> None:
    assert parse_command(typed) == (command, options)


def test_a_command_without_a_name_is_refused() -> None:
    with pytest.raises(SayError, match="no command"):
        parse_command("/ date:2026-12-24")


def test_modal_fields_are_label_equals_text() -> None:
    assert parse_fields(["Title=Hello", "Notes=a=b"]) == {"Title": "Hello", "Notes": "a=b"}
    with pytest.raises(SayError, match="field=value"):
        parse_fields(["Hello"])


def test_an_answer_shows_content_embed_fields_and_button_labels_not_json() -> None:
    outcome = {
        "interaction_id": "11",
        "response": {"type": 4, "data": {}},
        "message": {
            "id": "22",
            "content": "Saved.",
            "flags": 64,
            "author": {"username": "nsscop-bot", "bot": True},
            "embeds": [{"title": "Next drop-in", "fields": [{"name": "When", "value": "<t:1796317200:F>"}]}],
            "components": [
                {
                    "type": 1,
                    "components": [{"type": 2, "label": "Approve", "custom_id": "q:approve:1", "style": 3}],
                }
            ],
        },
        "followups": [],
    }

    text = render_outcome(outcome)

    assert text.splitlines() == [
        "interaction 11",
        "the bot replied",
        "message 22 from nsscop-bot (bot) (only you can see this):",
        "    Saved.",
        "    │ == Next drop-in ==",
        "    │ • When: Thu 2026-12-03 17:00 UTC",
        "    buttons: [Approve]",
    ]


def test_an_opened_modal_lists_its_inputs_and_how_to_fill_it() -> None:
    modal = {
        "title": "Ask",
        "custom_id": "ask",
        "components": [
            {
                "type": 18,
                "label": "Your question",
                "component": {"type": 4, "custom_id": "q", "max_length": 1800},
            }
        ],
    }

    text = render_outcome({"interaction_id": "5", "response": {"type": 9, "data": modal}})

    assert 'fill <user> 5 "Label=text"' in text
    assert "Your question (required, up to 1800 characters)" in text


def test_an_empty_channel_says_so() -> None:
    assert render_messages([]) == "(no messages)"


def test_mentions_read_as_names_when_known() -> None:
    names = {
        "#111111111111111111": "#general",
        "@222222222222222222": "@alex",
        "@&333333333333333333": "@Member",
    }
    message = {
        "id": "1",
        "author": {"username": "nsscop-bot", "bot": True},
        "content": "<@222222222222222222> joined <#111111111111111111> as <@&333333333333333333>; <#999999999999999999>",
    }

    (_, line) = render_messages([message], names).splitlines()

    assert line.strip() == "@alex joined #general as @Member; <#999999999999999999>"
