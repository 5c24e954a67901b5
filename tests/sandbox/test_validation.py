"""sandbox.validation: what discord.py 2.7.1 really sends passes; Discord's limits and the spec's types are caught.

The "real" bodies come from running discord.py itself (channel sends, interaction responses, tree.sync,
Guild.create_scheduled_event...) with only the network replaced by a recorder.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

import discord
import pytest
import yarl
from discord import app_commands, ui
from discord.http import Route
from discord.webhook import async_ as webhook_async

from sandbox.validation import DEFAULT_SPEC_PATH, RequestValidator, Violation, form_errors

Request = tuple[str, str, dict[str, str], Any]  # method, path, query, parsed JSON body

CHANNEL = "/api/v10/channels/2/messages"
CALLBACK = "/api/v10/interactions/99/tok/callback"
FOLLOWUP = "/api/v10/webhooks/1/tok"
ORIGINAL = "/api/v10/webhooks/1/tok/messages/@original"
COMMANDS = "/api/v10/applications/1/commands"
EVENTS = "/api/v10/guilds/1/scheduled-events"
START = dt.datetime(2026, 1, 6, 17, 0, tzinfo=dt.UTC)


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
def limits() -> RequestValidator:
    return RequestValidator(None)


def found(violations: list[Violation]) -> set[tuple[str, str, str]]:
    return {(v.source, v.field, v.code) for v in violations}


# ------------------------------------------------------------------------------ discord.py, recorded
MESSAGE: dict[str, Any] = {
    "id": "500", "channel_id": "2", "content": "", "timestamp": "2026-01-01T00:00:00+00:00",
    "author": {"id": "10", "username": "bot", "discriminator": "0", "avatar": None},
    "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
    "attachments": [], "embeds": [], "pinned": False, "type": 0,
}  # fmt: skip
ROLE = {
    "id": "5",
    "name": "WG",
    "permissions": "1024",
    "position": 1,
    "color": 0,
    "hoist": False,
    "managed": False,
    "mentionable": True,
    "flags": 0,
}
EVENT = {
    "id": "9",
    "guild_id": "1",
    "name": "Drop-in",
    "entity_type": 3,
    "status": 1,
    "privacy_level": 2,
    "scheduled_start_time": START.isoformat(),
    "scheduled_end_time": (START + dt.timedelta(hours=1)).isoformat(),
    "entity_metadata": {"location": "https://zoom.us/j/1"},
}


def _answer(route: Any, body: Any) -> Any:
    """Just enough of a reply for discord.py to carry on after the request."""
    path = route.path
    if path.endswith("/callback"):
        resource = {"type": body["type"], "message": MESSAGE} if body["type"] in (4, 7) else None
        return {"interaction": {"id": "99", "type": 2, "response_message_id": "500"}, "resource": resource}
    if path.endswith("/commands"):
        return [
            {"description": "", **c, "id": str(i + 1), "application_id": "1", "version": "1"}
            for i, c in enumerate(body)
        ]
    if path.endswith("/scheduled-events") or "{guild_scheduled_event_id}" in path:
        return EVENT
    if path.endswith("/roles"):
        return ROLE
    if path in ("/guilds/{guild_id}/channels", "/channels/{channel_id}"):
        return {
            "id": "7",
            "type": 0,
            "guild_id": "1",
            "name": body.get("name", "wg"),
            "position": 0,
            "permission_overwrites": [],
        }
    if path == "/users/@me/channels":
        return {"id": "11", "type": 1, "recipients": [], "last_message_id": None}
    return MESSAGE


class DiscordPy:
    """A discord.py client whose HTTP client and webhook adapter record requests instead of sending them."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.client = discord.Client(intents=discord.Intents(guilds=True), application_id=1)
        self.client.http.request = self._http_request  # type: ignore[method-assign]
        adapter = webhook_async.AsyncWebhookAdapter()
        adapter.request = self._webhook_request  # type: ignore[method-assign]
        webhook_async.async_context.set(adapter)
        self.state = self.client._connection
        everyone = {**ROLE, "id": "1", "name": "@everyone", "permissions": "0", "position": 0}
        self.guild = discord.Guild(data={"id": "1", "name": "CoP", "roles": [everyone]}, state=self.state)  # type: ignore[typeddict-item]
        self.channel = discord.PartialMessageable(state=self.state, id=2)

    def _record(self, route: Any, body: Any, params: dict[str, Any] | None) -> Any:
        body = None if body is None else json.loads(json.dumps(body))  # what the server parses
        query = {k: str(v) for k, v in (params or {}).items()}
        self.requests.append((route.method, yarl.URL(route.url).path, query, body))
        return _answer(route, body)

    async def _http_request(self, route: Any, *, files: Any = None, form: Any = None, **kwargs: Any) -> Any:
        body = kwargs.get("json")
        if form:  # multipart: the JSON travels as payload_json
            body = json.loads(next(part["value"] for part in form if part["name"] == "payload_json"))
        return self._record(route, body, kwargs.get("params"))

    async def _webhook_request(
        self,
        route: Any,
        session: Any,
        *,
        payload: Any = None,
        multipart: Any = None,
        params: Any = None,
        **kwargs: Any,
    ) -> Any:
        if multipart:
            payload = json.loads(next(part["value"] for part in multipart if part["name"] == "payload_json"))
        return self._record(route, payload, params)

    def interaction(self, kind: int = 2, data: dict[str, Any] | None = None) -> discord.Interaction:
        payload: dict[str, Any] = {
            "id": "99", "application_id": "1", "type": kind, "token": "tok", "version": 1,
            "attachment_size_limit": 8_000_000, "channel_id": "2", "locale": "fr",
            "user": {"id": "3", "username": "alice", "discriminator": "0", "avatar": None},
            "data": data or {"id": "7", "name": "ping", "type": 1},
        }  # fmt: skip
        if kind == 3:
            payload["message"] = MESSAGE
        return discord.Interaction(data=payload, state=self.state)  # type: ignore[arg-type]

    def button_click(self) -> discord.Interaction:
        return self.interaction(3, {"custom_id": "open", "component_type": 2})


def _view() -> ui.View:
    view = ui.View()
    view.add_item(ui.Button(label="Open", custom_id="open"))
    view.add_item(ui.Button(label="Guide", url="https://example.org/guide"))
    view.add_item(ui.Button(label="Oui", custom_id="yes", emoji="✅", style=discord.ButtonStyle.success))
    return view


def _embed() -> discord.Embed:
    embed = discord.Embed(
        title="Drop-in", description="Mardi", colour=0x2F6B4F, url="https://example.org", timestamp=START
    )
    embed.add_field(name="Quand", value="17 h", inline=False).set_footer(
        text="NSS-CoP", icon_url="https://e.org/i.png"
    )
    return embed.set_author(name="Bot").set_thumbnail(url="https://e.org/t.png")


class Question(ui.Modal, title="Poser une question"):
    question: ui.TextInput[Question] = ui.TextInput(
        label="Question", style=discord.TextStyle.paragraph, max_length=4000
    )
    name: ui.TextInput[Question] = ui.TextInput(
        label="Nom", required=False, placeholder="facultatif", default="Anonyme", min_length=0
    )


class LabelledQuestion(ui.Modal, title="Question"):
    notice: ui.TextDisplay[Any] = ui.TextDisplay("Soyez bienveillant·e")
    question: ui.Label[LabelledQuestion] = ui.Label(
        text="Votre question", description="anonyme", component=ui.TextInput()
    )
    topic: ui.Label[LabelledQuestion] = ui.Label(
        text="Sujet", component=ui.Select(options=[discord.SelectOption(label="Santé", value="health")])
    )


class French(app_commands.Translator):
    WORDS: ClassVar[dict[str, str]] = {
        "ping": "ping",
        "Check the bot": "Vérifier le bot",
        "word": "mot",
        "a word": "un mot",
        "Red": "Rouge",
        "dropin": "permanence",
        "Drop-ins": "Permanences",
        "list": "liste",
        "List drop-ins": "Lister",
        "colour": "couleur",
        "when": "quand",
        "Report message": "Signaler le message",
    }

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: Any
    ) -> str | None:
        return self.WORDS.get(string.message) if locale is discord.Locale.french else None


async def _sync_commands(d: DiscordPy, *, guild: discord.abc.Snowflake | None) -> None:
    tree = app_commands.CommandTree(d.client)

    @tree.command(name="ping", description=app_commands.locale_str("Check the bot"))
    @app_commands.describe(word=app_commands.locale_str("a word"))
    @app_commands.choices(colour=[app_commands.Choice(name=app_commands.locale_str("Red"), value="red")])
    async def ping(
        i: discord.Interaction,
        word: str,
        n: app_commands.Range[int, 1, 5],
        colour: app_commands.Choice[str],
        member: discord.Member | None = None,
    ) -> None: ...

    group = app_commands.Group(
        name="dropin",
        description="Drop-ins",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    @group.command(name="list", description="List drop-ins")
    async def list_(i: discord.Interaction, when: str | None = None) -> None: ...

    @tree.context_menu(name="Report message")
    async def report(i: discord.Interaction, message: discord.Message) -> None: ...

    tree.add_command(group)
    await tree.set_translator(French())
    if guild is not None:
        tree.copy_global_to(guild=guild)
    await tree.sync(guild=guild)


async def _channel_message(d: DiscordPy) -> None:
    await d.channel.send(
        "Bonjour", embed=_embed(), view=_view(), allowed_mentions=discord.AllowedMentions.none()
    )


async def _message_with_file_and_mentions(d: DiscordPy) -> None:
    mentions = discord.AllowedMentions(users=[discord.Object(3)], roles=False, everyone=False)
    await d.channel.send(
        "voir", file=discord.File(io.BytesIO(b"minutes"), "minutes.txt"), allowed_mentions=mentions
    )


async def _reply_with_stickers(d: DiscordPy) -> None:
    await d.channel.send(
        "reply",
        reference=discord.MessageReference(message_id=5, channel_id=2),
        mention_author=False,
        stickers=[discord.Object(8)],  # type: ignore[list-item]  # any Snowflake will do
    )


async def _select_menu(d: DiscordPy) -> None:
    view = ui.View()
    view.add_item(
        ui.Select(
            custom_id="pick",
            placeholder="Choisir",
            options=[discord.SelectOption(label="A", value="a", description="d", emoji="😀")],
        )
    )
    view.add_item(ui.UserSelect(custom_id="who", max_values=3))
    await d.channel.send(view=view)


async def _components_v2(d: DiscordPy) -> None:
    view = ui.LayoutView()
    section: ui.Section[ui.LayoutView] = ui.Section(
        ui.TextDisplay("Mardi 17 h"), accessory=ui.Button(label="Go", custom_id="go")
    )
    view.add_item(
        ui.Container(ui.TextDisplay("# Permanence"), ui.Separator(), section, accent_colour=0x2F6B4F)
    )
    view.add_item(ui.ActionRow(ui.Button(label="Oui", custom_id="yes")))
    await d.channel.send(view=view)


async def _poll(d: DiscordPy) -> None:
    poll = discord.Poll(question="Date?", duration=dt.timedelta(hours=24))
    await d.channel.send(poll=poll.add_answer(text="Mardi").add_answer(text="Jeudi", emoji="👍"))


async def _forward(d: DiscordPy) -> None:  # no content: the forwarded message is the content
    await d.channel.get_partial_message(500).forward(discord.PartialMessageable(state=d.state, id=3))


async def _message_edit(d: DiscordPy) -> None:
    await d.channel.get_partial_message(500).edit(content="modifié", embed=None, view=None)


async def _dm(d: DiscordPy) -> None:
    data: Any = {"id": "3", "username": "alice", "discriminator": "0", "avatar": None}
    user = discord.User(state=d.state, data=data)
    await user.create_dm()


async def _interaction_reply(d: DiscordPy) -> None:
    i = d.interaction()
    await i.response.send_message(
        "Bonjour",
        embed=_embed(),
        view=_view(),
        ephemeral=True,
        allowed_mentions=discord.AllowedMentions.none(),
    )
    await i.followup.send("suite", view=_view(), ephemeral=True)
    await i.edit_original_response(content="modifié", view=None)


async def _deferred_reply(d: DiscordPy) -> None:
    i = d.interaction()
    await i.response.defer(ephemeral=True, thinking=True)
    await i.followup.send(embeds=[_embed(), _embed()])


async def _button_edits_message(d: DiscordPy) -> None:
    await d.button_click().response.edit_message(content="merci", view=None)
    await d.button_click().response.defer()


async def _modals(d: DiscordPy) -> None:
    await d.interaction().response.send_modal(Question())
    await d.button_click().response.send_modal(LabelledQuestion())


async def _autocomplete(d: DiscordPy) -> None:
    await d.interaction(4).response.autocomplete([app_commands.Choice(name="Mardi", value="tue")])


async def _global_sync(d: DiscordPy) -> None:
    await _sync_commands(d, guild=None)


async def _guild_sync(d: DiscordPy) -> None:
    await _sync_commands(d, guild=discord.Object(1))


async def _external_event(d: DiscordPy) -> None:
    event = await d.guild.create_scheduled_event(
        name="Drop-in",
        description="Hebdomadaire",
        start_time=START,
        end_time=START + dt.timedelta(hours=1),
        entity_type=discord.EntityType.external,
        privacy_level=discord.PrivacyLevel.guild_only,
        location="https://zoom.us/j/1",
    )
    await event.edit(name="Drop-in (FR)", description="Chaque mardi")
    await event.start()
    await event.cancel()


async def _recurring_event_raw_route(d: DiscordPy) -> None:  # facts §1.9: discord.py has no recurrence_rule
    payload = {
        "name": "Weekly sync",
        "privacy_level": 2,
        "entity_type": 3,
        "scheduled_start_time": START.isoformat(),
        "scheduled_end_time": (START + dt.timedelta(hours=1)).isoformat(),
        "entity_metadata": {"location": "https://zoom.us/j/1"},
        "recurrence_rule": {"start": START.isoformat(), "frequency": 2, "interval": 1, "by_weekday": [2]},
    }
    await d.client.http.request(
        Route("POST", "/guilds/{guild_id}/scheduled-events", guild_id=1), json=payload
    )


async def _role_channel_and_overwrite(d: DiscordPy) -> None:
    role = await d.guild.create_role(
        name="WG",
        permissions=discord.Permissions(view_channel=True),
        mentionable=True,
        colour=discord.Colour.blue(),
    )
    overwrites: dict[discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite] = {
        d.guild.default_role: discord.PermissionOverwrite(view_channel=False),
        role: discord.PermissionOverwrite(view_channel=True),
    }
    channel = await d.guild.create_text_channel(
        "wg-harm-reduction", overwrites=overwrites, topic="Groupe de travail"
    )
    await channel.set_permissions(role, view_channel=True, send_messages=False)
    await channel.edit(name="wg-reduction-des-mefaits")


async def _ban_without_body(d: DiscordPy) -> None:  # no JSON body although the spec declares one
    await d.guild.ban(discord.Object(3))


REAL: dict[str, Callable[[DiscordPy], Awaitable[None]]] = {
    fn.__name__.strip("_"): fn
    for fn in (
        _channel_message,
        _message_with_file_and_mentions,
        _reply_with_stickers,
        _select_menu,
        _components_v2,
        _poll,
        _forward,
        _message_edit,
        _dm,
        _interaction_reply,
        _deferred_reply,
        _button_edits_message,
        _modals,
        _autocomplete,
        _global_sync,
        _guild_sync,
        _external_event,
        _recurring_event_raw_route,
        _role_channel_and_overwrite,
        _ban_without_body,
    )
}


async def recorded(action: Callable[[DiscordPy], Awaitable[None]]) -> list[Request]:
    d = DiscordPy()
    await action(d)
    assert d.requests, "the scenario sent nothing"
    return d.requests


@pytest.mark.parametrize("name", sorted(REAL))
async def test_what_discord_py_sends_passes(validator: RequestValidator, name: str) -> None:
    for request in await recorded(REAL[name]):
        assert validator.validate(*request) == [], request


@pytest.mark.parametrize("name", ["channel_message", "modals", "global_sync", "external_event"])
async def test_what_discord_py_sends_passes_the_limits_alone(limits: RequestValidator, name: str) -> None:
    for request in await recorded(REAL[name]):
        assert limits.validate(*request) == [], request


async def test_scheduled_event_with_entity_type_inferred_from_location_is_rejected(
    limits: RequestValidator,
) -> None:
    """facts §0.7: discord.py then drops entity_type and privacy_level, which Discord rejects."""

    async def inferred(d: DiscordPy) -> None:
        await d.guild.create_scheduled_event(
            name="Drop-in",
            start_time=START,
            end_time=START + dt.timedelta(hours=1),
            location="https://zoom.us/j/1",
        )

    [request] = await recorded(inferred)
    assert found(limits.validate(*request)) == {
        ("limit", "privacy_level", "BASE_TYPE_REQUIRED"),
        ("limit", "entity_type", "BASE_TYPE_REQUIRED"),
    }


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


# ------------------------------------------------------------------------------------------- limits
def _row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def _button(**fields: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "ok", "custom_id": "b", **fields}


def _select(**fields: Any) -> dict[str, Any]:
    return {"type": 3, "custom_id": "s", "options": [{"label": "a", "value": "a"}], **fields}


def _modal_reply(*rows: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"type": 9, "data": {"custom_id": "m", "title": "Question", "components": list(rows), **fields}}


def _text_input(**fields: Any) -> dict[str, Any]:
    return _row({"type": 4, "custom_id": "q", "style": 1, "label": "Question", **fields})


def _event(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Drop-in",
        "privacy_level": 2,
        "entity_type": 3,
        "scheduled_start_time": START.isoformat(),
        "scheduled_end_time": (START + dt.timedelta(hours=1)).isoformat(),
        "entity_metadata": {"location": "https://zoom.us/j/1"},
        **fields,
    }


def _command(**fields: Any) -> dict[str, Any]:
    return {"name": "ping", "description": "Ping", "type": 1, **fields}


def _option(**fields: Any) -> dict[str, Any]:
    return {"type": 3, "name": "word", "description": "a word", **fields}


X = "x"
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
    ("custom_id 101", "POST", CHANNEL, {"components": [_row(_button(custom_id=X * 101))]},
     "components.0.components.0.custom_id", "BASE_TYPE_MAX_LENGTH"),
    ("empty custom_id", "POST", CHANNEL, {"components": [_row(_button(custom_id=""))]},
     "components.0.components.0.custom_id", "BASE_TYPE_MIN_LENGTH"),
    ("button label 81", "POST", CHANNEL, {"components": [_row(_button(label=X * 81))]},
     "components.0.components.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("6 buttons in a row", "POST", CHANNEL, {"components": [_row(*[_button(custom_id=str(i)) for i in range(6)])]},
     "components.0.components", "BASE_TYPE_MAX_LENGTH"),
    ("6 action rows", "POST", CHANNEL, {"components": [_row(_button(custom_id=str(i))) for i in range(6)]},
     "components", "BASE_TYPE_MAX_LENGTH"),
    ("select sharing a row", "POST", CHANNEL, {"components": [_row(_select(), _button())]},
     "components.0.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED"),
    ("select with 26 options", "POST", CHANNEL, {"components": [_row(_select(options=[
        {"label": str(i), "value": str(i)} for i in range(26)]))]},
     "components.0.components.0.options", "BASE_TYPE_MAX_LENGTH"),
    ("select option label 101", "POST", CHANNEL, {"components": [_row(_select(options=[
        {"label": X * 101, "value": "a"}]))]}, "components.0.components.0.options.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("select option value 101", "POST", CHANNEL, {"components": [_row(_select(options=[
        {"label": "a", "value": X * 101}]))]}, "components.0.components.0.options.0.value", "BASE_TYPE_MAX_LENGTH"),
    ("select option description 101", "POST", CHANNEL, {"components": [_row(_select(options=[
        {"label": "a", "value": "a", "description": X * 101}]))]},
     "components.0.components.0.options.0.description", "BASE_TYPE_MAX_LENGTH"),
    ("select placeholder 151", "POST", CHANNEL, {"components": [_row(_select(placeholder=X * 151))]},
     "components.0.components.0.placeholder", "BASE_TYPE_MAX_LENGTH"),
    ("button in a type 7 update", "POST", CALLBACK, {"type": 7, "data": {"components": [_row(_button(label=X * 81))]}},
     "data.components.0.components.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("modal title 46", "POST", CALLBACK, _modal_reply(_text_input(), title=X * 46), "data.title",
     "BASE_TYPE_MAX_LENGTH"),
    ("modal custom_id 101", "POST", CALLBACK, _modal_reply(_text_input(), custom_id=X * 101), "data.custom_id",
     "BASE_TYPE_MAX_LENGTH"),
    ("modal with 6 rows", "POST", CALLBACK, _modal_reply(*[_text_input(custom_id=str(i)) for i in range(6)]),
     "data.components", "BASE_TYPE_MAX_LENGTH"),
    ("modal without rows", "POST", CALLBACK, _modal_reply(), "data.components", "BASE_TYPE_MIN_LENGTH"),
    ("text input label 46", "POST", CALLBACK, _modal_reply(_text_input(label=X * 46)),
     "data.components.0.components.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("text input min_length 4001", "POST", CALLBACK, _modal_reply(_text_input(min_length=4001)),
     "data.components.0.components.0.min_length", "NUMBER_TYPE_MAX"),
    ("text input max_length 0", "POST", CALLBACK, _modal_reply(_text_input(max_length=0)),
     "data.components.0.components.0.max_length", "NUMBER_TYPE_MIN"),
    ("text input max_length 4001", "POST", CALLBACK, _modal_reply(_text_input(max_length=4001)),
     "data.components.0.components.0.max_length", "NUMBER_TYPE_MAX"),
    ("text input value 4001", "POST", CALLBACK, _modal_reply(_text_input(value=X * 4001)),
     "data.components.0.components.0.value", "BASE_TYPE_MAX_LENGTH"),
    ("text input placeholder 101", "POST", CALLBACK, _modal_reply(_text_input(placeholder=X * 101)),
     "data.components.0.components.0.placeholder", "BASE_TYPE_MAX_LENGTH"),
    ("label component label 46", "POST", CALLBACK, _modal_reply({"type": 18, "label": X * 46, "component": {
        "type": 4, "custom_id": "q", "style": 1}}), "data.components.0.label", "BASE_TYPE_MAX_LENGTH"),
    ("text input inside a label", "POST", CALLBACK, _modal_reply({"type": 18, "label": "Q", "component": {
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
    ("event name 101", "POST", EVENTS, _event(name=X * 101), "name", "BASE_TYPE_MAX_LENGTH"),
    ("empty event name", "POST", EVENTS, _event(name=""), "name", "BASE_TYPE_MIN_LENGTH"),
    ("event without name", "POST", EVENTS, {k: v for k, v in _event().items() if k != "name"}, "name",
     "BASE_TYPE_REQUIRED"),
    ("event description 1001", "POST", EVENTS, _event(description=X * 1001), "description", "BASE_TYPE_MAX_LENGTH"),
    ("event location 101", "POST", EVENTS, _event(entity_metadata={"location": X * 101}), "entity_metadata.location",
     "BASE_TYPE_MAX_LENGTH"),
    ("external event without location", "POST", EVENTS, _event(entity_metadata={}), "entity_metadata.location",
     "BASE_TYPE_REQUIRED"),
    ("external event without end", "POST", EVENTS, _event(scheduled_end_time=None), "scheduled_end_time",
     "BASE_TYPE_REQUIRED"),
    ("external event in a channel", "POST", EVENTS, _event(channel_id="4"), "channel_id", "BASE_TYPE_CHOICES"),
    ("event privacy_level 1", "POST", EVENTS, _event(privacy_level=1), "privacy_level", "BASE_TYPE_CHOICES"),
    ("event edit privacy_level 1", "PATCH", EVENTS + "/9", {"privacy_level": 1}, "privacy_level", "BASE_TYPE_CHOICES"),
    ("event edit name 101", "PATCH", EVENTS + "/9", {"name": X * 101}, "name", "BASE_TYPE_MAX_LENGTH"),
    ("uppercase command name", "PUT", COMMANDS, [_command(name="Ping")], "0.name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("command name with a space", "PUT", COMMANDS, [_command(name="drop in")], "0.name",
     "APPLICATION_COMMAND_INVALID_NAME"),
    ("command name 33", "PUT", COMMANDS, [_command(name=X * 33)], "0.name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("empty command name", "PUT", COMMANDS, [_command(name="")], "0.name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("french name with a capital", "PUT", COMMANDS, [_command(name_localizations={"fr": "Mot"})],
     "0.name_localizations.fr", "APPLICATION_COMMAND_INVALID_NAME"),
    ("french name with a space", "PUT", COMMANDS, [_command(name_localizations={"fr": "mot clé"})],
     "0.name_localizations.fr", "APPLICATION_COMMAND_INVALID_NAME"),
    ("unknown locale", "PUT", COMMANDS, [_command(name_localizations={"fr-FR": "mot"})],
     "0.name_localizations.fr-FR", "BASE_TYPE_CHOICES"),
    ("empty command description", "PUT", COMMANDS, [_command(description="")], "0.description", "BASE_TYPE_MIN_LENGTH"),
    ("command description 101", "PUT", COMMANDS, [_command(description=X * 101)], "0.description",
     "BASE_TYPE_MAX_LENGTH"),
    ("french description 101", "PUT", COMMANDS, [_command(description_localizations={"fr": X * 101})],
     "0.description_localizations.fr", "BASE_TYPE_MAX_LENGTH"),
    ("empty french description", "PUT", COMMANDS, [_command(description_localizations={"fr": ""})],
     "0.description_localizations.fr", "BASE_TYPE_MIN_LENGTH"),
    ("26 options", "PUT", COMMANDS, [_command(options=[_option(name=f"o{i}") for i in range(26)])], "0.options",
     "BASE_TYPE_MAX_LENGTH"),
    ("invalid option name", "PUT", COMMANDS, [_command(options=[_option(name="Word")])], "0.options.0.name",
     "APPLICATION_COMMAND_INVALID_NAME"),
    ("option description 101", "PUT", COMMANDS, [_command(options=[_option(description=X * 101)])],
     "0.options.0.description", "BASE_TYPE_MAX_LENGTH"),
    ("sub-command option name", "PUT", COMMANDS, [_command(options=[_option(type=1, name="list", options=[
        _option(name="Quand")])])], "0.options.0.options.0.name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("26 choices", "PUT", COMMANDS, [_command(options=[_option(choices=[
        {"name": str(i), "value": str(i)} for i in range(26)])])], "0.options.0.choices", "BASE_TYPE_MAX_LENGTH"),
    ("choice name 101", "PUT", COMMANDS, [_command(options=[_option(choices=[{"name": X * 101, "value": "a"}])])],
     "0.options.0.choices.0.name", "BASE_TYPE_MAX_LENGTH"),
    ("101 commands", "PUT", COMMANDS, [_command(name=f"c{i}") for i in range(101)], "", "BASE_TYPE_MAX_LENGTH"),
    ("duplicate command names", "PUT", COMMANDS, [_command(), _command()], "1.name",
     "APPLICATION_COMMANDS_DUPLICATE_NAME"),
    ("guild command name", "PUT", "/api/v10/applications/1/guilds/5/commands", [_command(name="Ping")], "0.name",
     "APPLICATION_COMMAND_INVALID_NAME"),
    ("single command create", "POST", COMMANDS, _command(name="Ping"), "name", "APPLICATION_COMMAND_INVALID_NAME"),
    ("channel name 101", "POST", "/api/v10/guilds/1/channels", {"name": X * 101, "type": 0}, "name",
     "BASE_TYPE_MAX_LENGTH"),
    ("empty channel name", "POST", "/api/v10/guilds/1/channels", {"name": "", "type": 0}, "name",
     "BASE_TYPE_MIN_LENGTH"),
    ("channel rename 101", "PATCH", "/api/v10/channels/2", {"name": X * 101}, "name", "BASE_TYPE_MAX_LENGTH"),
]
# fmt: on


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "code"), [pytest.param(*case[1:], id=case[0]) for case in LIMITS]
)
def test_limit_is_caught_without_the_spec(
    limits: RequestValidator, method: str, path: str, body: Any, field: str, code: str
) -> None:
    assert ("limit", field, code) in found(limits.validate(method, path, {}, body))


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
        validator.validate("PUT", COMMANDS, {}, [_command(name=name, name_localizations={"fr": name})]) == []
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
def test_request_path_spellings_are_matched(limits: RequestValidator, path: str) -> None:
    assert found(limits.validate("POST", path, {}, {"content": X * 2001})) == {
        ("limit", "content", "BASE_TYPE_MAX_LENGTH")
    }


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
    ("button without style", "POST", CHANNEL, {}, {"components": [_row({"type": 2, "custom_id": "b"})]},
     "components.0.components.0.style", "BASE_TYPE_REQUIRED"),
    ("reply content of the wrong type", "POST", CALLBACK, {}, {"type": 4, "data": {"content": 5}}, "data.content",
     "SPEC_INVALID"),
    ("unknown callback type", "POST", CALLBACK, {}, {"type": 99}, "type", "BASE_TYPE_CHOICES"),
    ("modal text input without custom_id", "POST", CALLBACK, {},
     _modal_reply(_row({"type": 4, "style": 1, "label": "Q"})),
     "data.components.0.components.0.custom_id", "BASE_TYPE_REQUIRED"),
    ("with_response not a boolean", "POST", CALLBACK, {"with_response": "yes"}, {"type": 6}, "with_response",
     "SPEC_INVALID"),
    ("message page too big", "GET", CHANNEL, {"limit": "500"}, None, "limit", "NUMBER_TYPE_MAX"),
    ("message page not a number", "GET", CHANNEL, {"limit": "ten"}, None, "limit", "NUMBER_TYPE_COERCE"),
    ("event start not a date", "POST", EVENTS, {}, _event(scheduled_start_time="tomorrow"), "scheduled_start_time",
     "SPEC_INVALID"),
    ("command option of unknown type", "PUT", COMMANDS, {}, [_command(options=[_option(type=99)])],
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


def test_form_errors_of_a_real_rejection(limits: RequestValidator) -> None:
    violations = limits.validate("POST", CALLBACK, {}, {"type": 4, "data": {"embeds": [{"title": X * 257}]}})
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


def test_without_a_spec_only_limits_are_checked(limits: RequestValidator) -> None:
    assert not limits.has_spec
    assert limits.validate("POST", CHANNEL, {}, {"content": 5}) == []


async def test_validator_can_be_built_in_a_background_thread() -> None:
    built = await asyncio.to_thread(RequestValidator, DEFAULT_SPEC_PATH)
    assert built.has_spec == (DEFAULT_SPEC_PATH is not None)
    assert found(built.validate("POST", CHANNEL, {}, {"content": X * 2001})) == {
        ("limit", "content", "BASE_TYPE_MAX_LENGTH")
    }


async def test_validating_a_message_takes_well_under_5_ms(spec_validator: RequestValidator) -> None:
    [request] = await recorded(_channel_message)
    spec_validator.validate(*request)  # warm up
    runs = 50
    start = time.perf_counter()
    for _ in range(runs):
        spec_validator.validate(*request)
    assert (time.perf_counter() - start) / runs < 0.005
