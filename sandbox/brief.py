"""Readable text for people: the bot's answers and messages as content, embed titles and fields,
buttons with their labels, selects with their options, and an opened modal with its inputs.

Used by `?brief=1` on every control route (a middleware renders the route's JSON answer) and by the
`sandbox-say` CLI (sandbox/say.py), so both read the same."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from sandbox.model import JSON

CALLBACKS = {
    4: "replied",
    5: "deferred (thinking…), then edited",
    6: "acknowledged the click (no visible change)",
    7: "updated the message",
    8: "autocomplete choices",
    9: "opened a modal",
}
BUTTON_STYLES_LINK = 5
INDENT = "    "
MENTION = re.compile(r"<(#|@!?|@&)(\d{15,21})>")
Names = dict[str, str]  # "#123" → "#general", "@123" → "@alex", "@&123" → "@Facilitator"
TIMESTAMP = re.compile(r"<t:(-?\d{1,13})(?::([tTdDfFR]))?>")


def _walk(components: list[Any]) -> Iterator[JSON]:
    for component in components or []:
        if not isinstance(component, dict):
            continue
        yield component
        yield from _walk(component.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from _walk([component[key]])


def _component_lines(components: list[Any]) -> list[str]:
    lines: list[str] = []
    buttons: list[str] = []
    for component in _walk(components):
        kind = component.get("type")
        if kind == 2:
            label = component.get("label") or component.get("emoji", {}).get("name") or "?"
            if component.get("style") == BUTTON_STYLES_LINK:
                label = f"{label} → {component.get('url')}"
            if component.get("disabled"):
                label += " (disabled)"
            buttons.append(f"[{label}]")
        elif kind in (3, 5, 6, 7, 8):
            name = component.get("placeholder") or component.get("custom_id")
            options = " | ".join(
                f"{o.get('label')} ({o.get('value')})"
                if o.get("label") != o.get("value")
                else str(o["value"])
                for o in component.get("options") or []
            )
            lines.append(f"select “{name}”: {options or 'choose users, roles or channels'}")
        elif kind == 10 and component.get("content"):
            lines.extend(str(component["content"]).splitlines())
    if buttons:
        lines.insert(0, "buttons: " + " ".join(buttons))
    return lines


def readable(text: str, names: Names | None = None) -> str:
    """Discord timestamps (<t:UNIX:F>) as UTC instants (a client shows them in its own zone), and
    mentions (<#id>, <@id>, <@&id>) as #channel, @user, @role when `names` knows them."""
    if names:
        text = MENTION.sub(lambda m: names.get(f"{m[1].replace('!', '')}{m[2]}", m[0]), text)

    def instant(match: re.Match[str]) -> str:
        moment = datetime.fromtimestamp(int(match[1]), UTC)
        return f"{moment:%a %Y-%m-%d %H:%M} UTC" if match[2] != "R" else "relative time"

    return TIMESTAMP.sub(instant, text)


def _embed_lines(embed: JSON) -> list[str]:
    lines = []
    if embed.get("author", {}).get("name"):
        lines.append(str(embed["author"]["name"]))
    if str(embed.get("title") or "").strip("\u200b "):
        lines.append(f"== {embed['title']} ==")
    if embed.get("description"):
        lines.extend(str(embed["description"]).splitlines())
    for field in embed.get("fields") or []:
        lines.append(f"• {field.get('name')}: {field.get('value')}")
    if embed.get("footer", {}).get("text"):
        lines.append(f"({embed['footer']['text']})")
    return ["│ " + line if line else "│" for line in lines]


def message_lines(message: JSON | None, names: Names | None = None) -> list[str]:
    """A message (a control view or a raw payload, or a callback's data) as indented lines."""
    if not message:
        return []
    lines: list[str] = []
    if message.get("content"):
        lines.extend(str(message["content"]).splitlines())
    for embed in message.get("embeds") or []:
        lines.extend(_embed_lines(embed))
    lines.extend(_component_lines(message.get("components") or []))
    attachments = [a.get("filename") for a in message.get("attachments") or [] if isinstance(a, dict)]
    if attachments:
        lines.append("attachments: " + ", ".join(str(a) for a in attachments))
    if message.get("thread_id"):
        lines.append(f"thread: {message['thread_id']}")
    return [INDENT + readable(line, names) for line in lines] or [INDENT + "(empty)"]


def message_heading(message: JSON) -> str:
    author = message.get("author") or {}
    ephemeral = message.get("ephemeral") or int(message.get("flags") or 0) & 64
    return (
        f"message {message.get('id')} from {author.get('username', '?')}"
        f"{' (bot)' if author.get('bot') else ''}{' (only you can see this)' if ephemeral else ''}"
        f"{', edited' if message.get('edited_at') or message.get('edited_timestamp') else ''}:"
    )


def render_messages(messages: list[JSON], names: Names | None = None) -> str:
    if not messages:
        return "(no messages)"
    return "\n".join("\n".join([message_heading(m), *message_lines(m, names)]) for m in messages)


def _modal_lines(modal: JSON, interaction_id: str) -> list[str]:
    lines = [f'modal “{modal.get("title")}”; submit it with:  fill <user> {interaction_id} "Label=text" …']
    for top in modal.get("components") or []:
        items = (
            [(top.get("label"), top.get("component"))]
            if top.get("type") == 18
            else [(c.get("label"), c) for c in top.get("components") or []]
        )
        for label, item in items:
            if not isinstance(item, dict):
                continue
            required = "required" if item.get("required", True) else "optional"
            limit = f", up to {item['max_length']} characters" if item.get("max_length") else ""
            placeholder = f" — {item['placeholder']}" if item.get("placeholder") else ""
            lines.append(f"{INDENT}{label or item.get('custom_id')} ({required}{limit}){placeholder}")
    return lines


def render_outcome(outcome: JSON, names: Names | None = None) -> str:
    """The answer of a command, component, modal or autocomplete route."""
    interaction_id = str(outcome.get("interaction_id") or outcome.get("id") or "?")
    response = outcome.get("response") or (
        {
            "type": (outcome.get("callback") or {}).get("type"),
            "data": (outcome.get("callback") or {}).get("data"),
        }
        if outcome.get("callback")
        else None
    )
    lines = [f"interaction {interaction_id}"]
    if response is None:
        lines.append("the bot has not answered")
    else:
        kind = response.get("type")
        data = response.get("data") or {}
        lines.append(f"the bot {CALLBACKS.get(int(kind or 0), f'answered (type {kind})')}")
        if kind == 9:
            lines.extend(_modal_lines(data, interaction_id))
        elif kind == 8:
            lines.extend(
                f"{INDENT}{c.get('name')} = {c.get('value')}"
                for c in outcome.get("choices") or data.get("choices") or []
            )
        elif outcome.get("message"):
            message = outcome["message"]
            lines.append(message_heading(message))
            lines.extend(message_lines(message, names))
        elif data:
            lines.extend(message_lines(data, names))
    shown = str((outcome.get("message") or {}).get("id"))
    for followup in outcome.get("followups") or []:
        if str(followup.get("id")) == shown:
            continue  # the deferred answer, edited: already shown above
        lines.append("follow-up " + message_heading(followup))
        lines.extend(message_lines(followup, names))
    return "\n".join(lines)


def render_error(body: JSON) -> str:
    return f"error: {body.get('error')}"


def names_of_guild(guild: JSON) -> Names:
    """Mention names from a `GET /_sandbox/guild` answer (what the CLI has)."""
    names = {f"#{c['id']}": f"#{c['name']}" for c in [*guild.get("channels", []), *guild.get("threads", [])]}
    names.update({f"@&{r['id']}": f"@{r['name']}" for r in guild.get("roles", [])})
    names.update({f"@{m['user']['id']}": f"@{m['user']['username']}" for m in guild.get("members", [])})
    return names


def _names(request: web.Request) -> Names:
    from sandbox.hub import HUB_KEY  # imported here: the CLI uses this module without the server

    world = request.app[HUB_KEY].world
    names = {f"#{c.id}": f"#{c.name}" for c in world.guild.channels.values() if c.name}
    names.update({f"@&{r.id}": f"@{r.name}" for r in world.guild.roles.values()})
    names.update({f"@{u.id}": f"@{u.username}" for u in world.users.values()})
    return names


def _renderer(request: web.Request) -> Callable[[Any], str]:
    path = request.path
    names = _names(request)
    if path.startswith("/_sandbox/interactions/"):
        return lambda outcome: render_outcome(outcome, names)
    if (path.endswith("/messages") and request.method == "GET") or path.startswith("/_sandbox/dms/"):
        return lambda messages: render_messages(messages, names)
    if path == "/_sandbox/messages":
        return lambda m: render_messages([m], names)
    return lambda data: json.dumps(data, indent=2, ensure_ascii=False)


def wants_brief(request: web.Request) -> bool:
    return request.query.get("brief", "") not in ("", "0", "false")


@web.middleware
async def brief_answers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """`?brief=1` on a control route: the same answer as readable text instead of JSON."""
    response = await handler(request)
    if not (request.path.startswith("/_sandbox/") and wants_brief(request)):
        return response
    if not isinstance(response, web.Response) or not isinstance(response.body, bytes):
        return response
    try:
        data = json.loads(response.body)
    except ValueError:
        return response
    if response.status >= 400 and isinstance(data, dict) and "error" in data:
        text = render_error(data)
    else:
        text = _renderer(request)(data)
    return web.Response(status=response.status, text=text + "\n", content_type="text/plain")
