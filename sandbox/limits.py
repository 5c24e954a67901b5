"""Discord's documented limits on REST bodies (facts §4): the one place every limit is checked.

:func:`check` runs the check of one route, named by its method and its path template spelled as in
the OpenAPI spec, and returns FieldErrors with dotted paths and Discord's codes. It needs nothing but
the body, so it runs synchronously for every request whether or not the spec has loaded;
``sandbox.validation.LimitLayer`` maps a concrete request path to its route.

Values of the wrong JSON type are skipped here: types and enums are the spec layer's job. Rules that
need the sandbox's state (an edit merged with the stored event, a channel's type, the clock) stay with
the handlers; :func:`check_event_rules` is shared so that an edited event is judged by the same rules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from sandbox.errors import FieldError

Out = list[FieldError]
Lengths = Mapping[str, tuple[int, int]]  # field -> (min, max) length of a string or list
Check = Callable[[Out, Any], None]

EMPTY_MESSAGE = FieldError("", "50006", "Cannot send an empty message")


def _add(out: Out, field: str, code: str, message: str) -> None:
    out.append(FieldError(field, code, message))


def _required(out: Out, field: str) -> None:
    _add(out, field, "BASE_TYPE_REQUIRED", "This field is required")


def _length(out: Out, value: Any, field: str, low: int, high: int, *, required: bool = False) -> None:
    if value is None and required:
        _required(out, field)
    elif isinstance(value, str | list | dict) and len(value) > high:
        _add(out, field, "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length.")
    elif isinstance(value, str | list | dict) and len(value) < low:
        _add(out, field, "BASE_TYPE_MIN_LENGTH", f"Must be {low} or more in length.")


def _lengths(out: Out, obj: Mapping[str, Any], prefix: str, table: Lengths) -> None:
    for key, (low, high) in table.items():
        _length(out, obj.get(key), prefix + key, low, high)


def _number(out: Out, value: Any, field: str, low: int, high: int) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and not low <= value <= high:
        word, bound, code = ("less", high, "MAX") if value > high else ("greater", low, "MIN")
        _add(out, field, f"NUMBER_TYPE_{code}", f"int value should be {word} than or equal to {bound}.")


def _dicts(value: Any) -> Iterable[tuple[int, dict[str, Any]]]:
    return ((i, x) for i, x in enumerate(value) if isinstance(x, dict)) if isinstance(value, list) else ()


def _dig(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


# ------------------------------------------------------------------------------------------- embeds
_EMBED_TEXT = {"title": 256, "description": 4096, "footer.text": 2048, "author.name": 256}


def _check_embeds(out: Out, embeds: Any, p: str) -> None:
    _length(out, embeds, f"{p}embeds", 0, 10)
    total = 0
    for i, embed in _dicts(embeds):
        texts = [(key, _dig(embed, key), high) for key, high in _EMBED_TEXT.items()]
        _length(out, embed.get("fields"), f"{p}embeds.{i}.fields", 0, 25)
        for j, fld in _dicts(embed.get("fields")):
            for key, high in (("name", 256), ("value", 1024)):
                texts.append((f"fields.{j}.{key}", fld.get(key), high))
                if isinstance(fld.get(key), str) and not fld[key].strip():  # a missing one: the spec's
                    _required(out, f"{p}embeds.{i}.fields.{j}.{key}")
        for key, value, high in texts:
            _length(out, value, f"{p}embeds.{i}.{key}", 0, high)
            total += len(value.strip()) if isinstance(value, str) else 0  # Discord trims before counting
    if total > 6000:
        _add(out, f"{p}embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


# --------------------------------------------------------------------------------------- components
_SELECTS = (3, 5, 6, 7, 8)
_COMPONENT_LENGTHS: dict[Any, Lengths] = {
    1: {"components": (1, 5)},  # action row: 1 to 5 buttons
    2: {"label": (0, 80)},
    3: {"placeholder": (0, 150), "options": (1, 25)},  # string select
    4: {"label": (0, 45), "placeholder": (0, 100), "value": (0, 4000)},  # text input
    18: {"label": (1, 45), "description": (0, 100)},  # label (modal)
    **{select: {"placeholder": (0, 150)} for select in _SELECTS[1:]},
}
_OPTION_LENGTHS = dict.fromkeys(("label", "value", "description"), (0, 100))
_LINK, _PREMIUM = 5, 6


def _check_custom_id(out: Out, c: dict[str, Any], p: str, seen: set[str]) -> None:
    if "custom_id" in c:
        _length(out, c["custom_id"], f"{p}.custom_id", 1, 100, required=True)
    elif c.get("type") == 2 and c.get("style") not in (_LINK, _PREMIUM):  # the spec leaves it optional
        _required(out, f"{p}.custom_id")
    if c.get("type") == 2 and c.get("style") == _LINK and not c.get("url"):
        _required(out, f"{p}.url")
    custom_id = c.get("custom_id")
    if isinstance(custom_id, str) and custom_id:
        if custom_id in seen:
            message = "Component custom id cannot be duplicated"
            _add(out, f"{p}.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", message)
        seen.add(custom_id)


def _check_component(out: Out, c: dict[str, Any], p: str, seen: set[str]) -> int:
    """Check a component and its children; return how many components that is."""
    kind, kids = c.get("type"), c.get("components")
    _check_custom_id(out, c, p, seen)
    _lengths(out, c, f"{p}.", _COMPONENT_LENGTHS.get(kind, {}))
    for i, option in _dicts(c.get("options")):
        _lengths(out, option, f"{p}.options.{i}.", _OPTION_LENGTHS)
    if kind == 4:
        _number(out, c.get("min_length"), f"{p}.min_length", 0, 4000)
        _number(out, c.get("max_length"), f"{p}.max_length", 1, 4000)
    if kind == 1 and len(kids or ()) > 1 and any(k.get("type") in _SELECTS for _, k in _dicts(kids)):
        _add(out, f"{p}.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select must be alone in its row.")
    count = 1 + sum(_check_component(out, kid, f"{p}.components.{i}", seen) for i, kid in _dicts(kids))
    for key in ("component", "accessory"):  # a Label (18) / Section (9) holds one child
        if isinstance(c.get(key), dict):
            count += _check_component(out, c[key], f"{p}.{key}", seen)
    return count


def _check_components(
    out: Out, comps: Any, field: str, low: int, high: int | None, *, rows_only: bool = False
) -> None:
    if high is not None:
        _length(out, comps, field, low, high)
    seen: set[str] = set()  # custom_ids are unique across a whole message or modal
    count = 0
    for i, c in _dicts(comps):
        if rows_only and c.get("type") != 1:  # without IS_COMPONENTS_V2 only action rows are top-level
            _add(out, f"{field}.{i}", "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).')
        count += _check_component(out, c, f"{field}.{i}", seen)
    if count > 40:
        _add(out, field, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in total components.")


# ----------------------------------------------------------------------------------------- messages
_COMPONENTS_V2 = 1 << 15
_NOT_EMPTY = ("embeds", "components", "sticker_ids", "attachments", "poll")
_SUPPRESS_EMBEDS, _EPHEMERAL, _SUPPRESS_NOTIFICATIONS, _VOICE = 1 << 2, 1 << 6, 1 << 12, 1 << 13
# message.mdx:1091 (Create Message): "only SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, and
# IS_COMPONENTS_V2 can be set"; message.mdx:1202 (Edit Message): SUPPRESS_EMBEDS and IS_COMPONENTS_V2 only;
# receiving-and-responding.mdx:299 (callback and webhook messages) adds EPHEMERAL.
_CREATE_FLAGS = _SUPPRESS_EMBEDS | _SUPPRESS_NOTIFICATIONS | _VOICE | _COMPONENTS_V2
_EDIT_FLAGS = _SUPPRESS_EMBEDS | _COMPONENTS_V2
_INTERACTION_FLAGS = _CREATE_FLAGS | _EPHEMERAL
# message.mdx:1098: with IS_COMPONENTS_V2 "Providing content, embeds, sticker_ids, poll ... will fail".
_NOT_WITH_V2 = ("content", "embeds", "sticker_ids", "poll")


def _check_flags(out: Out, body: dict[str, Any], p: str, allowed: int) -> None:
    flags = body.get("flags")
    if not isinstance(flags, int) or isinstance(flags, bool):
        return
    if flags & ~allowed:
        _add(out, f"{p}flags", "MESSAGE_FLAGS_INVALID", "Invalid message flags.")
    if flags & _COMPONENTS_V2:
        for key in _NOT_WITH_V2:
            if body.get(key):
                message = "Cannot send content, embeds, stickers or polls with IS_COMPONENTS_V2."
                _add(out, f"{p}{key}", "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", message)


def _check_message(
    out: Out, body: Any, p: str = "", *, create: bool, flags_allowed: int | None = None
) -> None:
    """A message body: channel message, webhook execute/edit, interaction callback data."""
    body = body if isinstance(body, dict) else {}
    _check_flags(
        out, body, p, flags_allowed if flags_allowed is not None else _CREATE_FLAGS if create else _EDIT_FLAGS
    )
    _lengths(out, body, p, {"content": (0, 2000), "nonce": (0, 25)})
    _check_embeds(out, body.get("embeds"), p)
    flags = body.get("flags")
    v2 = isinstance(flags, int) and bool(flags & _COMPONENTS_V2)  # v2: up to 40 components in all
    _check_components(out, body.get("components"), f"{p}components", 0, None if v2 else 5, rows_only=not v2)
    mentions = body.get("allowed_mentions")
    parse = _dig(mentions, "parse")
    for kind in ("users", "roles") if isinstance(mentions, dict) else ():
        _length(out, mentions.get(kind), f"{p}allowed_mentions.{kind}", 0, 100)
        if isinstance(parse, list) and kind in parse and mentions.get(kind):
            message = f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.'
            _add(out, f"{p}allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", message)
    content = body.get("content")
    blank = content is None or (isinstance(content, str) and not content.strip())
    forward = _dig(body, "message_reference.type") == 1  # a forward carries the referenced message
    if create and blank and not forward and not any(body.get(key) for key in _NOT_EMPTY):
        out.append(EMPTY_MESSAGE)


def _check_callback(out: Out, body: Any) -> None:
    kind, data = _dig(body, "type"), _dig(body, "data")
    if kind in (4, 7):  # CHANNEL_MESSAGE_WITH_SOURCE, UPDATE_MESSAGE (an edit: may carry only some fields)
        _check_message(out, data, "data.", create=kind == 4, flags_allowed=_INTERACTION_FLAGS)
    elif (
        kind == 5
    ):  # receiving-and-responding.mdx:304: "the only valid message flag you may use is EPHEMERAL"
        flags = _dig(data, "flags")
        if isinstance(flags, int) and flags & ~_EPHEMERAL:
            _add(
                out,
                "data.flags",
                "MESSAGE_FLAGS_INVALID",
                "Only EPHEMERAL may be set on a deferred response.",
            )
    elif kind == 8:  # autocomplete
        _length(out, _dig(data, "choices"), "data.choices", 0, 25)
    elif kind == 9:  # modal
        data = data if isinstance(data, dict) else {}
        _length(out, data.get("title"), "data.title", 1, 45, required=True)
        _length(out, data.get("custom_id"), "data.custom_id", 1, 100, required=True)
        _length(out, data.get("components"), "data.components", 1, 5, required=True)
        _check_components(out, data.get("components"), "data.components", 1, None)


# ----------------------------------------------------------------------------------------- commands
# Discord's locales (docs reference#locales): localization maps accept only these keys.
_LOCALES = frozenset({
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl",
    "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja",
    "zh-TW", "ko",
})  # fmt: skip
_SUB_COMMAND, _GROUP = 1, 2


def _valid_name(name: Any) -> bool:
    """Docs: ^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$, lowercase where a lowercase form exists.

    Devanagari and Thai are there for their combining marks; any mark is accepted here (lenient).
    """
    return not isinstance(name, str) or (
        1 <= len(name) <= 32
        and name == name.lower()
        and all(ch in "-_'" or ch.isalnum() or unicodedata.category(ch)[0] == "M" for ch in name)
    )


def _check_text(out: Out, obj: dict[str, Any], p: str, key: str, high: int, *, command_name: bool) -> None:
    """``key`` (1..high, required) and each of its ``key_localizations``."""
    localized = obj.get(f"{key}_localizations")
    pairs = localized.items() if isinstance(localized, dict) else ()
    for locale, value in [("", obj.get(key)), *pairs]:
        field = f"{p}{key}_localizations.{locale}" if locale else f"{p}{key}"
        if locale and locale not in _LOCALES:
            _add(out, field, "BASE_TYPE_CHOICES", "Unknown locale.")
        if command_name and not _valid_name(value):
            _add(out, field, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        else:
            _length(out, value, field, 1, high, required=not locale)


def _check_options(out: Out, options: Any, p: str, depth: int) -> None:
    """Option names unique; a group only at the top, a sub-command at most inside a group; required
    options before optional ones."""
    names: set[Any] = set()
    optional_seen = False
    for i, option in _dicts(options):
        where, kind = f"{p}options.{i}.", option.get("type")
        if option.get("name") in names:
            message = "Option names must be unique"
            _add(out, f"{where}name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", message)
        names.add(option.get("name"))
        if kind in (_SUB_COMMAND, _GROUP):
            if depth >= (2 if kind == _SUB_COMMAND else 1):
                message = "Sub-command nesting is too deep"
                _add(out, f"{where}type", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message)
        elif option.get("required") and optional_seen:
            message = "Required options must be placed before non-required options"
            _add(out, f"{where}required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", message)
        elif not option.get("required"):
            optional_seen = True
        _check_command(out, option, where, depth=depth + 1)


def _check_command(out: Out, cmd: dict[str, Any], p: str, *, chat: bool = True, depth: int = 0) -> None:
    """A CHAT_INPUT command or an option (recursing into sub-commands), or a USER/MESSAGE command."""
    _check_text(out, cmd, p, "name", 32, command_name=chat)
    if chat:  # USER and MESSAGE commands have no description
        _check_text(out, cmd, p, "description", 100, command_name=False)
    for key in ("options", "choices"):
        _length(out, cmd.get(key), f"{p}{key}", 0, 25)
    for j, choice in _dicts(cmd.get("choices")):
        _check_text(out, choice, f"{p}choices.{j}.", "name", 100, command_name=False)
        _length(out, choice.get("value"), f"{p}choices.{j}.value", 0, 100)
    _check_options(out, cmd.get("options"), p, depth)


def _check_commands(out: Out, body: Any) -> None:
    """A bulk overwrite (PUT, a list) or a single command (POST)."""
    commands = [(-1, body)] if isinstance(body, dict) else list(_dicts(body))
    for kind, high in ((1, 100), (2, 15), (3, 15)):  # CHAT_INPUT, USER, MESSAGE
        if sum((c.get("type") or 1) == kind for _, c in commands) > high:
            _add(out, "", "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer commands of type {kind}.")
    seen: set[tuple[Any, Any]] = set()
    for i, cmd in commands:
        p, key = ("" if i < 0 else f"{i}."), (cmd.get("type") or 1, cmd.get("name"))
        if key in seen:
            _add(out, f"{p}name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Command names must be unique")
        seen.add(key)
        _check_command(out, cmd, p, chat=key[0] == 1)
        if key[0] == 1 and _command_size(cmd) > 8000:
            # application-commands.mdx:450: "a maximum of 8000 characters for combined name, description, and
            # value properties for each command, its options ..., and choices"; of localized fields only the
            # longest counts.
            _add(out, f"{p}", "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (8000)")


def _longest(obj: dict[str, Any], key: str) -> int:
    localized = obj.get(f"{key}_localizations")
    values = [obj.get(key), *(localized.values() if isinstance(localized, dict) else ())]
    return max((len(v) for v in values if isinstance(v, str)), default=0)


def _command_size(obj: dict[str, Any]) -> int:
    size = _longest(obj, "name") + _longest(obj, "description")
    if isinstance(obj.get("value"), str):
        size += len(obj["value"])
    for key in ("options", "choices"):
        size += sum(_command_size(child) for _, child in _dicts(obj.get(key)))
    return size


# ------------------------------------------------------------------------------ events and channels
_EXTERNAL = 3


def check_event_rules(out: Out, event: Mapping[str, Any]) -> None:
    """Required fields and the EXTERNAL rules of a whole event: a creation's body, or an edit merged
    with the stored event (rest_events; an edit's body alone may rely on the stored location and end)."""
    for key in ("name", "privacy_level", "entity_type", "scheduled_start_time"):
        if event.get(key) is None:  # discord.py drops entity_type and privacy_level given location=
            _required(out, key)
    if event.get("entity_type") == _EXTERNAL:
        for key in ("entity_metadata.location", "scheduled_end_time"):
            if not _dig(event, key):
                _required(out, key)
        if event.get("channel_id") is not None:
            _add(out, "channel_id", "BASE_TYPE_CHOICES", "Must be null for EXTERNAL events.")


def _check_event(out: Out, body: Any, *, create: bool) -> None:
    body = body if isinstance(body, dict) else {}
    if "name" in body:
        _length(out, body["name"], "name", 1, 100, required=True)
    # guild-scheduled-event.mdx:24: "the description of the scheduled event (1-1000 characters)"
    _length(out, body.get("description"), "description", 1, 1000)
    _length(out, _dig(body, "entity_metadata.location"), "entity_metadata.location", 1, 100)
    if body.get("privacy_level") not in (None, 2):
        _add(out, "privacy_level", "BASE_TYPE_CHOICES", "Value must be one of {2}.")
    if create:
        check_event_rules(out, body)


def _check_channel(out: Out, body: Any, *, create: bool) -> None:
    """A channel or thread: name 1-100; topic up to 1024 (4096 for forum and media channels)."""
    body = {} if body is None else body
    if not isinstance(body, dict):
        return
    if create or "name" in body:
        _length(out, body.get("name"), "name", 1, 100, required=True)
    _length(out, body.get("topic"), "topic", 0, 4096 if body.get("type") in (15, 16) else 1024)


def _check_role(out: Out, body: Any) -> None:
    if isinstance(body, dict):
        _length(out, body.get("name"), "name", 0, 100)


# ------------------------------------------------------------------------------------------- routes
_APP = "/applications/{application_id}"
_EVENTS = "/guilds/{guild_id}/scheduled-events"
_HOOK = "/webhooks/{webhook_id}/{webhook_token}"
_CHANNEL = "/channels/{channel_id}"
# (method, path template spelled exactly as in the spec) -> limit check
CHECKS: dict[tuple[str, str], Check] = {
    ("POST", _CHANNEL + "/messages"): partial(_check_message, create=True),
    ("PATCH", _CHANNEL + "/messages/{message_id}"): partial(_check_message, create=False),
    ("POST", _HOOK): partial(_check_message, create=True, flags_allowed=_INTERACTION_FLAGS),
    ("PATCH", _HOOK + "/messages/@original"): partial(
        _check_message, create=False, flags_allowed=_INTERACTION_FLAGS
    ),
    ("PATCH", _HOOK + "/messages/{message_id}"): partial(
        _check_message, create=False, flags_allowed=_INTERACTION_FLAGS
    ),
    ("POST", "/interactions/{interaction_id}/{interaction_token}/callback"): _check_callback,
    ("PUT", _APP + "/commands"): _check_commands,
    ("POST", _APP + "/commands"): _check_commands,
    ("PUT", _APP + "/guilds/{guild_id}/commands"): _check_commands,
    ("POST", _APP + "/guilds/{guild_id}/commands"): _check_commands,
    ("POST", _EVENTS): partial(_check_event, create=True),
    ("PATCH", _EVENTS + "/{guild_scheduled_event_id}"): partial(_check_event, create=False),
    ("POST", "/guilds/{guild_id}/channels"): partial(_check_channel, create=True),
    ("PATCH", _CHANNEL): partial(_check_channel, create=False),
    ("POST", _CHANNEL + "/threads"): partial(_check_channel, create=True),
    ("POST", _CHANNEL + "/messages/{message_id}/threads"): partial(_check_channel, create=True),
    ("POST", "/guilds/{guild_id}/roles"): _check_role,
    ("PATCH", "/guilds/{guild_id}/roles/{role_id}"): _check_role,
}
TEMPLATES = frozenset(template for _, template in CHECKS)


def check(method: str, template: str, body: Any, *, uploads: bool = False) -> list[FieldError]:
    """The limit violations of ``body`` sent to ``template`` (a key of CHECKS; others have none).

    ``body`` may be None (no body at all); ``uploads`` says files came with it: they are content, so
    the message is not empty.
    """
    out: Out = []
    if (run := CHECKS.get((method.upper(), template))) is not None:
        run(out, body)
    unique: dict[tuple[str, str], FieldError] = {}
    for error in out:  # one report per field and code
        if not (uploads and error == EMPTY_MESSAGE):
            unique.setdefault((error.field, error.code), error)
    return list(unique.values())
