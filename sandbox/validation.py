"""Validate REST requests the way Discord does: its OpenAPI spec plus its documented limits.

* ``spec`` layer: the ``application/json`` request body and the typed query parameters of the
  matched operation, against ``../shared/discord-api-spec/openapi.json`` (OpenAPI 3.1). Skipped
  when that file (or openapi-schema-validator, a test extra) is absent.
* ``limit`` layer: documented limits the spec gets wrong or cannot express (content 2000, embed
  totals, modal rows, command names, scheduled-event rules...). Always on.

:func:`form_errors` nests violations into the ``errors`` object of Discord's 50035 reply. Codes are
Discord's where known (BASE_TYPE_MAX_LENGTH, NUMBER_TYPE_COERCE, ...), "50006" for an empty message
(field ""), SPEC_INVALID for other schema failures. Unknown paths, and routes whose spec operation
takes no JSON body, yield nothing.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

_SPEC_FILE = Path(__file__).resolve().parents[1].parent / "shared" / "discord-api-spec" / "openapi.json"
DEFAULT_SPEC_PATH: Path | None = _SPEC_FILE if _SPEC_FILE.is_file() else None
_API_PREFIXES = ("/api/v10", "/api/v9", "/api")


@dataclass(frozen=True)
class Violation:
    source: str  # "spec" or "limit"
    field: str  # dotted path into the body ("embeds.0.title"); "" for the whole body
    code: str  # Discord-style error code ("BASE_TYPE_MAX_LENGTH", "50006", "SPEC_INVALID")
    message: str  # human readable ("Must be 2000 or fewer in length.")


def form_errors(violations: Sequence[Violation]) -> dict[str, Any]:
    """Nest violations like Discord's 50035 ``errors``: {"embeds": {"0": {"title": {"_errors": [...]}}}}."""
    errors: dict[str, Any] = {}
    for v in violations:
        node = errors
        for part in v.field.split(".") if v.field else ():
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": v.code, "message": v.message})
    return errors


# ---------------------------------------------------------------------------------------- limit layer
Out = list[Violation]
Lengths = Mapping[str, tuple[int, int]]  # field -> (min, max) length of a string or list


def _add(out: Out, field: str, code: str, message: str) -> None:
    out.append(Violation("limit", field, code, message))


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


_EMBED_TEXT = {"title": 256, "description": 4096, "footer.text": 2048, "author.name": 256}


def _check_embeds(out: Out, embeds: Any, p: str) -> None:
    _length(out, embeds, f"{p}embeds", 0, 10)
    total = 0
    for i, embed in _dicts(embeds):
        texts = [(key, _dig(embed, key), high) for key, high in _EMBED_TEXT.items()]
        _length(out, embed.get("fields"), f"{p}embeds.{i}.fields", 0, 25)
        for j, fld in _dicts(embed.get("fields")):
            texts += [
                (f"fields.{j}.name", fld.get("name"), 256),
                (f"fields.{j}.value", fld.get("value"), 1024),
            ]
        for key, value, high in texts:
            _length(out, value, f"{p}embeds.{i}.{key}", 0, high)
            total += len(value.strip()) if isinstance(value, str) else 0  # Discord trims before counting
    if total > 6000:
        _add(out, f"{p}embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


_SELECTS = (3, 5, 6, 7, 8)
_COMPONENT_LENGTHS: dict[Any, Lengths] = {
    1: {"components": (0, 5)},  # action row: up to 5 buttons
    2: {"label": (0, 80)},
    4: {"label": (0, 45), "placeholder": (0, 100), "value": (0, 4000)},  # text input
    18: {"label": (0, 45), "description": (0, 100)},  # label (modal)
    **{select: {"placeholder": (0, 150), "options": (0, 25)} for select in _SELECTS},
}
_OPTION_LENGTHS = dict.fromkeys(("label", "value", "description"), (0, 100))


def _check_component(out: Out, c: dict[str, Any], p: str) -> int:
    """Check a component and its children; return how many components that is."""
    kind, kids = c.get("type"), c.get("components")
    if "custom_id" in c:
        _length(out, c["custom_id"], f"{p}.custom_id", 1, 100, required=True)
    _lengths(out, c, f"{p}.", _COMPONENT_LENGTHS.get(kind, {}))
    for i, option in _dicts(c.get("options")):
        _lengths(out, option, f"{p}.options.{i}.", _OPTION_LENGTHS)
    if kind == 4:
        _number(out, c.get("min_length"), f"{p}.min_length", 0, 4000)
        _number(out, c.get("max_length"), f"{p}.max_length", 1, 4000)
    if kind == 1 and len(kids or ()) > 1 and any(k.get("type") in _SELECTS for _, k in _dicts(kids)):
        _add(out, f"{p}.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select must be alone in its row.")
    count = 1 + sum(_check_component(out, kid, f"{p}.components.{i}") for i, kid in _dicts(kids))
    for key in ("component", "accessory"):  # a Label (18) / Section (9) holds one child
        if isinstance(c.get(key), dict):
            count += _check_component(out, c[key], f"{p}.{key}")
    return count


def _check_components(out: Out, comps: Any, field: str, low: int, high: int | None) -> None:
    if high is not None:
        _length(out, comps, field, low, high)
    if sum(_check_component(out, c, f"{field}.{i}") for i, c in _dicts(comps)) > 40:
        _add(out, field, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in total components.")


_COMPONENTS_V2 = 1 << 15
_NOT_EMPTY = ("embeds", "components", "sticker_ids", "attachments", "poll")


def _check_message(out: Out, body: Any, p: str = "", *, create: bool) -> None:
    """A message body: channel message, webhook execute/edit, interaction callback data."""
    body = body if isinstance(body, dict) else {}
    _lengths(out, body, p, {"content": (0, 2000), "nonce": (0, 25)})
    _check_embeds(out, body.get("embeds"), p)
    flags = body.get("flags")
    v2 = isinstance(flags, int) and bool(flags & _COMPONENTS_V2)  # v2: up to 40 components in all
    _check_components(out, body.get("components"), f"{p}components", 0, None if v2 else 5)
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
        _add(out, "", "50006", "Cannot send an empty message")


def _check_callback(out: Out, body: Any) -> None:
    kind, data = _dig(body, "type"), _dig(body, "data")
    if kind in (4, 7):  # CHANNEL_MESSAGE_WITH_SOURCE, UPDATE_MESSAGE (an edit: may carry only some fields)
        _check_message(out, data, "data.", create=kind == 4)
    elif kind == 8:  # autocomplete
        _length(out, _dig(data, "choices"), "data.choices", 0, 25)
    elif kind == 9:  # modal
        data = data if isinstance(data, dict) else {}
        _length(out, data.get("title"), "data.title", 1, 45, required=True)
        _length(out, data.get("custom_id"), "data.custom_id", 1, 100, required=True)
        _length(out, data.get("components"), "data.components", 1, 5, required=True)
        _check_components(out, data.get("components"), "data.components", 1, None)


# Discord's locales (docs reference#locales): localization maps accept only these keys.
_LOCALES = frozenset({
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl",
    "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja",
    "zh-TW", "ko",
})  # fmt: skip


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


def _check_command(out: Out, cmd: dict[str, Any], p: str, *, chat: bool = True) -> None:
    """A CHAT_INPUT command or an option (recursing into sub-commands), or a USER/MESSAGE command."""
    _check_text(out, cmd, p, "name", 32, command_name=chat)
    if chat:  # USER and MESSAGE commands have no description
        _check_text(out, cmd, p, "description", 100, command_name=False)
    for key in ("options", "choices"):
        _length(out, cmd.get(key), f"{p}{key}", 0, 25)
    for j, choice in _dicts(cmd.get("choices")):
        _check_text(out, choice, f"{p}choices.{j}.", "name", 100, command_name=False)
        _length(out, choice.get("value"), f"{p}choices.{j}.value", 0, 100)
    for i, option in _dicts(cmd.get("options")):
        _check_command(out, option, f"{p}options.{i}.")


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


def _check_event(out: Out, body: Any, *, create: bool) -> None:
    body = body if isinstance(body, dict) else {}
    if create or "name" in body:
        _length(out, body.get("name"), "name", 1, 100, required=True)
    _length(out, body.get("description"), "description", 0, 1000)
    location = _dig(body, "entity_metadata.location")
    _length(out, location, "entity_metadata.location", 1, 100)
    for key in ("privacy_level", "entity_type") if create else ():
        if key not in body:  # discord.py drops both when entity_type is inferred from location=
            _required(out, key)
    if "privacy_level" in body and body["privacy_level"] != 2:
        _add(out, "privacy_level", "BASE_TYPE_CHOICES", "Value must be one of {2}.")
    if body.get("entity_type") == 3:  # EXTERNAL (an edit may rely on the stored location and end)
        for field, value in (("entity_metadata.location", location), ("scheduled_end_time", None)):
            if create and not (value or body.get(field)):
                _required(out, field)
        if body.get("channel_id") is not None:
            _add(out, "channel_id", "BASE_TYPE_CHOICES", "Must be null for EXTERNAL events.")


def _check_channel(out: Out, body: Any, *, create: bool) -> None:
    if isinstance(body, dict) and (create or "name" in body):
        _length(out, body.get("name"), "name", 1, 100, required=True)


_APP = "/applications/{application_id}"
_EVENTS = "/guilds/{guild_id}/scheduled-events"
_HOOK = "/webhooks/{webhook_id}/{webhook_token}"
# (method, path template spelled exactly as in the spec) -> limit check
_LIMIT_CHECKS: dict[tuple[str, str], Callable[[Out, Any], None]] = {
    ("POST", "/channels/{channel_id}/messages"): partial(_check_message, create=True),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"): partial(_check_message, create=False),
    ("POST", _HOOK): partial(_check_message, create=True),
    ("PATCH", _HOOK + "/messages/@original"): partial(_check_message, create=False),
    ("PATCH", _HOOK + "/messages/{message_id}"): partial(_check_message, create=False),
    ("POST", "/interactions/{interaction_id}/{interaction_token}/callback"): _check_callback,
    ("PUT", _APP + "/commands"): _check_commands,
    ("POST", _APP + "/commands"): _check_commands,
    ("PUT", _APP + "/guilds/{guild_id}/commands"): _check_commands,
    ("POST", _APP + "/guilds/{guild_id}/commands"): _check_commands,
    ("POST", _EVENTS): partial(_check_event, create=True),
    ("PATCH", _EVENTS + "/{guild_scheduled_event_id}"): partial(_check_event, create=False),
    ("POST", "/guilds/{guild_id}/channels"): partial(_check_channel, create=True),
    ("PATCH", "/channels/{channel_id}"): partial(_check_channel, create=False),
}


# ----------------------------------------------------------------------------------------- routing
def _segments(path: str) -> tuple[str, ...]:
    path = path.split("?", 1)[0]
    for prefix in _API_PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            path = path[len(prefix) :]
            break
    return tuple(s for s in path.split("/") if s)


class _Router:
    """Matches concrete paths to spec templates; literal segments beat {params} (``@original``)."""

    def __init__(self, templates: Iterable[str]) -> None:
        self._by_length: dict[int, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for template in templates:
            segs = _segments(template)
            self._by_length[len(segs)].append((segs, template))
        for candidates in self._by_length.values():  # most specific first: literals before params
            candidates.sort(key=lambda c: tuple(s.startswith("{") for s in c[0]))

    def match(self, path: str) -> str | None:
        segs = _segments(path)
        for pattern, template in self._by_length.get(len(segs), ()):
            if all(p == s or p.startswith("{") for p, s in zip(pattern, segs, strict=True)):
                return template
        return None


# ----------------------------------------------------------------------------------------- spec layer
_PERMISSION_FIELDS = frozenset({"allow", "deny", "permissions", "default_member_permissions"})


def _prepare(spec: dict[str, Any]) -> None:
    """Adjust the loaded spec in place (never the file): the allowlist, then two speed-ups."""
    schemas = spec["components"]["schemas"]
    # Allowlist 1: snowflakes as JSON integers. The spec only allows digit strings; Discord accepts
    # both and discord.py sends ints (create_dm {"recipient_id": 123}, allowed_mentions users/roles).
    schemas["SnowflakeType"] = {"anyOf": [schemas["SnowflakeType"], {"type": "integer", "minimum": 0}]}
    # Allowlist 2: message_reference.type FORWARD (1). The spec lists only DEFAULT (0); Discord documents
    # FORWARD and discord.py's Message.forward() sends it.
    schemas["MessageReferenceType"]["oneOf"].append({"title": "FORWARD", "const": 1})
    stack: list[Any] = [spec]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            if isinstance(value, dict) and "$ref" in value:  # speed-up: inline refs (shared objects)
                target: Any = spec
                for part in value["$ref"].lstrip("#/").split("/"):
                    target = target[part.replace("~1", "/").replace("~0", "~")]
                node[key] = target
                continue
            if isinstance(value, dict):
                # Speed-up: a oneOf of plain consts (the spec's enums) is an enum, checked in one step.
                if value.get("oneOf") and all(isinstance(b, dict) and "const" in b for b in value["oneOf"]):
                    value["enum"] = [b["const"] for b in value.pop("oneOf")]
                # Allowlist 3: permission bitfields as digit strings. The spec says integer; discord.py
                # sends str(value) (overwrite PUT allow/deny, role permissions), as Discord returns them.
                if key in _PERMISSION_FIELDS and isinstance(node, dict) and "integer" in _json_types(value):
                    value = node[key] = {"anyOf": [value, {"type": "string", "pattern": "^[0-9]+$"}]}
            stack.append(value)


def _coerce(value: str, types: set[str]) -> Any:
    """Query values arrive as strings; coerce them the way Discord does before checking types."""
    if "boolean" in types and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    if "integer" in types and value.lstrip("-").isdigit():
        return int(value)
    return [value] if "array" in types else value


_TYPE_CODES = {  # Discord's codes for a value of the wrong JSON type (numbers: NUMBER_TYPE_COERCE)
    "object": ("MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"),
    "array": ("LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"),
}
_SNOWFLAKE_PATTERN = "^(0|[1-9][0-9]*)$"


def _json_types(schema: Mapping[str, Any]) -> set[str]:
    found = schema.get("type", [])
    return {found} if isinstance(found, str) else set(found)


def _spec_violations(error: Any, prefix: tuple[Any, ...] = ()) -> list[Violation]:
    """Map one jsonschema error (a leaf, see _leaves) to Discord-style violations."""
    keyword, limit, instance = error.validator, error.validator_value, error.instance
    field = ".".join(map(str, (*prefix, *error.absolute_path)))
    code, message = "SPEC_INVALID", error.message[:200]
    expected = _json_types({"type": limit}) if keyword == "type" else set()
    if keyword == "required":
        missing = [name for name in limit if isinstance(instance, dict) and name not in instance]
        fields = [".".join(filter(None, (field, name))) for name in missing]
        return [Violation("spec", f, "BASE_TYPE_REQUIRED", "This field is required") for f in fields]
    if keyword in ("maxLength", "maxItems", "maxProperties"):
        code, message = "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
    elif keyword in ("minLength", "minItems", "minProperties"):
        code, message = "BASE_TYPE_MIN_LENGTH", f"Must be {limit} or more in length."
    elif keyword in ("maximum", "minimum"):
        word, code = ("less", "NUMBER_TYPE_MAX") if keyword == "maximum" else ("greater", "NUMBER_TYPE_MIN")
        message = f"int value should be {word} than or equal to {limit}."
    elif keyword in ("enum", "const"):
        choices = ", ".join(map(str, limit if keyword == "enum" else [limit]))
        code, message = "BASE_TYPE_CHOICES", f"Value must be one of {{{choices}}}."
    elif (keyword == "pattern" and limit == _SNOWFLAKE_PATTERN) or expected & {"integer", "number"}:
        kind = "int" if expected else "snowflake"
        code, message = "NUMBER_TYPE_COERCE", f'Value "{str(instance)[:50]}" is not {kind}.'
    elif keyword == "pattern":
        code, message = "STRING_TYPE_REGEX", "String value did not match validation regex."
    elif keyword == "type":
        code, message = next((_TYPE_CODES[t] for t in sorted(expected) if t in _TYPE_CODES), (code, message))
    return [Violation("spec", field, code, message)]


def _leaves(error: Any) -> list[Any]:
    """Replace a oneOf/anyOf failure by the errors of the branch the body most likely meant."""
    if not error.context:
        return [error]
    branches: dict[Any, list[Any]] = defaultdict(list)
    for sub in error.context:
        branches[sub.relative_schema_path[0]].extend(_leaves(sub))

    here = list(error.absolute_path)

    def score(leaves: list[Any]) -> tuple[bool, bool, int, int, int]:
        # Prefer the branch of the body's own JSON type, then one whose "type" const/enum matched (a
        # discriminator), then the one that got furthest into the body with the fewest errors.
        own_type = not any(e.validator == "type" and list(e.absolute_path) == here for e in leaves)
        kind = not any(
            e.validator in ("const", "enum") and list(e.absolute_path) == [*here, "type"] for e in leaves
        )
        depth = max(len(e.absolute_path) for e in leaves)
        return (own_type, kind, depth, -sum(e.validator == "type" for e in leaves), -len(leaves))

    return max(branches.values(), key=score)


def _is_datetime(value: object) -> bool:
    """Discord parses ISO 8601 leniently: catch garbage without rejecting what it accepts."""
    return not isinstance(value, str) or bool(datetime.fromisoformat(value))


QueryParam = tuple[str, set[str], Any]  # name, JSON types, validator


class _SpecLayer:
    def __init__(self, spec_path: Path) -> None:
        from jsonschema import FormatChecker
        from openapi_schema_validator import OAS31Validator

        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        _prepare(spec)
        checker = FormatChecker(formats=())
        checker.checks("date-time", raises=ValueError)(_is_datetime)
        self.templates = list(spec["paths"])
        self.bodies: dict[tuple[str, str], Any] = {}
        self.queries: dict[tuple[str, str], list[QueryParam]] = {}
        for template, item in spec["paths"].items():
            for method, op in item.items():
                if method == "parameters" or not isinstance(op, dict):
                    continue
                key = (method.upper(), template)
                if (schema := _dig(op, "requestBody.content.application/json.schema")) is not None:
                    self.bodies[key] = OAS31Validator(schema, format_checker=checker)
                params = [p for p in op.get("parameters", []) if p.get("in") == "query" and "schema" in p]
                self.queries[key] = [
                    (p["name"], _json_types(p["schema"]), OAS31Validator(p["schema"], format_checker=checker))
                    for p in params
                ]

    def validate(self, key: tuple[str, str], query: Mapping[str, str], body: Any) -> list[Violation]:
        """Bodies Discord may omit (a ban without options) or a missing operation yield nothing."""
        out: list[Violation] = []
        for name, types, validator in self.queries.get(key, ()):
            if name in query:
                for error in validator.iter_errors(_coerce(query[name], types)):
                    out += [v for leaf in _leaves(error) for v in _spec_violations(leaf, (name,))]
        if body is not None and key in self.bodies:
            for error in self.bodies[key].iter_errors(body):
                out += [v for leaf in _leaves(error) for v in _spec_violations(leaf)]
        return out


class RequestValidator:
    """Loads the spec once (construct it in a background thread if you like); validate() is then
    fast and thread-safe: nothing is mutated after construction."""

    def __init__(self, spec_path: Path | None) -> None:
        self._spec: _SpecLayer | None = None
        if spec_path is not None:
            try:
                self._spec = _SpecLayer(spec_path)
            except ImportError:  # openapi-core (bringing openapi-schema-validator) is a test extra
                logging.getLogger(__name__).warning("openapi-schema-validator missing: spec layer off")
        templates = {t for _, t in _LIMIT_CHECKS} | set(self._spec.templates if self._spec else ())
        self._router = _Router(templates)

    @property
    def has_spec(self) -> bool:
        return self._spec is not None

    def validate(self, method: str, path: str, query: Mapping[str, str], body: Any) -> list[Violation]:
        template = self._router.match(path)
        if template is None:
            return []
        key = (method.upper(), template)
        found: list[Violation] = []  # limits first: they beat the spec's looser numbers
        if check := _LIMIT_CHECKS.get(key):
            check(found, body)
        if self._spec is not None:
            found += self._spec.validate(key, query, body)
        unique: dict[tuple[str, str], Violation] = {}
        for violation in found:  # one report per field and code
            unique.setdefault((violation.field, violation.code), violation)
        return list(unique.values())
