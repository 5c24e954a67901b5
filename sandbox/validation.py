"""Validate REST requests the way Discord does: its OpenAPI spec plus its documented limits.

* ``spec`` layer (:class:`SpecLayer`): the ``application/json`` request body and the typed query
  parameters of the matched operation, against ``../shared/discord-api-spec/openapi.json`` (OpenAPI
  3.1). Slow to load, so the server loads it off-thread; off when that file (or
  openapi-schema-validator, a test extra) is absent.
* ``limit`` layer (:class:`LimitLayer`): :mod:`sandbox.limits`, the documented limits the spec gets
  wrong or cannot express, by concrete request path. Needs no spec: always on, ready at once.

:class:`RequestValidator` runs both; :func:`merge` keeps one report per field and code, the first
(limits come first: they beat the spec's looser numbers). :func:`form_errors` nests violations into the
``errors`` object of Discord's 50035 reply. Codes are Discord's where known (BASE_TYPE_MAX_LENGTH,
NUMBER_TYPE_COERCE, ...), "50006" for an empty message (field ""), SPEC_INVALID for other schema
failures. Unknown paths, and routes whose spec operation takes no JSON body, yield nothing.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sandbox import limits

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


def merge(*groups: Iterable[Violation]) -> list[Violation]:
    """One report per field and code: the first one, so pass the limit layer's findings first."""
    unique: dict[tuple[str, str], Violation] = {}
    for group in groups:
        for violation in group:
            unique.setdefault((violation.field, violation.code), violation)
    return list(unique.values())


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


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


# ---------------------------------------------------------------------------------------- limit layer
class LimitLayer:
    """:mod:`sandbox.limits` by concrete request path: cheap to build, needs no spec."""

    def __init__(self) -> None:
        self._router = _Router(limits.TEMPLATES)

    def validate(self, method: str, path: str, body: Any, *, uploads: bool = False) -> list[Violation]:
        """``body`` None means no body; ``uploads``: files came with it (so a message is not empty)."""
        template = self._router.match(path)
        if template is None:
            return []
        found = limits.check(method, template, body, uploads=uploads)
        return [Violation("limit", error.field, error.code, error.message) for error in found]


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


class SpecLayer:
    """The spec's checks, by concrete request path. Slow to build (seconds): build it off-thread."""

    def __init__(self, spec_path: Path) -> None:
        from jsonschema import FormatChecker
        from openapi_schema_validator import OAS31Validator

        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        _prepare(spec)
        checker = FormatChecker(formats=())
        checker.checks("date-time", raises=ValueError)(_is_datetime)
        self._router = _Router(spec["paths"])
        self.bodies: dict[tuple[str, str], Any] = {}
        self.queries: dict[tuple[str, str], list[QueryParam]] = {}
        for template, item in spec["paths"].items():
            for method, op in item.items():
                if method == "parameters" or not isinstance(op, dict):
                    continue
                key = (method.upper(), template)
                if (schema := _get(op, "requestBody", "content", "application/json", "schema")) is not None:
                    self.bodies[key] = OAS31Validator(schema, format_checker=checker)
                params = [p for p in op.get("parameters", []) if p.get("in") == "query" and "schema" in p]
                self.queries[key] = [
                    (p["name"], _json_types(p["schema"]), OAS31Validator(p["schema"], format_checker=checker))
                    for p in params
                ]

    def validate(self, method: str, path: str, query: Mapping[str, str], body: Any) -> list[Violation]:
        """Bodies Discord may omit (a ban without options) or a missing operation yield nothing."""
        template = self._router.match(path)
        if template is None:
            return []
        key = (method.upper(), template)
        out: list[Violation] = []
        for name, types, validator in self.queries.get(key, ()):
            if name in query:
                for error in validator.iter_errors(_coerce(query[name], types)):
                    out += [v for leaf in _leaves(error) for v in _spec_violations(leaf, (name,))]
        if body is not None and key in self.bodies:
            for error in self.bodies[key].iter_errors(body):
                out += [v for leaf in _leaves(error) for v in _spec_violations(leaf)]
        return merge(out)


def load_spec(spec_path: Path | None) -> SpecLayer | None:
    """The spec layer, or None without a spec file or without openapi-schema-validator (a test extra)."""
    if spec_path is None:
        return None
    try:
        return SpecLayer(spec_path)
    except ImportError:
        logging.getLogger(__name__).warning("openapi-schema-validator missing: spec layer off")
        return None


class RequestValidator:
    """Both layers. Loads the spec once (construct it in a background thread if you like); validate()
    is then fast and thread-safe: nothing is mutated after construction."""

    def __init__(self, spec_path: Path | None) -> None:
        self.limits = LimitLayer()
        self.spec = load_spec(spec_path)

    @property
    def has_spec(self) -> bool:
        return self.spec is not None

    def validate(self, method: str, path: str, query: Mapping[str, str], body: Any) -> list[Violation]:
        found = self.limits.validate(method, path, body)
        if self.spec is None:
            return found
        return merge(found, self.spec.validate(method, path, query, body))
