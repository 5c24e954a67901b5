"""What discord.py 2.7.1 really sends: a client whose network is replaced by a recorder.

The scenarios run discord.py itself (channel sends, interaction responses, tree.sync,
Guild.create_scheduled_event...); test_validation and test_limits check the recorded bodies.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import discord
import yarl
from discord import app_commands, ui
from discord.http import Route
from discord.webhook import async_ as webhook_async

Request = tuple[str, str, dict[str, str], Any]  # method, path, query, parsed JSON body
START = dt.datetime(2026, 1, 6, 17, 0, tzinfo=dt.UTC)

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
